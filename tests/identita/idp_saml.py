"""A real SAML 2.0 identity provider for the tests, built with pysaml2's ``Server``: it
publishes its metadata, takes the service provider's signed AuthnRequest on the HTTP-Redirect
binding (and refuses an unsigned one), shows a login page with its test citizens, and POSTs
the signed response back to the assertion consumer service, as a SPID or CIE IdP does."""

from __future__ import annotations

import datetime
import html
import secrets
import shutil
import threading
from pathlib import Path
from urllib.parse import parse_qs
from wsgiref.simple_server import WSGIRequestHandler, make_server

import saml2
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from saml2.config import IdPConfig
from saml2.metadata import create_metadata_string
from saml2.response import IncorrectlySigned
from saml2.saml import NAME_FORMAT_BASIC, NAMEID_FORMAT_TRANSIENT
from saml2.server import Server
from saml2.xmldsig import SIG_RSA_SHA256

from quartiere.identita.saml import MAPPE_ATTRIBUTI


def chiave_e_certificato(cartella: Path, nome: str) -> tuple[Path, Path]:
    """A fresh RSA key and its self-signed certificate, as PEM files."""
    chiave = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    soggetto = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, nome)])
    adesso = datetime.datetime.now(datetime.UTC)
    certificato = (
        x509.CertificateBuilder()
        .subject_name(soggetto)
        .issuer_name(soggetto)
        .public_key(chiave.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(adesso - datetime.timedelta(days=1))
        .not_valid_after(adesso + datetime.timedelta(days=30))
        .sign(chiave, hashes.SHA256())
    )
    file_chiave = cartella / f"{nome}.key"
    file_cert = cartella / f"{nome}.crt"
    file_chiave.write_bytes(
        chiave.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.TraditionalOpenSSL,
            serialization.NoEncryption(),
        )
    )
    file_cert.write_bytes(certificato.public_bytes(serialization.Encoding.PEM))
    return file_chiave, file_cert


class _Silenzioso(WSGIRequestHandler):
    def log_message(self, *args):
        pass


