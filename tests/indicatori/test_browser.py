"""The dashboard in a real browser: no axe violations, charts readable as tables."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.accessibilita import accedi, assert_accessibile
from tests.indicatori.conftest import popola

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_cruscotto_accessibile(page, live_server, quartieri, dirigente):
    popola(quartieri)
    accedi(page, live_server, "dirigente")
    page.goto(
        f"{live_server.url}{reverse('quartiere:cruscotto')}?dal=2025-01-01&al=2025-12-31"
        "&quartiere=san-siro&quartiere=gratosoglio"
    )
    assert page.get_by_role("heading", name="Indicatori del servizio").is_visible()
    grafici = page.locator("svg.grafico[role=img]")
    assert grafici.count() > 0
    # Every chart has its numbers in a table with a caption right next to it.
    assert page.locator("table caption").count() >= grafici.count()
    assert_accessibile(page)


def test_cruscotto_operatore_e_filtri_da_tastiera(page, live_server, quartieri, operatore):
    accedi(page, live_server, "operatore.sansiro")
    page.goto(f"{live_server.url}{reverse('quartiere:cruscotto')}")
    # Only the operator's own quartieri are offered.
    assert page.locator("input[name=quartiere]").count() == 2
    assert page.get_by_label("Gratosoglio").count() == 0
    page.get_by_label("San Siro").focus()
    page.keyboard.press("Space")
    page.locator("#id_dal").fill("2025-01-01")
    page.locator("#id_al").fill("2025-12-31")
    page.get_by_role("button", name="Mostra").press("Enter")
    page.wait_for_load_state()
    assert "quartiere=san-siro" in page.url
    assert_accessibile(page)
