"""``mediazione.indicators``: the exact shape, counts rounded to 5 per atom and totals that
are their sums, SQL aggregates in a fixed number of queries."""

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


def test_arrotondamento_a_5_senza_distorsione_e_sempre_uguale():
    for valore in (0, 5, 10, 35):
        assert indicators.arrotonda(valore, ("x",)) == valore
    su = 0
    for i in range(4000):
        r = indicators.arrotonda(7, ("q", i))
        assert r in (5, 10)
        assert indicators.arrotonda(7, ("q", i)) == r  # the same atom reads the same
        su += r == 10
    assert 0.36 < su / 4000 < 0.44  # up with probability 2/5: unbiased on average


def test_ogni_cifra_e_un_multiplo_di_5_e_i_totali_sono_le_somme(mediatore, san_siro, gratosoglio):
    _dossier(mediatore, san_siro, 1, tipo="animali")
    _dossier(mediatore, san_siro, 2, tipo="odori", esito="nessun_accordo", giorni=20)
    _dossier(mediatore, gratosoglio, 3, tipo="parcheggi", esito="accordo_raggiunto", giorni=4)
    r = indicators.calcola(DAL, OGGI, None)
    valori = [r["aperti"], r["chiusi"], *r["per_tipo_conflitto"].values(), *r["per_esito"].values()]
    assert all(isinstance(v, int) and v % 5 == 0 for v in valori)
    assert r["aperti"] == sum(r["per_tipo_conflitto"].values())
    assert r["chiusi"] == sum(r["per_esito"].values())
    per_q = indicators.calcola_per_quartiere(DAL, OGGI, [san_siro, gratosoglio])
    assert r["aperti"] == per_q[san_siro.pk]["aperti"] + per_q[gratosoglio.pk]["aperti"]
    assert per_q[san_siro.pk] == indicators.calcola(DAL, OGGI, [san_siro])
    assert r["durata_media_giorni"] is None  # fewer than 10 closed


def test_multipli_di_5_esatti_e_durata_da_10_chiusi(mediatore, san_siro):
    _dossier(mediatore, san_siro, 10, tipo="parcheggi", esito="accordo_raggiunto", giorni=16)
    r = indicators.calcola(DAL, OGGI, None)
    assert r["chiusi"] == 10 and r["per_tipo_conflitto"]["parcheggi"] == 10
    assert r["durata_media_giorni"] == 14  # 16 days, published in whole weeks


def test_il_periodo_si_estende_ai_mesi_interi(mediatore, san_siro):
    inizio_mese = OGGI.replace(day=1)
    for d in _dossier(mediatore, san_siro, 5):
        type(d).objects.filter(pk=d.pk).update(aperto_il=inizio_mese)
    # Asked from the last day of the month only, the whole month is counted.
    fine = indicators.mesi(OGGI, OGGI)[1]
    assert indicators.calcola(fine, fine, None)["aperti"] == 5
    assert indicators.mesi(datetime.date(2026, 2, 14), datetime.date(2026, 2, 20)) == (
        datetime.date(2026, 2, 1),
        datetime.date(2026, 2, 28),
    )


def test_filtra_periodo_e_quartieri(mediatore, san_siro, gratosoglio):
    _dossier(mediatore, san_siro, 5)
    _dossier(mediatore, gratosoglio, 10)
    _dossier(mediatore, gratosoglio, 5, giorni=500)
    assert indicators.calcola(DAL, OGGI, [san_siro])["aperti"] == 5
    assert indicators.calcola(DAL, OGGI, [gratosoglio.pk])["aperti"] == 10
    assert indicators.calcola(DAL, OGGI, None)["aperti"] == 15
    assert indicators.calcola(OGGI - datetime.timedelta(days=900), OGGI, None)["aperti"] == 20


def test_cifre_di_aiuto(mediatore, san_siro):
    _dossier(mediatore, san_siro, 5, canale="polizia_locale")
    canali = indicators.per_canale(DAL, OGGI, None)
    assert list(canali) == CanaleArrivo.values
    assert canali["polizia_locale"] == 5
    assert all(v % 5 == 0 for v in canali.values())
    verifiche = indicators.accordi_da_verificare(OGGI, None)
    assert set(verifiche) == {"da_verificare", "scadute"}
    assert all(v % 5 == 0 for v in verifiche.values())


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
    # Five of one type in one month: a multiple of 5 reads exactly.
    _dossier(mediatore, san_siro, 4, tipo="rumori")
    type(dossier).objects.filter(pk=dossier.pk).update(
        aperto_il=OGGI - datetime.timedelta(days=10), tipo_conflitto="rumori"
    )
    risposta = client_di(operatore).get(reverse("mediazione:cifre"))
    corpo = risposta.content.decode()
    assert risposta.status_code == 200
    assert 'id="cifra-aperti">5<' in corpo
    assert "multiplo di 5" in corpo
    assert dossier.numero not in corpo and "Segreti" not in corpo


def test_l_operatore_vede_le_cifre_dei_suoi_quartieri(
    client_di, operatore_gratosoglio, mediatore, san_siro
):
    _dossier(mediatore, san_siro, 5)
    corpo = client_di(operatore_gratosoglio).get(reverse("mediazione:cifre")).content.decode()
    assert 'id="cifra-aperti">0<' in corpo


def test_il_mediatore_vede_le_cifre_di_tutta_la_citta(client_di, mediatore, gratosoglio):
    _dossier(mediatore, gratosoglio, 5)
    corpo = client_di(mediatore).get(reverse("mediazione:cifre")).content.decode()
    assert 'id="cifra-aperti">5<' in corpo
    assert "Gratosoglio" in corpo


def test_l_amministratore_non_vede_le_cifre_il_superutente_si(client_di, quartieri):
    """docs/mediazione.md: the amministratore group configures, it does not read figures;
    a superuser holds every permission."""
    from tests.factories import utente

    solo_gruppo = utente("amministratore", "admin.configurazione", is_staff=True)
    assert client_di(solo_gruppo).get(reverse("mediazione:cifre")).status_code == 403
    superutente = utente("amministratore", "admin.super", is_staff=True, is_superuser=True)
    assert client_di(superutente).get(reverse("mediazione:cifre")).status_code == 200
