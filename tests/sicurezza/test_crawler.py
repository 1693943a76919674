"""Walk every named URL that takes no argument, as a visitor and as a coordinator.

Meant to catch regressions as the apps grow: no page answers 500, every response carries
the Content-Security-Policy header, and no HTML page holds what the strict CSP would block
(inline <script> without src, <style> elements, style="" attributes, on* event handler
attributes, javascript: URLs). Redirects, 403, 404 and 405 are fine: the URL x role matrix
decides who may see what; this test only looks at what is served.
"""

from __future__ import annotations

import re
import sys
from html.parser import HTMLParser

import pytest
from django.core.management import call_command
from django.test import Client, override_settings
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, reverse

pytestmark = pytest.mark.django_db

# Scripts that only carry data (Django's json_script): browsers never execute them.
TIPI_SCRIPT_DATI = {"application/json", "application/ld+json"}
# Known problems in code this test does not own, each excused only on the URLs it matches
# and only for the kinds of problem it names: anything else still fails. Remove an entry
# when its cause is fixed.
NOTI: list[tuple[re.Pattern, tuple[str, ...], str]] = []
ATTRIBUTI_URL = {"href", "src", "action", "formaction", "xlink:href", "data", "poster"}


def nomi_url() -> list[str]:
    """Every URL name in the URLconf, with its namespaces (``admin:index``)."""
    nomi: set[str] = set()

    def visita(risolutore: URLResolver, prefisso: str) -> None:
        for voce in risolutore.url_patterns:
            if isinstance(voce, URLResolver):
                visita(voce, f"{prefisso}{voce.namespace}:" if voce.namespace else prefisso)
            elif isinstance(voce, URLPattern) and voce.name:
                nomi.add(prefisso + voce.name)

    visita(get_resolver(), "")
    return sorted(nomi)


def url_senza_argomenti() -> dict[str, str]:
    """URL name -> path, for the names that reverse without arguments."""
    percorsi = {}
    for nome in nomi_url():
        try:
            percorsi[nome] = reverse(nome)
        except NoReverseMatch:
            continue  # needs arguments
    return percorsi


