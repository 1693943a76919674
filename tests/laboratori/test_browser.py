"""An operator records a meeting's attendance at the desk, keyboard first; axe finds
no violation on the attendance page and the public pages."""

import re
from datetime import timedelta

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.utils import timezone
from playwright.sync_api import expect

from laboratori.models import Presenza
from quartiere.registro.models import Persona
from tests import factories as core
from tests.laboratori.factories import IncontroFactory, LaboratorioFactory, PropostaFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _axe(page):
    r = Axe().run(page)
    assert r.violations_count == 0, r.generate_report()


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


@pytest.fixture
def scena():
    san_siro = core.QuartiereFactory(codice="san-siro", nome="San Siro")
    operatore = core.utente("operatore", "operatore.sansiro", san_siro)
    lab = LaboratorioFactory(titolo="Cortili di San Siro", quartiere=san_siro)
    incontro = IncontroFactory(laboratorio=lab, titolo="Mappa dei cortili")
    persone = {
        "rossi": core.PersonaFactory(nome="Giulia", cognome="Rossi", quartiere=san_siro),
        "russo": core.PersonaFactory(nome="Marco", cognome="Russo", quartiere=san_siro),
        "bianchi": core.PersonaFactory(
            nome="Lucia", cognome="Bianchi", email="lucia@example.org", quartiere=san_siro
        ),
    }
    org = core.OrganizzazioneFactory(nome="Associazione Inquilini San Siro", quartiere=san_siro)
    return {"operatore": operatore, "incontro": incontro, "persone": persone, "org": org}


def test_registrare_le_presenze_con_la_tastiera(page, live_server, scena):
    incontro = scena["incontro"]
    _entra(page, live_server, scena["operatore"])
    page.goto(f"{live_server.url}/laboratori/lavoro/incontri/{incontro.pk}/presenze/")
    _axe(page)
    esito = page.locator("#esito")
    totale = page.locator("#n-totale")
    cerca = page.get_by_role("combobox", name="Persona o organizzazione")

    # Type, Enter: the first match is recorded, no reload.
    cerca.fill("ross")
    expect(page.get_by_role("option", name="Rossi Giulia")).to_be_visible()
    _axe(page)  # with the listbox open
    cerca.press("Enter")
    expect(esito).to_contain_text("Presenza registrata: Rossi Giulia.")
    expect(totale).to_have_text("1")
    expect(cerca).to_be_focused()
    expect(cerca).to_have_value("")

    # Arrow keys choose among several matches.
    cerca.fill("ss")
    expect(page.get_by_role("option", name="Russo Marco")).to_be_visible()
    opzioni = page.get_by_role("option")
    nomi = [o.inner_text().split(" · ")[0] for o in opzioni.all()]
    for _ in range(nomi.index("Russo Marco")):
        cerca.press("ArrowDown")
    expect(page.get_by_role("option", name="Russo Marco")).to_have_attribute(
        "aria-selected", "true"
    )
    cerca.press("Enter")
    expect(totale).to_have_text("2")

    # Someone already present is shown as such and cannot be chosen again.
    cerca.fill("rossi")
    gia = page.get_by_role("option", name="Rossi Giulia")
    expect(gia).to_have_attribute("aria-disabled", "true")
    expect(gia).to_contain_text("già presente")
    cerca.press("Escape")
    expect(page.get_by_role("listbox", name="Risultati della ricerca")).to_be_hidden()

    # On behalf of an organisation, a newcomer is created inline and recorded.
    org = page.get_by_role("combobox", name="Per conto di un'organizzazione (facoltativo)")
    org.fill("inquilini")
    expect(page.get_by_role("option", name="Associazione Inquilini San Siro")).to_be_visible()
    org.press("Enter")
    expect(page.locator("#organizzazione-scelta")).to_contain_text(
        "Per conto di: Associazione Inquilini San Siro"
    )
    modulo = page.locator("#form-nuova-persona")
    modulo.get_by_role("textbox", name=re.compile(r"^Nome")).fill("Ada")
    modulo.get_by_label("Cognome").fill("Neri")
    modulo.get_by_role("button", name="Crea e registra la presenza").click()
    expect(esito).to_contain_text(
        "Presenza registrata: Neri Ada per Associazione Inquilini San Siro."
    )
    expect(totale).to_have_text("3")
    expect(page.locator("#elenco-presenze")).to_contain_text("Neri Ada")
    page.locator("#organizzazione-scelta").get_by_role("button", name="Togli").click()

    # Typing an existing person's data shows the registry's duplicate warning.
    modulo.get_by_role("textbox", name=re.compile(r"^Nome")).fill("Lucia")
    modulo.get_by_label("Cognome").fill("Bianchi")
    modulo.get_by_label("E-mail").fill("lucia@example.org")
    modulo.get_by_label("E-mail").press("Tab")
    usa = page.get_by_role("button", name="È questa persona: registra la presenza Bianchi Lucia")
    expect(usa).to_be_visible()
    _axe(page)  # with the warning shown
    usa.click()
    expect(esito).to_contain_text("Presenza registrata: Bianchi Lucia.")
    expect(totale).to_have_text("4")
    expect(page.locator("#doppioni")).to_be_hidden()

    # Removing is one click; the focus stays in the list.
    page.get_by_role("button", name="Rimuovi Russo Marco").click()
    expect(esito).to_contain_text("Presenza rimossa: Russo Marco.")
    expect(totale).to_have_text("3")
    expect(page.locator("#elenco-presenze")).not_to_contain_text("Russo Marco")
    _axe(page)

    assert Persona.objects.filter(nome="Lucia").count() == 1
    righe = set(
        Presenza.objects.filter(incontro=incontro).values_list(
            "persona__cognome", "organizzazione__nome"
        )
    )
    assert righe == {
        ("Rossi", None),
        ("Neri", "Associazione Inquilini San Siro"),
        ("Bianchi", None),
    }
    page.reload()
    expect(page.locator("#elenco-presenze li")).to_have_count(3)


def test_pagine_pubbliche_accessibili(page, live_server, scena):
    incontro = scena["incontro"]
    lab = incontro.laboratorio
    IncontroFactory(
        laboratorio=lab,
        titolo="Giro dei cortili",
        stato="programmato",
        inizio=timezone.now() + timedelta(days=4),
        ordine_del_giorno="1. Giro\n2. Merenda",
    )
    PropostaFactory(
        laboratorio=lab,
        titolo="Bacheca di quartiere",
        stato="accolta",
        esito="Installata.",
        proponente_organizzazione=scena["org"],
    )
    for percorso in ("/laboratori/", "/laboratori/risultati/", f"/laboratori/{lab.pk}/"):
        page.goto(f"{live_server.url}{percorso}")
        expect(page.locator("h1")).to_be_visible()
        _axe(page)
