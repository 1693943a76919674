"""The public report sent online (through its steps, tests/segnalazioni/passi.py), the
tracking page and the rating."""

import io

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from segnalazioni import services
from segnalazioni.models import Allegato, Esito, Evento, Segnalazione, Stato
from tests.segnalazioni.conftest import PDF_MINIMO, immagine
from tests.segnalazioni.passi import fino_al_riepilogo, gestione, invia_online, passo

pytestmark = pytest.mark.django_db


def pagina_dati(client, **extra) -> str:
    """Step 2 of the report, as a citizen who gave the consent sees it."""
    client.post(
        passo("informativa"),
        {**gestione("informativa"), "informativa-consenso_privacy": "on"},
        **extra,
    )
    return client.get(passo("dati"), **extra).content.decode()


@pytest.fixture
def dati(san_siro, categoria):
    return {
        "tipo": "problema",
        "categoria": categoria.pk,
        "quartiere": san_siro.pk,
        "oggetto": "Lampione spento in via Abbiati",
        "descrizione": "Da una settimana il lampione al civico 4 non si accende.",
        "indirizzo": "Via Abbiati 4",
        "lat": "",
        "lon": "",
        "nome_segnalante": "Giulia Rossi",
        "email_segnalante": "Giulia.Rossi@Example.org",
        "telefono_segnalante": "",
        "consenso_privacy": "on",
        "sito_web": "",
    }


def test_url_pubblici_hanno_i_nomi_attesi():
    assert reverse("segnalazioni:invia") == "/segnalazioni/invia/"
    assert reverse("segnalazioni:cerca_codice") == "/segnalazioni/segui/"
    assert reverse("segnalazioni:lista") == "/segnalazioni/lavoro/"


def test_il_vecchio_modulo_in_una_pagina_porta_ai_passi(client):
    r = client.get("/segnalazioni/nuova/")
    assert r.status_code == 301 and r.url == reverse("segnalazioni:invia")


def test_pagina_del_modulo_senza_login(client):
    html = pagina_dati(client)
    assert 'name="dati-lat"' in html and 'name="dati-lon"' in html
    assert 'name="dati-indirizzo"' in html
    assert reverse("quartiere:privacy") in html
    assert "leaflet/leaflet.js" in html and "leaflet/leaflet.css" in html
    assert "<script>" not in html and "style=" not in html


