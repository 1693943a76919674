"""patti.indicators.calcola against a dataset counted by hand."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from patti.indicators import calcola
from tests.factories import OrganizzazioneFactory, PersonaFactory
from tests.patti import factories as f

pytestmark = pytest.mark.django_db

D = datetime.date
DAL, AL = D(2025, 1, 1), D(2025, 12, 31)


@pytest.fixture
def dati(san_siro, gratosoglio):
    """
    In 2025, San Siro:
      A (new, 10 Mar): Comune, associazione X, volontario P1, volontario P2;
                       projects 1000.50 cura_citta + 200 cura_comunita
      B (renews A0, 1 Jun): Comune, associazione X (again), scuola S;
                       project with no budget, cura_comunita
      C (new, 31 Dec, no projects): associazione X (again), gruppo_informale via P1
    In 2025, Gratosoglio:
      G (new, 1 Jan): Comune, attivita_economica E; project 500 cura_citta
    Outside the period: A0 (2024), D (signed 1 Jan 2026) with projects.
    Not signed: a proposal in San Siro with signatories and a project.
    """
    x = OrganizzazioneFactory(nome="X")
    s = OrganizzazioneFactory(nome="S", tipo="scuola")
    e = OrganizzazioneFactory(nome="E", tipo="attivita_economica")
    p1, p2 = PersonaFactory(), PersonaFactory()

    a0 = f.PattoFactory(quartiere=san_siro, stato="concluso", data_firma=D(2024, 3, 1))
    f.FirmatarioOrganizzazioneFactory(patto=a0, organizzazione=x)
    f.ProgettoFactory(patto=a0, budget="9999")

    a = f.PattoFactory(quartiere=san_siro, stato="in_attuazione", data_firma=D(2025, 3, 10))
    f.FirmatarioComuneFactory(patto=a)
    f.FirmatarioOrganizzazioneFactory(patto=a, organizzazione=x)
    f.FirmatarioVolontarioFactory(patto=a, persona=p1)
    f.FirmatarioVolontarioFactory(patto=a, persona=p2)
    f.ProgettoFactory(patto=a, budget="1000.50", ambito="cura_citta")
    f.ProgettoFactory(patto=a, budget="200", ambito="cura_comunita")

    b = f.PattoFactory(quartiere=san_siro, stato="firmato", data_firma=D(2025, 6, 1), rinnova=a0)
    f.FirmatarioComuneFactory(patto=b)
    f.FirmatarioOrganizzazioneFactory(patto=b, organizzazione=x)
    f.FirmatarioOrganizzazioneFactory(patto=b, organizzazione=s, tipo="scuola")
    f.ProgettoFactory(patto=b, budget=None, ambito="cura_comunita")

    c = f.PattoFactory(quartiere=san_siro, stato="revocato", data_firma=D(2025, 12, 31))
    f.FirmatarioOrganizzazioneFactory(patto=c, organizzazione=x)
    c.firmatari.create(tipo="gruppo_informale", persona=p1)

    g = f.PattoFactory(quartiere=gratosoglio, stato="firmato", data_firma=D(2025, 1, 1))
    f.FirmatarioComuneFactory(patto=g)
    f.FirmatarioOrganizzazioneFactory(patto=g, organizzazione=e, tipo="attivita_economica")
    f.ProgettoFactory(patto=g, budget="500", ambito="cura_citta")

    d = f.PattoFactory(quartiere=san_siro, stato="firmato", data_firma=D(2026, 1, 1))
    f.FirmatarioOrganizzazioneFactory(patto=d, organizzazione=x)
    f.ProgettoFactory(patto=d, budget="777")

    proposta = f.PattoFactory(quartiere=san_siro, stato="proposta")
    f.FirmatarioOrganizzazioneFactory(patto=proposta, organizzazione=x)
    f.ProgettoFactory(patto=proposta, budget="123")


def test_tutti_i_quartieri(dati):
    assert calcola(DAL, AL, None) == {
        "firmati": 4,
        "nuovi": 3,
        "rinnovi": 1,
        # A: X, P1, P2 · B: X, S · C: X, P1 (group) · G: E
        "firmatari": 8,
        # X, S, E + P1, P2
        "firmatari_unici": 5,
        "firmatari_per_tipo": {
            "comune": 0,
            "associazione": 3,
            "volontario": 2,
            "gruppo_informale": 1,
            "attivita_economica": 1,
            "scuola": 1,
            "altro_ente": 0,
        },
        "progetti": 4,
        "progetti_per_ambito": {"cura_citta": 2, "cura_comunita": 2},
        "budget_progetti": "1700.50",
    }


def test_filtro_sul_quartiere_del_patto(dati, san_siro, gratosoglio):
    r = calcola(DAL, AL, [san_siro])
    assert (r["firmati"], r["nuovi"], r["rinnovi"]) == (3, 2, 1)
    assert (r["firmatari"], r["firmatari_unici"]) == (7, 4)
    assert r["budget_progetti"] == "1200.50"
    r = calcola(DAL, AL, [gratosoglio.pk])
    assert (r["firmati"], r["firmatari"], r["progetti"], r["budget_progetti"]) == (
        1,
        1,
        1,
        "500.00",
    )


def test_periodo_vuoto(dati):
    r = calcola(D(2010, 1, 1), D(2010, 12, 31), None)
    assert r["firmati"] == r["nuovi"] == r["rinnovi"] == r["firmatari"] == 0
    assert r["firmatari_unici"] == r["progetti"] == 0
    assert set(r["firmatari_per_tipo"].values()) == {0}
    assert len(r["firmatari_per_tipo"]) == 7
    assert r["progetti_per_ambito"] == {"cura_citta": 0, "cura_comunita": 0}
    assert r["budget_progetti"] == "0.00"


def test_query_fisse(dati, san_siro):
    with CaptureQueriesContext(connection) as poche:
        calcola(DAL, AL, [san_siro])
    for _ in range(20):
        patto = f.PattoFactory(quartiere=san_siro, stato="firmato", data_firma=D(2025, 2, 2))
        f.FirmatarioOrganizzazioneFactory(patto=patto)
        f.ProgettoFactory(patto=patto)
    with CaptureQueriesContext(connection) as molte:
        calcola(DAL, AL, [san_siro])
    assert len(poche) == len(molte) == 3
