"""The service provider's metadata pass AgID's own checker, spid-sp-test (issue 17), in the
profile of a public body's SPID service (``spid-sp-public``, with its extra checks): signed
with the service provider's key, the default ACS at index 0, SPID's attribute names, the
contact with the Comune's IPA code.

spid-sp-test lives in a virtualenv of its own, which ``make test`` builds (see the Makefile:
it pins ``packaging`` 21.2, older than the project's tools accept)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

import pytest
from django.test import Client

from quartiere.identita.saml import configurazione
from tests.identita.conftest import imposta_saml

RADICE = Path(__file__).resolve().parents[2]
SPID_SP_TEST = RADICE / ".venv" / "spid-sp-test" / "bin" / "spid_sp_test"

pytestmark = pytest.mark.django_db


def _controlla(
    tmp_path: Path, xml: bytes, *opzioni: str, profilo: str = "spid-sp-public"
) -> tuple[int, list[dict], dict]:
    """Run spid-sp-test on the metadata ``xml`` (and ``opzioni``): its exit code, the
    checks that did not succeed and every check by group (``metadata_strict``, ``response``...)."""
    assert SPID_SP_TEST.exists(), f"{SPID_SP_TEST} manca: `make test` lo installa"
    metadati = tmp_path / "metadati.xml"
    metadati.write_bytes(xml)
    rapporto = tmp_path / "rapporto.json"
    esito = subprocess.run(  # noqa: S603
        [
            str(SPID_SP_TEST),
            "--metadata-url",
            metadati.as_uri(),
            "--profile",
            profilo,
            "--extra",
            *opzioni,
            "--report_format",
            "json",
            "--report-output-file",
            str(rapporto),
        ],
        capture_output=True,
        text=True,
        # A guard against a hang, not a speed target: with --test-response it sends some
        # fifty responses through the live server, over two minutes on a busy machine.
        timeout=600,
    )
    assert rapporto.exists(), esito.stdout[-3000:] + esito.stderr[-3000:]
    gruppi = json.loads(rapporto.read_text())["test"]["sp"]
    controlli = [c for gruppo in gruppi.values() for elenco in gruppo.values() for c in elenco]
    return esito.returncode, [c for c in controlli if c["result"] != "success"], gruppi


def test_i_metadati_superano_spid_sp_test(tmp_path, spid):
    risposta = Client().get("/spid/metadata/")
    assert risposta["Content-Type"] == "text/xml; charset=utf-8"
    codice, falliti, _gruppi = _controlla(tmp_path, risposta.content)
    assert (codice, [f["test"] for f in falliti]) == (0, [])
    xml = risposta.content.decode()
    assert "<ns2:IPACode>c_x000</ns2:IPACode>" in xml or "IPACode>c_x000<" in xml
    assert "+39020000000" in xml  # the number as AgID writes it, without spaces
    assert "md5" not in xml and "rsa-sha1" not in xml  # no list of weak algorithms


def test_i_metadati_per_la_cie_superano_spid_sp_test(tmp_path, spid):
    """The same service provider as the CIE ID federation registers it (profile
    ``cie-sp-public``): the administrative contact with CIE's extensions and the Company,
    only the attributes CIE gives."""
    risposta = Client().get("/spid/metadata/cie/")
    codice, falliti, _gruppi = _controlla(tmp_path, risposta.content, profilo="cie-sp-public")
    assert (codice, [f["test"] for f in falliti]) == (0, [])
    xml = risposta.content.decode()
    assert "X000</" in xml and 'Name="email"' not in xml


def test_il_controllo_boccia_i_metadati_di_pysaml2_cosi_come_sono(tmp_path, spid):
    """The checker sees what we added: the descriptor pysaml2 writes by itself (unsigned,
    ACS at index 1, no contact, MACE names) fails it."""
    from saml2.metadata import entity_descriptor

    grezzi = str(entity_descriptor(configurazione())).encode()
    codice, falliti, _gruppi = _controlla(tmp_path, grezzi)
    assert codice != 0
    messaggi = " ".join(c["test"] for c in falliti)
    assert "signature" in messaggi.lower()
    assert "ContactPerson" in messaggi


def test_richiesta_e_risposte_superano_spid_sp_test(tmp_path, settings, live_server):
    """A whole login as spid-sp-test plays it with its own IdP (its metadata among the SPID
    ones, our live server): the AuthnRequest our login sends (signed on HTTP-Redirect, level
    and ForceAuthn, transient NameID, Issuer with NameQualifier, the ACS and attribute
    service of the metadata), then its ~110 crafted Responses posted to our ACS: the right
    ones log in, every one AgID's rules refuse (unsigned, wrapped, replayed, a Recipient or
    Destination that is not ours, an assertion from before the request, a level lower than
    asked...) is refused (quartiere/identita/risposta_spid.py)."""
    idp = tmp_path / "idp-spid-sp-test.xml"
    stampa = subprocess.run(  # noqa: S603
        [str(SPID_SP_TEST), "--idp-metadata"], capture_output=True, check=True, timeout=60
    )
    idp.write_bytes(stampa.stdout)
    imposta_saml(settings, tmp_path, live_server.url, spid=[idp])
    metadati = Client().get("/spid/metadata/").content
    accesso = f"{live_server.url}/spid/login/?idp={quote('https://localhost:8443')}"
    codice, falliti, gruppi = _controlla(
        tmp_path, metadati, "--authn-url", accesso, "--test-response"
    )
    assert (codice, [f["test"] for f in falliti]) == (0, [])
    # The crafted responses were sent and judged, not skipped.
    assert sum(len(elenco) for elenco in gruppi["response"].values()) > 100


@pytest.mark.parametrize("mancante", ["QUARTIERE_SAML_CODICE_IPA", "QUARTIERE_SAML_EMAIL_CONTATTO"])
def test_senza_codice_ipa_o_contatto_non_parte(tmp_path, mancante):
    """A public SPID service without the Comune's IPA code or a contact would publish
    metadata AgID refuses: the settings stop the start instead."""
    completo = {
        "QUARTIERE_SPID_METADATA": str(tmp_path / "idp.xml"),
        "QUARTIERE_SAML_KEY_FILE": str(tmp_path / "sp.key"),
        "QUARTIERE_SAML_CERT_FILE": str(tmp_path / "sp.crt"),
        "QUARTIERE_SAML_CODICE_IPA": "c_x000",
        "QUARTIERE_SAML_EMAIL_CONTATTO": "spid@comune.example.org",
    }
    ambiente = {**os.environ, **completo, "DJANGO_SETTINGS_MODULE": "quartiere.settings_test"}
    codice = "import django; django.setup(); print('avviato')"
    avvio = subprocess.run(  # noqa: S603
        [sys.executable, "-c", codice], capture_output=True, text=True, env=ambiente
    )
    assert avvio.stdout.strip() == "avviato", avvio.stderr[-2000:]
    del ambiente[mancante]
    avvio = subprocess.run(  # noqa: S603
        [sys.executable, "-c", codice], capture_output=True, text=True, env=ambiente
    )
    assert avvio.returncode != 0
    assert "ImproperlyConfigured" in avvio.stderr and mancante in avvio.stderr


@pytest.mark.parametrize(
    ("ipa", "catastale", "atteso"),
    [("c_h501", "", "H501"), ("uc_xyz", "f205", "F205"), ("uc_xyz", "", None)],
)
def test_il_codice_catastale_per_la_cie(tmp_path, ipa, catastale, atteso):
    """CIE's metadata name the Comune by its cadastral code: a Comune's IPA code holds it,
    another body (a union of Comuni) sets it; without it CIE cannot start."""
    ambiente = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "quartiere.settings_test",
        "QUARTIERE_CIE_METADATA": str(tmp_path / "cie.xml"),
        "QUARTIERE_SAML_KEY_FILE": str(tmp_path / "sp.key"),
        "QUARTIERE_SAML_CERT_FILE": str(tmp_path / "sp.crt"),
        "QUARTIERE_SAML_CODICE_IPA": ipa,
        "QUARTIERE_SAML_EMAIL_CONTATTO": "spid@comune.example.org",
        "QUARTIERE_SAML_CODICE_CATASTALE": catastale,
    }
    codice = (
        "import django; django.setup()\n"
        "from django.conf import settings; print(settings.QUARTIERE_SAML['codice_catastale'])"
    )
    avvio = subprocess.run(  # noqa: S603
        [sys.executable, "-c", codice], capture_output=True, text=True, env=ambiente
    )
    if atteso:
        assert avvio.stdout.strip() == atteso, avvio.stderr[-2000:]
    else:
        assert avvio.returncode != 0
        assert "QUARTIERE_SAML_CODICE_CATASTALE" in avvio.stderr
