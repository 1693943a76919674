"""The kiosk at the desk (issue 17): an operator unlocks a device; on it each citizen starts
clean and nothing of the previous one is left, on screen, in the history, in autofill or
on the confirmation page; the per-address limit does not lock it out."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from playwright.sync_api import expect

from segnalazioni import chiosco
from segnalazioni.models import Segnalazione
from tests.accessibilita import accedi

pytestmark = pytest.mark.django_db

PREFISSO = "procedura_segnalazione"


def passo(nome: str) -> str:
    return reverse("segnalazioni:invia_passo", args=[nome])


def _invia(client: Client, categoria, quartiere, oggetto: str):
    client.get(reverse("segnalazioni:invia"))
    client.post(
        passo("informativa"),
        {f"{PREFISSO}-current_step": "informativa", "informativa-consenso_privacy": "on"},
    )
    client.post(
        passo("dati"),
        {
            f"{PREFISSO}-current_step": "dati",
            "dati-tipo": "problema",
            "dati-categoria": categoria.pk,
            "dati-quartiere": quartiere.pk,
            "dati-oggetto": oggetto,
            "dati-descrizione": "Descrizione di prova.",
            "dati-indirizzo": "Via Abbiati 4",
            "dati-nome_segnalante": "Giulia Rossi",
            "dati-email_segnalante": "giulia@example.org",
        },
    )
    return client.post(passo("riepilogo"), {f"{PREFISSO}-current_step": "riepilogo"})


def test_solo_chi_lavora_le_segnalazioni_sblocca_un_chiosco(client_di, operatore, dirigente):
    url = reverse("segnalazioni:chiosco_sblocca")
    assert client_di(dirigente).post(url).status_code == 403
    assert Client().post(url).status_code == 302  # to the login
    c = client_di(operatore)
    r = c.post(url)
    assert r.status_code == 302 and r.url == reverse("segnalazioni:invia")
    assert r.cookies[chiosco.COOKIE]["httponly"]
    # The operator logs out; the device stays a kiosk.
    c.post(reverse("logout"))
    assert chiosco.COOKIE in c.cookies
    html = c.get(passo("dati")).content.decode()
    for campo in ("name", "email", "tel"):  # no autofill of the contact fields
        assert f'autocomplete="{campo}"' not in html, campo
    c.post(reverse("segnalazioni:chiosco_blocca"))
    html = c.get(passo("dati")).content.decode()
    assert all(f'autocomplete="{campo}"' in html for campo in ("name", "email", "tel"))


def test_al_chiosco_nessun_dato_resta_per_il_prossimo(
    client_di, operatore, san_siro, categoria, settings
):
    settings.SEGNALAZIONI_LIMITE_INVII = 1
    c = client_di(operatore)
    c.post(reverse("segnalazioni:chiosco_sblocca"))
    c.post(reverse("logout"))

    for numero in (1, 2, 3):  # more than the per-address limit
        r = _invia(c, categoria, san_siro, f"Segnalazione {numero}")
        assert r.status_code == 302 and r.url == reverse("segnalazioni:inviata"), numero
        pagina = c.get(r.url)
        assert Segnalazione.objects.get(oggetto=f"Segnalazione {numero}").codice in (
            pagina.content.decode()
        )
        assert "no-store" in pagina["Cache-Control"]
        # Shown once: the next person finds nothing there.
        assert c.get(reverse("segnalazioni:inviata")).status_code == 302
        html = c.get(passo("riepilogo")).content.decode()
        assert "Giulia" not in html and f"Segnalazione {numero}" not in html
    assert Segnalazione.objects.count() == 3


def test_le_pagine_dei_passi_non_restano_nella_cache(client):
    for nome in ("informativa", "dati", "riepilogo"):
        assert "no-store" in client.get(passo(nome))["Cache-Control"]


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_due_cittadini_di_seguito_al_chiosco(page, live_server, operatore, san_siro, categoria):
    accedi(page, live_server, "operatore.sansiro")
    page.goto(f"{live_server.url}{reverse('segnalazioni:sportello')}")
    page.get_by_role("button", name="Usa questo dispositivo come chiosco").click()
    page.get_by_role("button", name="Esci").click()

    # The first citizen.
    page.goto(f"{live_server.url}{reverse('segnalazioni:invia')}")
    page.get_by_label("Ho letto l'informativa sulla privacy").focus()
    page.keyboard.press("Space")
    page.get_by_role("button", name="Avanti").click()
    page.get_by_label("Categoria").select_option(str(categoria.pk))
    page.get_by_label("Quartiere").select_option(str(san_siro.pk))
    page.get_by_label("Oggetto").fill("Perdita d'acqua in cantina")
    page.get_by_label("Descrizione").fill("Dal tubo principale, da ieri.")
    page.get_by_label("Indirizzo").fill("Via Abbiati 4")
    page.get_by_label("Nome e cognome").fill("Giulia Rossi")
    page.get_by_label("E-mail").fill("giulia@example.org")
    assert page.get_by_label("E-mail").get_attribute("autocomplete") == "off"
    page.get_by_role("button", name="Avanti").click()
    page.get_by_role("button", name="Invia la segnalazione").click()
    codice = page.locator("#codice").inner_text()
    assert Segnalazione.objects.get().codice == codice

    # The second citizen: Back through the history, the confirmation, a new form.
    segreti = ("Giulia", "giulia@example.org", "Perdita d'acqua", codice)
    for _passo in range(3):
        page.go_back()
        page.wait_for_load_state()
        assert not any(s in page.content() for s in segreti), page.url
    page.goto(f"{live_server.url}{reverse('segnalazioni:inviata')}")
    assert not any(s in page.content() for s in segreti)
    page.goto(f"{live_server.url}{reverse('segnalazioni:invia')}")
    page.goto(f"{live_server.url}{passo('dati')}")
    assert page.get_by_label("Oggetto").input_value() == ""
    assert page.get_by_label("E-mail").input_value() == ""
    assert Segnalazione.objects.count() == 1


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_il_chiosco_ricomincia_dopo_un_po_senza_attivita(page, live_server, operatore, monkeypatch):
    monkeypatch.setattr(chiosco, "INATTIVITA", 2)
    accedi(page, live_server, "operatore.sansiro")
    page.goto(f"{live_server.url}{reverse('segnalazioni:sportello')}")
    page.get_by_role("button", name="Usa questo dispositivo come chiosco").click()
    page.goto(f"{live_server.url}{passo('dati')}")
    page.get_by_label("Oggetto").fill("Mezza segnalazione lasciata lì")
    page.wait_for_url(f"**{passo('informativa')}", timeout=10_000)
    page.goto(f"{live_server.url}{passo('dati')}")
    expect(page.get_by_label("Oggetto")).to_have_value("")