class _Ispettore(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problemi: list[str] = []
        self._script_inline: tuple[int, int] | None = None
        self._testo_script: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributi = dict(attrs)
        riga, _colonna = self.getpos()
        if tag == "script":
            tipo = (attributi.get("type") or "").split(";")[0].strip().lower()
            if "src" not in attributi and tipo not in TIPI_SCRIPT_DATI:
                self._script_inline = (riga, 0)
                self._testo_script = []
        if tag == "style":
            self.problemi.append(f"riga {riga}: elemento <style>")
        for nome, valore in attrs:
            nome = nome.lower()
            if nome == "style":
                self.problemi.append(f"riga {riga}: attributo style= su <{tag}>")
            elif nome.startswith("on"):
                self.problemi.append(f"riga {riga}: gestore di evento {nome}= su <{tag}>")
            elif (
                nome in ATTRIBUTI_URL
                and valore
                and "".join(valore.split()).lower().startswith("javascript:")
            ):
                self.problemi.append(f"riga {riga}: URL javascript: in {nome}= su <{tag}>")

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag == "script":
            self.handle_endtag(tag)

    def handle_data(self, data):
        if self._script_inline is not None:
            self._testo_script.append(data)

    def handle_endtag(self, tag):
        if tag == "script" and self._script_inline is not None:
            self.problemi.append(
                f"riga {self._script_inline[0]}: <script> inline senza src "
                f"({''.join(self._testo_script).strip()[:60]!r})"
            )
            self._script_inline = None


def problemi_html(html: str) -> list[str]:
    ispettore = _Ispettore()
    ispettore.feed(html)
    ispettore.close()
    return ispettore.problemi


def _scusato(nome: str, problema: str) -> bool:
    return any(
        schema.match(nome) and any(tipo in problema for tipo in tipi) for schema, tipi, _ in NOTI
    )


def _visita(client: Client, percorsi: dict[str, str], ruolo: str) -> tuple[list[str], int]:
    problemi = []
    pagine_html = 0
    for nome, percorso in percorsi.items():
        etichetta = f"[{ruolo}] {nome} {percorso}"
        try:
            risposta = client.get(percorso)
        except Exception as exc:  # noqa: BLE001 - the test client re-raises view errors
            problemi.append(f"{etichetta}: eccezione {type(exc).__name__}: {exc}"[:300])
            continue
        if risposta.status_code >= 500:
            problemi.append(f"{etichetta}: risposta {risposta.status_code}")
        if "Content-Security-Policy" not in risposta:
            problemi.append(f"{etichetta}: manca l'intestazione Content-Security-Policy")
        tipo = risposta.get("Content-Type", "")
        if tipo.startswith("text/html") and not risposta.streaming:
            pagine_html += 1
            for problema in problemi_html(risposta.content.decode(risposta.charset or "utf-8")):
                if not _scusato(nome, problema):
                    problemi.append(f"{etichetta}: {problema}")
    return problemi, pagine_html


# --- The inspector itself must catch what it is meant to catch -------------------------------


@pytest.mark.parametrize(
    ("html", "atteso"),
    [
        ("<script>alert(1)</script>", "<script> inline"),
        ('<script type="text/javascript">x()</script>', "<script> inline"),
        ('<script type="module">x()</script>', "<script> inline"),
        ("<p style='color:red'>x</p>", "attributo style="),
        ("<style>p{}</style>", "elemento <style>"),
        ('<a href="javascript:alert(1)">x</a>', "URL javascript:"),
        ('<a href=" JaVaScRiPt:alert(1)">x</a>', "URL javascript:"),
        ('<form action="javascript:x()"></form>', "URL javascript:"),
        ('<img src="x.png" onerror="alert(1)">', "gestore di evento onerror="),
        ('<button onclick="x()">x</button>', "gestore di evento onclick="),
    ],
)
def test_l_ispettore_trova_cio_che_la_csp_bloccherebbe(html, atteso):
    problemi = problemi_html(f"<!DOCTYPE html><html><body>{html}</body></html>")
    assert any(atteso in p for p in problemi), problemi


def test_l_ispettore_lascia_passare_l_html_pulito():
    html = (
        '<!DOCTYPE html><html><head><script src="/static/a.js"></script>'
        '<link rel="stylesheet" href="/static/a.css"></head><body>'
        '<script id="dati" type="application/json">{"a": 1}</script>'
        '<a href="/lavoro/">javascript: a text, not a link</a>'
        '<p class="d-none" data-style="x">ok</p></body></html>'
    )
    assert problemi_html(html) == []


def test_le_eccezioni_note_sono_strette(monkeypatch):
    # No exception is needed today (the import-export page is overridden in templates/admin);
    # the mechanism still excuses only the URLs and kinds of problem an entry names.
    assert not _scusato("admin:patti_patto_export", "riga 3: attributo style= su <p>")
    monkeypatch.setattr(
        sys.modules[__name__],
        "NOTI",
        [(re.compile(r"^admin:\w+_export$"), ("attributo style=",), "esempio")],
    )
    assert _scusato("admin:patti_patto_export", "riga 3: attributo style= su <p>")
    assert not _scusato("admin:patti_patto_export", "riga 3: <script> inline senza src ('x')")
    assert not _scusato("admin:patti_patto_changelist", "riga 3: attributo style= su <p>")


def test_l_elenco_comprende_gli_spazi_dei_nomi_e_salta_gli_url_con_argomenti():
    percorsi = url_senza_argomenti()
    assert percorsi["quartiere:home"] == "/"
    assert percorsi["admin:index"] == "/admin/"
    assert "otp:verifica" in percorsi
    assert "login" in percorsi
    assert "quartiere:persona_detail" in nomi_url()
    assert "quartiere:persona_detail" not in percorsi


# --- The crawl --------------------------------------------------------------------------------


def test_ogni_pagina_senza_argomenti_servita_con_csp_e_senza_inline(coordinatore, client_di):
    with override_settings(DEBUG=True):
        call_command("seed_demo", verbosity=0)
    percorsi = url_senza_argomenti()
    assert len(percorsi) > 20

    problemi_anonimo, html_anonimo = _visita(client_di(None), percorsi, "anonimo")
    problemi_coordinatore, html_coordinatore = _visita(
        client_di(coordinatore), percorsi, "coordinatore"
    )
    # The walk must actually have looked at pages, not only at redirects.
    assert html_anonimo >= 5
    assert html_coordinatore >= 10
    problemi = problemi_anonimo + problemi_coordinatore
    assert not problemi, f"{len(problemi)} problemi:\n" + "\n".join(problemi)
