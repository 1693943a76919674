"""Query counts do not grow with the rows: each page measured with 5 and with 50."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from laboratori.models import Presenza, Proposta
from tests.factories import OrganizzazioneFactory, PersonaFactory
from tests.laboratori.factories import IncontroFactory, LaboratorioFactory, PropostaFactory

pytestmark = pytest.mark.django_db


def _conta(client, url):
    with CaptureQueriesContext(connection) as contesto:
        risposta = client.get(url)
    assert risposta.status_code == 200, url
    return len(contesto.captured_queries)


def _labs(n, quartiere, facilitatore):
    for i in range(n):
        lab = LaboratorioFactory(quartiere=quartiere)
        lab.facilitatori.add(facilitatore)
        IncontroFactory(laboratorio=lab)
        IncontroFactory(
            laboratorio=lab,
            stato="programmato",
            inizio=timezone.now() + timedelta(days=i + 1),
            pubblico=True,
        )
        PropostaFactory(laboratorio=lab, stato="accolta")


@pytest.mark.parametrize("utente", ["operatore", "coordinatore"])
def test_lista_staff(client_di, cast, san_siro, operatore, utente):
    c = client_di(cast[utente])
    url = reverse("laboratori:lista")
    _labs(5, san_siro, operatore)
    poche = _conta(c, url)
    _labs(20, san_siro, operatore)  # 25: one full page
    assert _conta(c, url) == poche
    _labs(25, san_siro, operatore)  # 50: two pages
    assert _conta(c, url) == poche
    assert _conta(c, url + "?page=2&fase=ascolto&q=Laboratorio") == poche


def _riempi_laboratorio(lab, n):
    q = lab.quartiere
    for _ in range(n):
        inc = IncontroFactory(laboratorio=lab)
        persona = PersonaFactory(quartiere=q)
        org = OrganizzazioneFactory(quartiere=q)
        Presenza.objects.create(incontro=inc, persona=persona, organizzazione=org)
        PropostaFactory(
            laboratorio=lab,
            incontro=inc,
            proponente_persona=persona,
            proponente_organizzazione=org,
            stato=Proposta.Stato.ACCOLTA,
        )
        IncontroFactory(
            laboratorio=lab, stato="programmato", inizio=timezone.now() + timedelta(days=3)
        )


def test_dettaglio_laboratorio(client_di, operatore, lab_san_siro):
    c = client_di(operatore)
    url = reverse("laboratori:dettaglio", args=[lab_san_siro.pk])
    _riempi_laboratorio(lab_san_siro, 5)
    poche = _conta(c, url)
    _riempi_laboratorio(lab_san_siro, 45)
    assert _conta(c, url) == poche


def _presenti(incontro, n):
    for _ in range(n):
        Presenza.objects.create(
            incontro=incontro,
            persona=PersonaFactory(quartiere=incontro.laboratorio.quartiere),
            organizzazione=OrganizzazioneFactory(quartiere=incontro.laboratorio.quartiere),
        )


@pytest.mark.parametrize("pagina", ["laboratori:incontro", "laboratori:presenze"])
def test_incontro_e_pagina_presenze(client_di, operatore, incontro_san_siro, pagina):
    c = client_di(operatore)
    url = reverse(pagina, args=[incontro_san_siro.pk])
    _presenti(incontro_san_siro, 5)
    poche = _conta(c, url)
    _presenti(incontro_san_siro, 45)
    assert _conta(c, url) == poche


@pytest.mark.parametrize(
    "pagina", ["laboratori:calendario", "laboratori:risultati", "laboratori:calendario_ics"]
)
def test_pagine_pubbliche(client, san_siro, operatore, pagina):
    url = reverse(pagina)
    filtrata = url + "?quartiere=san-siro&page=2"
    _labs(5, san_siro, operatore)
    poche, poche_filtrata = _conta(client, url), _conta(client, url + "?quartiere=san-siro")
    _labs(45, san_siro, operatore)
    assert _conta(client, url) == poche
    assert _conta(client, filtrata) == poche_filtrata


def test_pagina_pubblica_del_laboratorio(client, lab_san_siro):
    url = reverse("laboratori:pubblico", args=[lab_san_siro.pk])
    _riempi_laboratorio(lab_san_siro, 5)
    poche = _conta(client, url)
    _riempi_laboratorio(lab_san_siro, 45)
    assert _conta(client, url) == poche
