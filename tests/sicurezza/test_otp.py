"""Two-factor authentication (TOTP) enforced per group: enrolment, verification, refusal."""

import re
from base64 import b32decode

import pytest
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

pytestmark = pytest.mark.django_db

PASSWORD = "quartiere-demo"


@pytest.fixture
def due_fattori(settings):
    """2FA on for coordinators and mediators, no throttling delay between tries."""
    settings.QUARTIERE_2FA_GRUPPI = ["coordinatore", "mediatore", "amministratore"]
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    return settings


def _codice(device, passi=0):
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = totp.time + passi * device.step
    return f"{totp.token():0{device.digits}d}"


def _accedi_con_password(client, username):
    risposta = client.post(reverse("login"), {"username": username, "password": PASSWORD})
    assert risposta.status_code == 302, risposta.content.decode()[:500]
    return risposta


def test_coordinatore_senza_dispositivo_va_all_attivazione(client, coordinatore, due_fattori):
    _accedi_con_password(client, "coordinatore")
    risposta = client.get(reverse("quartiere:scrivania"), follow=True)
    assert risposta.redirect_chain[0][0].startswith(reverse("otp:verifica"))
    assert risposta.redirect_chain[-1][0].startswith(reverse("otp:attiva"))
    testo = risposta.content.decode()
    assert "Attiva la verifica in due passaggi" in testo
    assert reverse("otp:qr") in testo
    device = TOTPDevice.objects.get(user=coordinatore)
    assert not device.confirmed
    # The secret is shown as text too, for users who cannot scan the QR code.
    segreto = re.search(r'<code class="fs-5">([A-Z2-7 ]+)</code>', testo).group(1)
    assert b32decode(segreto.replace(" ", "")) == device.bin_key


def test_attivazione_con_codice_giusto_conferma_e_apre_le_pagine(client, coordinatore, due_fattori):
    _accedi_con_password(client, "coordinatore")
    client.get(reverse("otp:attiva"))
    device = TOTPDevice.objects.get(user=coordinatore)
    chiave_sessione = client.session.session_key

    qr = client.get(reverse("otp:qr"))
    assert qr.status_code == 200
    assert qr["Content-Type"] == "image/svg+xml"
    assert b"<svg" in qr.content
    assert b"viewBox" in qr.content
    assert b"style" not in qr.content
    assert b"script" not in qr.content
    assert "no-store" in qr["Cache-Control"]

    destinazione = reverse("quartiere:persona_list")
    risposta = client.post(reverse("otp:attiva"), {"codice": _codice(device), "next": destinazione})
    assert risposta.status_code == 302
    assert risposta["Location"] == destinazione
    device.refresh_from_db()
    assert device.confirmed
    assert client.session.session_key != chiave_sessione
    assert client.get(reverse("quartiere:scrivania")).status_code == 200
    # Once confirmed, the QR code (which holds the secret) is gone.
    assert client.get(reverse("otp:qr")).status_code in (302, 404)


def test_verifica_al_login_successivo(client, coordinatore, due_fattori):
    device = TOTPDevice.objects.create(user=coordinatore, name="telefono", confirmed=True)
    _accedi_con_password(client, "coordinatore")
    risposta = client.get(reverse("quartiere:scrivania"))
    assert risposta.status_code == 302
    assert risposta["Location"].startswith(reverse("otp:verifica"))
    pagina = client.get(risposta["Location"])
    assert pagina.status_code == 200
    assert "Codice di verifica" in pagina.content.decode()
    risposta = client.post(
        reverse("otp:verifica"),
        {"codice": _codice(device), "next": reverse("quartiere:scrivania")},
    )
    assert risposta.status_code == 302
    assert risposta["Location"] == reverse("quartiere:scrivania")
    assert client.get(reverse("quartiere:scrivania")).status_code == 200


