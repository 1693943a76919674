"""Where a report is (issue 28): with the boundaries loaded, a point outside the Comune is
refused by every intake (the online steps, desk, edit, Open311), and the quartiere is the one
whose polygon holds the point."""

from __future__ import annotations

import pytest
from django.urls import reverse

from quartiere.sviluppo.demo import CONFINE_COMUNE_DEMO, confine_demo
from quartiere.territorio.models import ConfineComune, Quartiere
from segnalazioni.models import Segnalazione
from tests.segnalazioni.factories import SegnalazioneFactory, chiave_api
from tests.segnalazioni.passi import invia_online

pytestmark = pytest.mark.django_db

IN_SAN_SIRO = ("45.4700", "9.1350")
IN_GRATOSOGLIO = ("45.4100", "9.1700")
A_ROMA = ("41.9028", "12.4964")


@pytest.fixture
def confini(san_siro, gratosoglio):
    for q, (lat, lon) in ((san_siro, (45.4680, 9.1380)), (gratosoglio, (45.4090, 9.1720))):
        Quartiere.objects.filter(pk=q.pk).update(confine=confine_demo(lat, lon))
    ConfineComune.objects.create(confine=CONFINE_COMUNE_DEMO)


@pytest.fixture
def dati(categoria):
    return {
        "tipo": "problema",
        "categoria": categoria.pk,
        "quartiere": "",
        "oggetto": "Buca",
        "descrizione": "Una buca profonda.",
        "indirizzo": "",
        "lat": "",
        "lon": "",
        "consenso_privacy": "on",
        "sito_web": "",
    }


def _errori(risposta) -> dict:
    assert risposta.status_code == 200, risposta.status_code
    return risposta.context["form"].errors


def test_un_punto_fuori_dal_comune_e_un_errore_chiaro(client, confini, dati, san_siro):
    dati.update(quartiere=san_siro.pk, lat=A_ROMA[0], lon=A_ROMA[1])
    errori = _errori(invia_online(client, dati))
    assert "fuori dal territorio del Comune" in " ".join(errori["lat"])
    assert not Segnalazione.objects.exists()


def test_il_quartiere_si_ricava_dal_punto(client, confini, dati, san_siro):
    dati.update(lat=IN_SAN_SIRO[0], lon=IN_SAN_SIRO[1])
    r = invia_online(client, dati)
    assert r.status_code == 302, r.context["form"].errors
    assert Segnalazione.objects.get().quartiere == san_siro


def test_un_quartiere_diverso_da_quello_del_punto_e_un_errore(client, confini, dati, san_siro):
    dati.update(quartiere=san_siro.pk, lat=IN_GRATOSOGLIO[0], lon=IN_GRATOSOGLIO[1])
    errori = _errori(invia_online(client, dati))
    assert "nel quartiere «Gratosoglio»" in " ".join(errori["quartiere"])


def test_senza_punto_ne_quartiere_si_chiede_il_quartiere(client, confini, dati):
    dati.update(indirizzo="Via Abbiati 4")
    errori = _errori(invia_online(client, dati))
    assert "Scegli il quartiere" in " ".join(errori["quartiere"])


def test_senza_confini_il_punto_non_decide(client, dati, san_siro):
    dati.update(quartiere=san_siro.pk, lat=A_ROMA[0], lon=A_ROMA[1])
    assert invia_online(client, dati).status_code == 302
    assert Segnalazione.objects.get().quartiere == san_siro


def test_allo_sportello_il_quartiere_fuori_ambito_non_si_ricava(
    client_di, operatore, confini, dati_sportello
):
    """The San Siro operator's point in Gratosoglio: the quartiere would be outside their
    scope, so it is an error, not a silent filing there."""
    dati_sportello.update(quartiere="", lat=IN_GRATOSOGLIO[0], lon=IN_GRATOSOGLIO[1])
    r = client_di(operatore).post(reverse("segnalazioni:sportello"), dati_sportello)
    assert r.status_code == 200
    assert "che non puoi scegliere" in " ".join(r.context["form"].errors["quartiere"])


def test_la_modifica_controlla_il_punto(client_di, coordinatore, confini, san_siro, categoria):
    s = SegnalazioneFactory(quartiere=san_siro, categoria=categoria)
    c = client_di(coordinatore)
    modifica = c.get(reverse("segnalazioni:modifica", args=[s.pk]))
    dati = {k: v for k, v in modifica.context["form"].initial.items() if v is not None}
    dati.update(
        categoria=categoria.pk,
        quartiere=san_siro.pk,
        lat=A_ROMA[0],
        lon=A_ROMA[1],
        versione_letta=s.versione,
    )
    r = c.post(reverse("segnalazioni:modifica", args=[s.pk]), dati)
    assert "fuori dal territorio del Comune" in " ".join(r.context["form"].errors["lat"])


def _open311(client, **campi):
    dati = {
        "api_key": "chiave-buona",
        "service_code": "illuminazione",
        "description": "Lampione spento",
        **campi,
    }
    return client.post("/open311/v2/requests.json", dati)


def test_open311_rifiuta_un_punto_fuori_e_ricava_il_quartiere(
    client, confini, categoria, gratosoglio
):
    chiave_api("chiave-buona")
    r = _open311(client, lat=A_ROMA[0], long=A_ROMA[1])
    assert r.status_code == 400 and "outside the boundary" in r.content.decode()
    r = _open311(client, lat=IN_GRATOSOGLIO[0], long=IN_GRATOSOGLIO[1])
    assert r.status_code == 200, r.content
    assert Segnalazione.objects.get().quartiere == gratosoglio
    r = _open311(
        client,
        lat=IN_GRATOSOGLIO[0],
        long=IN_GRATOSOGLIO[1],
        **{"attribute[quartiere]": "san-siro"},
    )
    assert r.status_code == 400 and "another quartiere" in r.content.decode()