def test_invio_con_ricevuta_email(client, dati, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        r = invia_online(client, dati)
    assert r.status_code == 302 and r.url == reverse("segnalazioni:inviata")
    s = Segnalazione.objects.get()
    assert (s.canale, s.stato, s.email_segnalante) == (
        "online",
        "nuova",
        "giulia.rossi@example.org",
    )
    assert s.consenso_privacy and s.informativa_versione == "2026-01" and s.consenso_il
    assert s.eventi.get().tipo == Evento.Tipo.CREAZIONE
    pagina = client.get(r.url).content.decode()
    assert s.codice in pagina
    assert mail.outbox[0].to == ["giulia.rossi@example.org"]
    assert s.codice in mail.outbox[0].subject and s.get_tracking_url() in mail.outbox[0].body


def test_invio_solo_con_punto_sulla_mappa(client, dati):
    dati.update(indirizzo="", lat="45.468", lon="9.138", email_segnalante="")
    r = invia_online(client, dati)
    assert r.status_code == 302
    s = Segnalazione.objects.get()
    assert (s.lat, s.lon, s.indirizzo) == (45.468, 9.138, "")
    assert mail.outbox == []


@pytest.mark.parametrize(
    ("modifiche", "campo"),
    [
        ({"indirizzo": "", "lat": "", "lon": ""}, "indirizzo"),
        ({"indirizzo": "", "lat": "45.4", "lon": ""}, "lon"),
        ({"lat": "95", "lon": "9"}, "lat"),
        ({"lat": "45", "lon": "abc"}, "lon"),
        ({"consenso_privacy": ""}, "consenso_privacy"),
        ({"oggetto": ""}, "oggetto"),
        ({"descrizione": ""}, "descrizione"),
        ({"categoria": "999999"}, "categoria"),
        ({"tipo": "spam"}, "tipo"),
        ({"email_segnalante": "non-una-email"}, "email_segnalante"),
        ({"telefono_segnalante": "12"}, "telefono_segnalante"),
    ],
)
def test_input_errato_messaggio_accanto_al_campo_e_dati_conservati(client, dati, modifiche, campo):
    dati.update(modifiche)
    r = invia_online(client, dati)
    assert r.status_code == 200
    form = r.context["form"]
    assert campo in form.errors
    html = r.content.decode()
    assert "invalid-feedback" in html
    # What the citizen typed is still there.
    if dati["descrizione"] and campo != "consenso_privacy":
        assert dati["descrizione"] in html
    assert Segnalazione.objects.count() == 0


def test_honeypot_rifiuta_senza_creare(client, dati):
    dati["sito_web"] = "http://spam.example"
    r = invia_online(client, dati)
    assert r.status_code == 200
    assert Segnalazione.objects.count() == 0


def test_csrf_obbligatorio(dati):
    from django.test import Client

    r = invia_online(Client(enforce_csrf_checks=True), dati)
    assert r.status_code == 403
    assert Segnalazione.objects.count() == 0


def _file(nome, contenuto, tipo="application/octet-stream"):
    return SimpleUploadedFile(nome, contenuto, content_type=tipo)


def test_allegati_riconosciuti_dal_contenuto_e_exif_tolto(client, dati):
    foto = immagine("JPEG")
    assert b"Fotocamera Segreta" in foto
    dati["allegati"] = [
        _file("foto.pdf", foto),  # the name lies: it is a JPEG
        _file("x.png", immagine("PNG", exif_gps=False)),
        _file("doc.pdf", PDF_MINIMO, "application/pdf"),
    ]
    r = invia_online(client, dati)
    assert r.status_code == 302, r.context["form"].errors
    allegati = list(Allegato.objects.order_by("pk"))
    assert [a.tipo_mime for a in allegati] == ["image/jpeg", "image/png", "application/pdf"]
    jpeg = allegati[0].file.read()
    assert b"Fotocamera Segreta" not in jpeg
    with Image.open(io.BytesIO(jpeg)) as img:
        assert not img.getexif()
    # Random names on disk: the citizen's name never reaches the file system.
    assert "foto" not in allegati[0].file.name and allegati[0].file.name.endswith(".jpg")
    # The name kept is the citizen's, with the extension of what the file is.
    assert allegati[0].nome_originale == "foto.jpg"


def test_webp_senza_metadati(client, dati):
    dati["allegati"] = [_file("a.webp", immagine("WEBP"))]
    assert invia_online(client, dati).status_code == 302
    contenuto = Allegato.objects.get().file.read()
    assert b"Fotocamera Segreta" not in contenuto


@pytest.mark.parametrize(
    ("nome", "contenuto", "messaggio"),
    [
        ("virus.jpg", b"MZ\x90\x00" + b"\x00" * 200, "non è un'immagine"),
        ("pagina.png", b"<html><script>alert(1)</script></html>", "non è un'immagine"),
        ("finto.gif", b"GIF89a" + b"\x00" * 100, "non è un'immagine"),
        ("rotta.jpg", b"\xff\xd8\xff\xe0" + b"\x00" * 50, "danneggiata"),
    ],
)
def test_allegati_non_ammessi(client, dati, nome, contenuto, messaggio):
    dati["allegati"] = [_file(nome, contenuto, "image/jpeg")]
    r = invia_online(client, dati)
    assert r.status_code == 200
    assert messaggio in " ".join(r.context["form"].errors["allegati"])
    assert Segnalazione.objects.count() == 0
    assert dati["descrizione"] in r.content.decode()


def test_allegato_troppo_grande(client, dati):
    grande = PDF_MINIMO + b"0" * (5 * 1024 * 1024)
    dati["allegati"] = [_file("grande.pdf", grande, "application/pdf")]
    r = invia_online(client, dati)
    assert "5 MB" in " ".join(r.context["form"].errors["allegati"])


def test_al_massimo_tre_allegati(client, dati):
    dati["allegati"] = [_file(f"{i}.pdf", PDF_MINIMO) for i in range(4)]
    r = invia_online(client, dati)
    assert "Troppi file. Al massimo 3 file" in " ".join(r.context["form"].errors["allegati"])


def test_limite_per_ip_pagina_cortese(client, dati, settings):
    settings.SEGNALAZIONI_LIMITE_INVII = 2
    assert invia_online(client, dati).status_code == 302
    assert invia_online(client, dati).status_code == 302
    r = invia_online(client, dati)
    assert r.status_code == 429
    assert "inviala fra un po" in r.content.decode()
    assert r["Retry-After"] == "3600"
    assert Segnalazione.objects.count() == 2
    # Another address is not affected.
    assert invia_online(client, dati, REMOTE_ADDR="10.0.0.9").status_code == 302


def test_il_limite_conta_solo_le_segnalazioni_accolte_e_non_perde_il_testo(client, dati, settings):
    """Five forms sent back with errors cost the citizen nothing; when the limit is
    reached the form comes back with what was typed (files aside)."""
    settings.SEGNALAZIONI_LIMITE_INVII = 2
    sbagliati = {**dati, "consenso_privacy": ""}
    for _ in range(5):
        assert invia_online(client, sbagliati).status_code == 200
    assert invia_online(client, dati).status_code == 302
    assert invia_online(client, dati).status_code == 302
    dati["descrizione"] = "Il lampione di via Abbiati 4 è spento da una settimana."
    r = invia_online(client, dati)
    assert r.status_code == 429
    testo = r.content.decode()
    assert "Il lampione di via Abbiati 4 è spento da una settimana." in testo
    assert Segnalazione.objects.count() == 2


def test_limite_funziona_con_la_cache_su_database(client, dati, settings):
    from django.core.management import call_command

    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "cache_prova_limiti",
        }
    }
    call_command("createcachetable", verbosity=0)
    from django.core.cache import caches

    assert type(caches["default"]).__name__ == "DatabaseCache"
    settings.SEGNALAZIONI_LIMITE_INVII = 1
    assert invia_online(client, dati).status_code == 302
    assert invia_online(client, dati).status_code == 429


