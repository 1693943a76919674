"""A fixed number of queries whatever the amount of data."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from quartiere.relazioni import indicatori
from quartiere.relazioni.pdf import html_relazione
from quartiere.relazioni.relazione import prepara
from quartiere.territorio.models import Quartiere
from tests.indicatori.conftest import AL, DAL, popola

pytestmark = pytest.mark.django_db

CODICI = ["gratosoglio", "san-siro"]


def conta(funzione) -> int:
    with CaptureQueriesContext(connection) as catturate:
        funzione()
    return len(catturate.captured_queries)


def misura(client):
    scelti = list(Quartiere.objects.filter(codice__in=CODICI).order_by("codice"))
    return {
        "json": conta(lambda: indicatori(DAL, AL, CODICI)),
        "pdf": conta(lambda: html_relazione(prepara(DAL, AL, scelti, per_stampa=True))),
        "cruscotto": conta(
            lambda: client.get(
                reverse("quartiere:cruscotto"),
                {"dal": DAL.isoformat(), "al": AL.isoformat(), "quartiere": CODICI},
            )
        ),
        "csv": conta(
            lambda: client.get(
                reverse("quartiere:cruscotto_esporta", args=["csv"]),
                {"dal": DAL.isoformat(), "al": AL.isoformat(), "quartiere": CODICI},
            )
        ),
    }


def test_query_costanti_con_dieci_volte_i_dati(quartieri, dirigente, client_di):
    client = client_di(dirigente)
    popola(quartieri, copie=1)
    client.get(reverse("quartiere:cruscotto"))  # warm the session and the permission caches
    piccolo = misura(client)
    popola(quartieri, copie=9)
    grande = misura(client)
    assert grande == piccolo
    # And the bigger dataset really is ten times bigger.
    from laboratori.models import Presenza

    assert Presenza.objects.count() == 10 * 7
