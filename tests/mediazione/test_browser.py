"""A mediator runs a case end to end in the browser; axe finds no violation on the
dossier pages."""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.utils import timezone

from mediazione.models import Dossier
from tests import factories as core

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _axe(page):
    r = Axe().run(page)
    assert r.violations_count == 0, r.generate_report()


def _spunta(page, etichetta):
    # Bootstrap Italia draws the label over the checkbox: the user clicks the label.
    casella = page.get_by_label(etichetta)
    casella.check(force=True)
    assert casella.is_checked()


def _entra(page, live_server, user):
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    sessione = SessionStore()
    sessione[SESSION_KEY] = str(user.pk)
    sessione[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    sessione[HASH_SESSION_KEY] = user.get_session_auth_hash()
    sessione.save()
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": sessione.session_key,
                "url": live_server.url,
            }
        ]
    )


def test_il_mediatore_porta_un_caso_dalla_apertura_alla_chiusura(page, live_server):
    san_siro = core.QuartiereFactory(codice="san-siro", nome="San Siro")
    mediatore = core.utente("mediatore", "mediatore")
    richiedente = core.PersonaFactory(nome="Anna", cognome="Verdi", quartiere=san_siro)
    controparte = core.PersonaFactory(nome="Paolo", cognome="Neri", quartiere=san_siro)
    _entra(page, live_server, mediatore)
    oggi = timezone.localdate().isoformat()

    page.goto(f"{live_server.url}/mediazione/")
    _axe(page)
    page.get_by_role("link", name="Apri un dossier").click()
    page.get_by_label("Quartiere").select_option(label="San Siro")
    page.get_by_label("Tipo di conflitto").select_option("rumori")
    page.get_by_label("Come è arrivato il caso").select_option("accesso_diretto")
    page.get_by_label("Descrizione del caso").fill("Musica alta di notte.")
    _axe(page)
    page.get_by_role("button", name="Salva").click()
    numero = f"MED-{timezone.localdate().year}-0001"
    page.get_by_role("heading", name=f"Dossier {numero}").wait_for()
    _axe(page)

    for persona, ruolo in ((richiedente, "richiedente"), (controparte, "controparte")):
        page.get_by_role("link", name="Aggiungi una parte").click()
        page.get_by_label("Cerca la persona nel registro").fill(persona.cognome)
        page.get_by_role("button", name="Cerca", exact=True).click()
        page.get_by_role("combobox", name="Persona").select_option(str(persona.pk))
        page.get_by_label("Ruolo").select_option(ruolo)
        _spunta(page, "Consenso alla mediazione")
        if ruolo == "richiedente":
            _axe(page)
        page.get_by_role("button", name="Salva").click()
        page.get_by_text("Parte aggiunta.").wait_for()

    page.get_by_role("link", name="Registra un'attività").click()
    page.get_by_label("Tipo").select_option("colloquio_individuale")
    page.get_by_label("Data").fill(oggi)
    page.get_by_label("Durata (minuti)").fill("45")
    _spunta(page, "Verdi Anna (richiedente)")
    page.get_by_label("Note").fill("Riferisce un lutto recente, non condividere.")
    _spunta(page, "Da non condividere con l'altra parte")
    _axe(page)
    page.get_by_role("button", name="Salva").click()
    page.get_by_text("Attività registrata.").wait_for()

    page.get_by_role("link", name="Registra un'attività").click()
    page.get_by_label("Tipo").select_option("incontro_congiunto")
    assert page.get_by_label("Da non condividere con l'altra parte").is_disabled()
    page.get_by_label("Data").fill(oggi)
    page.get_by_label("Durata (minuti)").fill("90")
    _spunta(page, "Verdi Anna (richiedente)")
    _spunta(page, "Neri Paolo (controparte)")
    page.get_by_label("Note").fill("Le parti concordano di riparlarsi.")
    page.get_by_role("button", name="Salva").click()
    page.get_by_text("Attività registrata.").wait_for()
    assert page.get_by_text("Da non condividere con l'altra parte.").count() == 1
    _axe(page)

    page.get_by_role("link", name="Scrivi l'accordo").click()
    page.get_by_label("Testo dell'accordo").fill("Musica spenta dopo le 22.")
    _spunta(page, "Verdi Anna (richiedente)")
    _spunta(page, "Neri Paolo (controparte)")
    page.get_by_label("Data della verifica").fill(oggi)
    _axe(page)
    page.get_by_role("button", name="Salva").click()
    page.get_by_text("Accordo salvato.").wait_for()

    page.get_by_role("link", name="Chiudi il dossier").click()
    page.get_by_role("button", name="Salva").click()
    page.locator("#errori-form").wait_for()
    page.get_by_label("Esito").select_option("accordo_raggiunto")
    _axe(page)
    page.get_by_role("button", name="Salva").click()
    page.get_by_text("Dossier chiuso.").wait_for()
    _axe(page)
    assert re.search(
        r"chiuso\s+— accordo raggiunto", page.locator("dl.scheda-dati").first.inner_text()
    )

    d = Dossier.objects.get(numero=numero)
    assert (d.fase, d.esito) == ("chiuso", "accordo_raggiunto")
    assert list(d.attivita.values_list("tipo", "non_condividere")) == [
        ("colloquio_individuale", True),
        ("incontro_congiunto", False),
    ]
    assert d.accordo.parti_aderenti.count() == 2
    assert d.accessi.filter(azione="lettura", utente=mediatore).exists()


def test_verifiche_e_cifre_accessibili(page, live_server):
    core.QuartiereFactory(codice="san-siro", nome="San Siro")
    coordinatore = core.utente("coordinatore", "coordinatore", is_staff=True)
    _entra(page, live_server, coordinatore)
    for percorso in ("/mediazione/verifiche/", "/mediazione/cifre/"):
        page.goto(f"{live_server.url}{percorso}")
        _axe(page)
