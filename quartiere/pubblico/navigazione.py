"""The menus: staff entries filtered by permission, public entries for everyone.

Entries whose page does not exist yet (an app without that URL) are skipped, so apps
can grow without touching the base template.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Voce:
    etichetta: str
    url_name: str
    permesso: str | None = None
    descrizione: str = ""


VOCI_STAFF = [
    Voce(_("Scrivania"), "quartiere:scrivania", "quartiere.usa_scrivania"),
    Voce(
        _("Segnalazioni"),
        "segnalazioni:lista",
        "segnalazioni.view_segnalazione",
        _("Richieste dei cittadini da prendere in carico, inoltrare e chiudere."),
    ),
    Voce(
        _("Mediazione"),
        "mediazione:lista",
        "mediazione.view_dossier",
        _("Dossier riservati dei conflitti di vicinato."),
    ),
    Voce(
        _("Laboratori"),
        "laboratori:lista",
        "laboratori.view_laboratorio",
        _("Laboratori di cittadinanza: incontri, presenze, verbali e proposte."),
    ),
    Voce(
        _("Patti"),
        "patti:lista",
        "patti.view_patto",
        _("Patti di collaborazione: firmatari, impegni, progetti e rinnovi."),
    ),
    Voce(
        _("Abitare"),
        "abitare:immobili",
        "abitare.view_immobile",
        _("Immobili ristrutturati, alloggi, nuclei e assegnazioni."),
    ),
    Voce(
        _("Calendario"),
        "quartiere:calendario",
        "quartiere.view_prenotazione",
        _("Prenotazioni delle sale e richieste da confermare."),
    ),
    Voce(
        _("Diario"),
        "quartiere:diario",
        "quartiere.view_attivitadiario",
        _("Le ore di front-office e back-office della settimana."),
    ),
    Voce(
        _("Persone"),
        "quartiere:persona_list",
        "quartiere.view_persona",
        _("Il registro dei residenti, con i possibili doppioni."),
    ),
    Voce(
        _("Organizzazioni"),
        "quartiere:organizzazione_list",
        "quartiere.view_organizzazione",
        _("Associazioni, scuole, cooperative e attività del territorio."),
    ),
    Voce(
        _("Programmi"),
        "quartiere:programmi",
        "quartiere.view_programma",
        _("I programmi finanziati: assi, obiettivi, attività svolte e avanzamento della spesa."),
    ),
    Voce(
        _("Indicatori"),
        "quartiere:cruscotto",
        "quartiere.view_indicatori",
        _("Le cifre del servizio, la relazione PDF e le esportazioni."),
    ),
    Voce(
        _("Privacy"),
        "quartiere:registro_trattamenti",
        "quartiere.view_registro_trattamenti",
        _("Il registro dei trattamenti (art. 30 GDPR) e le versioni dell'informativa."),
    ),
    Voce(
        _("Amministrazione"),
        "admin:index",
        "quartiere.usa_admin",
        _("Configurazione, revisione dei dossier e registri delle modifiche."),
    ),
]

VOCI_PUBBLICHE = [
    Voce(_("Home"), "quartiere:home"),
    Voce(_("Fai una segnalazione"), "segnalazioni:servizio"),
    Voce(_("Segui la tua segnalazione"), "segnalazioni:cerca_codice"),
    Voce(_("Elenco segnalazioni"), "segnalazioni:elenco"),
    Voce(_("Laboratori"), "laboratori:calendario"),
    Voce(_("Patti di collaborazione"), "patti:registro"),
    Voce(_("Eventi"), "quartiere:calendario_pubblico"),
    Voce(_("Quartieri"), "quartiere:quartieri_pubblici"),
    Voce(_("Prenota la sala"), "quartiere:richiesta_sala"),
]


def _risolvi(voci, user, percorso: str):
    risultato = []
    for voce in voci:
        if voce.permesso and not user.has_perm(voce.permesso):
            continue
        try:
            url = reverse(voce.url_name)
        except NoReverseMatch:
            continue
        risultato.append(
            {
                "etichetta": voce.etichetta,
                "url": url,
                "attiva": False,
                "descrizione": voce.descrizione,
            }
        )
    # The page belongs to the most specific entry: /segnalazioni/elenco/ is the list's,
    # not the service card's at /segnalazioni/.
    contengono = [
        v
        for v in risultato
        if (percorso == v["url"] if v["url"] == "/" else percorso.startswith(v["url"]))
    ]
    if contengono:
        max(contengono, key=lambda v: len(v["url"]))["attiva"] = True
    return risultato


def menu_staff(user, percorso: str):
    return _risolvi(VOCI_STAFF, user, percorso)


def menu_pubblico(user, percorso: str):
    return _risolvi(VOCI_PUBBLICHE, user, percorso)
