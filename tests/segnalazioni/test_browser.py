"""In the browser: a citizen files a report (with and without a point on the map) and
follows it; an operator takes a report to closure. axe checks the public pages."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from segnalazioni.models import Segnalazione, Stato
from tests.accessibilita import accedi, assert_accessibile

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def pagina(page):
    # No tiles from the Internet in tests: the map works without them.
    page.route(re.compile(r"https://tile\.openstreetmap\.org/.*"), lambda route: route.abort())
    return page


def _consenso(page, live_server):
    """Step 1, with the keyboard: the consent, then on to the report's data."""
    page.goto(f"{live_server.url}{reverse('segnalazioni:invia')}")
    page.get_by_label("Ho letto l'informativa sulla privacy").focus()
    page.keyboard.press("Space")  # Bootstrap Italia draws the box on the label
    page.get_by_role("button", name="Avanti").click()
    page.locator("#id_dati-oggetto").wait_for()


def _compila(page, categoria, quartiere):
    page.locator("#id_dati-tipo").select_option("problema")
    page.locator("#id_dati-categoria").select_option(str(categoria.pk))
    page.locator("#id_dati-oggetto").fill("Lampione spento")
    page.locator("#id_dati-descrizione").fill("Il lampione al civico 4 non si accende.")
    page.locator("#id_dati-quartiere").select_option(str(quartiere.pk))


def test_cittadino_senza_mappa_e_segue_col_codice(pagina, live_server, san_siro, categoria):
    page = pagina
    page.goto(f"{live_server.url}{reverse('segnalazioni:invia')}")
    # Going on without consent shows the error next to the field.
    page.get_by_role("button", name="Avanti").click()
    expect(page.get_by_text("Per inviare la segnalazione serve il consenso.")).to_be_visible()
    assert_accessibile(page)
    _consenso(page, live_server)
    _compila(page, categoria, san_siro)
    page.locator("#id_dati-indirizzo").fill("Via Abbiati 4")
    page.locator("#id_dati-email_segnalante").fill("giulia@example.org")
    # A missing field keeps what was typed and shows the error next to the field.
    page.locator("#id_dati-oggetto").fill("")
    page.locator("#id_dati-oggetto").evaluate("e => e.removeAttribute('required')")
    page.get_by_role("button", name="Avanti").click()
    assert page.locator("#id_dati-descrizione").input_value().startswith("Il lampione")
    expect(page.locator("#id_dati-oggetto")).to_have_attribute("aria-invalid", "true")
    assert_accessibile(page)
    page.locator("#id_dati-oggetto").fill("Lampione spento")
    page.get_by_role("button", name="Avanti").click()
    page.get_by_role("button", name="Invia la segnalazione").click()
    codice = page.locator("#codice").inner_text()
    s = Segnalazione.objects.get()
    assert codice == s.codice and s.lat is None and s.indirizzo == "Via Abbiati 4"

    page.goto(f"{live_server.url}{reverse('segnalazioni:cerca_codice')}")
    assert_accessibile(page)
    page.get_by_label("Codice della segnalazione").fill(codice.lower())
    page.get_by_role("button", name="Cerca").click()
    assert page.locator("#stato").inner_text() == "nuova"
    assert_accessibile(page)


def test_cittadino_sceglie_il_punto_sulla_mappa(pagina, live_server, san_siro, categoria):
    page = pagina
    _consenso(page, live_server)
    _compila(page, categoria, san_siro)
    # The description's cap is shown as a counter, tied to the field for screen readers.
    contatore = page.locator("#id_dati-descrizione-contatore")
    expect(contatore).to_have_text("39 caratteri su 10000")
    assert "id_dati-descrizione-contatore" in page.locator("#id_dati-descrizione").get_attribute(
        "aria-describedby"
    )
    mappa = page.locator("#mappa-scelta")
    assert mappa.is_visible()
    mappa.click(position={"x": 120, "y": 100})
    expect(page.locator(".leaflet-marker-icon")).to_have_count(1)
    lat = float(page.locator("#id_dati-lat").input_value())
    lon = float(page.locator("#id_dati-lon").input_value())
    assert 44 < lat < 47 and 8 < lon < 10
    assert_accessibile(page)
    page.get_by_role("button", name="Avanti").click()
    page.get_by_role("button", name="Invia la segnalazione").click()
    page.locator("#codice").wait_for()
    s = Segnalazione.objects.get()
    assert (
        s.indirizzo == "" and round(s.lat, 5) == round(lat, 5) and round(s.lon, 5) == round(lon, 5)
    )


