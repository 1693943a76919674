"""A SPID identity provider of our own (tests/identita/idp_saml.py) and the service provider
configured against it, as a Comune configures it from the environment."""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from dataclasses import dataclass
from html import unescape
from pathlib import Path
from urllib.parse import urlencode

import psycopg
import pytest
from django.conf import settings
from django.test import Client

from tests.identita.idp_saml import IdPDiProva, chiave_e_certificato

RADICE = Path(__file__).resolve().parents[2]
MARIO = "RSSMRA80A01F205X"
LAURA = "BNCLRA85M41H501Z"
UTENTI = {
    MARIO: {
        "fiscalNumber": f"TINIT-{MARIO}",
        "name": "Mario",
        "familyName": "Rossi",
        "email": "mario.rossi@example.org",
    },
    LAURA: {
        "fiscalNumber": f"TINIT-{LAURA}",
        "name": "Laura",
        "familyName": "Bianchi",
        "email": "",
    },
}


def imposta_saml(settings, cartella, base: str, *, spid=(), cie=()):
    """SAML on for the service provider at ``base``, with these IdP metadata files, as a
    Comune configures it from the environment."""
    chiave, certificato = chiave_e_certificato(cartella, "sp")
    settings.SITE_URL = base
    settings.QUARTIERE_SAML = {
        "spid": [str(file) for file in spid],
        "cie": [str(file) for file in cie],
        "chiave": str(chiave),
        "certificato": str(certificato),
        "entity_id": "",
        "livello": 2,
        "codice_ipa": "c_x000",
        "email_contatto": "spid@comune.example.org",
        "telefono_contatto": "+39 02 0000000",
        "codice_catastale": "X000",
    }


def configura(settings, cartella, base: str, *, spid=(), cie=()):
    """SAML on with these test IdPs, started with our metadata."""
    imposta_saml(
        settings,
        cartella,
        base,
        spid=[idp.file_metadati for idp in spid],
        cie=[idp.file_metadati for idp in cie],
    )
    # Each federation registers the metadata of its own profile (Avviso SPID 29, CIE's manual).
    client = Client()
    for idp in spid:
        idp.avvia(client.get("/spid/metadata/").content.decode())
    for idp in cie:
        idp.avvia(client.get("/spid/metadata/cie/").content.decode())


@pytest.fixture
def idp_spid(tmp_path):
    idp = IdPDiProva(tmp_path, "IdP di prova", UTENTI)
    yield idp
    idp.ferma()


@pytest.fixture
def idp_cie(tmp_path):
    idp = IdPDiProva(tmp_path, "CIE ID di prova", UTENTI)
    yield idp
    idp.ferma()


@pytest.fixture
def spid(settings, tmp_path, idp_spid, db):
    """SAML on, for the Django test client (the service provider is http://testserver)."""
    configura(settings, tmp_path, "http://testserver", spid=[idp_spid])
    return idp_spid


def _campi(html: str) -> dict[str, str]:
    return {
        nome: unescape(valore)
        for nome, valore in re.findall(r'name="([^"]+)" value="([^"]*)"', html)
    }


def risposta_dell_idp(client: Client, idp: IdPDiProva, cf: str, successivo: str = "") -> dict:
    """Ask the SP to log in with ``idp``, let the IdP authenticate ``cf``; the form fields
    (SAMLResponse, RelayState) the IdP's page would POST to the assertion consumer service."""
    query = {"idp": idp.entity_id, **({"next": successivo} if successivo else {})}
    r = client.get(f"/spid/login/?{urlencode(query)}")
    assert r.status_code == 302 and r.url.startswith(f"{idp.base}/sso?"), r
    with urllib.request.urlopen(r.url) as pagina:
        html = pagina.read().decode()
    chiave = re.search(r"name='chiave' value='([^']+)'", html).group(1)
    dati = urlencode({"chiave": chiave, "utente": cf}).encode()
    with urllib.request.urlopen(f"{idp.base}/accedi", data=dati) as pagina:
        return _campi(pagina.read().decode())


@pytest.fixture
def spid_nel_browser(settings, tmp_path, idp_spid, live_server):
    """SAML on, for a browser on the live server."""
    configura(settings, tmp_path, live_server.url, spid=[idp_spid])
    return idp_spid


