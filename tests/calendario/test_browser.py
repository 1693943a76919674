"""In the browser: an association asks for the hall, an operator confirms it; axe on
every public page of the calendar and on the staff calendar and diary."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from quartiere.calendario.models import Prenotazione
from quartiere.territorio.models import OrarioApertura
from tests.accessibilita import accedi, assert_accessibile
from tests.calendario.factories import AttivitaDiarioFactory, PrenotazioneFactory, alle

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def scena(sala, ufficio_san_siro, laboratorio, operatore):
    from laboratori.models import Incontro

    OrarioApertura.objects.create(
        sede=sala, giorno=1, apre="09:00", chiude="13:00", nota="sportello di ascolto"
    )
    oggi = timezone.localdate()
    PrenotazioneFactory(
        sede=sala,
        titolo="Scuola di italiano",
        inizio=alle(oggi + timedelta(days=2), 17),
        fine=alle(oggi + timedelta(days=2), 19),
    )
    PrenotazioneFactory(
        sede=ufficio_san_siro,
        titolo="Cineforum di cortile",
        inizio=alle(oggi + timedelta(days=3), 20),
        fine=alle(oggi + timedelta(days=3), 22),
    )
    Incontro.objects.create(
        laboratorio=laboratorio,
        titolo="Mappa del cortile",
        sede=ufficio_san_siro,
        inizio=alle(oggi + timedelta(days=4), 17),
    )
    AttivitaDiarioFactory(operatore=operatore, quartiere=ufficio_san_siro.quartiere, data=oggi)
    return {"sala": sala, "ufficio": ufficio_san_siro}


def _spunta(page, etichetta):
    """Tick a checkbox with the keyboard (Bootstrap Italia's label covers the box)."""
    casella = page.get_by_label(etichetta)
    casella.focus()
    page.keyboard.press("Space")
    assert casella.is_checked()


def test_associazione_chiede_la_sala_e_l_operatore_conferma(
    page, live_server, scena, operatore, mailoutbox
):
    giorno = timezone.localdate() + timedelta(days=10)
    page.goto(f"{live_server.url}/")
    page.get_by_role("link", name="Chiedi la sala").first.click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", level=1).inner_text() == "Chiedi la sala"
    assert_accessibile(page)

    page.get_by_label("Sala").select_option(label="Sala della Città condivisa")
    page.get_by_label("Titolo dell'attività").fill("Assemblea dei genitori")
    page.get_by_label("Giorno").fill(giorno.isoformat())
    page.get_by_label("Ora di inizio").fill("18:00")
    page.get_by_label("Ora di fine").fill("20:00")
    _spunta(page, "Evento aperto al pubblico")
    page.get_by_label("Associazione o gruppo").fill("Associazione Genitori Latina")
    page.get_by_label("Nome e cognome del referente").fill("Anna Verdi")
    page.get_by_label("E-mail del referente").fill("anna.verdi@example.org")
    # First without consent: the error is shown and what was typed is kept.
    page.get_by_role("button", name="Invia la richiesta").click()
    page.wait_for_load_state()
    assert "Per inviare la richiesta serve il consenso." in page.content()
    assert page.get_by_label("Titolo dell'attività").input_value() == "Assemblea dei genitori"
    assert_accessibile(page)
    _spunta(page, "Ho letto")
    page.get_by_role("button", name="Invia la richiesta").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", level=1).inner_text() == "Richiesta inviata"
    assert_accessibile(page)
    richiesta = Prenotazione.objects.get(titolo="Assemblea dei genitori")
    assert richiesta.stato == "richiesta"
    assert mailoutbox[-1].to == ["anna.verdi@example.org"]

    accedi(page, live_server, "operatore.sansiro")
    page.get_by_role("link", name="Calendario").first.click()
    page.wait_for_load_state()
    assert_accessibile(page)
    page.get_by_role("link", name="Assemblea dei genitori").first.click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", level=1).inner_text() == "Assemblea dei genitori"
    assert_accessibile(page)
    page.get_by_role("button", name="Conferma la prenotazione").click()
    page.wait_for_load_state()
    assert "Prenotazione confermata" in page.content()
    richiesta.refresh_from_db()
    assert richiesta.stato == "confermata"
    assert "confermata" in mailoutbox[-1].subject.lower()

    # Now it is on the public calendar of the hall.
    page.goto(f"{live_server.url}/calendario/sedi/{scena['sala'].pk}/?vista=elenco")
    assert page.get_by_role("cell", name="Assemblea dei genitori").count() == 1


def test_axe_sulle_pagine_pubbliche(page, live_server, scena, san_siro):
    sala = scena["sala"]
    for url in [
        "/",
        "/quartieri/",
        "/quartieri/san-siro/",
        "/calendario/",
        f"/calendario/sedi/{sala.pk}/",
        f"/calendario/sedi/{sala.pk}/?vista=settimana",
        f"/calendario/sedi/{sala.pk}/?vista=elenco",
        f"/calendario/sedi/{scena['ufficio'].pk}/",
        "/prenota-la-sala/",
        "/prenota-la-sala/inviata/",
    ]:
        page.goto(f"{live_server.url}{url}")
        assert_accessibile(page)


def test_axe_sulla_pagina_del_limite(page, live_server, scena, settings):
    settings.QUARTIERE_RICHIESTE_SALA_ORA = 1
    page.goto(f"{live_server.url}/prenota-la-sala/")
    for _ in range(2):
        page.get_by_role("button", name="Invia la richiesta").click()
        page.wait_for_load_state()
    assert page.get_by_role("heading", level=1).inner_text() == "Troppe richieste"
    assert_accessibile(page)


def test_calendario_mese_con_la_tastiera(page, live_server, scena):
    page.goto(f"{live_server.url}/calendario/sedi/{scena['ufficio'].pk}/")
    tabella = page.get_by_role("table")
    assert "Eventi di" in tabella.locator("caption").inner_text()
    # Tab through the page until the month's "next" link: every control is reachable.
    for _ in range(60):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent").strip() == "Mese successivo":
            break
    else:
        pytest.fail("«Mese successivo» non raggiungibile con la tastiera")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "mese=" in page.url


def test_axe_calendario_e_diario_dello_staff(page, live_server, scena, coordinatore, operatore):
    accedi(page, live_server, "operatore.sansiro")
    for url in [
        "/lavoro/calendario/",
        "/lavoro/calendario/?vista=settimana",
        "/lavoro/calendario/?vista=elenco",
        "/lavoro/calendario/nuova/",
        "/lavoro/diario/",
    ]:
        page.goto(f"{live_server.url}{url}")
        assert_accessibile(page)
    page.get_by_label("Tipo di attività").select_option(label="sopralluogo")
    page.get_by_label("Ore").fill("1.5")
    page.get_by_role("button", name="Registra").click()
    page.wait_for_load_state()
    assert "Attività registrata." in page.content()
    assert_accessibile(page)
