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
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import weasyprint
from django.core.cache import cache
from django.db import transaction
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.dati_di_modulo import transazione_di_modulo
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
CITTADINO = "cittadino"
# The pages where a logged-in citizen is not an anonymous visitor: their own area, the login
# pages that send them on (the staff's, and its second step, to the desk that refuses them),
# the password pages (they have none).
PER_IL_CITTADINO = {
    "quartiere:area_personale": 200,
    "quartiere:miei_dati": 200,
    "quartiere:accedi": 302,
    "login": 302,
    "otp:verifica": 302,
    "otp:attiva": 302,
    "password_change": 403,
    "password_change_done": 403,
}
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
# Issue 4: the amministratore reads a dossier only through the admin, each read logged.
LETTURE_CONSENTITE = {
    ("amministratore", "admin:mediazione_dossier_change"),
    ("amministratore", "admin:mediazione_dossier_change@fuori"),
}


@dataclass
class Aperto:
    """The records, a logged-in client per role, and the cells asked so far."""

    mondo: object
    client: dict[str, Client]
    media: Path
    celle: dict = field(default_factory=dict)


def _chiedi(aperto: Aperto, riga: matrice.Riga, percorso: str, ruolo: str):
    client = aperto.client[ruolo]
    inizio = time.perf_counter()
    # A logout (or a login) changes the client's session cookie: put it back afterwards, the
    # database side is rolled back anyway.
    biscotti = copy.deepcopy(client.cookies)
    cache.clear()  # rate limits and cached pages must not depend on the previous request
    with override_settings(MEDIA_ROOT=aperto.media), transaction.atomic():
        if riga.metodo == "post":
            risposta = client.post(percorso, riga.dati or {})
        else:
            risposta = client.get(percorso)
        transaction.set_rollback(True)
    client.cookies = biscotti
    DURATE[riga.nome] = DURATE.get(riga.nome, 0) + time.perf_counter() - inizio
    return risposta


@pytest.fixture(scope="module")
def aperto(django_db_setup, django_db_blocker, tmp_path_factory):
    """The records, built once per module (per xdist worker) in a transaction that stays
    open for the module's tests and is rolled back at its end. Each worker then asks only
    the cells of the tests it was given (:func:`cella`), not the whole table."""
    media = tmp_path_factory.mktemp("media_matrice")
    with (
        override_settings(MEDIA_ROOT=media),
        pytest.MonkeyPatch.context() as patch,
        transazione_di_modulo(django_db_blocker),
    ):
        # Who may download a PDF is decided before it is drawn: skip the drawing (the apps'
        # own tests look at the PDFs), it would be most of this test's time.
        patch.setattr(weasyprint.HTML, "write_pdf", lambda *a, **k: b"%PDF-1.4\n%%EOF\n")
        mondo = costruisci()
        completa_per_admin(mondo)
        # The sessions are written now, in the module's transaction: a login inside a test
        # would be rolled back with the test.
        client = {}
        for ruolo in RUOLI:
            client[ruolo] = Client()
            utente = mondo.utenti[ruolo]
            if utente is not None:
                client[ruolo].force_login(
                    utente, backend="django.contrib.auth.backends.ModelBackend"
                )
        # A citizen logged in with SPID (issue 17): a user without any role.
        client[CITTADINO] = Client()
        client[CITTADINO].force_login(
            mondo.oggetti["account_cittadino"].utente,
            backend="django.contrib.auth.backends.ModelBackend",
        )
        aperto = Aperto(mondo, client, media)
        yield aperto
        if os.environ.get("PERMESSI_STAMPA"):
            for (chiave, ruolo), (stato, _s) in sorted(aperto.celle.items()):
                print(f"{chiave!r} {ruolo}: {stato}")
            for nome, durata in sorted(DURATE.items(), key=lambda x: -x[1])[:25]:
                print(f"{durata:6.2f}s {nome}")


def cella(aperto: Aperto, chiave: str, ruolo: str) -> tuple[int, set[str]]:
    """The status code of ``chiave`` asked by ``ruolo``, and the markers of personal data
    found in its body (a 200 that is not streamed)."""
    if (chiave, ruolo) not in aperto.celle:
        riga = matrice.TABELLA[chiave]
        argomenti = riga.argomenti(aperto.mondo) if riga.argomenti else None
        risposta = _chiedi(aperto, riga, reverse(riga.nome, args=argomenti), ruolo)
        segreti = set()
        if risposta.status_code == 200 and not risposta.streaming:
            segreti = {s for s in SEGRETI if s.encode() in risposta.content}
        aperto.celle[chiave, ruolo] = (risposta.status_code, segreti)
    return aperto.celle[chiave, ruolo]


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


def test_il_rivelatore_vede_i_segreti_dove_sono_ammessi(aperto):
    """Positive controls: the markers are on the pages of those who may read them, so their
    absence elsewhere means something."""
    assert "Sansirese" in cella(aperto, "quartiere:persona_detail", "operatore")[1]
    assert "cittadina@example.org" in cella(aperto, "segnalazioni:dettaglio", "operatore")[1]
    assert "Segreto di mediazione" in cella(aperto, "mediazione:dettaglio", "mediatore")[1]
    assert "Segreto di mediazione" in cella(aperto, "mediazione:dettaglio", "coordinatore")[1]


@pytest.mark.parametrize(("chiave", "ruolo"), list(_casi()))
def test_matrice(aperto, chiave, ruolo):
    """The cell's status code is the table's, and no 200 answer carries personal data the
    role may not see (counts, lists, exports, JSON, admin)."""
    stato, segreti = cella(aperto, chiave, ruolo)
    assert stato == matrice.TABELLA[chiave].attesi[ruolo]
    if (ruolo, chiave) not in LETTURE_CONSENTITE:
        fughe = sorted(s for s in segreti if ruolo in SEGRETI[s])
        assert not fughe, f"{chiave} mostra a {ruolo}: {fughe}"


@pytest.mark.parametrize("chiave", list(matrice.TABELLA))
def test_il_cittadino_non_e_personale(aperto, chiave):
    """A citizen logged in with SPID or CIE has no role: every page answers them as it
    answers the anonymous visitor, except that a staff page refuses them (403/404) or sends
    them to a login instead of serving it, and they never see personal data."""
    riga = matrice.TABELLA[chiave]
    argomenti = riga.argomenti(aperto.mondo) if riga.argomenti else None
    percorso = reverse(riga.nome, args=argomenti)
    risposta = _chiedi(aperto, riga, percorso, CITTADINO)
    stato = risposta.status_code
    anonimo = riga.attesi["anonimo"]
    if chiave in PER_IL_CITTADINO:
        assert stato == PER_IL_CITTADINO[chiave]
    elif anonimo == 302 and stato == 302:
        di_anonimo = _chiedi(aperto, riga, percorso, "anonimo")
        assert risposta["Location"] == di_anonimo["Location"] or "login" in risposta["Location"]
    elif anonimo == 302:
        assert stato in (403, 404), (chiave, stato)
    else:
        assert stato == anonimo, (chiave, stato)
    if stato == 200 and not risposta.streaming:
        fughe = sorted(
            s for s in SEGRETI if "anonimo" in SEGRETI[s] and s.encode() in risposta.content
        )
        assert not fughe, f"{chiave} mostra al cittadino: {fughe}"