def test_codice_sbagliato_rifiutato(client, coordinatore, due_fattori):
    device = TOTPDevice.objects.create(user=coordinatore, name="telefono", confirmed=True)
    _accedi_con_password(client, "coordinatore")
    giusto = _codice(device)
    sbagliato = f"{(int(giusto) + 1) % 1_000_000:06d}"
    risposta = client.post(reverse("otp:verifica"), {"codice": sbagliato})
    assert risposta.status_code == 400
    assert "Codice non valido o scaduto" in risposta.content.decode()
    assert client.get(reverse("quartiere:scrivania")).status_code == 302
    # Letters and wrong lengths are refused by the form, before the device is asked.
    risposta = client.post(reverse("otp:verifica"), {"codice": "abc123"})
    assert risposta.status_code == 400
    assert client.get(reverse("quartiere:scrivania")).status_code == 302


def test_codice_gia_usato_non_vale_una_seconda_volta(client, coordinatore, due_fattori):
    device = TOTPDevice.objects.create(user=coordinatore, name="telefono", confirmed=True)
    codice = _codice(device)
    _accedi_con_password(client, "coordinatore")
    assert client.post(reverse("otp:verifica"), {"codice": codice}).status_code == 302
    client.post(reverse("logout"))
    _accedi_con_password(client, "coordinatore")
    assert client.post(reverse("otp:verifica"), {"codice": codice}).status_code == 400
    assert client.get(reverse("quartiere:scrivania")).status_code == 302


def test_troppi_codici_sbagliati_bloccano_per_un_po(client, coordinatore, settings):
    settings.QUARTIERE_2FA_GRUPPI = ["coordinatore"]
    settings.OTP_TOTP_THROTTLE_FACTOR = 60
    device = TOTPDevice.objects.create(user=coordinatore, name="telefono", confirmed=True)
    _accedi_con_password(client, "coordinatore")
    giusto = _codice(device)
    client.post(reverse("otp:verifica"), {"codice": f"{(int(giusto) + 7) % 1_000_000:06d}"})
    risposta = client.post(reverse("otp:verifica"), {"codice": giusto})
    assert risposta.status_code == 400
    assert "Troppi codici sbagliati" in risposta.content.decode()


@pytest.mark.parametrize(
    "nome",
    [
        "quartiere:scrivania",
        "quartiere:persona_list",
        "quartiere:home",
        "password_change",
        "admin:index",
        "admin:auth_user_changelist",
    ],
)
def test_gruppo_obbligato_non_raggiunge_nulla_senza_verifica(nome, client_di, cast, due_fattori):
    for ruolo in ("coordinatore", "mediatore", "amministratore"):
        c = client_di(cast[ruolo])
        risposta = c.get(reverse(nome))
        assert risposta.status_code == 302, (ruolo, nome)
        assert risposta["Location"].startswith(reverse("otp:verifica")), (ruolo, nome)


def test_post_bloccato_senza_verifica(client_di, coordinatore, due_fattori):
    risposta = client_di(coordinatore).post(reverse("quartiere:persona_create"), {"nome": "X"})
    assert risposta.status_code == 302
    assert risposta["Location"] == reverse("otp:verifica")


def test_uscita_e_pagine_statiche_restano_raggiungibili(client_di, coordinatore, due_fattori):
    c = client_di(coordinatore)
    assert c.get("/healthz").status_code == 200
    risposta = c.post(reverse("logout"))
    assert risposta.status_code == 302
    assert not risposta["Location"].startswith(reverse("otp:verifica"))
    assert c.get(reverse("quartiere:scrivania"))["Location"].startswith(reverse("login"))


def test_gruppo_non_obbligato_non_e_toccato(client, operatore, dirigente, due_fattori):
    for utente in ("operatore.sansiro", "dirigente"):
        _accedi_con_password(client, utente)
        assert client.get(reverse("quartiere:scrivania")).status_code == 200
        assert client.get(reverse("quartiere:persona_list")).status_code == 200
        # The OTP pages send them on: nothing to enrol.
        risposta = client.get(reverse("otp:attiva"))
        assert risposta.status_code == 302
        assert not risposta["Location"].startswith(reverse("otp:verifica"))
        assert client.get(reverse("otp:qr")).status_code == 404
        client.post(reverse("logout"))
    assert not TOTPDevice.objects.exists()