# --- Tracking ---------------------------------------------------------------------------------


def test_pagina_di_verifica_senza_dati_personali(client, segnalazione_san_siro, operatore):
    s = segnalazione_san_siro
    s.nome_segnalante = "Giulia Segreta"
    s.telefono_segnalante = "+393331234567"
    s.save()
    services.aggiungi_nota(s, "Nota riservata sul vicino", da=operatore)
    services.rispondi(s, "Intervento programmato per lunedì", da=operatore)
    r = client.get(reverse("segnalazioni:segui", args=[s.codice]))
    assert r.status_code == 200
    html = r.content.decode()
    assert "Intervento programmato per lunedì" in html
    assert s.get_stato_display() in html
    for segreto in ("Giulia Segreta", "cittadina@example.org", "+393331234567", "Nota riservata"):
        assert segreto not in html
    assert s.descrizione not in html
    assert operatore.username not in html


def test_codice_scritto_male_trova_la_segnalazione(client, segnalazione_san_siro):
    codice = segnalazione_san_siro.codice
    r = client.get(
        reverse("segnalazioni:cerca_codice"), {"codice": codice.lower().replace("-", " ")}
    )
    assert r.status_code == 302 and r.url == reverse("segnalazioni:segui", args=[codice])


def test_codice_sbagliato_404(client, segnalazione_san_siro):
    assert client.get("/segnalazioni/segui/AAAA-BBBB-CCCC/").status_code == 404
    assert client.get("/segnalazioni/segui/corto/").status_code == 404
    r = client.get(reverse("segnalazioni:cerca_codice"), {"codice": "123"})
    assert r.status_code == 200 and "codice" in r.context["form"].errors


def test_codici_non_indovinabili(segnalazione_factory):
    codici = {segnalazione_factory().codice for _ in range(30)}
    assert len(codici) == 30
    assert all(len(c) == 14 and c.count("-") == 2 for c in codici)