class IdPDiProva:
    """Start with :meth:`avvia` once the service provider's metadata is known."""

    def __init__(self, cartella: Path, nome: str, utenti: dict[str, dict[str, str]]):
        self.cartella = cartella
        self.nome = nome
        self.utenti = utenti
        self.chiave, self.certificato = chiave_e_certificato(cartella, f"idp-{nome}")
        self._server_http = make_server("localhost", 0, self._app, handler_class=_Silenzioso)
        self.base = f"http://localhost:{self._server_http.server_port}"
        self.entity_id = f"{self.base}/metadata"
        self._richieste: dict[str, tuple] = {}
        self.rifiutate = 0
        self.uscite = 0
        self.file_metadati = cartella / f"idp-{nome}.xml"
        self.file_metadati.write_text(
            create_metadata_string(None, config=self._config(sp_metadati=None), valid=24).decode()
        )

    def _config(self, sp_metadati: Path | None) -> IdPConfig:
        conf = {
            "entityid": self.entity_id,
            "name": self.nome,
            "xmlsec_binary": shutil.which("xmlsec1"),
            "allow_unknown_attributes": True,
            "service": {
                "idp": {
                    "name": self.nome,
                    "endpoints": {
                        "single_sign_on_service": [
                            (f"{self.base}/sso", saml2.BINDING_HTTP_REDIRECT)
                        ],
                        "single_logout_service": [
                            (f"{self.base}/slo", saml2.BINDING_HTTP_REDIRECT)
                        ],
                    },
                    "name_id_format": [NAMEID_FORMAT_TRANSIENT],
                    "want_authn_requests_signed": True,
                    "sign_response": True,
                    "sign_assertion": True,
                    "policy": {
                        "default": {
                            "lifetime": {"minutes": 5},
                            "attribute_restrictions": None,
                            "name_form": NAME_FORMAT_BASIC,
                        }
                    },
                }
            },
            "key_file": str(self.chiave),
            "cert_file": str(self.certificato),
            "organization": {
                "name": [(self.nome, "it")],
                "display_name": [(self.nome, "it")],
                "url": [(self.base, "it")],
            },
            "metadata": {"local": [str(sp_metadati)] if sp_metadati else []},
            # A SPID IdP names the attributes as AgID does ("name", not a MACE URI).
            "attribute_map_dir": str(MAPPE_ATTRIBUTI),
        }
        config = IdPConfig()
        config.load(conf)
        return config

    def avvia(self, sp_metadati: str) -> None:
        file_sp = self.cartella / f"sp-per-{self.nome}.xml"
        file_sp.write_text(sp_metadati)
        self.server = Server(config=self._config(file_sp))
        self._thread = threading.Thread(target=self._server_http.serve_forever, daemon=True)
        self._thread.start()

    def ferma(self) -> None:
        # shutdown() waits for serve_forever(): a test that failed before avvia() would hang.
        if getattr(self, "_thread", None) is not None:
            self._server_http.shutdown()
        self._server_http.server_close()

    # --- WSGI ---------------------------------------------------------------------------

    def _app(self, environ, start_response):
        percorso = environ["PATH_INFO"]
        if percorso == "/sso" and environ["REQUEST_METHOD"] == "GET":
            return self._sso(environ, start_response)
        if percorso == "/slo" and environ["REQUEST_METHOD"] == "GET":
            return self._slo(environ, start_response)
        if percorso == "/accedi" and environ["REQUEST_METHOD"] == "POST":
            lunghezza = int(environ.get("CONTENT_LENGTH") or 0)
            dati = parse_qs(environ["wsgi.input"].read(lunghezza).decode())
            return self._risposta(dati, start_response)
        start_response("404 Not Found", [("Content-Type", "text/plain")])
        return [b"not found"]

    def _pagina(self, start_response, stato: str, corpo: str):
        start_response(stato, [("Content-Type", "text/html; charset=utf-8")])
        return [f"<!doctype html><html lang='it'><body>{corpo}</body></html>".encode()]

    def _sso(self, environ, start_response):
        query = {k: v[0] for k, v in parse_qs(environ["QUERY_STRING"]).items()}
        try:
            # want_authn_requests_signed: pysaml2 checks the redirect binding's signature
            # (SigAlg, Signature) against the certificate in the SP's metadata.
            richiesta = self.server.parse_authn_request(
                query["SAMLRequest"],
                saml2.BINDING_HTTP_REDIRECT,
                relay_state=query.get("RelayState"),
                sigalg=query.get("SigAlg"),
                signature=query.get("Signature"),
            )
        except (IncorrectlySigned, KeyError):
            self.rifiutate += 1
            return self._pagina(start_response, "400 Bad Request", "<h1>Richiesta non firmata</h1>")
        chiave = secrets.token_urlsafe(16)
        self._richieste[chiave] = (richiesta.message, query.get("RelayState", ""))
        opzioni = "".join(
            f"<option value='{html.escape(cf)}'>{html.escape(u['name'])} "
            f"{html.escape(u['familyName'])}</option>"
            for cf, u in self.utenti.items()
        )
        livello = richiesta.message.requested_authn_context.authn_context_class_ref[0].text
        return self._pagina(
            start_response,
            "200 OK",
            f"<h1>{html.escape(self.nome)}</h1><p id='livello'>{html.escape(livello)}</p>"
            f"<form method='post' action='/accedi'><input type='hidden' name='chiave' "
            f"value='{chiave}'><label for='utente'>Utente</label><select id='utente' "
            f"name='utente'>{opzioni}</select><button type='submit'>Autorizza</button></form>",
        )

    def _slo(self, environ, start_response):
        """Single logout: the SP's signed LogoutRequest, answered with a signed
        LogoutResponse on the redirect binding."""
        query = {k: v[0] for k, v in parse_qs(environ["QUERY_STRING"]).items()}
        try:
            richiesta = self.server.parse_logout_request(
                query["SAMLRequest"],
                saml2.BINDING_HTTP_REDIRECT,
                relay_state=query.get("RelayState"),
                sigalg=query.get("SigAlg"),
                signature=query.get("Signature"),
            )
        except (IncorrectlySigned, KeyError):
            self.rifiutate += 1
            return self._pagina(start_response, "400 Bad Request", "<h1>Richiesta non firmata</h1>")
        self.uscite += 1
        sp = richiesta.message.issuer.text
        risposta = self.server.create_logout_response(
            richiesta.message, [saml2.BINDING_HTTP_REDIRECT]
        )
        binding, destinazione = self.server.pick_binding(
            "single_logout_service", [saml2.BINDING_HTTP_REDIRECT], "spsso", entity_id=sp
        )
        http = self.server.apply_binding(
            binding,
            str(risposta),
            destinazione,
            query.get("RelayState", ""),
            response=True,
            sign=True,
            sigalg=SIG_RSA_SHA256,
        )
        start_response("302 Found", [("Location", dict(http["headers"])["Location"])])
        return [b""]

    def _risposta(self, dati, start_response):
        messaggio, relay_state = self._richieste.pop(dati["chiave"][0])
        utente = self.utenti[dati["utente"][0]]
        identita = {nome: [valore] for nome, valore in utente.items() if valore}
        binding, destinazione = self.server.pick_binding(
            "assertion_consumer_service",
            bindings=[saml2.BINDING_HTTP_POST],
            entity_id=messaggio.issuer.text,
            request=messaggio,
        )
        risposta = self.server.create_authn_response(
            identita,
            in_response_to=messaggio.id,
            destination=destinazione,
            sp_entity_id=messaggio.issuer.text,
            name_id_policy=messaggio.name_id_policy,
            userid=utente["fiscalNumber"],
            sign_response=True,
            sign_assertion=True,
            authn={
                "class_ref": messaggio.requested_authn_context.authn_context_class_ref[0].text,
                "authn_auth": self.entity_id,
            },
        )
        http = self.server.apply_binding(
            binding, str(risposta), destinazione, relay_state, response=True
        )
        # pysaml2's page: a form with the signed response that a script submits at once.
        start_response("200 OK", [("Content-Type", "text/html; charset=utf-8")])
        return [http["data"].encode()]
