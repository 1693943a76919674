"""Generated load data renders everywhere (issue 28): ``generate_load_data --scale 0.001``
fills the database the way the benchmark does (COPY, every app, years of history); a
coordinator and a visitor then follow the links from every page without arguments, up to
200 pages, and none may answer 5xx or raise."""

from __future__ import annotations

import re

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client

from quartiere.sviluppo import carico
from tests import factories
from tests.collegamenti import visita
from tests.dati_di_modulo import transazione_di_modulo

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def generati(django_db_setup, django_db_blocker):
    with transazione_di_modulo(django_db_blocker):
        with connection.cursor() as c:
            c.execute(f"DROP TABLE IF EXISTS {carico.TABELLA_REGISTRO}")
        call_command(
            "generate_load_data", scale="0.001", seed=11, fino_al="2026-06-30", verbosity=0
        )
        utente = factories.utente("coordinatore", "coord-carico", is_staff=True)
        coordinatore = Client()
        coordinatore.force_login(utente, backend="django.contrib.auth.backends.ModelBackend")
        yield {"coordinatore": coordinatore, "anonimo": Client()}


@pytest.mark.parametrize("ruolo", ["coordinatore", "anonimo"])
def test_le_pagine_dei_dati_generati_si_aprono(generati, ruolo):
    # A few lists, detail pages and their PDFs of every app: the walk is breadth first.
    from django.apps import apps

    # A few records of every app first, their staff and public pages (and what they link).
    semi = []
    for etichetta in (
        "segnalazioni.Segnalazione",
        "mediazione.Dossier",
        "laboratori.Laboratorio",
        "patti.Patto",
        "abitare.Immobile",
        "abitare.Nucleo",
        "quartiere.Persona",
    ):
        for oggetto in apps.get_model(etichetta).objects.order_by("-pk")[:3]:
            semi.append(oggetto.get_absolute_url())
            if hasattr(oggetto, "get_public_url"):
                semi.append(oggetto.get_public_url())
    guasti, viste = visita(generati[ruolo], 200, semi)
    assert guasti == []
    if ruolo == "coordinatore":
        # The walk reached generated records of every app, not only the lists.
        for dettaglio in (
            r"^/segnalazioni/lavoro/\d+/$",
            r"^/mediazione/\d+/$",
            r"^/laboratori/lavoro/\d+/$",
            r"^/patti/lavoro/\d+/$",
            r"^/abitare/lavoro/immobili/\d+/$",
            r"^/abitare/lavoro/nuclei/\d+/$",
        ):
            assert any(re.match(dettaglio, p) for p in viste), dettaglio


def test_i_patti_firmati_generati_sono_sigillati(generati):
    """Generated signed pacts are sealed like signed ones: the database keeps them as signed."""
    from patti.models import STATI_CON_FIRMA, Patto

    con_parti = Patto.objects.filter(stato__in=STATI_CON_FIRMA, firmatari__tipo="comune").distinct()
    assert con_parti.exists()
    assert not con_parti.filter(documento_firmato__isnull=True).exists()
