"""The coordinators' review in the admin: filters, search by number, inlines, the log."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from mediazione import services
from tests.mediazione.factories import DossierFactory

pytestmark = pytest.mark.django_db

OGGI = timezone.localdate()


@pytest.fixture
def altri(mediatore, altro_mediatore, gratosoglio):
    chiuso = DossierFactory(
        creato_da=altro_mediatore, quartiere=gratosoglio, tipo_conflitto="animali"
    )
    services.chiudi(chiuso, esito="rinuncia", da=altro_mediatore)
    aperto = DossierFactory(
        creato_da=altro_mediatore, quartiere=gratosoglio, tipo_conflitto="odori"
    )
    return chiuso, aperto


def _numeri(client, **parametri):
    risposta = client.get(reverse("admin:mediazione_dossier_changelist"), parametri)
    assert risposta.status_code == 200
    corpo = risposta.content.decode()
    return corpo


@pytest.mark.parametrize(
    ("parametri", "attesi"),
    [
        ({}, {"dossier", "chiuso", "aperto"}),
        ({"fase__exact": "chiuso"}, {"chiuso"}),
        ({"tipo_conflitto__exact": "odori"}, {"aperto"}),
        ({"esito__exact": "rinuncia"}, {"chiuso"}),
        ({"stato": "aperti"}, {"dossier", "aperto"}),
        ({"stato": "chiusi"}, {"chiuso"}),
        ({"verifica": "scaduta"}, {"dossier"}),
        ({"mediatore": "MEDIATORE"}, {"dossier"}),
        ({"quartiere__id__exact": "GRATOSOGLIO"}, {"chiuso", "aperto"}),
        ({"q": "NUMERO"}, {"dossier"}),
        ({"q": "Segreti"}, set()),
    ],
)
def test_filtri_e_ricerca(
    parametri, attesi, client_di, coordinatore, mediatore, gratosoglio, dossier, altri
):
    chiuso, aperto = altri
    tutti = {"dossier": dossier, "chiuso": chiuso, "aperto": aperto}
    sostituzioni = {
        "MEDIATORE": str(mediatore.pk),
        "GRATOSOGLIO": str(gratosoglio.pk),
        "NUMERO": dossier.numero,
    }
    parametri = {k: sostituzioni.get(v, v) for k, v in parametri.items()}
    corpo = _numeri(client_di(coordinatore), **parametri)
    visti = {nome for nome, d in tutti.items() if f">{d.numero}<" in corpo}
    assert visti == attesi


def test_la_pagina_del_dossier_ha_le_parti_le_attivita_e_l_accordo(
    client_di, coordinatore, dossier
):
    corpo = (
        client_di(coordinatore)
        .get(reverse("admin:mediazione_dossier_change", args=[dossier.pk]))
        .content.decode()
    )
    for atteso in (
        "Segreti Giovanna",
        "colloquio individuale",
        "Silenzio dopo le 22",
        "Parti",
        "Accordi",
    ):
        assert atteso in corpo
    assert 'type="submit" value="Salva"' not in corpo
    assert f"/admin/mediazione/accessodossier/?q={dossier.numero}" in corpo


def test_il_registro_degli_accessi_si_legge(client_di, coordinatore, mediatore, dossier):
    client_di(mediatore).get(dossier.get_absolute_url())
    corpo = (
        client_di(coordinatore)
        .get(reverse("admin:mediazione_accessodossier_changelist"), {"azione__exact": "lettura"})
        .content.decode()
    )
    assert dossier.numero in corpo and "mediatore" in corpo


def test_la_verifica_scaduta_e_indicata(client_di, coordinatore, dossier):
    corpo = _numeri(client_di(coordinatore))
    ieri = (OGGI - datetime.timedelta(days=1)).strftime("%d/%m/%Y")
    assert f"scaduta il {ieri}" in corpo
