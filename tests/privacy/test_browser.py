"""The notice and the register in a browser: accessible, usable with the keyboard."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.accessibilita import accedi, assert_accessibile
from tests.privacy.factories import pubblica

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_informativa_accessibile_e_navigabile_con_la_tastiera(page, live_server, tmp_path):
    pubblica(
        "2026-11",
        testo="## Chi tratta i dati\n\nIl Comune.\n\n## Diritti\n\n- accesso\n"
        "- rettifica\n\n## Reclamo\n\nAl Garante: www.garanteprivacy.it",
    )
    page.goto(f"{live_server.url}{reverse('quartiere:privacy')}")
    assert_accessibile(page)
    page.screenshot(path=str(tmp_path / "privacy.png"), full_page=True)
    indice = page.get_by_role("navigation", name="In questa pagina")
    indice.get_by_role("link", name="Diritti").focus()
    page.keyboard.press("Enter")
    # A same-page jump reaches Playwright as an event: wait for it, do not race it.
    expect(page).to_have_url(re.compile(r"#sezione-diritti$"))
    page.get_by_role("link", name="2026-01").click()
    expect(page).to_have_url(re.compile(r"/privacy/2026-01/$"))
    expect(page.get_by_role("heading", level=2, name="Titolare del trattamento")).to_be_visible()
    assert_accessibile(page)


def test_registro_dei_trattamenti_accessibile(page, live_server, coordinatore, tmp_path):
    from quartiere.privacy.models import Trattamento

    if not Trattamento.objects.exists():  # flushed by an earlier transactional test
        import importlib

        from django.apps import apps

        importlib.import_module(
            "quartiere.migrations.0005_informativa_trattamenti_iniziali"
        ).semina(apps, None)
    accedi(page, live_server, "coordinatore")
    page.goto(f"{live_server.url}{reverse('quartiere:registro_trattamenti')}")
    assert_accessibile(page)
    page.screenshot(path=str(tmp_path / "registro.png"), full_page=True)
    assert page.get_by_role("heading", level=2, name="Mediazione dei conflitti di vicinato")
