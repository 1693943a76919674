"""In the browser: an operator pre-assigns a flat of a renovated building to a household and
follows it to entry; axe on every page of the way."""

from __future__ import annotations

import pytest

from abitare.models import Assegnazione
from tests.abitare.factories import AlloggioFactory, ImmobileFactory, NucleoFactory
from tests.accessibilita import accedi, assert_accessibile

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_l_operatore_segue_un_nucleo_dalla_pre_assegnazione_all_ingresso(
    page, live_server, operatore, san_siro
):
    borgo = ImmobileFactory(quartiere=san_siro, nome="Borgo Lorenteggio")
    AlloggioFactory(immobile=borgo, codice="A-1-1", scala="A", piano=1)
    AlloggioFactory(immobile=borgo, codice="A-1-2", scala="A", piano=1)
    NucleoFactory(quartiere=san_siro, nome="Nucleo Esposito")

    accedi(page, live_server, operatore.username)
    page.goto(f"{live_server.url}/abitare/lavoro/immobili/")
    assert_accessibile(page)
    page.get_by_role("link", name="Borgo Lorenteggio").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Borgo Lorenteggio"
    assert_accessibile(page)

    page.get_by_label("Alloggio libero", exact=True).select_option(
        label="A-1-2 · scala A · piano 1 · 3 locali"
    )
    page.get_by_label("Nucleo", exact=True).select_option(label="Nucleo Esposito")
    page.get_by_role("button", name="Pre-assegna").click()
    page.wait_for_load_state()
    assert "Alloggio A-1-2 pre-assegnato a Nucleo Esposito." in page.content()

    page.get_by_role("link", name="Nucleo Esposito").first.click()
    assert page.get_by_role("heading", level=1).inner_text() == "Nucleo Esposito"
    assert_accessibile(page)
    page.get_by_role("button", name="Registra l'assegnazione").click()
    page.wait_for_load_state()
    page.get_by_role("button", name="Registra l'ingresso").click()
    page.wait_for_load_state()
    assert page.get_by_role("button", name="Registra l'uscita").is_visible()
    assert_accessibile(page)
    assegnazione = Assegnazione.objects.get()
    assert assegnazione.stato == "abitata" and assegnazione.alloggio.codice == "A-1-2"
    assert assegnazione.alloggio.stato == "occupato"

    page.goto(f"{live_server.url}/abitare/lavoro/in-attesa/")
    assert "Nessuna assegnazione in attesa." in page.content()
    assert_accessibile(page)