def test_senza_gruppi_obbligati_nessuno_e_fermato(client, coordinatore, settings):
    settings.QUARTIERE_2FA_GRUPPI = []
    _accedi_con_password(client, "coordinatore")
    assert client.get(reverse("quartiere:scrivania")).status_code == 200


def test_dispositivo_confermato_non_si_sostituisce_con_la_sola_password(
    client, coordinatore, due_fattori
):
    TOTPDevice.objects.create(user=coordinatore, name="telefono", confirmed=True)
    _accedi_con_password(client, "coordinatore")
    risposta = client.get(reverse("otp:attiva"))
    assert risposta.status_code == 302
    assert risposta["Location"].startswith(reverse("otp:verifica"))
    assert client.get(reverse("otp:qr")).status_code == 404
    assert TOTPDevice.objects.filter(user=coordinatore).count() == 1


def test_next_esterno_ignorato(client, coordinatore, due_fattori):
    device = TOTPDevice.objects.create(user=coordinatore, name="telefono", confirmed=True)
    _accedi_con_password(client, "coordinatore")
    risposta = client.post(
        reverse("otp:verifica"), {"codice": _codice(device), "next": "https://evil.example/"}
    )
    assert risposta.status_code == 302
    assert risposta["Location"] == reverse("quartiere:scrivania")


def test_impostazione_predefinita_segue_debug():
    """Production enforces coordinators, mediators, administrators; DEBUG enforces nobody."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    radice = Path(__file__).resolve().parents[2]
    base = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "QUARTIERE_"))}
    base.update(
        DJANGO_SETTINGS_MODULE="quartiere.settings",
        DJANGO_SECRET_KEY="x7!k2#prod-" + "a9Zq" * 12,
        DATABASE_URL="postgres://q:q@db.example.invalid:5432/q",
    )
    codice = "from django.conf import settings; print(','.join(settings.QUARTIERE_2FA_GRUPPI))"
    risultati = {}
    for nome, extra in {
        "produzione": {"DJANGO_DEBUG": "0"},
        "debug": {"DJANGO_DEBUG": "1"},
        "esplicito": {"DJANGO_DEBUG": "0", "QUARTIERE_2FA_GRUPPI": "operatore, dirigente"},
    }.items():
        r = subprocess.run(  # noqa: S603
            [sys.executable, "-c", f"import django; django.setup(); {codice}"],
            cwd=radice,
            env={**base, **extra},
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert r.returncode == 0, r.stderr
        risultati[nome] = r.stdout.strip()
    assert risultati == {
        "produzione": "coordinatore,mediatore,amministratore",
        "debug": "",
        "esplicito": "operatore,dirigente",
    }


def test_nessun_url_raggiungibile_senza_secondo_fattore(client_di, coordinatore, due_fattori):
    """Every argument-free URL of the URLconf, the admin included, sends an unverified
    coordinator to the OTP step, except the few pages that must stay open."""
    from tests.sicurezza.test_crawler import url_senza_argomenti

    liberi = {"logout", "set_language", "healthz", "robots_txt"}
    client = client_di(coordinatore)
    percorsi = url_senza_argomenti()
    controllati = 0
    for nome, percorso in percorsi.items():
        if nome.rsplit(":", 1)[-1] in liberi or nome.startswith("otp:"):
            continue
        for metodo in (client.get, client.post):
            risposta = metodo(percorso)
            assert risposta.status_code == 302, (nome, metodo.__name__, risposta.status_code)
            assert risposta["Location"].startswith(reverse("otp:verifica")), nome
        controllati += 1
    assert controllati > 20
    assert "admin:index" in percorsi