def test_valutazione_dalla_pagina_di_verifica(client, segnalazione_san_siro, operatore):
    s = segnalazione_san_siro
    url = reverse("segnalazioni:segui", args=[s.codice])
    assert "voto" not in client.get(url).content.decode()
    assert client.post(url, {"voto": "5", "risposta": "chiare"}).status_code == 302
    s.refresh_from_db()
    assert s.valutazione is None  # not closed yet
    services.chiudi(s, Esito.RISOLTA, da=operatore)
    assert 'name="voto"' in client.get(url).content.decode()
    pagina = client.get(url).content.decode()
    # The Modello Comuni's stars and follow-up questions, after closure too.
    assert 'name="risposta" value="chiare"' in pagina
    assert 'name="risposta" value="problemi_tecnici"' in pagina
    assert client.post(url, {"voto": "9", "risposta": "chiare"}).status_code == 400
    assert client.post(url, {"voto": "4"}).status_code == 400  # the follow-up is asked
    # A negative answer does not go with four stars.
    r = client.post(url, {"voto": "4", "risposta": "problemi_tecnici"})
    assert r.status_code == 400 and "per 4 stelle" in r.content.decode()
    r = client.post(url, {"voto": "4", "risposta": "chiare", "motivo": "Veloci"})
    assert r.status_code == 302
    s.refresh_from_db()
    assert (s.valutazione, s.valutazione_risposta, s.valutazione_motivo) == (4, "chiare", "Veloci")
    assert s.stato == Stato.CHIUSA


def test_la_base_dati_rifiuta_una_risposta_incoerente(segnalazione_san_siro):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Segnalazione.objects.filter(pk=segnalazione_san_siro.pk).update(
            valutazione=5, valutazione_risposta="problemi_tecnici"
        )


def test_modulo_in_inglese(client, settings):
    # English is chosen with the language switch (its cookie), not by the browser.
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = pagina_dati(client)
    assert 'lang="en"' in html and "Report details" in html


def test_corpo_troppo_grande_rifiutato_prima_di_leggerlo(client, dati):
    r = invia_online(client, dati, CONTENT_LENGTH=str(20 * 1024 * 1024))
    assert r.status_code == 413
    assert "fino a 5 MB ciascuno" in r.content.decode()
    assert Segnalazione.objects.count() == 0


def test_oltre_il_limite_degli_allegati_il_testo_resta(client, dati):
    """A real body between the view's cap (3 × 5 MB + 1 MB) and the app's (20 MB): 413, and
    the form comes back with the text."""
    dati["allegati"] = [
        _file(f"{i}.pdf", b"%PDF-1.4 " + b"0" * (6 * 1024 * 1024)) for i in range(3)
    ]
    r = invia_online(client, dati)
    assert r.status_code == 413
    testo = r.content.decode()
    assert "fino a 5 MB ciascuno" in testo and dati["oggetto"] in testo
    assert Segnalazione.objects.count() == 0


# --- Cost of the public intake (docs/performance.md, 4.7) --------------------------------------


def test_inviata_il_codice_in_un_cookie_firmato(client, dati):
    r = invia_online(client, dati)
    assert r.status_code == 302
    # The steps keep what is typed in the session until it is sent, and no longer.
    assert "Lampione" not in str(client.session.items())
    cookie = r.cookies["segnalazione_inviata"]
    assert cookie["httponly"] and cookie["path"] == reverse("segnalazioni:inviata")
    s = Segnalazione.objects.get()
    assert s.codice in client.get(r.url).content.decode()


def test_conferma_senza_cookie_o_con_cookie_falso_torna_alla_scheda(client, dati):
    scheda = reverse("segnalazioni:servizio")
    assert client.get(reverse("segnalazioni:inviata")).url == scheda
    invia_online(client, dati)
    codice = Segnalazione.objects.get().codice
    client.cookies["segnalazione_inviata"] = codice  # the code without a valid signature
    r = client.get(reverse("segnalazioni:inviata"))
    assert r.status_code == 302 and r.url == scheda
    assert client.get(reverse("segnalazioni:ricevuta_inviata")).status_code == 404


def _query_invio(client, dati) -> list[str]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    fino_al_riepilogo(client, dati)
    with CaptureQueriesContext(connection) as ctx:
        assert client.post(passo("riepilogo"), gestione("riepilogo")).status_code == 302
    return [q["sql"] for q in ctx.captured_queries]


