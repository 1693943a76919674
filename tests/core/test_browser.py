"""Browser checks: login flow and axe on the login and registry pages."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.accessibilita import accedi, assert_accessibile
from tests.factories import OrganizzazioneFactory, PersonaFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_pagina_di_accesso_accessibile(page, live_server):
    page.goto(f"{live_server.url}{reverse('login')}")
    assert_accessibile(page)


def test_pagine_pubbliche_accessibili(page, live_server, quartieri):
    for url in ["/", reverse("quartiere:privacy"), reverse("quartiere:accessibilita")]:
        page.goto(f"{live_server.url}{url}")
        assert_accessibile(page)


def test_operatore_usa_il_registro_con_la_tastiera(page, live_server, operatore, san_siro):
    persona = PersonaFactory(nome="Ginevra", cognome="Sala", quartiere=san_siro)
    OrganizzazioneFactory(quartiere=san_siro)
    accedi(page, live_server, "operatore.sansiro")
    assert page.get_by_role("heading", level=1).inner_text().startswith("Buongiorno")

    for url in [
        reverse("quartiere:scrivania"),
        reverse("quartiere:persona_list"),
        reverse("quartiere:persona_create"),
        persona.get_absolute_url(),
        reverse("quartiere:organizzazione_list"),
    ]:
        page.goto(f"{live_server.url}{url}")
        assert_accessibile(page)

    page.goto(f"{live_server.url}{reverse('quartiere:persona_list')}")
    page.get_by_label("Cerca").fill("ginevra")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.get_by_role("link", name="Sala Ginevra").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sala Ginevra")


def test_il_tema_non_scrive_stili_che_la_csp_blocca(page, live_server, quartieri):
    """Bootstrap Italia's bundle carries video.js, which writes two <style> elements at load;
    our CSP blocks them and the browser logs it (Lighthouse's best practices count it).
    The pages load only the theme modules they use (static/js/tema.js), without video.js:
    no violation, no injected style."""
    violazioni = []
    page.on("console", lambda m: violazioni.append(m.text) if "Content Security" in m.text else 0)
    for nome in ("quartiere:home", "segnalazioni:servizio", "quartiere:accedi"):
        page.goto(f"{live_server.url}{reverse(nome)}")
        page.wait_for_load_state("load")
        assert page.evaluate("document.querySelectorAll('style').length") == 0, nome
    assert not violazioni, violazioni
