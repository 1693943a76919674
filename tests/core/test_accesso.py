"""Login, logout, lockout, language, navigation per role, demo data."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import override_settings
from django.urls import reverse

from quartiere.registro.models import Persona
from quartiere.territorio.models import Quartiere, Sede

pytestmark = pytest.mark.django_db


def test_pagina_di_accesso_in_italiano(client):
    risposta = client.get(reverse("login"))
    testo = risposta.content.decode()
    assert risposta.status_code == 200
    assert "Accesso per il personale" in testo
    assert 'lang="it"' in testo


def test_pagine_del_personale_richiedono_accesso(client):
    risposta = client.get(reverse("quartiere:scrivania"))
    assert risposta.status_code == 302
    assert risposta["Location"].startswith(reverse("login"))


def test_accesso_e_uscita(client, operatore):
    risposta = client.post(
        reverse("login"), {"username": "operatore.sansiro", "password": "quartiere-demo"}
    )
    assert risposta.status_code == 302
    assert client.get(reverse("quartiere:scrivania")).status_code == 200
    assert client.post(reverse("logout")).status_code == 302
    assert client.get(reverse("quartiere:scrivania")).status_code == 302


def test_tentativi_ripetuti_bloccano_l_accesso(client, operatore, settings):
    settings.AXES_FAILURE_LIMIT = 3
    for _ in range(3):
        client.post(reverse("login"), {"username": "operatore.sansiro", "password": "sbagliata"})
    risposta = client.post(
        reverse("login"), {"username": "operatore.sansiro", "password": "quartiere-demo"}
    )
    assert risposta.status_code == 429
    assert "bloccato" in risposta.content.decode()


def test_cambio_lingua_in_inglese(client):
    risposta = client.post(reverse("set_language"), {"language": "en", "next": "/"}, follow=True)
    assert 'lang="en"' in risposta.content.decode()
    assert "Neighbourhood" in risposta.content.decode()


@pytest.mark.parametrize(
    ("ruolo", "vede", "non_vede"),
    [
        ("operatore", ["Persone"], ["Amministrazione"]),
        ("mediatore", ["Persone"], ["Amministrazione"]),
        ("coordinatore", ["Persone", "Amministrazione"], []),
        ("dirigente", ["Persone"], ["Amministrazione"]),
        ("amministratore", ["Persone", "Amministrazione"], []),
    ],
)
def test_navigazione_secondo_il_ruolo(ruolo, vede, non_vede, cast, client_di):
    risposta = client_di(cast[ruolo]).get(reverse("quartiere:scrivania"))
    etichette = [str(v["etichetta"]) for v in risposta.context["navigazione"]]
    for voce in vede:
        assert voce in etichette
    for voce in non_vede:
        assert voce not in etichette


def test_seed_demo_rifiuta_di_girare_in_produzione():
    with pytest.raises(CommandError):
        call_command("seed_demo")


@override_settings(DEBUG=True)
def test_seed_demo_e_idempotente_e_crea_gli_account(client):
    call_command("seed_demo", verbosity=0)
    conteggi = (Quartiere.objects.count(), Sede.objects.count(), Persona.objects.count())
    call_command("seed_demo", verbosity=0)
    assert (Quartiere.objects.count(), Sede.objects.count(), Persona.objects.count()) == conteggi
    assert set(Quartiere.objects.values_list("codice", flat=True)) >= {
        "san-siro",
        "lorenteggio",
        "gratosoglio",
        "ponte-lambro",
        "molise-calvairate",
        "mazzini",
    }
    assert Sede.objects.filter(indirizzo="Viale XVIII Dicembre 124").exists()
    for username in [
        "admin",
        "coordinatore",
        "dirigente",
        "mediatore",
        "operatore.sansiro",
        "operatore.gratosoglio",
    ]:
        risposta = client.post(
            reverse("login"), {"username": username, "password": "quartiere-demo"}
        )
        assert risposta.status_code == 302, username
        assert client.get(reverse("quartiere:scrivania")).status_code == 200
        client.post(reverse("logout"))


def test_healthz_controlla_il_database(client):
    risposta = client.get("/healthz")
    assert risposta.status_code == 200
    assert risposta.json() == {"status": "ok", "database": "ok"}


def test_pagine_privacy_e_accessibilita_esistono(client):
    assert "art. 13" in client.get(reverse("quartiere:privacy")).content.decode()
    assert "AgID" in client.get(reverse("quartiere:accessibilita")).content.decode()


def test_intestazioni_di_sicurezza(client):
    risposta = client.get("/")
    assert "script-src 'self'" in risposta["Content-Security-Policy"]
    assert risposta["X-Frame-Options"] == "DENY"
    assert risposta["X-Content-Type-Options"] == "nosniff"


def test_italiano_anche_con_browser_in_inglese(client):
    risposta = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert 'lang="it"' in risposta.content.decode()
