"""Stored XSS (issue 9): a script in every free-text field shows as text in every page,
e-mail and PDF; no template or helper marks user input safe.

Every editable free-text field (CharField/TextField without choices) of every model of the
project holds the probe; the staff and public pages of the permission matrix are then read
by every role. A page must never carry the probe unescaped, and the pages that show the
records must carry it escaped (so the probe really reached them). PDFs must print it as
literal text (pdftotext); e-mails are plain text and carry it literally, never as HTML.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.core import mail
from django.db import models, transaction
from django.test import Client
from django.urls import reverse

from tests.permessi import matrice
from tests.permessi.dati import completa_per_admin, costruisci

pytestmark = pytest.mark.django_db

SONDA = "<script>alert(1)</script>\"'><img src=x onerror=alert(1)>"
GREZZI = ("<script>alert(1)", "<img src=x onerror")
ESCAPED = "&lt;script&gt;alert(1)"
APP = ("quartiere", "segnalazioni", "mediazione", "laboratori", "patti", "abitare")
# Identifiers, not free text: codes in URLs, numbers, versions, MIME types, search keys.
NON_TESTO = {"codice", "numero", "ricerca", "tipo_mime", "informativa_versione", "serie", "file"}
# Append-only logs (a database trigger refuses UPDATE); they hold usernames, not free text.
SOLO_AGGIUNTA = {
    "mediazione.AccessoDossier",
    "mediazione.EsecuzioneConservazione",
    "abitare.AccessoRiservato",
    # A confidential note is never changed: ``semina`` writes one carrying the probe.
    "abitare.NotaRiservata",
}
# Rows a trigger refuses to UPDATE once in this state (a published privacy notice): the probe
# goes into the others, and ``semina`` publishes a new notice carrying it instead.
IMMUTABILI = {"quartiere.Informativa": {"pubblicata": True}}
RUOLI_LETTORI = ("anonimo", "operatore", "mediatore", "coordinatore", "dirigente")
# Pages that show the probed records: the probe must be there, escaped.
PAGINE_CON_SONDA = {
    "coordinatore": (
        "quartiere:persona_detail",
        "quartiere:organizzazione_detail",
        "quartiere:prenotazione_dettaglio",
        "segnalazioni:dettaglio",
        "segnalazioni:lista",
        "mediazione:dettaglio",
        "laboratori:dettaglio",
        "laboratori:incontro",
        "patti:dettaglio",
        "patti:registro_dettaglio",
        "admin:segnalazioni_segnalazione_change",
        "abitare:nucleo",
        "abitare:note_riservate",
    ),
    "anonimo": (
        "quartiere:privacy",
        "segnalazioni:segui",
        "laboratori:pubblico",
        "patti:registro_dettaglio",
        "quartiere:calendario_pubblico",
    ),
    "mediatore": ("mediazione:dettaglio",),
    # the diary shows the reader's own week
    "operatore": ("quartiere:diario", "quartiere:diario_modifica", "segnalazioni:dettaglio"),
}


def campi_testo():
    """(model, field) for every free-text field the probe goes into."""
    for etichetta in APP:
        for modello in apps.get_app_config(etichetta).get_models():
            if (
                modello._meta.label.startswith(f"{etichetta}.Historical")
                or modello._meta.label in SOLO_AGGIUNTA
            ):
                continue
            for campo in modello._meta.concrete_fields:
                if (
                    isinstance(campo, models.CharField | models.TextField)
                    and not isinstance(campo, models.EmailField | models.URLField)
                    and not campo.choices
                    and campo.editable
                    and campo.name not in NON_TESTO
                    and (campo.max_length is None or campo.max_length >= 30)
                ):
                    yield modello, campo


def semina() -> int:
    """Put the probe into every free-text field of every row; return how many fields."""
    from django.utils import timezone

    from abitare.models import NotaRiservata
    from quartiere.privacy.models import Informativa

    n = 0
    for modello, campo in campi_testo():
        righe = modello._default_manager.exclude(**IMMUTABILI.get(modello._meta.label, {}))
        for pk in righe.values_list("pk", flat=True):
            valore = f"{pk} {SONDA}"
            if campo.max_length:
                valore = valore[: campo.max_length]
            modello._default_manager.filter(pk=pk).update(**{campo.name: valore})
        n += 1
    Informativa.objects.create(
        codice="sonda",
        titolo=SONDA,
        testo=f"## {SONDA}\n\n{SONDA}\n- {SONDA}",
        titolo_inglese=SONDA,
        testo_inglese=SONDA,
        in_vigore_dal=timezone.localdate(),
        pubblicata=True,
    )
    nota = NotaRiservata.objects.first()
    NotaRiservata.objects.create(
        nucleo=nota.nucleo, tipo=nota.tipo, testo=SONDA, scritta_da=nota.scritta_da
    )
    return n


def _grezzo(testo: str) -> list[str]:
    return [g for g in GREZZI if g in testo]


@pytest.fixture(scope="module")
def pagine(django_db_setup, django_db_blocker):
    """(url key, role) -> (content type, text), every GET row of the matrix, probed data."""
    raccolte = {}
    with django_db_blocker.unblock(), transaction.atomic():
        mondo = costruisci()
        completa_per_admin(mondo)
        assert semina() > 40
        for ruolo in RUOLI_LETTORI:
            client = Client()
            if mondo.utenti[ruolo] is not None:
                client.force_login(
                    mondo.utenti[ruolo], backend="django.contrib.auth.backends.ModelBackend"
                )
            for chiave, riga in matrice.TABELLA.items():
                if riga.metodo != "get" or riga.nome.endswith("_pdf") or "pdf" in riga.nome:
                    continue
                percorso = reverse(
                    riga.nome, args=riga.argomenti(mondo) if riga.argomenti else None
                )
                risposta = client.get(percorso)
                if risposta.status_code != 200 or risposta.streaming:
                    continue
                raccolte[chiave, ruolo] = (
                    risposta.get("Content-Type", ""),
                    risposta.content.decode(risposta.charset or "utf-8", errors="replace"),
                )
        transaction.set_rollback(True)
    return raccolte


def test_nessuna_pagina_html_esegue_la_sonda(pagine):
    problemi = [
        f"{chiave} [{ruolo}]: {_grezzo(testo)}"
        for (chiave, ruolo), (tipo, testo) in pagine.items()
        if tipo.startswith(("text/html", "image/svg", "application/xhtml")) and _grezzo(testo)
    ]
    assert not problemi, problemi


def test_i_dati_non_html_non_sono_serviti_come_html(pagine):
    """JSON, CSV, iCalendar, XML with the probe inside must not be sniffable as HTML."""
    for (chiave, ruolo), (tipo, testo) in pagine.items():
        if _grezzo(testo):
            assert not tipo.startswith("text/html"), (chiave, ruolo, tipo)


@pytest.mark.parametrize(
    ("ruolo", "chiave"), [(r, c) for r, chiavi in PAGINE_CON_SONDA.items() for c in chiavi]
)
def test_la_sonda_arriva_escapata(pagine, ruolo, chiave):
    _tipo, testo = pagine[chiave, ruolo]
    assert ESCAPED in testo


# --- PDFs ------------------------------------------------------------------------------------


def _testo_pdf(contenuto: bytes) -> str:
    assert contenuto.startswith(b"%PDF"), contenuto[:40]
    testo = subprocess.run(
        ["pdftotext", "-", "-"], input=contenuto, capture_output=True, check=True
    ).stdout.decode()
    return "".join(testo.split())


@pytest.fixture
def mondo_sondato(db):
    mondo = costruisci()
    semina()
    return mondo


def _client(utente):
    client = Client()
    client.force_login(utente, backend="django.contrib.auth.backends.ModelBackend")
    return client


def test_i_pdf_stampano_la_sonda_come_testo(mondo_sondato):
    m = mondo_sondato
    coordinatore = _client(m.utenti["coordinatore"])
    # A new receipt: it copies the (probed) report when it is issued.
    assert coordinatore.post(reverse("segnalazioni:emetti_ricevuta", args=[m.segnalazione.pk]))
    ricevuta = m.segnalazione.ricevute.order_by("pk").last()
    documenti = {
        "ricevuta": coordinatore.get(
            reverse("segnalazioni:ricevuta", args=[m.segnalazione.pk, ricevuta.pk])
        ),
        "verbale": coordinatore.get(reverse("laboratori:verbale_pdf", args=[m.incontro.pk])),
        "patto": coordinatore.get(reverse("patti:pdf", args=[m.patto.pk])),
        "dossier": _client(m.utenti["mediatore"]).get(
            reverse("mediazione:pdf", args=[m.dossier.pk])
        ),
        "accesso_dati": coordinatore.post(
            reverse("quartiere:persona_accesso_dati", args=[m.persona.pk]), {"formato": "pdf"}
        ),
    }
    letterale = "".join(["<script>alert(1)</script>"])
    for nome, risposta in documenti.items():
        assert risposta.status_code == 200, nome
        assert letterale in _testo_pdf(risposta.content), nome


# --- E-mails ---------------------------------------------------------------------------------


def test_le_email_portano_la_sonda_come_testo_semplice(
    mondo_sondato, django_capture_on_commit_callbacks
):
    from quartiere.calendario.models import Prenotazione
    from quartiere.calendario.services import conferma_prenotazione
    from segnalazioni import services

    m = mondo_sondato
    mail.outbox = []
    with django_capture_on_commit_callbacks(execute=True):
        s = services.crea_segnalazione(
            dati={
                "categoria": m.categoria,
                "quartiere": m.quartieri["san-siro"],
                "oggetto": SONDA,
                "descrizione": SONDA,
                "indirizzo": SONDA,
                "nome_segnalante": SONDA[:150],
                "email_segnalante": "sonda@example.org",
                "consenso_privacy": True,
            }
        )
        services.rispondi(s, SONDA, da=m.utenti["operatore"])
    prenotazione = m.prenotazione
    Prenotazione.objects.filter(pk=prenotazione.pk).update(
        stato=Prenotazione.Stato.RICHIESTA, richiedente_email="sala@example.org"
    )
    prenotazione.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        conferma_prenotazione(prenotazione, da=m.utenti["coordinatore"])
    destinatari = {d for messaggio in mail.outbox for d in messaggio.to}
    assert {"sonda@example.org", "sala@example.org"} <= destinatari
    for messaggio in mail.outbox:
        assert messaggio.content_subtype == "plain"
        for _contenuto, tipo in getattr(messaggio, "alternatives", []):
            assert tipo != "text/html" or not _grezzo(_contenuto)
        if set(messaggio.to) & {"sonda@example.org", "sala@example.org"}:
            # Plain text shows the text as typed: escaping it would print "&lt;".
            assert "<script>alert(1)</script>" in messaggio.body, messaggio.subject
            assert ESCAPED not in messaggio.body


# --- Nothing marks user input safe -----------------------------------------------------------

# (file, pattern, why it is not user input). Every hit of PERICOLOSI must be listed here,
# and every entry must still match something (an entry that matches nothing is stale).
CONSENTITI = [
    (
        r"^.*/templates/.*/email/[^/]+\.txt$",
        r"\{% autoescape off %\}",
        "plain-text e-mail bodies: never read as HTML, escaping would print &lt; to citizens",
    ),
    (
        r"^templates/registration/password_reset_email\.html$",
        r"\{% autoescape off %\}",
        "Django's password-reset body is sent as text/plain (the .html name is Django's)",
    ),
    (
        r"^quartiere/lib/testo_semplice\.py$",
        r"mark_safe\(",
        "the admin-edited privacy notice: joins pieces escaped by urlize/format_html just above",
    ),
    (
        r"^quartiere/templatetags/quartiere_widget\.py$",
        r"mark_safe\(",
        "Django's select.html in one loop: every value goes through render_value_in_context",
    ),
    (
        r"^quartiere/relazioni/grafici\.py$",
        r"mark_safe\(",
        "server-built SVG charts: every piece goes through format_html first",
    ),
    (
        r"^segnalazioni/views/pubblico\.py$",
        r"mark_safe\(",
        "the service card's JSON-LD data block: <, > and & escaped as json_script does",
    ),
    (
        r"^quartiere/relazioni/pdf\.py$",
        r"mark_safe\(",
        "a CSS string for the PDF's page margins, escaped for CSS just above",
    ),
]
PERICOLOSI = re.compile(r"\|\s*safe\b|\|\s*safeseq\b|\{%\s*autoescape\s+off\s*%\}|mark_safe\(")


def test_niente_safe_sull_input_degli_utenti():
    radice = Path(settings.BASE_DIR)
    trovati = []
    usati = set()
    for cartella in (*APP, "templates"):
        for percorso in sorted((radice / cartella).rglob("*")):
            if percorso.suffix not in {".html", ".txt", ".py", ".xml", ".svg"}:
                continue
            if "migrations" in percorso.parts or "static" in percorso.parts:
                continue
            relativo = percorso.relative_to(radice).as_posix()
            for numero, riga in enumerate(percorso.read_text(errors="replace").splitlines(), 1):
                for trovato in PERICOLOSI.finditer(riga):
                    regole = [
                        i
                        for i, (file, schema, _perche) in enumerate(CONSENTITI)
                        if re.match(file, relativo) and re.search(schema, trovato.group())
                    ]
                    if regole:
                        usati.update(regole)
                    else:
                        trovati.append(f"{relativo}:{numero}: {riga.strip()[:120]}")
    assert not trovati, trovati
    assert usati == set(range(len(CONSENTITI))), "voce di CONSENTITI che non serve più"
