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


VOCI_STAFF = [
    Voce(_("Scrivania"), "quartiere:scrivania", "quartiere.usa_scrivania"),
    Voce(_("Segnalazioni"), "segnalazioni:lista", "segnalazioni.view_segnalazione"),
    Voce(_("Mediazione"), "mediazione:lista", "mediazione.view_dossier"),
    Voce(_("Laboratori"), "laboratori:lista", "laboratori.view_laboratorio"),
    Voce(_("Patti"), "patti:lista", "patti.view_patto"),
    Voce(_("Calendario"), "quartiere:calendario", "quartiere.view_prenotazione"),
    Voce(_("Diario"), "quartiere:diario", "quartiere.view_attivitadiario"),
    Voce(_("Persone"), "quartiere:persona_list", "quartiere.view_persona"),
    Voce(_("Organizzazioni"), "quartiere:organizzazione_list", "quartiere.view_organizzazione"),
    Voce(_("Indicatori"), "quartiere:cruscotto", "quartiere.view_indicatori"),
    Voce(_("Amministrazione"), "admin:index", "quartiere.usa_admin"),
]

VOCI_PUBBLICHE = [
    Voce(_("Home"), "quartiere:home"),
    Voce(_("Fai una segnalazione"), "segnalazioni:nuova"),
    Voce(_("Segui la tua segnalazione"), "segnalazioni:cerca_codice"),
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
        attiva = percorso == url if url == "/" else percorso.startswith(url)
        risultato.append({"etichetta": voce.etichetta, "url": url, "attiva": attiva})
    return risultato


def menu_staff(user, percorso: str):
    return _risolvi(VOCI_STAFF, user, percorso)


def menu_pubblico(user, percorso: str):
    return _risolvi(VOCI_PUBBLICHE, user, percorso)
