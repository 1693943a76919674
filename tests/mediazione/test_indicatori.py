"""``mediazione.indicators``: the exact shape, masking of 1 and 2, SQL aggregates in a
fixed number of queries."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from mediazione import indicators, services
from mediazione.models import CanaleArrivo, Esito, TipoConflitto
from tests.mediazione.factories import DossierFactory

pytestmark = pytest.mark.django_db

OGGI = timezone.localdate()
DAL = OGGI - datetime.timedelta(days=365)


def _dossier(
    mediatore, quartiere, n, *, tipo="rumori", canale="accesso_diretto", esito=None, giorni=10
):
    creati = []
    for _ in range(n):
        d = DossierFactory(
            creato_da=mediatore,
            quartiere=quartiere,
            tipo_conflitto=tipo,
            canale_arrivo=canale,
            aperto_il=OGGI - datetime.timedelta(days=giorni),
        )
        if esito:
            services.chiudi(d, esito=esito, da=mediatore)
        creati.append(d)
    return creati


def test_forma_esatta_senza_dati(db):
    r = indicators.calcola(DAL, OGGI, None)
    assert set(r) == {"aperti", "chiusi", "per_tipo_conflitto", "per_esito", "durata_media_giorni"}
    assert r["aperti"] == 0 and r["chiusi"] == 0
    assert list(r["per_tipo_conflitto"]) == TipoConflitto.values
    assert list(r["per_esito"]) == Esito.values
    assert all(v == 0 for v in r["per_tipo_conflitto"].values())
    assert r["durata_media_giorni"] is None
    assert all(k == k.lower() and " " not in k for k in [*r["per_tipo_conflitto"], *r["per_esito"]])


def test_uno_e_due_diventano_meno_di_tre(mediatore, san_siro):
    _dossier(mediatore, san_siro, 1, tipo="animali")
    _dossier(mediatore, san_siro, 2, tipo="odori", esito="nessun_accordo", giorni=20)
    _dossier(mediatore, san_siro, 3, tipo="parcheggi", esito="accordo_raggiunto", giorni=4)
    r = indicators.calcola(DAL, OGGI, None)
    assert r["aperti"] == 6
    assert r["chiusi"] == 5
    assert r["per_tipo_conflitto"]["animali"] == "<3"
    assert r["per_tipo_conflitto"]["odori"] == "<3"
    assert r["per_tipo_conflitto"]["parcheggi"] == 3
    assert r["per_tipo_conflitto"]["rumori"] == 0
    assert r["per_esito"] == {
        **dict.fromkeys(Esito.values, 0),
        "nessun_accordo": "<3",
        "accordo_raggiunto": 3,
    }
    assert r["durata_media_giorni"] == pytest.approx((2 * 20 + 3 * 4) / 5, abs=0.05)


def test_totali_piccoli_mascherati_e_durata_nascosta(mediatore, san_siro):
    _dossier(mediatore, san_siro, 2, esito="rinuncia", giorni=15)
    r = indicators.calcola(DAL, OGGI, None)
    assert r["aperti"] == "<3" and r["chiusi"] == "<3"
    assert r["durata_media_giorni"] is None


def test_filtra_periodo_e_quartieri(mediatore, san_siro, gratosoglio):
    _dossier(mediatore, san_siro, 3)
    _dossier(mediatore, gratosoglio, 4)
    _dossier(mediatore, gratosoglio, 3, giorni=500)
    assert indicators.calcola(DAL, OGGI, [san_siro])["aperti"] == 3
    assert indicators.calcola(DAL, OGGI, [gratosoglio.pk])["aperti"] == 4
    assert indicators.calcola(DAL, OGGI, None)["aperti"] == 7
    assert indicators.calcola(OGGI - datetime.timedelta(days=900), OGGI, None)["aperti"] == 10


def test_cifre_di_aiuto(mediatore, san_siro, dossier):
    _dossier(mediatore, san_siro, 3, canale="polizia_locale")
    canali = indicators.per_canale(DAL, OGGI, None)
    assert list(canali) == CanaleArrivo.values
    assert canali["polizia_locale"] == 3
    assert canali["accesso_diretto"] == "<3"
    assert indicators.accordi_da_verificare(OGGI, None) == {"da_verificare": "<3", "scadute": "<3"}


@pytest.mark.parametrize("n", [3, 30])
def test_numero_di_query_fisso(n, mediatore, san_siro, gratosoglio):
    _dossier(mediatore, san_siro, n, esito="accordo_parziale")
    with CaptureQueriesContext(connection) as q:
        indicators.calcola(DAL, OGGI, [san_siro, gratosoglio])
        indicators.per_canale(DAL, OGGI, None)
        indicators.accordi_da_verificare(OGGI, None)
    assert len(q) == 3


def test_la_pagina_delle_cifre_mostra_solo_aggregati_mascherati(
    client_di, operatore, mediatore, san_siro, dossier
):
    _dossier(mediatore, san_siro, 3, tipo="parcheggi")
    risposta = client_di(operatore).get(reverse("mediazione:cifre"))
    corpo = risposta.content.decode()
    assert risposta.status_code == 200
    assert 'id="cifra-aperti">4<' in corpo
    assert "&lt;3" in corpo
    assert dossier.numero not in corpo and "Segreti" not in corpo


def test_l_operatore_vede_le_cifre_dei_suoi_quartieri(
    client_di, operatore_gratosoglio, mediatore, san_siro
):
    _dossier(mediatore, san_siro, 5)
    corpo = client_di(operatore_gratosoglio).get(reverse("mediazione:cifre")).content.decode()
    assert 'id="cifra-aperti">0<' in corpo


def test_il_mediatore_vede_le_cifre_di_tutta_la_citta(client_di, mediatore, gratosoglio):
    _dossier(mediatore, gratosoglio, 3)
    corpo = client_di(mediatore).get(reverse("mediazione:cifre")).content.decode()
    assert 'id="cifra-aperti">3<' in corpo
    assert "Gratosoglio" in corpo


def test_l_amministratore_non_vede_le_cifre_il_superutente_si(client_di, quartieri):
    """docs/mediazione.md: the amministratore group configures, it does not read figures;
    a superuser holds every permission."""
    from tests.factories import utente

    solo_gruppo = utente("amministratore", "admin.configurazione", is_staff=True)
    assert client_di(solo_gruppo).get(reverse("mediazione:cifre")).status_code == 403
    superutente = utente("amministratore", "admin.super", is_staff=True, is_superuser=True)
    assert client_di(superutente).get(reverse("mediazione:cifre")).status_code == 200
