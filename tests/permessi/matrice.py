"""THE table of who may use which URL (issue 9): one row per URL name (the admin summarised
per model), the arguments it is asked with, the method, and the status code each role must
get, in the order of ``RUOLI``:

    anonimo  operatore  operatore_altro  mediatore  coordinatore  dirigente  amministratore

``operatore`` works in San Siro and Lorenteggio, ``operatore_altro`` in Gratosoglio and Ponte
Lambro; every record the rows point at is in San Siro (see ``dati.py``), so
``operatore_altro`` must never get a 200 on it. 302 is the login redirect for the anonymous
visitor and a post-action redirect for the others. POST rows send an empty form: an allowed
role gets 200 (the form again, with errors) or 302 (done), a forbidden one 403/404.

``difetti`` holds the cells where the code answers differently from the policy: the code in
the row is the CORRECT one and the test is a strict xfail, so it turns red the day the app is
fixed and the mark must be removed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from tests.permessi.dati import RUOLI


@dataclass(frozen=True)
class Riga:
    nome: str
    codici: str
    argomenti: Callable | None = None
    metodo: str = "get"
    dati: dict | None = None
    difetti: dict = field(default_factory=dict)

    @property
    def attesi(self) -> dict[str, int]:
        valori = [int(c) for c in self.codici.split()]
        assert len(valori) == len(RUOLI), self.nome
        return dict(zip(RUOLI, valori, strict=True))


TABELLA: dict[str, Riga] = {}


def riga(nome, codici, argomenti=None, *, chiave=None, **extra):
    chiave = chiave or nome
    assert chiave not in TABELLA, chiave
    TABELLA[chiave] = Riga(nome, codici, argomenti, **extra)


# --- The cells where the code breaks the policy (strict xfail; the row holds the right code) ---
# Issue 4: the amministratore reads dossiers "only through the admin, and that access is
# logged like any other" — so the admin rows below answer 200 for that role, and the
# staff pages 404 (mediazione/rules.py, legge_in_admin; the log is tested in tests/mediazione).


def pk(oggetto: str):
    return lambda m: [getattr(m, oggetto).pk]


# --- Core: public site ----------------------------------------------------------------------
riga("quartiere:home", "200 200 200 200 200 200 200")
riga("quartiere:indirizzi_json", "200 200 200 200 200 200 200")
riga("quartiere:quartieri_pubblici", "200 200 200 200 200 200 200")
riga("quartiere:quartiere_pubblico", "200 200 200 200 200 200 200", lambda m: ["san-siro"])
riga("quartiere:privacy", "200 200 200 200 200 200 200")
# Every published version of the notice stays readable by anyone (what a citizen agreed to).
riga(
    "quartiere:privacy_versione",
    "200 200 200 200 200 200 200",
    lambda m: [m.informativa_pubblicata.codice],
)
riga("quartiere:accessibilita", "200 200 200 200 200 200 200")
# The rating component posts here; a GET is not allowed.
riga("quartiere:valuta_pagina", "405 405 405 405 405 405 405")
riga("quartiere:pagina_base", "200 200 200 200 200 200 200")
# The citizens' login (issue 17): the page for everyone; the personal area is a citizen's
# (the anonymous visitor goes to the login, the staff to their desk); SAML is off here, so
# every /spid/ URL is a 404 (tests/identita switches it on).
riga("quartiere:accedi", "200 200 200 200 200 200 200")
riga("quartiere:area_personale", "302 302 302 302 302 302 302")
riga("quartiere:miei_dati", "302 302 302 302 302 302 302")
riga("quartiere:esci", "405 405 405 405 405 405 405")
for _nome in ("login", "acs", "logout", "ls", "ls_post", "metadata", "metadata_cie"):
    riga(f"saml2_{_nome}", "404 404 404 404 404 404 404")
# The same for the identity broker (OpenID Connect), off here (tests/identita/test_oidc.py).
riga("oidc_authentication_init", "404 404 404 404 404 404 404")
riga("oidc_authentication_callback", "404 404 404 404 404 404 404")
riga("quartiere:calendario_pubblico", "200 200 200 200 200 200 200")
riga("quartiere:calendario_sede", "200 200 200 200 200 200 200", pk("sala"))
riga("quartiere:ics_sede", "200 200 200 200 200 200 200", pk("sala"))
riga("quartiere:ics_quartiere", "200 200 200 200 200 200 200", lambda m: ["san-siro"])
riga("quartiere:richiesta_sala", "200 200 200 200 200 200 200")
riga("quartiere:richiesta_sala_inviata", "200 200 200 200 200 200 200")
# --- Core: staff ----------------------------------------------------------------------------
riga("quartiere:scrivania", "302 200 200 200 200 200 200")
riga("quartiere:persona_list", "302 200 200 200 200 200 200")
riga("quartiere:persona_create", "302 200 200 200 200 403 200")
riga("quartiere:persona_cerca", "302 200 200 200 200 200 200")
riga("quartiere:persona_doppioni", "302 200 200 200 200 403 200")
riga("quartiere:persona_detail", "302 200 404 200 200 200 200", pk("persona"))
riga("quartiere:persona_update", "302 200 404 200 200 403 200", pk("persona"))
riga(
    "quartiere:persona_unisci",
    "302 403 403 403 200 403 200",
    lambda m: [m.persona.pk, m.persona_due.pk],
)
# The access request (art. 15 GDPR): coordinators only, the superuser included.
riga("quartiere:persona_accesso_dati", "302 403 404 403 200 403 403", pk("persona"))
riga(
    "quartiere:persona_accesso_dati",
    "302 403 404 403 200 403 403",
    pk("persona"),
    metodo="post",
    dati={"formato": "json"},
    chiave="quartiere:persona_accesso_dati@post",
)
# The records of processing (art. 30): not public; coordinators, the director, the admin.
riga("quartiere:registro_trattamenti", "302 403 403 403 200 200 200")
riga("quartiere:organizzazione_list", "302 200 200 200 200 200 200")
riga("quartiere:organizzazione_create", "302 200 200 200 200 403 200")
riga("quartiere:organizzazione_cerca", "302 200 200 200 200 200 200")
riga("quartiere:organizzazione_detail", "302 200 404 200 200 200 200", pk("organizzazione"))
riga("quartiere:organizzazione_update", "302 200 404 200 200 403 200", pk("organizzazione"))
riga("quartiere:calendario", "302 200 200 200 200 200 200")
riga("quartiere:prenotazione_nuova", "302 200 200 403 200 403 200")
riga("quartiere:prenotazione_dettaglio", "302 200 404 404 200 200 200", pk("prenotazione"))
riga(
    "quartiere:prenotazione_conferma",
    "302 302 404 404 302 403 302",
    pk("prenotazione"),
    metodo="post",
)
riga(
    "quartiere:prenotazione_rifiuta",
    "302 302 404 404 302 403 302",
    pk("prenotazione"),
    metodo="post",
)
riga(
    "quartiere:prenotazione_annulla",
    "302 302 404 404 302 403 302",
    pk("prenotazione"),
    metodo="post",
)
# The funded programmes: every member of the staff reads them (no personal data: counts).
riga("quartiere:programmi", "302 200 200 200 200 200 200")
riga(
    "quartiere:programma",
    "302 200 200 200 200 200 200",
    lambda m: [m.programma.codice],
)
riga(
    "quartiere:programma_monitoraggio",
    "302 200 200 200 200 200 200",
    lambda m: [m.programma.codice, "csv"],
)
riga("quartiere:diario", "302 200 200 403 200 200 200")
riga("quartiere:diario_nuova", "302 200 200 403 200 403 200")
riga("quartiere:diario_modifica", "302 200 404 403 200 403 200", pk("diario"))
riga("quartiere:diario_elimina", "302 302 404 404 302 403 302", pk("diario"), metodo="post")
riga("quartiere:cruscotto", "302 200 200 403 200 200 200")
riga("quartiere:cruscotto_pdf", "302 200 200 403 200 200 200")
riga("quartiere:cruscotto_esporta", "302 200 200 403 200 200 200", lambda m: ["csv"])
# The printed versions hold every quartiere's figures: city-wide roles read them; the
# dirigente (and the amministratore) print them with the commentary.
riga("quartiere:relazione_prepara", "302 403 403 403 403 200 200")
riga(
    "quartiere:relazione_prepara",
    "302 403 403 403 403 302 302",
    metodo="post",
    chiave="quartiere:relazione_prepara@post",
)
riga("quartiere:relazioni_stampate", "302 403 403 403 200 200 200")
riga(
    "quartiere:relazione_stampata",
    "302 403 403 403 200 200 200",
    pk("relazione_stampata"),
)
# --- Segnalazioni ---------------------------------------------------------------------------
riga("segnalazioni:servizio", "200 200 200 200 200 200 200")
riga("segnalazioni:elenco", "200 200 200 200 200 200 200")
riga("segnalazioni:elenco_geojson", "200 200 200 200 200 200 200")
# The one-page form of before the steps: a permanent redirect to them.
riga("segnalazioni:nuova", "301 301 301 301 301 301 301")
# The step-by-step form: its start redirects to the first step, every step is public.
riga("segnalazioni:invia", "302 302 302 302 302 302 302")
# The kiosk: the staff who file reports unlock a device; anyone may end kiosk mode.
riga("segnalazioni:chiosco_sblocca", "405 405 405 405 405 405 405")
riga(
    "segnalazioni:chiosco_sblocca",
    "302 302 302 403 302 403 302",
    metodo="post",
    chiave="segnalazioni:chiosco_sblocca@post",
)
# A logged-in citizen deletes their own draft (POST; tests/identita).
riga("segnalazioni:elimina_bozza", "405 405 405 405 405 405 405")
riga("segnalazioni:chiosco_blocca", "405 405 405 405 405 405 405")
riga(
    "segnalazioni:chiosco_blocca",
    "302 302 302 302 302 302 302",
    metodo="post",
    chiave="segnalazioni:chiosco_blocca@post",
)
riga("segnalazioni:invia_passo", "200 200 200 200 200 200 200", lambda m: ["informativa"])
riga("segnalazioni:inviata", "302 302 302 302 302 302 302")
# Only the browser that filed the report (its signed cookie) gets its receipt.
riga("segnalazioni:ricevuta_inviata", "404 404 404 404 404 404 404")
riga("segnalazioni:cerca_codice", "200 200 200 200 200 200 200")
riga("segnalazioni:segui", "200 200 200 200 200 200 200", lambda m: [m.segnalazione.codice])
riga("segnalazioni:lista", "302 200 200 403 200 200 200")
riga("segnalazioni:sportello", "302 200 200 403 200 403 200")
riga("segnalazioni:doppioni_json", "302 200 200 403 200 403 200")
riga("segnalazioni:mappa", "302 200 200 403 200 200 200")
riga("segnalazioni:azione_massiva", "302 302 302 403 302 403 302", metodo="post")
riga("segnalazioni:esporta_csv", "302 200 200 403 200 200 200")
riga("segnalazioni:esporta_xlsx", "302 200 200 403 200 200 200")
riga("segnalazioni:esporta_geojson", "302 200 200 403 200 200 200")
riga("segnalazioni:dettaglio", "302 200 404 403 200 200 200", pk("segnalazione"))
riga("segnalazioni:modifica", "302 200 404 403 200 403 200", pk("segnalazione"))
riga("segnalazioni:cambia_stato", "302 302 404 404 302 403 302", pk("segnalazione"), metodo="post")
riga("segnalazioni:assegna", "302 302 404 404 302 403 302", pk("segnalazione"), metodo="post")
riga("segnalazioni:nota", "302 302 404 404 302 403 302", pk("segnalazione"), metodo="post")
riga("segnalazioni:risposta", "302 302 404 404 302 403 302", pk("segnalazione"), metodo="post")
riga("segnalazioni:duplicato", "302 302 404 404 302 403 302", pk("segnalazione"), metodo="post")
riga(
    "segnalazioni:aggiungi_allegati",
    "302 302 404 404 302 403 302",
    pk("segnalazione"),
    metodo="post",
)
riga(
    "segnalazioni:allegato",
    "302 200 404 404 200 200 200",
    lambda m: [m.segnalazione.pk, m.allegato.pk],
)
riga(
    "segnalazioni:reinvia_email",
    "302 302 404 404 302 403 302",
    lambda m: [m.segnalazione.pk, m.invio.pk],
    metodo="post",
)
riga(
    "segnalazioni:emetti_ricevuta",
    "302 302 404 404 302 403 302",
    pk("segnalazione"),
    metodo="post",
)
riga(
    "segnalazioni:ricevuta",
    "302 200 404 404 200 200 200",
    lambda m: [m.segnalazione.pk, m.ricevuta.pk],
)
# --- Open311 --------------------------------------------------------------------------------
riga("open311:radice", "200 200 200 200 200 200 200")
riga("open311:discovery", "200 200 200 200 200 200 200", lambda m: ["json"])
riga("open311:servizi", "200 200 200 200 200 200 200", lambda m: ["json"])
riga("open311:servizio", "200 200 200 200 200 200 200", lambda m: ["illuminazione", "json"])
riga("open311:richieste", "200 200 200 200 200 200 200", lambda m: ["json"])
riga(
    "open311:richiesta",
    "200 200 200 200 200 200 200",
    lambda m: [m.segnalazione_pubblica.pk, "json"],
)
# A report nobody made public is not in the feed, whoever asks.
riga(
    "open311:richiesta",
    "404 404 404 404 404 404 404",
    lambda m: [m.segnalazione.pk, "json"],
    chiave="open311:richiesta@non_pubblica",
)
# --- Mediazione -----------------------------------------------------------------------------
riga("mediazione:lista", "302 404 404 200 200 404 200")
riga("mediazione:nuovo", "302 404 404 200 200 404 404")
riga("mediazione:da_segnalazione", "302 404 404 200 200 404 404", pk("segnalazione"))
riga("mediazione:esporta", "302 404 404 200 200 404 404")
riga("mediazione:verifiche", "302 404 404 200 200 404 404")
riga("mediazione:cifre", "302 200 200 200 200 200 200")
riga(
    "mediazione:dettaglio",
    "302 404 404 404 200 404 404",
    pk("dossier_altro"),
    chiave="mediazione:dettaglio@altro_mediatore",
)
riga("mediazione:dettaglio", "302 404 404 200 200 404 404", pk("dossier"))
riga("mediazione:modifica", "302 404 404 200 200 404 404", pk("dossier"))
riga("mediazione:pdf", "302 404 404 200 200 404 404", pk("dossier"))
riga("mediazione:fase", "302 404 404 302 302 404 404", pk("dossier"), metodo="post")
riga("mediazione:parte_nuova", "302 404 404 200 200 404 404", pk("dossier"))
riga(
    "mediazione:parte_modifica", "302 404 404 200 200 404 404", lambda m: [m.dossier.pk, m.parte.pk]
)
riga("mediazione:attivita_nuova", "302 404 404 200 200 404 404", pk("dossier"))
riga("mediazione:accordo", "302 404 404 200 200 404 404", pk("dossier"))
riga("mediazione:chiudi", "302 404 404 200 200 404 404", pk("dossier"))
riga("mediazione:riapri", "302 404 404 403 200 404 404", pk("dossier"), metodo="post")
# --- Laboratori -----------------------------------------------------------------------------
riga("laboratori:calendario", "200 200 200 200 200 200 200")
riga("laboratori:calendario_ics", "200 200 200 200 200 200 200")
riga("laboratori:risultati", "200 200 200 200 200 200 200")
riga("laboratori:pubblico", "200 200 200 200 200 200 200", pk("laboratorio"))
riga("laboratori:lista", "302 200 200 403 200 200 200")
riga("laboratori:nuovo", "302 200 200 403 200 403 200")
riga("laboratori:dettaglio", "302 200 404 403 200 200 200", pk("laboratorio"))
riga("laboratori:modifica", "302 200 404 403 200 403 200", pk("laboratorio"))
riga("laboratori:stato", "302 302 404 403 302 403 302", pk("laboratorio"), metodo="post")
riga("laboratori:fase", "302 302 404 403 302 403 302", pk("laboratorio"), metodo="post")
# The mandate belongs to pilot and thematic groups: the table's lab is a plain one (404 for
# who may change it); tests/laboratori/test_gruppi_pilota.py drives the groups' own.
riga(
    "laboratori:mandato_aggiungi",
    "302 404 404 403 404 403 404",
    pk("laboratorio"),
    metodo="post",
)
riga(
    "laboratori:mandato_ritira",
    "302 404 404 403 404 403 404",
    lambda m: [m.laboratorio.pk, 999999],
    metodo="post",
)
# Members and thematic groups, likewise only for groups: the plain lab gives 404.
riga(
    "laboratori:aderente_aggiungi",
    "302 404 404 403 404 403 404",
    pk("laboratorio"),
    metodo="post",
)
riga(
    "laboratori:aderente_esce",
    "302 404 404 403 404 403 404",
    lambda m: [m.laboratorio.pk, 999999],
    metodo="post",
)
riga("laboratori:gruppo_tematico_nuovo", "302 404 404 403 404 403 404", pk("laboratorio"))
riga("laboratori:incontro_nuovo", "302 200 404 403 200 403 200", pk("laboratorio"))
riga("laboratori:incontro", "302 200 404 403 200 200 200", pk("incontro"))
riga("laboratori:incontro_modifica", "302 200 404 403 200 403 200", pk("incontro"))
riga("laboratori:incontro_stato", "302 302 404 403 302 403 302", pk("incontro"), metodo="post")
riga("laboratori:verbale_pdf", "302 200 404 403 200 200 200", pk("incontro"))
riga("laboratori:presenze", "302 200 404 403 200 403 200", pk("incontro"))
riga("laboratori:presenza_aggiungi", "302 302 404 403 302 403 302", pk("incontro"), metodo="post")
riga(
    "laboratori:presenza_nuova_persona",
    "302 400 404 403 400 403 400",
    pk("incontro"),
    metodo="post",
)
riga(
    "laboratori:presenza_rimuovi",
    "302 302 404 403 302 403 302",
    lambda m: [m.incontro.pk, m.presenza.pk],
    metodo="post",
)
riga("laboratori:proposta_nuova", "302 200 404 403 200 403 200", pk("laboratorio"))
riga("laboratori:proposta_modifica", "302 200 404 403 200 403 200", pk("proposta"))
riga("laboratori:proposta_stato", "302 302 404 403 302 403 302", pk("proposta"), metodo="post")
# --- Abitare --------------------------------------------------------------------------------
riga("abitare:immobili", "302 200 200 403 200 200 200")
riga("abitare:immobile", "302 200 404 403 200 200 200", pk("immobile"))
riga(
    "abitare:immobile",
    "302 404 200 403 200 200 200",
    pk("immobile_gratosoglio"),
    chiave="abitare:immobile@fuori",
)
riga("abitare:nuclei", "302 200 200 403 200 200 200")
riga("abitare:in_attesa", "302 200 200 403 200 200 200")
riga("abitare:piano", "302 200 200 403 200 200 200")
riga("abitare:nucleo", "302 200 404 403 200 200 200", pk("nucleo"))
riga(
    "abitare:nucleo",
    "302 404 200 403 200 200 200",
    pk("nucleo_gratosoglio"),
    chiave="abitare:nucleo@fuori",
)
riga("abitare:pre_assegna", "302 302 404 403 302 403 302", pk("immobile"), metodo="post")
riga(
    "abitare:avanza",
    "302 302 404 403 302 403 302",
    lambda m: [m.assegnazione.pk, "assegna"],
    metodo="post",
)
riga("abitare:percorso", "302 200 404 403 200 403 200", pk("nucleo"))
riga("abitare:misura", "302 200 404 403 200 403 200", pk("nucleo"))
riga(
    "abitare:verifica_misura",
    "302 200 404 403 200 403 200",
    lambda m: [m.nucleo.pk, m.misura.pk],
)
riga("abitare:contatto", "302 200 404 403 200 403 200", pk("nucleo"))
riga("abitare:contatti", "302 200 200 403 200 200 200")
riga("abitare:problema", "302 200 404 403 200 403 200", pk("nucleo"))
riga("abitare:spostamento", "302 200 404 403 200 403 200", pk("nucleo"))
riga("abitare:regole", "302 200 404 403 200 200 200", pk("immobile"))
riga("abitare:comunicazione", "302 200 200 403 200 200 200")
riga("abitare:azione_nuova", "302 200 200 403 200 403 200")
riga("abitare:azione", "302 200 404 403 200 403 200", pk("azione"))
riga("abitare:materiale", "302 200 404 403 200 200 200", pk("azione"))
# The material of a public action is for anyone (it is on the quartiere's public page).
riga("abitare:materiale_pubblico", "200 200 200 200 200 200 200", pk("azione"))
riga("abitare:aderisci", "302 302 404 403 302 403 302", pk("nucleo"), metodo="post")
riga("abitare:rientro", "302 302 404 403 302 403 302", pk("spostamento"), metodo="post")
riga("abitare:problema_immobile", "302 200 404 403 200 403 200", pk("immobile"))
# The confidential notes: the household's assigned operators and the coordinators only; the
# administrator does not read them, superuser or not (abitare/rules.py).
riga("abitare:note_riservate", "302 200 404 403 200 403 403", pk("nucleo"))
riga(
    "abitare:note_riservate",
    "302 403 404 403 200 403 403",
    pk("nucleo_non_seguito"),
    chiave="abitare:note_riservate@non_seguito",
)
# --- Patti ----------------------------------------------------------------------------------
riga("patti:registro", "200 200 200 200 200 200 200")
riga("patti:registro_dettaglio", "200 200 200 200 200 200 200", pk("patto"))
riga("patti:lista", "302 200 200 403 200 200 200")
riga("patti:crea", "302 200 200 403 200 403 200")
riga("patti:dettaglio", "302 200 404 403 200 200 200", pk("patto"))
riga("patti:modifica", "302 200 404 403 200 403 200", pk("patto"))
riga("patti:rendicontazione", "302 200 404 403 200 403 200", pk("patto"))
riga("patti:stato", "302 200 404 403 200 403 200", pk("patto"), metodo="post")
riga("patti:rinnova", "302 302 404 403 302 403 302", pk("patto"), metodo="post")
riga("patti:integra", "302 200 404 403 200 403 200", pk("patto"))
riga("patti:pdf", "302 200 404 403 200 200 200", pk("patto"))
riga("patti:firmatario_crea", "302 200 404 403 200 403 200", pk("patto"))
riga("patti:firmatario_modifica", "302 200 404 403 200 403 200", pk("firmatario"))
riga("patti:firmatario_elimina", "302 302 404 403 302 403 302", pk("firmatario"), metodo="post")
riga("patti:impegno_crea", "302 200 404 403 200 403 200", pk("firmatario"))
riga("patti:impegno_modifica", "302 200 404 403 200 403 200", pk("impegno"))
riga("patti:impegno_elimina", "302 302 404 403 302 403 302", pk("impegno"), metodo="post")
riga("patti:impegno_svolto", "302 302 404 403 302 403 302", pk("impegno"), metodo="post")
riga("patti:progetto_crea", "302 200 404 403 200 403 200", pk("patto"))
riga("patti:progetto_modifica", "302 200 404 403 200 403 200", pk("progetto"))
riga("patti:progetto_elimina", "302 302 404 403 302 403 302", pk("progetto"), metodo="post")
riga("patti:indicatore_crea", "302 200 404 403 200 403 200", pk("patto"))
riga("patti:indicatore_modifica", "302 200 404 403 200 403 200", pk("indicatore"))
riga("patti:indicatore_elimina", "302 302 404 403 302 403 302", pk("indicatore"), metodo="post")
riga("patti:misurazione_crea", "302 200 404 403 200 403 200", pk("indicatore"))
riga("patti:misurazione_modifica", "302 200 404 403 200 403 200", pk("misurazione"))
riga("patti:misurazione_elimina", "302 302 404 403 302 403 302", pk("misurazione"), metodo="post")
# --- Accounts, 2FA, i18n, technical ---------------------------------------------------------
riga("login", "200 302 302 302 302 302 302")
riga("logout", "302 302 302 302 302 302 302", metodo="post")
riga("password_change", "302 200 200 200 200 200 200")
riga("password_change_done", "302 200 200 200 200 200 200")
riga("password_reset", "200 200 200 200 200 200 200")
riga("password_reset_done", "200 200 200 200 200 200 200")
riga("password_reset_confirm", "200 200 200 200 200 200 200", lambda m: ["MQ", "token-non-valido"])
riga("password_reset_complete", "200 200 200 200 200 200 200")
riga("otp:verifica", "302 302 302 302 302 302 302")
riga("otp:attiva", "302 302 302 302 302 302 302")
riga("otp:qr", "302 404 404 404 404 404 404")
riga(
    "set_language",
    "302 302 302 302 302 302 302",
    metodo="post",
    dati={"language": "en", "next": "/"},
)
riga("healthz", "200 200 200 200 200 200 200")
riga("robots_txt", "200 200 200 200 200 200 200")
riga("sitemap", "200 200 200 200 200 200 200")

# --- Django admin: the site's own pages, then each registered model -------------------------
riga("admin:index", "302 302 302 302 200 302 200")
riga("admin:login", "200 200 200 200 302 200 302")
riga("admin:logout", "302 302 302 302 302 302 302", metodo="post")
riga("admin:password_change", "302 302 302 302 200 302 200")
riga("admin:password_change_done", "302 302 302 302 200 302 200")
riga("admin:autocomplete", "302 302 302 302 403 302 403")
riga("admin:jsi18n", "302 302 302 302 200 302 200")
riga("admin:app_list", "302 302 302 302 200 302 200", lambda m: ["segnalazioni"])
riga(
    "admin:view_on_site",
    "302 302 302 302 302 302 302",
    lambda m: [m.ct_persona, m.persona.pk],
)
riga(
    "admin:auth_user_password_change",
    "302 302 302 302 403 302 200",
    lambda m: [m.utenti["operatore"].pk],
)
riga("admin:otp_totp_totpdevice_config", "302 302 302 302 403 302 200", pk("totp"))
riga("admin:otp_totp_totpdevice_qrcode", "302 302 302 302 403 302 200", pk("totp"))
riga("admin:patti_patto_importa_fogli", "302 302 302 302 200 302 200")
riga("admin:patti_patto_import", "302 302 302 302 200 302 200")
riga("admin:patti_patto_export", "302 302 302 302 200 302 200")

# model label -> (object in scope, object out of scope) attribute names in ``dati.Mondo``;
# every model the admin registers must be here.
MODELLI_ADMIN = {
    "quartiere_quartiere": ("q_san_siro", None),
    "quartiere_confinecomune": (None, None),
    "quartiere_indirizzo": ("indirizzo", None),
    "quartiere_programma": ("programma", None),
    "quartiere_affidamento": ("affidamento", None),
    "quartiere_indicatoreprogramma": ("indicatore_programma", None),
    "quartiere_intervento": ("intervento", None),
    "quartiere_sede": ("sala", None),
    "quartiere_persona": ("persona", "persona_gratosoglio"),
    "quartiere_organizzazione": ("organizzazione", None),
    "quartiere_profilostaff": ("profilo", None),
    "quartiere_prenotazione": ("prenotazione", None),
    "quartiere_attivitadiario": ("diario", None),
    "quartiere_informativa": ("informativa", None),
    "quartiere_trattamento": ("trattamento", None),
    "quartiere_valutazionepagina": ("valutazione_pagina", None),
    "quartiere_accountcittadino": ("account_cittadino", None),
    "segnalazioni_ufficio": ("ufficio", None),
    "segnalazioni_categoria": ("categoria", None),
    "segnalazioni_segnalazione": ("segnalazione", "segnalazione_gratosoglio"),
    "segnalazioni_chiaveapi": (None, None),
    "segnalazioni_schedaservizio": ("scheda_servizio", None),
    "mediazione_dossier": ("dossier", "dossier_altro"),
    "mediazione_accessodossier": ("accesso_dossier", None),
    "mediazione_esecuzioneconservazione": (None, None),
    "laboratori_laboratorio": ("laboratorio", None),
    "laboratori_incontro": ("incontro", None),
    "laboratori_proposta": ("proposta", None),
    "patti_patto": ("patto", None),
    "patti_firmatario": ("firmatario", None),
    "patti_progetto": ("progetto", None),
    "patti_impegno": ("impegno", None),
    "patti_indicatore": ("indicatore", None),
    "abitare_immobile": ("immobile", "immobile_gratosoglio"),
    "abitare_alloggio": ("alloggio", None),
    "abitare_nucleo": ("nucleo", "nucleo_gratosoglio"),
    "abitare_assegnazione": ("assegnazione", None),
    "abitare_accessoriservato": ("accesso_riservato", None),
    "abitare_regolamento": ("regolamento", None),
    "abitare_gruppoautogestione": ("gruppo_autogestione", None),
    "auth_group": ("gruppo", None),
    "auth_user": ("utente_operatore", None),
    "axes_accessattempt": (None, None),
    "axes_accesslog": (None, None),
    "axes_accessfailurelog": (None, None),
    "otp_totp_totpdevice": ("totp", None),
    "django_tasks_database_dbtaskresult": (None, None),
}

_AZIONI = ("changelist", "add", "change", "delete", "history", "simple_history")
_AZIONI_EXTRA = ("process_import", "import", "export", "importa_fogli", "config", "qrcode")


def modello_admin(nome: str) -> str | None:
    """``admin:patti_patto_change`` -> ``patti_patto`` (None if not a per-model admin URL)."""
    for modello in MODELLI_ADMIN:
        prefisso = f"admin:{modello}_"
        if nome.startswith(prefisso) and nome.removeprefix(prefisso) in _AZIONI + _AZIONI_EXTRA:
            return modello
    return None


# Each registered model: its list, its add form, and the change page of a record in San Siro
# (and of one in Gratosoglio / of another mediator where scope matters).
riga("admin:quartiere_quartiere_changelist", "302 302 302 302 200 302 200")
riga("admin:quartiere_quartiere_add", "302 302 302 302 403 302 200")
riga("admin:quartiere_quartiere_change", "302 302 302 302 200 302 200", pk("q_san_siro"))
riga("admin:quartiere_confinecomune_changelist", "302 302 302 302 200 302 200")
riga("admin:quartiere_confinecomune_add", "302 302 302 302 403 302 200")
riga("admin:quartiere_indirizzo_changelist", "302 302 302 302 200 302 200")
riga("admin:quartiere_indirizzo_add", "302 302 302 302 403 302 200")
riga("admin:quartiere_indirizzo_change", "302 302 302 302 200 302 200", pk("indirizzo"))
riga("admin:quartiere_programma_changelist", "302 302 302 302 200 302 200")
riga("admin:quartiere_programma_add", "302 302 302 302 200 302 200")
riga("admin:quartiere_programma_change", "302 302 302 302 200 302 200", pk("programma"))
riga("admin:quartiere_affidamento_changelist", "302 302 302 302 200 302 200")
riga("admin:quartiere_affidamento_add", "302 302 302 302 200 302 200")
riga("admin:quartiere_affidamento_change", "302 302 302 302 200 302 200", pk("affidamento"))
riga("admin:quartiere_intervento_changelist", "302 302 302 302 200 302 200")
riga("admin:quartiere_intervento_add", "302 302 302 302 200 302 200")
riga("admin:quartiere_intervento_change", "302 302 302 302 200 302 200", pk("intervento"))
riga("admin:quartiere_indicatoreprogramma_changelist", "302 302 302 302 200 302 200")
riga("admin:quartiere_indicatoreprogramma_add", "302 302 302 302 200 302 200")
riga(
    "admin:quartiere_indicatoreprogramma_change",
    "302 302 302 302 200 302 200",
    pk("indicatore_programma"),
)
riga("admin:quartiere_sede_changelist", "302 302 302 302 200 302 200")
riga("admin:quartiere_sede_add", "302 302 302 302 403 302 200")
riga("admin:quartiere_sede_change", "302 302 302 302 200 302 200", pk("sala"))
riga("admin:quartiere_persona_changelist", "302 302 302 302 200 302 200")
riga("admin:quartiere_persona_add", "302 302 302 302 200 302 200")
riga("admin:quartiere_persona_change", "302 302 302 302 200 302 200", pk("persona"))
riga(
    "admin:quartiere_persona_change",
    "302 302 302 302 200 302 200",
    pk("persona_gratosoglio"),
    chiave="admin:quartiere_persona_change@fuori",
)
riga("admin:quartiere_organizzazione_changelist", "302 302 302 302 200 302 200")
riga("admin:quartiere_organizzazione_add", "302 302 302 302 200 302 200")
riga("admin:quartiere_organizzazione_change", "302 302 302 302 200 302 200", pk("organizzazione"))
riga("admin:quartiere_profilostaff_changelist", "302 302 302 302 200 302 200")
riga("admin:quartiere_profilostaff_add", "302 302 302 302 403 302 200")
riga("admin:quartiere_profilostaff_change", "302 302 302 302 200 302 200", pk("profilo"))
riga("admin:quartiere_prenotazione_changelist", "302 302 302 302 200 302 200")
riga("admin:quartiere_prenotazione_add", "302 302 302 302 200 302 200")
riga("admin:quartiere_prenotazione_change", "302 302 302 302 200 302 200", pk("prenotazione"))
riga("admin:quartiere_attivitadiario_changelist", "302 302 302 302 200 302 200")
riga("admin:quartiere_attivitadiario_add", "302 302 302 302 200 302 200")
riga("admin:quartiere_attivitadiario_change", "302 302 302 302 200 302 200", pk("diario"))
riga("admin:quartiere_informativa_changelist", "302 302 302 302 200 302 200")
riga("admin:quartiere_informativa_add", "302 302 302 302 200 302 200")
riga("admin:quartiere_informativa_change", "302 302 302 302 200 302 200", pk("informativa"))
# A published version opens read-only (view permission), and nobody may change it.
riga(
    "admin:quartiere_informativa_change",
    "302 302 302 302 200 302 200",
    pk("informativa_pubblicata"),
    chiave="admin:quartiere_informativa_change@pubblicata",
)
riga(
    "admin:quartiere_informativa_change",
    "302 302 302 302 403 302 403",
    pk("informativa_pubblicata"),
    metodo="post",
    chiave="admin:quartiere_informativa_change@pubblicata@post",
)
riga(
    "admin:quartiere_informativa_delete",
    "302 302 302 302 403 302 403",
    pk("informativa_pubblicata"),
)
riga("admin:quartiere_trattamento_changelist", "302 302 302 302 200 302 200")
riga("admin:quartiere_trattamento_add", "302 302 302 302 200 302 200")
riga("admin:quartiere_trattamento_change", "302 302 302 302 200 302 200", pk("trattamento"))
riga("admin:quartiere_trattamento_delete", "302 302 302 302 403 302 200", pk("trattamento"))
riga("admin:quartiere_valutazionepagina_changelist", "302 302 302 302 200 302 200")
riga("admin:quartiere_valutazionepagina_add", "302 302 302 302 403 302 403")
riga(
    "admin:quartiere_valutazionepagina_change",
    "302 302 302 302 200 302 200",
    pk("valutazione_pagina"),
)
riga(
    "admin:quartiere_valutazionepagina_delete",
    "302 302 302 302 403 302 200",
    pk("valutazione_pagina"),
)
# Accounts are opened by a login only and never deleted; a coordinator links the Persona.
riga("admin:quartiere_accountcittadino_changelist", "302 302 302 302 200 302 200")
riga("admin:quartiere_accountcittadino_add", "302 302 302 302 403 302 403")
riga(
    "admin:quartiere_accountcittadino_change",
    "302 302 302 302 200 302 200",
    pk("account_cittadino"),
)
riga(
    "admin:quartiere_accountcittadino_delete",
    "302 302 302 302 403 302 403",
    pk("account_cittadino"),
)
riga("admin:segnalazioni_ufficio_changelist", "302 302 302 302 200 302 200")
riga("admin:segnalazioni_ufficio_add", "302 302 302 302 200 302 200")
riga("admin:segnalazioni_ufficio_change", "302 302 302 302 200 302 200", pk("ufficio"))
riga("admin:segnalazioni_categoria_changelist", "302 302 302 302 200 302 200")
riga("admin:segnalazioni_categoria_add", "302 302 302 302 200 302 200")
riga("admin:segnalazioni_categoria_change", "302 302 302 302 200 302 200", pk("categoria"))
riga("admin:segnalazioni_segnalazione_changelist", "302 302 302 302 200 302 200")
riga("admin:segnalazioni_segnalazione_add", "302 302 302 302 200 302 200")
riga("admin:segnalazioni_segnalazione_change", "302 302 302 302 200 302 200", pk("segnalazione"))
riga(
    "admin:segnalazioni_segnalazione_change",
    "302 302 302 302 200 302 200",
    pk("segnalazione_gratosoglio"),
    chiave="admin:segnalazioni_segnalazione_change@fuori",
)
riga("admin:segnalazioni_chiaveapi_changelist", "302 302 302 302 200 302 200")
riga("admin:segnalazioni_chiaveapi_add", "302 302 302 302 200 302 200")
# The service card exists in the world: a second one cannot be added, none deleted.
riga("admin:segnalazioni_schedaservizio_changelist", "302 302 302 302 200 302 200")
riga("admin:segnalazioni_schedaservizio_add", "302 302 302 302 403 302 403")
riga(
    "admin:segnalazioni_schedaservizio_change",
    "302 302 302 302 200 302 200",
    pk("scheda_servizio"),
)
riga(
    "admin:segnalazioni_schedaservizio_delete",
    "302 302 302 302 403 302 403",
    pk("scheda_servizio"),
)
riga("admin:mediazione_dossier_changelist", "302 302 302 302 200 302 200")
riga("admin:mediazione_dossier_add", "302 302 302 302 403 302 403")
riga("admin:mediazione_dossier_change", "302 302 302 302 200 302 200", pk("dossier"))
riga(
    "admin:mediazione_dossier_change",
    "302 302 302 302 200 302 200",
    pk("dossier_altro"),
    chiave="admin:mediazione_dossier_change@fuori",
)
riga("admin:mediazione_accessodossier_changelist", "302 302 302 302 200 302 200")
riga("admin:mediazione_accessodossier_add", "302 302 302 302 403 302 403")
riga("admin:mediazione_accessodossier_change", "302 302 302 302 200 302 200", pk("accesso_dossier"))
riga("admin:mediazione_esecuzioneconservazione_changelist", "302 302 302 302 200 302 200")
riga("admin:mediazione_esecuzioneconservazione_add", "302 302 302 302 403 302 403")
riga("admin:laboratori_laboratorio_changelist", "302 302 302 302 200 302 200")
riga("admin:laboratori_laboratorio_add", "302 302 302 302 200 302 200")
riga("admin:laboratori_laboratorio_change", "302 302 302 302 200 302 200", pk("laboratorio"))
riga("admin:laboratori_incontro_changelist", "302 302 302 302 200 302 200")
riga("admin:laboratori_incontro_add", "302 302 302 302 200 302 200")
riga("admin:laboratori_incontro_change", "302 302 302 302 200 302 200", pk("incontro"))
riga("admin:laboratori_proposta_changelist", "302 302 302 302 200 302 200")
riga("admin:laboratori_proposta_add", "302 302 302 302 200 302 200")
riga("admin:laboratori_proposta_change", "302 302 302 302 200 302 200", pk("proposta"))
riga("admin:patti_patto_changelist", "302 302 302 302 200 302 200")
riga("admin:patti_patto_add", "302 302 302 302 200 302 200")
riga("admin:patti_patto_change", "302 302 302 302 200 302 200", pk("patto"))
riga("admin:patti_firmatario_changelist", "302 302 302 302 200 302 200")
riga("admin:patti_firmatario_add", "302 302 302 302 200 302 200")
riga("admin:patti_firmatario_change", "302 302 302 302 200 302 200", pk("firmatario"))
riga("admin:patti_progetto_changelist", "302 302 302 302 200 302 200")
riga("admin:patti_progetto_add", "302 302 302 302 200 302 200")
riga("admin:patti_progetto_change", "302 302 302 302 200 302 200", pk("progetto"))
riga("admin:patti_impegno_changelist", "302 302 302 302 200 302 200")
riga("admin:patti_impegno_add", "302 302 302 302 200 302 200")
riga("admin:patti_impegno_change", "302 302 302 302 200 302 200", pk("impegno"))
riga("admin:patti_indicatore_changelist", "302 302 302 302 200 302 200")
riga("admin:patti_indicatore_add", "302 302 302 302 200 302 200")
riga("admin:patti_indicatore_change", "302 302 302 302 200 302 200", pk("indicatore"))
riga("admin:abitare_immobile_changelist", "302 302 302 302 200 302 200")
riga("admin:abitare_immobile_add", "302 302 302 302 200 302 200")
riga("admin:abitare_immobile_change", "302 302 302 302 200 302 200", pk("immobile"))
riga("admin:abitare_alloggio_changelist", "302 302 302 302 200 302 200")
riga("admin:abitare_alloggio_add", "302 302 302 302 200 302 200")
riga("admin:abitare_alloggio_change", "302 302 302 302 200 302 200", pk("alloggio"))
riga("admin:abitare_nucleo_changelist", "302 302 302 302 200 302 200")
riga("admin:abitare_nucleo_add", "302 302 302 302 200 302 200")
riga("admin:abitare_nucleo_change", "302 302 302 302 200 302 200", pk("nucleo"))
riga("admin:abitare_assegnazione_changelist", "302 302 302 302 200 302 200")
riga("admin:abitare_assegnazione_add", "302 302 302 302 403 302 403")
riga("admin:abitare_assegnazione_change", "302 302 302 302 200 302 200", pk("assegnazione"))
riga("admin:abitare_regolamento_changelist", "302 302 302 302 200 302 200")
riga("admin:abitare_regolamento_add", "302 302 302 302 200 302 200")
riga("admin:abitare_regolamento_change", "302 302 302 302 200 302 200", pk("regolamento"))
riga("admin:abitare_gruppoautogestione_changelist", "302 302 302 302 200 302 200")
riga("admin:abitare_gruppoautogestione_add", "302 302 302 302 200 302 200")
riga(
    "admin:abitare_gruppoautogestione_change",
    "302 302 302 302 200 302 200",
    pk("gruppo_autogestione"),
)
riga("admin:abitare_accessoriservato_changelist", "302 302 302 302 200 302 200")
riga("admin:abitare_accessoriservato_add", "302 302 302 302 403 302 403")
riga(
    "admin:abitare_accessoriservato_change",
    "302 302 302 302 200 302 200",
    pk("accesso_riservato"),
)
riga("admin:auth_group_changelist", "302 302 302 302 403 302 200")
riga("admin:auth_group_add", "302 302 302 302 403 302 200")
riga("admin:auth_group_change", "302 302 302 302 403 302 200", pk("gruppo"))
riga("admin:auth_user_changelist", "302 302 302 302 403 302 200")
riga("admin:auth_user_add", "302 302 302 302 403 302 200")
riga("admin:auth_user_change", "302 302 302 302 403 302 200", pk("utente_operatore"))
riga("admin:axes_accessattempt_changelist", "302 302 302 302 403 302 200")
riga("admin:axes_accessattempt_add", "302 302 302 302 403 302 403")
riga("admin:axes_accesslog_changelist", "302 302 302 302 403 302 200")
riga("admin:axes_accesslog_add", "302 302 302 302 403 302 403")
riga("admin:axes_accessfailurelog_changelist", "302 302 302 302 403 302 200")
riga("admin:axes_accessfailurelog_add", "302 302 302 302 403 302 403")
riga("admin:otp_totp_totpdevice_changelist", "302 302 302 302 403 302 200")
riga("admin:otp_totp_totpdevice_add", "302 302 302 302 403 302 200")
riga("admin:otp_totp_totpdevice_change", "302 302 302 302 403 302 200", pk("totp"))
riga("admin:django_tasks_database_dbtaskresult_changelist", "302 302 302 302 403 302 200")
riga("admin:django_tasks_database_dbtaskresult_add", "302 302 302 302 403 302 403")
