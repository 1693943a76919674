"""The citizen's pages as a citizen sees them (issue 17): the login page with SPID on, and
a personal area full of cases, read by axe at 1280 px and fitting a phone at 360 and 390."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from quartiere.identita.services import Identita, accedi
from segnalazioni import services
from segnalazioni.models import BozzaSegnalazione
from tests.accessibilita import assert_accessibile
from tests.core.test_mobile import LARGHEZZE, MISURA
from tests.identita.conftest import MARIO
from tests.laboratori.factories import PresenzaFactory
from tests.patti.factories import FirmatarioVolontarioFactory, PattoFirmatoFactory
from tests.segnalazioni.factories import SegnalazioneFactory

pytestmark = pytest.mark.django_db(transaction=True)


def _controlla(page) -> None:
    assert_accessibile(page)
    for larghezza in LARGHEZZE:
        page.set_viewport_size({"width": larghezza, "height": 800})
        misura = page.evaluate(MISURA)
        assert misura["larga"] <= misura["finestra"], (larghezza, misura)
    page.set_viewport_size({"width": 1280, "height": 900})


def test_pagina_di_accesso_con_spid(page, live_server, spid_nel_browser):
    page.goto(f"{live_server.url}{reverse('quartiere:accedi')}")
    page.get_by_text("Entra con SPID").click()
    _controlla(page)


def test_area_personale_piena(page, live_server, san_siro, coordinatore):
    utente = accedi(Identita(MARIO, "Mario", "Rossi", "mario@example.org", "spid", "idp"))
    persona = utente.account_cittadino.persona
    for numero in range(3):
        s = SegnalazioneFactory(persona=persona, oggetto=f"Segnalazione numero {numero}")
        services.rispondi(s, "Abbiamo inoltrato all'ufficio competente. " * 4, da=coordinatore)
    PresenzaFactory(persona=persona)
    FirmatarioVolontarioFactory(persona=persona, patto=PattoFirmatoFactory())
    BozzaSegnalazione.objects.create(
        account=utente.account_cittadino, passi={}, oggetto="Una bozza"
    )
    client = Client()
    client.force_login(utente, backend="quartiere.identita.backends.BackendSaml")
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    page.goto(f"{live_server.url}{reverse('quartiere:area_personale')}")
    assert "Segnalazione numero 2" in page.content()
    _controlla(page)