# --- The identity broker: django-oidc-provider in a process of its own ----------------------

OIDC_CLIENT = "quartiere"
OIDC_SEGRETO = "segreto-del-client-di-prova"
PASSWORD_OP = "password-di-prova"


@dataclass
class Broker:
    base: str
    processo: subprocess.Popen

    def endpoint(self, nome: str) -> str:
        return f"{self.base}/openid/{nome}"


def _porta_libera() -> int:
    with socket.socket() as s:
        s.bind(("localhost", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def broker(django_db_setup, live_server):
    """A real OpenID provider on its own PostgreSQL database, with Mario and Laura."""
    db = settings.DATABASES["default"]
    nome_db = f"op_{uuid.uuid4().hex[:12]}"
    # A connection of its own to the server's maintenance database, closed at once: Django's
    # connection of this moment may belong to a context its teardown does not close, and an
    # open session on the test database stops it from being dropped.
    amministrazione = {
        "dbname": "postgres",
        "host": db.get("HOST") or None,
        "port": db.get("PORT") or None,
        "user": db.get("USER") or None,
        "password": db.get("PASSWORD") or None,
        "autocommit": True,
    }
    with psycopg.connect(**amministrazione) as conn:
        conn.execute(f"CREATE DATABASE {nome_db}")
    porta = _porta_libera()
    base = f"http://localhost:{porta}"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.identita.op.settings",
        "OP_URL": base,
        "OP_DB_NAME": nome_db,
        "OP_DB_HOST": str(db.get("HOST") or ""),
        "OP_DB_PORT": str(db.get("PORT") or ""),
        "OP_DB_USER": str(db.get("USER") or ""),
        "OP_DB_PASSWORD": str(db.get("PASSWORD") or ""),
    }
    esegui = {"env": env, "cwd": RADICE, "check": True, "capture_output": True}
    subprocess.run([sys.executable, "-m", "django", "migrate", "-v", "0"], **esegui)
    utenti = {
        cf: {"first_name": u["name"], "last_name": u["familyName"], "email": u["email"]}
        for cf, u in UTENTI.items()
    }
    ritorni = "\n".join(f"{b}/oidc/callback/" for b in ("http://testserver", live_server.url))
    subprocess.run(
        [
            sys.executable,
            "-m",
            "tests.identita.op.prepara",
            ritorni,
            OIDC_CLIENT,
            OIDC_SEGRETO,
            json.dumps(utenti),
        ],
        **esegui,
    )
    processo = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "tests.identita.op.wsgi:application",
            "--bind",
            f"localhost:{porta}",
            "--workers",
            "1",
            "--threads",
            "4",
            "--log-level",
            "warning",
        ],
        env=env,
        cwd=RADICE,
    )
    try:
        for _ in range(100):
            try:
                with urllib.request.urlopen(f"{base}/openid/.well-known/openid-configuration"):
                    break
            except OSError:
                time.sleep(0.1)
        else:
            raise RuntimeError("il broker OIDC di prova non risponde")
        yield Broker(base, processo)
    finally:
        processo.terminate()
        processo.wait(timeout=10)
        with psycopg.connect(**amministrazione) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {nome_db} WITH (FORCE)")


def configura_oidc(settings, broker: Broker, base: str) -> None:
    settings.SITE_URL = base
    settings.OIDC_RP_CLIENT_ID = OIDC_CLIENT
    settings.OIDC_RP_CLIENT_SECRET = OIDC_SEGRETO
    settings.OIDC_OP_AUTHORIZATION_ENDPOINT = broker.endpoint("authorize")
    settings.OIDC_OP_TOKEN_ENDPOINT = broker.endpoint("token")
    settings.OIDC_OP_USER_ENDPOINT = broker.endpoint("userinfo")
    settings.OIDC_OP_JWKS_ENDPOINT = broker.endpoint("jwks")
    settings.OIDC_RP_SCOPES = "openid profile email cf"
    settings.QUARTIERE_OIDC_NOME = "Broker di prova"


@pytest.fixture
def oidc(settings, broker, db):
    configura_oidc(settings, broker, "http://testserver")
    return broker