def test_query_dell_invio_costanti_con_5_e_50_segnalazioni(client, dati, san_siro, categoria):
    from tests.segnalazioni.factories import SegnalazioneFactory

    SegnalazioneFactory.create_batch(5, quartiere=san_siro, categoria=categoria)
    cinque = _query_invio(client, dati)
    SegnalazioneFactory.create_batch(45, quartiere=san_siro, categoria=categoria)
    assert len(_query_invio(client, dati)) == len(cinque)
    # The rate limit is two statements (a look before, the count of an accepted report
    # after); the foreign keys are not checked twice.
    assert sum("quartiere_limitefrequenza" in q for q in cinque) == 2
    assert not any("quartiere_cache" in q for q in cinque)
    assert not any(q.startswith('SELECT 1 AS "a" FROM "segnalazioni_categoria"') for q in cinque)
    assert not any('AS "_check"' in q for q in cinque)


@pytest.mark.parametrize(
    ("modifiche", "campo"),
    [
        ({"lat": "45.46", "lon": ""}, "lon"),
        ({"lat": "", "lon": "9.13"}, "lat"),
        ({"lat": "95", "lon": "9.13"}, "lat"),
        ({"lat": "45.46", "lon": "181"}, "lon"),
        ({"indirizzo": "", "lat": "", "lon": ""}, "indirizzo"),
        ({"tipo": "segreto"}, "tipo"),
    ],
)
def test_il_modulo_copre_i_vincoli_del_database(client, dati, modifiche, campo):
    """The public form skips the model's constraint queries: each CHECK its fields touch
    must come back as a form error, never as an IntegrityError."""
    r = invia_online(client, {**dati, **modifiche})
    assert r.status_code == 200
    assert campo in r.context["form"].errors
    assert not Segnalazione.objects.exists()


def test_categoria_disattivata_resta_un_errore_del_modulo(client, dati, categoria):
    categoria.attiva = False
    categoria.save()
    r = invia_online(client, dati)
    assert r.status_code == 200 and "categoria" in r.context["form"].errors


def test_una_sola_lunghezza_massima_della_descrizione(client, dati):
    """The public form refuses a description over the cap (and says so before sending:
    maxlength, the counter); the same cap as the desk and Open311."""
    from segnalazioni.models import MAX_DESCRIZIONE

    pagina = pagina_dati(client)
    assert f'maxlength="{MAX_DESCRIZIONE}"' in pagina
    assert "segnalazioni/contatore.js" in pagina
    r = invia_online(client, {**dati, "descrizione": "x" * (MAX_DESCRIZIONE + 1)})
    assert r.status_code == 200 and "descrizione" in r.context["form"].errors
    assert invia_online(client, {**dati, "descrizione": "x" * MAX_DESCRIZIONE}).status_code == 302


def test_una_sola_regola_per_gli_allegati_in_ogni_messaggio(client, dati):
    """The help text, the per-file and the too-many errors, the 413 page and the browser's
    own check all state the same rule, and no message quotes another limit."""
    from segnalazioni.allegati import regola

    assert regola() == (
        "Al massimo 3 file: immagini JPEG, PNG o WebP oppure PDF, fino a 5 MB ciascuno."
    )
    pagina = pagina_dati(client)
    assert regola() in pagina  # the help text
    assert 'data-max-file="3"' in pagina and f'data-max-byte="{5 * 1024 * 1024}"' in pagina
    assert f'data-regola="{regola()}"' in pagina
    troppo = dict(dati, allegati=[_file("a.pdf", b"%PDF-1.4 " + b"0" * (5 * 1024 * 1024))])
    messaggi = " ".join(invia_online(client, troppo).context["form"].errors["allegati"])
    piccoli = [_file(f"{i}.pdf", b"%PDF-1.4") for i in range(4)]
    messaggi += " ".join(
        invia_online(client, dict(dati, allegati=piccoli)).context["form"].errors["allegati"]
    )
    pagina_413 = invia_online(client, dati, CONTENT_LENGTH=str(17 * 1024 * 1024)).content.decode()
    assert messaggi.count(regola()) == 2 and regola() in pagina_413
    for altro in ("15 MB", "16 MB", "20 MB"):
        assert altro not in pagina + messaggi + pagina_413
