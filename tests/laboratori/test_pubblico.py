"""The public pages: upcoming public meetings and accepted proposals, no personal data."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from laboratori.models import Presenza
from tests.factories import OrganizzazioneFactory, PersonaFactory, SedeFactory
from tests.laboratori.factories import IncontroFactory, LaboratorioFactory, PropostaFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def scena(lab_san_siro, lab_gratosoglio, san_siro):
    dopo = timezone.now() + timedelta(days=5)
    sala = SedeFactory(nome="Sala della Città condivisa", indirizzo="Viale XVIII Dicembre 124")
    privata = PersonaFactory(nome="Ermenegilda", cognome="Zanzottera", quartiere=san_siro)
    org = OrganizzazioneFactory(nome="Comitato Cortili Aperti", quartiere=san_siro)
    svolto = IncontroFactory(
        laboratorio=lab_san_siro, verbale="Ermenegilda Zanzottera propone la bacheca."
    )
    Presenza.objects.create(incontro=svolto, persona=privata, organizzazione=org)
    IncontroFactory(
        laboratorio=lab_san_siro,
        titolo="Mappa dei cortili",
        stato="programmato",
        inizio=dopo,
        sede=sala,
        luogo="",
        ordine_del_giorno="1. Giro dei cortili",
    )
    IncontroFactory(
        laboratorio=lab_san_siro,
        titolo="Riunione riservata",
        stato="programmato",
        inizio=dopo,
        pubblico=False,
    )
    IncontroFactory(
        laboratorio=lab_san_siro, titolo="Incontro annullato", stato="annullato", inizio=dopo
    )
    IncontroFactory(
        laboratorio=lab_gratosoglio, titolo="Torri aperte", stato="programmato", inizio=dopo
    )
    sospeso = LaboratorioFactory(quartiere=san_siro, stato="sospeso")
    IncontroFactory(laboratorio=sospeso, titolo="Lab sospeso", stato="programmato", inizio=dopo)
    PropostaFactory(
        laboratorio=lab_san_siro,
        titolo="Bacheca di quartiere",
        stato="accolta",
        esito="Installata a maggio.",
        proponente_persona=privata,
    )
    PropostaFactory(
        laboratorio=lab_san_siro,
        titolo="Aula studio",
        stato="accolta",
        proponente_persona=privata,
        proponente_organizzazione=org,
    )
    PropostaFactory(laboratorio=lab_san_siro, titolo="Idea scartata", stato="non_accolta")
    PropostaFactory(laboratorio=lab_san_siro, titolo="Idea in esame", stato="in_valutazione")
    return {"lab": lab_san_siro}


def _pagine(scena):
    return [
        reverse("laboratori:calendario"),
        reverse("laboratori:risultati"),
        reverse("laboratori:pubblico", args=[scena["lab"].pk]),
    ]


def test_nessun_dato_personale_sulle_pagine_pubbliche(client, scena):
    for url in _pagine(scena):
        html = client.get(url).content.decode()
        assert "Zanzottera" not in html, url
        assert "Ermenegilda" not in html, url
        assert "example.org" not in html, url


def test_calendario_solo_incontri_pubblici_futuri(client, scena):
    html = client.get(reverse("laboratori:calendario")).content.decode()
    assert "Mappa dei cortili" in html
    assert "Sala della Città condivisa, Viale XVIII Dicembre 124" in html
    assert "Torri aperte" in html
    assert "Riunione riservata" not in html
    assert "Incontro annullato" not in html
    assert "Primo incontro" not in html
    assert "Lab sospeso" not in html


def test_calendario_filtrato_per_quartiere(client, scena):
    html = client.get(reverse("laboratori:calendario") + "?quartiere=gratosoglio").content.decode()
    assert "Torri aperte" in html
    assert "Mappa dei cortili" not in html


def test_risultati_solo_proposte_accolte_con_organizzazione(client, scena):
    html = client.get(reverse("laboratori:risultati")).content.decode()
    assert "Bacheca di quartiere" in html and "Installata a maggio." in html
    assert "Proposta da Comitato Cortili Aperti" in html
    assert "Idea scartata" not in html and "Idea in esame" not in html
    assert "Torri di Gratosoglio" not in html  # no accepted proposal there


def test_pagina_pubblica_del_laboratorio(client, scena):
    r = client.get(reverse("laboratori:pubblico", args=[scena["lab"].pk]))
    html = r.content.decode()
    assert r.context["object"].n_partecipanti == 1
    assert r.context["object"].n_svolti == 1
    assert "Mappa dei cortili" in html and "Riunione riservata" not in html
    assert "Bacheca di quartiere" in html and "Idea scartata" not in html


def test_laboratorio_inesistente_404(client, db):
    assert client.get(reverse("laboratori:pubblico", args=[999999])).status_code == 404


def test_calendario_in_inglese(client, scena):
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    html = client.get(reverse("laboratori:calendario")).content.decode()
    assert "Citizenship labs: upcoming meetings" in html
    assert "Mappa dei cortili" in html


def test_calendario_ical(client, scena):
    from icalendar import Calendar

    r = client.get(reverse("laboratori:calendario_ics"))
    assert r["Content-Type"] == "text/calendar; charset=utf-8"
    eventi = {str(e["summary"]): e for e in Calendar.from_ical(r.content).walk("VEVENT")}
    assert set(eventi) == {
        "Cortili di San Siro: Mappa dei cortili",
        "Torri di Gratosoglio: Torri aperte",
    }
    mappa = eventi["Cortili di San Siro: Mappa dei cortili"]
    assert str(mappa["location"]) == "Sala della Città condivisa, Viale XVIII Dicembre 124"
    assert str(mappa["description"]) == "1. Giro dei cortili"
    assert str(mappa["url"]).endswith(reverse("laboratori:pubblico", args=[scena["lab"].pk]))
    assert "Zanzottera" not in r.content.decode()
    r = client.get(reverse("laboratori:calendario_ics") + "?quartiere=gratosoglio")
    assert len(Calendar.from_ical(r.content).walk("VEVENT")) == 1