def test_operatore_porta_la_segnalazione_alla_chiusura(
    pagina, live_server, operatore, segnalazione_san_siro
):
    page = pagina
    s = segnalazione_san_siro
    accedi(page, live_server, "operatore.sansiro")
    page.goto(f"{live_server.url}{reverse('segnalazioni:lista')}")
    assert_accessibile(page)
    page.get_by_role("link", name=s.codice).click()
    assert_accessibile(page)

    def stato(nuovo, esito=None):
        page.locator("#form-stato #id_stato").select_option(nuovo)
        if esito:
            page.locator("#form-stato #id_esito").select_option(esito)
        page.get_by_role("button", name="Aggiorna lo stato").click()
        page.wait_for_load_state()

    stato("presa_in_carico")
    stato("inoltrata")
    stato("in_lavorazione")
    page.locator("#form-risposta textarea").fill("L'ufficio ha sostituito la lampada.")
    page.get_by_role("button", name="Pubblica la risposta").click()
    page.wait_for_load_state()
    stato("chiusa", "risolta")
    assert "chiusa" in page.locator("#stato-attuale").inner_text()
    s.refresh_from_db()
    assert (s.stato, s.esito) == (Stato.CHIUSA, "risolta")
    assert s.eventi.filter(tipo="cambio_stato").count() == 4

    # The citizen sees the reply and can rate the service.
    page.goto(f"{live_server.url}{s.get_tracking_url()}")
    assert "L'ufficio ha sostituito la lampada." in page.content()
    assert_accessibile(page)
    # The Modello Comuni's stars, then the follow-up question that fits them.
    page.locator("label[for=servizio-voto-4]").click()
    expect(page.get_by_label("A volte le indicazioni non erano chiare")).to_be_hidden()
    page.locator("label[for=servizio-chiare]").click()
    page.get_by_role("button", name="Invia la valutazione").click()
    expect(page.get_by_text("Grazie per la tua valutazione.")).to_be_visible()
    s.refresh_from_db()
    assert (s.valutazione, s.valutazione_risposta) == (4, "chiare")


def test_mappa_delle_segnalazioni_filtrate(
    pagina, live_server, operatore, san_siro, gratosoglio, categoria
):
    from tests.segnalazioni.factories import SegnalazioneFactory

    SegnalazioneFactory(quartiere=san_siro, categoria=categoria, lat=45.468, lon=9.138)
    SegnalazioneFactory(quartiere=san_siro, categoria=categoria, lat=45.469, lon=9.139)
    SegnalazioneFactory(quartiere=gratosoglio, categoria=categoria, lat=45.409, lon=9.172)
    page = pagina
    accedi(page, live_server, "operatore.sansiro")
    page.goto(f"{live_server.url}{reverse('segnalazioni:mappa')}")
    page.locator("#mappa-conteggio").filter(has_text="punti").wait_for()
    # Only the two reports of the operator's quartieri are drawn.
    assert page.locator("#mappa-conteggio").inner_text() == "2 punti sulla mappa"
    assert page.locator("path.leaflet-interactive").count() == 2
    assert_accessibile(page)


def test_il_browser_controlla_gli_allegati_prima_di_inviare(
    pagina, live_server, san_siro, categoria
):
    """The one rule (3 files of 5 MB each) is checked before upload: the form is not sent,
    the rule shows under the field, and everything typed stays."""
    page = pagina
    _consenso(page, live_server)
    _compila(page, categoria, san_siro)
    page.locator("#id_dati-indirizzo").fill("Via Abbiati 4")
    campo = page.locator("#id_dati-allegati")
    grande = {"name": "foto.jpg", "mimeType": "image/jpeg", "buffer": b"0" * (5 * 1024 * 1024 + 1)}
    campo.set_input_files([grande])
    avviso = page.locator("#id_dati-allegati-controllo")
    expect(avviso).to_contain_text("Il file «foto.jpg» è troppo grande.")
    expect(avviso).to_contain_text("Al massimo 3 file")
    expect(avviso).to_contain_text("fino a 5 MB ciascuno")
    page.get_by_role("button", name="Avanti").click()
    # Not sent: a round trip would have emptied the file input.
    expect(page).to_have_url(re.compile(r"/segnalazioni/invia/dati/$"))
    assert campo.evaluate("e => e.files.length") == 1
    assert page.locator("#id_dati-oggetto").input_value() == "Lampione spento"
    assert Segnalazione.objects.count() == 0
    piccolo = {"name": "a.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4"}
    campo.set_input_files([piccolo] * 4)
    expect(avviso).to_contain_text("Troppi file.")
    campo.set_input_files([])
    expect(avviso).to_have_text("")
    assert campo.get_attribute("aria-invalid") == "false"
