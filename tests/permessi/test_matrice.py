"""The URL x role permission matrix (issue 9): every named URL of the URLconf, asked by every
role, must answer as ``tests/permessi/matrice.py`` says.

The records are built once per module and every request runs in a savepoint that is rolled
back, so a POST that changes something (a state change, a deletion) never changes what the
next role sees. A URL name in the URLconf without a row in the table fails
``test_ogni_url_ha_una_riga``: nobody can add a route without deciding who may use it.
"""

from __future__ import annotations

import copy
import os
import time

import pytest
import weasyprint
from django.core.cache import cache
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.permessi import matrice
from tests.permessi.dati import RUOLI, completa_per_admin, costruisci

# The mark makes pytest-django create the test database; the rows are read from the
# module-scoped ``risposte``.
pytestmark = pytest.mark.django_db


def nomi_url() -> set[str]:
    """Every URL name of the URLconf, with its namespaces (``segnalazioni:dettaglio``)."""
    nomi: set[str] = set()

    def visita(risolutore: URLResolver, prefisso: str) -> None:
        for voce in risolutore.url_patterns:
            if isinstance(voce, URLResolver):
                visita(voce, f"{prefisso}{voce.namespace}:" if voce.namespace else prefisso)
            elif isinstance(voce, URLPattern) and voce.name:
                nomi.add(prefisso + voce.name)

    visita(get_resolver(), "")
    return nomi


DURATE: dict = {}
# Personal data of San Siro and of the dossier, and the roles that must never receive it in
# any page, export or JSON (whatever the status table says about the page itself).
SEGRETI = {
    # the resident's surname and the citizen's e-mail: only San Siro's staff and above
    "Sansirese": {"anonimo", "operatore_altro"},
    "cittadina@example.org": {"anonimo", "operatore_altro"},
    # the dossier's description: only its mediator and the coordinators
    "Segreto di mediazione": {
        "anonimo",
        "operatore",
        "operatore_altro",
        "dirigente",
        "amministratore",
    },
}
FUGHE: dict[str, set] = {}
# Issue 4: the amministratore reads a dossier only through the admin, each read logged.
LETTURE_CONSENTITE = {
    ("amministratore", "admin:mediazione_dossier_change"),
    ("amministratore", "admin:mediazione_dossier_change@fuori"),
}
VISTI: set = set()


def _chiedi(client: Client, riga: matrice.Riga, percorso: str):
    inizio = time.perf_counter()
    # A logout (or a login) changes the client's session cookie: put it back afterwards, the
    # database side is rolled back anyway.
    biscotti = copy.deepcopy(client.cookies)
    cache.clear()  # rate limits and cached pages must not depend on the previous request
    with transaction.atomic():
        if riga.metodo == "post":
            risposta = client.post(percorso, riga.dati or {})
        else:
            risposta = client.get(percorso)
        transaction.set_rollback(True)
    client.cookies = biscotti
    DURATE[riga.nome] = DURATE.get(riga.nome, 0) + time.perf_counter() - inizio
    return risposta


@pytest.fixture(scope="module")
def risposte(django_db_setup, django_db_blocker):
    """(row key, role) -> status code, for the whole table, in one rolled-back transaction."""
    esiti = {}
    percorsi = {}
    with (
        django_db_blocker.unblock(),
        transaction.atomic(),
        pytest.MonkeyPatch.context() as patch,
    ):
        # Who may download a PDF is decided before it is drawn: skip the drawing (the apps'
        # own tests look at the PDFs), it would be most of this test's time.
        patch.setattr(weasyprint.HTML, "write_pdf", lambda *a, **k: b"%PDF-1.4\n%%EOF\n")
        mondo = costruisci()
        completa_per_admin(mondo)
        for ruolo in RUOLI:
            client = Client()
            utente = mondo.utenti[ruolo]
            if utente is not None:
                client.force_login(utente, backend="django.contrib.auth.backends.ModelBackend")
            for chiave, riga in matrice.TABELLA.items():
                percorso = reverse(
                    riga.nome, args=riga.argomenti(mondo) if riga.argomenti else None
                )
                percorsi[chiave] = percorso
                risposta = _chiedi(client, riga, percorso)
                esiti[chiave, ruolo] = risposta.status_code
                if risposta.status_code == 200 and not risposta.streaming:
                    corpo = risposta.content
                    for segreto, ruoli in SEGRETI.items():
                        if segreto.encode() in corpo:
                            VISTI.add((chiave, ruolo, segreto))
                            if ruolo in ruoli:
                                FUGHE.setdefault(ruolo, set()).add((chiave, segreto))
        transaction.set_rollback(True)
    if os.environ.get("PERMESSI_STAMPA"):
        for chiave, riga in matrice.TABELLA.items():
            codici = " ".join(str(esiti[chiave, r]) for r in RUOLI)
            print(f"{chiave!r}: {riga.metodo} {percorsi[chiave]} -> {codici}")
        for nome, durata in sorted(DURATE.items(), key=lambda x: -x[1])[:25]:
            print(f"{durata:6.2f}s {nome}")
    return esiti


def test_ogni_url_ha_una_riga():
    """Every URL name has a row; the admin's per-model URLs are represented per model."""
    coperti = {riga.nome for riga in matrice.TABELLA.values()}
    mancanti = []
    for nome in sorted(nomi_url()):
        if nome in coperti:
            continue
        modello = matrice.modello_admin(nome)
        if modello is not None and modello in matrice.MODELLI_ADMIN:
            continue
        mancanti.append(nome)
    assert not mancanti, f"URL senza riga in tests/permessi/matrice.py: {mancanti}"


def test_nessuna_riga_orfana():
    """A row whose URL no longer exists is dead weight that hides a renamed route."""
    nomi = nomi_url()
    assert not [r.nome for r in matrice.TABELLA.values() if r.nome not in nomi]


def _casi():
    for chiave, riga in matrice.TABELLA.items():
        for ruolo in RUOLI:
            marks = []
            if ruolo in riga.difetti:
                marks.append(pytest.mark.xfail(strict=True, reason=riga.difetti[ruolo]))
            yield pytest.param(chiave, ruolo, id=f"{chiave}-{ruolo}", marks=marks)


def test_il_rivelatore_vede_i_segreti_dove_sono_ammessi(risposte):
    """Positive controls: the markers are on the pages of those who may read them, so their
    absence elsewhere means something."""
    assert ("quartiere:persona_detail", "operatore", "Sansirese") in VISTI
    assert ("segnalazioni:dettaglio", "operatore", "cittadina@example.org") in VISTI
    assert ("mediazione:dettaglio", "mediatore", "Segreto di mediazione") in VISTI
    assert ("mediazione:dettaglio", "coordinatore", "Segreto di mediazione") in VISTI


@pytest.mark.parametrize("ruolo", RUOLI)
def test_nessun_dato_personale_fuori_ambito(risposte, ruolo):
    """No 200 answer carries personal data the role may not see (counts, lists, exports,
    JSON, admin). Cells already listed as defects in the table are not counted twice."""
    fughe = {
        (chiave, segreto)
        for chiave, segreto in FUGHE.get(ruolo, set())
        if ruolo not in matrice.TABELLA[chiave].difetti
        and (ruolo, chiave) not in LETTURE_CONSENTITE
    }
    assert not fughe, sorted(fughe)


@pytest.mark.parametrize(("chiave", "ruolo"), list(_casi()))
def test_matrice(risposte, chiave, ruolo):
    atteso = matrice.TABELLA[chiave].attesi[ruolo]
    assert risposte[chiave, ruolo] == atteso
