"""A SPID identity provider of our own (tests/identita/idp_saml.py) and the service provider
configured against it, as a Comune configures it from the environment."""

from __future__ import annotations

import re
import urllib.request
from html import unescape
from urllib.parse import urlencode

import pytest
from django.test import Client

from tests.identita.idp_saml import IdPDiProva, chiave_e_certificato

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


def configura(settings, cartella, base: str, *, spid=(), cie=()):
    chiave, certificato = chiave_e_certificato(cartella, "sp")
    settings.SITE_URL = base
    settings.QUARTIERE_SAML = {
        "spid": [str(idp.file_metadati) for idp in spid],
        "cie": [str(idp.file_metadati) for idp in cie],
        "chiave": str(chiave),
        "certificato": str(certificato),
        "entity_id": "",
        "livello": 2,
    }
    metadati = Client().get("/spid/metadata/").content.decode()
    for idp in (*spid, *cie):
        idp.avvia(metadati)


@pytest.fixture
def idp_spid(tmp_path):
    idp = IdPDiProva(tmp_path, "IdP di prova", UTENTI)
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
