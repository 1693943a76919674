"""The online report step by step (issue 17): Informativa e condizioni -> Dati della
segnalazione -> Riepilogo -> Invio, server-side, each step at its own address, every typed
value kept across steps (files too), errors per step, sent once."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from segnalazioni.allegati import cartella_temporanea
from segnalazioni.models import Canale, SchedaServizio, Segnalazione
from tests.segnalazioni.conftest import immagine

pytestmark = pytest.mark.django_db


def passo(nome: str) -> str:
    return reverse("segnalazioni:invia_passo", args=[nome])


@pytest.fixture
def prefisso():
    # formtools names the management form after the view class, in snake case.
    return "procedura_segnalazione"


def _gestione(prefisso, nome):
    return {f"{prefisso}-current_step": nome}


@pytest.fixture
def dati(san_siro, categoria):
    return {
        "dati-tipo": "problema",
        "dati-categoria": categoria.pk,
        "dati-quartiere": san_siro.pk,
        "dati-oggetto": "Lampione spento in via Abbiati",
        "dati-descrizione": "Da una settimana il lampione al civico 4 non si accende.",
        "dati-indirizzo": "Via Abbiati 4",
        "dati-lat": "",
        "dati-lon": "",
        "dati-nome_segnalante": "Giulia Rossi",
        "dati-email_segnalante": "giulia@example.org",
        "dati-telefono_segnalante": "",
        "dati-sito_web": "",
    }


def _foto(nome: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(nome, immagine(), content_type="image/jpeg")


def test_percorso_completo_con_riepilogo_e_un_solo_invio(client, prefisso, dati):
    r = client.get(reverse("segnalazioni:invia"))
    assert r.status_code == 302 and r.url == passo("informativa")

    # Step 1: the consent is required, and the error is on this step.
    r = client.post(passo("informativa"), _gestione(prefisso, "informativa"))
    assert r.status_code == 200
    assert "Per inviare la segnalazione serve il consenso." in r.content.decode()
    r = client.post(
        passo("informativa"),
        {**_gestione(prefisso, "informativa"), "informativa-consenso_privacy": "on"},
    )
    assert r.status_code == 302 and r.url == passo("dati")

    # Step 2: errors stay on the step; two photos are kept for the end.
    html = client.get(passo("dati")).content.decode()
    assert 'aria-current="step"' in html and "2. Dati della segnalazione" in html
    assert f'href="{passo("informativa")}"' in html  # a done step is a link
    r = client.post(passo("dati"), {**_gestione(prefisso, "dati"), "dati-oggetto": ""})
    assert r.status_code == 200 and r.context["form"].errors
    r = client.post(
        passo("dati"),
        {
            **_gestione(prefisso, "dati"),
            **dati,
            "dati-allegati": [_foto("uno.jpg"), _foto("due.jpg")],
        },
    )
    assert r.status_code == 302 and r.url == passo("riepilogo")
    assert len(list(cartella_temporanea().iterdir())) == 2

    # Step 3: one summary of everything, with a way back to each step.
    r = client.get(passo("riepilogo"))
    html = r.content.decode()
    for atteso in (
        "Lampione spento in via Abbiati",
        "Via Abbiati 4",
        "giulia@example.org",
        "uno.jpg, due.jpg",
    ):
        assert atteso in html, atteso
    assert f'href="{passo("dati")}"' in html and f'href="{passo("informativa")}"' in html
    # Going back to step 2 shows what was typed, and the files kept.
    html = client.get(passo("dati")).content.decode()
    assert 'value="Lampione spento in via Abbiati"' in html
    assert "uno.jpg, due.jpg" in html
    assert Segnalazione.objects.count() == 0  # nothing is filed before the last POST

    r = client.post(passo("riepilogo"), _gestione(prefisso, "riepilogo"))
    assert r.status_code == 302 and r.url == reverse("segnalazioni:inviata")
    s = Segnalazione.objects.get()
    assert (s.oggetto, s.canale, s.consenso_privacy) == (
        "Lampione spento in via Abbiati",
        Canale.ONLINE,
        True,
    )
    assert sorted(a.nome_originale for a in s.allegati.all()) == ["due.jpg", "uno.jpg"]
    assert list(cartella_temporanea().iterdir()) == []
    assert s.codice in client.get(r.url).content.decode()

    # Back and send again: nothing typed is left, nothing is filed twice.
    html = client.get(passo("riepilogo")).content.decode()
    assert "Lampione spento" not in html and "giulia@example.org" not in html
    r = client.post(passo("riepilogo"), _gestione(prefisso, "riepilogo"))
    assert r.status_code == 302 and r.url == passo("informativa")
    assert client.get(passo("inviata")).status_code == 302  # a GET never files
    assert Segnalazione.objects.count() == 1


def test_indietro_conserva_quello_che_e_scritto(client, prefisso, dati):
    client.post(
        passo("informativa"),
        {**_gestione(prefisso, "informativa"), "informativa-consenso_privacy": "on"},
    )
    r = client.post(
        passo("dati"),
        {
            **_gestione(prefisso, "dati"),
            "dati-oggetto": "Mezza segnalazione",
            "wizard_goto_step": "informativa",
        },
    )
    assert r.status_code == 302 and r.url == passo("informativa")
    assert 'value="Mezza segnalazione"' in client.get(passo("dati")).content.decode()


def test_riepilogo_senza_dati_non_invia(client, prefisso):
    html = client.get(passo("riepilogo")).content.decode()
    assert "Mancano i dati della segnalazione." in html
    r = client.post(passo("riepilogo"), _gestione(prefisso, "riepilogo"))
    assert r.status_code == 302 and r.url == passo("informativa")
    assert not Segnalazione.objects.exists()


def test_troppi_invii_tengono_i_dati(client, prefisso, dati, settings):
    settings.SEGNALAZIONI_LIMITE_INVII = 1
    for _volta in range(2):
        client.post(
            passo("informativa"),
            {**_gestione(prefisso, "informativa"), "informativa-consenso_privacy": "on"},
        )
        client.post(passo("dati"), {**_gestione(prefisso, "dati"), **dati})
        r = client.post(passo("riepilogo"), _gestione(prefisso, "riepilogo"))
    assert r.status_code == 429 and r["Retry-After"]
    assert "molte segnalazioni" in r.content.decode()
    assert Segnalazione.objects.count() == 1
    assert "Lampione spento in via Abbiati" in client.get(passo("riepilogo")).content.decode()


def test_passo_sconosciuto_e_servizio_spento(client):
    r = client.get(passo("nessuno"))
    assert r.status_code == 302 and r.url == passo("informativa")
    SchedaServizio.objects.create(attivo=False)
    r = client.get(passo("informativa"))
    assert r.status_code == 302 and r.url == reverse("segnalazioni:servizio")


def test_la_conservazione_toglie_le_procedure_abbandonate(
    client, prefisso, dati, settings, tmp_path
):
    import io
    import os
    import time

    from django.contrib.sessions.models import Session
    from django.core.management import call_command

    settings.RETENTION_LOG = tmp_path / "retention.log"
    client.post(
        passo("informativa"),
        {**_gestione(prefisso, "informativa"), "informativa-consenso_privacy": "on"},
    )
    client.post(
        passo("dati"), {**_gestione(prefisso, "dati"), **dati, "dati-allegati": [_foto("a.jpg")]}
    )
    (vecchio,) = cartella_temporanea().iterdir()
    recente = cartella_temporanea() / "recente.jpg"
    recente.write_bytes(b"x")
    due_giorni_fa = time.time() - 2 * 24 * 3600
    os.utime(vecchio, (due_giorni_fa, due_giorni_fa))
    Session.objects.update(expire_date=Session.objects.get().expire_date.replace(year=2000))

    uscita = io.StringIO()
    call_command("retention", "--anonymize", stdout=uscita)
    assert "allegati di segnalazioni non inviate: tolte 1" in uscita.getvalue()
    assert "sessioni scadute: tolte 1" in uscita.getvalue()
    assert list(cartella_temporanea().iterdir()) == [recente]
    assert not Session.objects.exists()
    # The citizen who comes back finds an empty form, not an error.
    assert "Mancano i dati" in client.get(passo("riepilogo")).content.decode()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_la_procedura_funziona_senza_javascript(browser, live_server, san_siro, categoria):
    from playwright.sync_api import expect

    contesto = browser.new_context(java_script_enabled=False, locale="it-IT")
    page = contesto.new_page()
    page.goto(f"{live_server.url}{reverse('segnalazioni:servizio')}")
    page.get_by_role("link", name="Fai una segnalazione online").first.click()
    expect(page.get_by_role("heading", name="Informativa e condizioni")).to_be_visible()
    page.get_by_role("button", name="Avanti").click()
    expect(page.get_by_text("Per inviare la segnalazione serve il consenso.")).to_be_visible()
    page.get_by_label("Ho letto l'informativa sulla privacy").focus()
    page.keyboard.press("Space")  # Bootstrap Italia draws the box on the label
    page.get_by_role("button", name="Avanti").click()

    expect(page.get_by_role("heading", name="Dati della segnalazione")).to_be_visible()
    page.get_by_label("Categoria").select_option(str(categoria.pk))
    page.get_by_label("Quartiere").select_option(str(san_siro.pk))
    page.get_by_label("Oggetto").fill("Panchina rotta")
    page.get_by_label("Descrizione").fill("La panchina davanti alla scuola ha due assi rotte.")
    page.get_by_label("Indirizzo").fill("Via Abbiati 4")
    page.get_by_role("button", name="Avanti").click()

    expect(page.get_by_role("heading", name="Riepilogo", exact=True)).to_be_visible()
    expect(page.locator("#riepilogo")).to_contain_text("Panchina rotta")
    page.get_by_role("link", name="Modifica i dati della segnalazione").click()
    page.get_by_label("Oggetto").fill("Panchina rotta in via Abbiati")
    page.get_by_role("button", name="Avanti").click()
    expect(page.locator("#riepilogo")).to_contain_text("Panchina rotta in via Abbiati")
    page.get_by_role("button", name="Invia la segnalazione").click()

    codice = page.locator("#codice").inner_text()
    assert Segnalazione.objects.get().codice == codice
    # Back: the summary is empty, and sending it again files nothing.
    page.go_back()
    page.reload()
    assert "Panchina rotta" not in page.content()
    assert Segnalazione.objects.count() == 1
    contesto.close()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_ogni_passo_e_accessibile(page, live_server, san_siro, categoria):
    """axe needs JavaScript: the same steps, in a browser that has it."""
    from tests.accessibilita import assert_accessibile

    page.goto(f"{live_server.url}{passo('informativa')}")
    assert_accessibile(page)
    page.get_by_label("Ho letto l'informativa sulla privacy").focus()
    page.keyboard.press("Space")
    page.get_by_role("button", name="Avanti").click()
    page.get_by_label("Categoria").select_option(str(categoria.pk))
    page.get_by_label("Quartiere").select_option(str(san_siro.pk))
    page.get_by_label("Oggetto").fill("Panchina rotta")
    page.get_by_label("Descrizione").fill("Due assi rotte.")
    page.get_by_label("Indirizzo").fill("Via Abbiati 4")
    assert_accessibile(page)
    page.get_by_role("button", name="Avanti").click()
    page.locator("#riepilogo").wait_for()
    assert_accessibile(page)


def test_segnalazione_inviata_con_ricevuta_e_qr(client, prefisso, dati, tmp_path):
    import subprocess

    from django.test import Client

    from quartiere.lib import qr

    client.post(
        passo("informativa"),
        {**_gestione(prefisso, "informativa"), "informativa-consenso_privacy": "on"},
    )
    client.post(passo("dati"), {**_gestione(prefisso, "dati"), **dati})
    r = client.post(passo("riepilogo"), _gestione(prefisso, "riepilogo"), follow=True)
    s = Segnalazione.objects.select_related("categoria__ufficio").get()
    html = r.content.decode()
    assert "Cosa succede ora" in html and s.categoria.ufficio.nome in html
    assert s.scadenza.strftime("%Y") in html
    url_segui = f"http://testserver{s.get_tracking_url()}"
    assert qr.data_uri(url_segui) in html  # the QR code opens the tracking page
    assert reverse("segnalazioni:ricevuta_inviata") in html

    pdf = client.get(reverse("segnalazioni:ricevuta_inviata"))
    assert pdf["Content-Type"] == "application/pdf" and "no-store" in pdf["Cache-Control"]
    percorso = tmp_path / "ricevuta.pdf"
    percorso.write_bytes(pdf.content)
    testo = subprocess.run(
        ["pdftotext", "-layout", str(percorso), "-"], capture_output=True, text=True, check=True
    ).stdout
    for atteso in (s.codice, "Lampione spento in via Abbiati", "servizio online", "QR"):
        assert atteso in testo, atteso
    # Another browser (the next citizen at the desk) has no receipt to download.
    assert Client().get(reverse("segnalazioni:ricevuta_inviata")).status_code == 404


def test_i_passi_rimandano_alla_scheda_del_servizio(client):
    """The steps are not hidden from search engines (nothing of the citizen is in their
    address) but name the service card as the page that stands for them; the tracking
    page, whose address is the citizen's code, stays out of the index."""
    scheda = f"http://testserver{reverse('segnalazioni:servizio')}"
    for nome in ("informativa", "dati", "riepilogo"):
        html = client.get(passo(nome)).content.decode()
        assert f'<link rel="canonical" href="{scheda}">' in html, nome
        assert "noindex" not in html, nome
