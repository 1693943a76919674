"""The production web surface: HTTPS, HSTS, cookies, framing, referrer, a strict CSP.

The settings module is loaded in a subprocess with a production environment (DEBUG off,
a real secret, DATABASE_URL), as a deployment would load it; `check --deploy` is covered by
tests/core/test_impostazioni.py.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

RADICE = Path(__file__).resolve().parents[2]
HOST = "quartiere.comune.example.it"

_SONDA = """
import json
import os
import django
django.setup()
from django.conf import settings
from django.test import Client

nomi = [
    "DEBUG", "SECURE_SSL_REDIRECT", "SECURE_PROXY_SSL_HEADER", "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS", "SESSION_COOKIE_SECURE", "SESSION_COOKIE_HTTPONLY",
    "CSRF_COOKIE_SECURE", "CSRF_COOKIE_HTTPONLY", "X_FRAME_OPTIONS", "SECURE_REFERRER_POLICY",
    "SECURE_CONTENT_TYPE_NOSNIFF", "MIDDLEWARE", "CONTENT_SECURITY_POLICY",
    "CONTENT_SECURITY_POLICY_REPORT_ONLY", "QUARTIERE_2FA_GRUPPI",
]
esito = {n: getattr(settings, n, None) for n in nomi}
client = Client()
# robots.txt touches no table: the production database need not exist for this probe.
r = client.get("/robots.txt", HTTP_HOST=os.environ["SONDA_HOST"])
esito["http"] = {"status": r.status_code, "location": r.get("Location")}
r = client.get("/robots.txt", HTTP_HOST=os.environ["SONDA_HOST"], secure=True)
esito["https"] = {"status": r.status_code, "headers": dict(r.headers.items())}
print(json.dumps(esito, default=str))
"""


@pytest.fixture(scope="module")
def produzione():
    ambiente = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "QUARTIERE_"))}
    ambiente.update(
        DJANGO_SETTINGS_MODULE="quartiere.settings",
        DJANGO_SECRET_KEY="x7!k2#prod-" + "a9Zq" * 12,
        DJANGO_ALLOWED_HOSTS=HOST,
        SONDA_HOST=HOST,
        DJANGO_DEBUG="0",
        DATABASE_URL="postgres://quartiere:segreto@db.example.invalid:5432/quartiere",
    )
    risultato = subprocess.run(  # noqa: S603
        [sys.executable, "-c", _SONDA],
        cwd=RADICE,
        env=ambiente,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert risultato.returncode == 0, risultato.stderr
    return json.loads(risultato.stdout.strip().splitlines()[-1])


def _direttive(valore: str) -> dict[str, list[str]]:
    direttive = {}
    for parte in valore.split(";"):
        parole = parte.split()
        if parole:
            direttive[parole[0].lower()] = parole[1:]
    return direttive


def test_debug_spento_e_https_obbligatorio(produzione):
    assert produzione["DEBUG"] is False
    assert produzione["SECURE_SSL_REDIRECT"] is True
    assert produzione["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    assert produzione["http"]["status"] == 301
    assert produzione["http"]["location"] == f"https://{HOST}/robots.txt"


def test_hsts_per_un_anno_con_sottodomini(produzione):
    assert produzione["SECURE_HSTS_SECONDS"] >= 31536000
    assert produzione["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True
    hsts = produzione["https"]["headers"]["Strict-Transport-Security"]
    assert "max-age=31536000" in hsts
    assert "includeSubDomains" in hsts


def test_cookie_solo_https_e_non_leggibili_da_script(produzione):
    assert produzione["SESSION_COOKIE_SECURE"] is True
    assert produzione["CSRF_COOKIE_SECURE"] is True
    assert produzione["SESSION_COOKIE_HTTPONLY"] is True
    assert produzione["CSRF_COOKIE_HTTPONLY"] is True


def test_cornici_referrer_e_nosniff(produzione):
    intestazioni = produzione["https"]["headers"]
    assert produzione["X_FRAME_OPTIONS"] == "DENY"
    assert intestazioni["X-Frame-Options"] == "DENY"
    assert intestazioni["X-Content-Type-Options"] == "nosniff"
    assert intestazioni["Referrer-Policy"] in {
        "same-origin",
        "no-referrer",
        "strict-origin",
        "strict-origin-when-cross-origin",
    }
    assert intestazioni["Cross-Origin-Opener-Policy"] == "same-origin"


def test_csp_rigida_senza_inline(produzione):
    assert "csp.middleware.CSPMiddleware" in produzione["MIDDLEWARE"]
    assert not produzione["CONTENT_SECURITY_POLICY_REPORT_ONLY"]
    intestazioni = produzione["https"]["headers"]
    assert "Content-Security-Policy-Report-Only" not in intestazioni
    csp = _direttive(intestazioni["Content-Security-Policy"])
    predefinita = csp.get("default-src", [])
    assert predefinita == ["'self'"]
    for direttiva in ("script-src", "style-src"):
        fonti = csp.get(direttiva, predefinita)
        assert fonti, direttiva
        for vietata in ("'unsafe-inline'", "'unsafe-eval'", "*", "data:", "http:", "https:"):
            assert vietata not in fonti, (direttiva, vietata)
    for direttiva in ("script-src-attr", "style-src-attr", "script-src-elem", "style-src-elem"):
        assert "'unsafe-inline'" not in csp.get(direttiva, []), direttiva
    assert csp["object-src"] == ["'none'"]
    assert csp["frame-ancestors"] == ["'none'"]
    assert csp["base-uri"] == ["'self'"]
    assert csp["form-action"] == ["'self'"]


def test_due_fattori_attivi_in_produzione(produzione):
    assert set(produzione["QUARTIERE_2FA_GRUPPI"]) == {
        "coordinatore",
        "mediatore",
        "amministratore",
    }
    assert "quartiere.accesso.otp.OTPObbligatorioMiddleware" in produzione["MIDDLEWARE"]
    indice = produzione["MIDDLEWARE"].index
    assert indice("quartiere.accesso.otp.OTPObbligatorioMiddleware") == (
        indice("django_otp.middleware.OTPMiddleware") + 1
    )


@pytest.mark.django_db
def test_cookie_di_sessione_httponly_e_samesite(client, operatore):
    risposta = client.post(
        reverse("login"), {"username": "operatore.sansiro", "password": "quartiere-demo"}
    )
    assert risposta.status_code == 302
    cookie = risposta.cookies["sessionid"]
    assert cookie["httponly"]
    assert cookie["samesite"] == "Lax"
    pagina = client.get(reverse("login"))
    assert pagina.cookies.get("csrftoken") is None or pagina.cookies["csrftoken"]["httponly"]
