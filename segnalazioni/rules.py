"""Who may see and do what with reports, and the scoped querysets every view, export and
admin page fetches through.

- operatore: the reports of their quartieri (read, file, work on them);
- coordinatore: every report, and may force any status change (override);
- dirigente: reads every report and exports, changes nothing;
- amministratore: configuration (categories, offices, API keys) and everything else;
- mediatore: no access — their work reaches reports only through a dossier's link.
"""

from __future__ import annotations

import rules
from django.db.models import QuerySet

from quartiere.accesso import policy
from quartiere.accesso.policy import (
    is_amministratore,
    is_coordinatore,
    is_dirigente,
    is_operatore,
    oggetto_nei_quartieri,
)

legge = is_operatore | is_coordinatore | is_dirigente | is_amministratore
lavora = is_operatore | is_coordinatore | is_amministratore
forza = is_coordinatore | is_amministratore


def scope_segnalazioni(queryset: QuerySet, user) -> QuerySet:
    """Reports ``user`` may see: none for roles without access, their quartieri for
    operators, all for the city-wide roles."""
    if not legge(user):
        return queryset.none()
    return policy.filtra_quartieri(queryset, user)


def scope_per_segnalazione(queryset: QuerySet, user, campo: str = "segnalazione") -> QuerySet:
    """Rows hanging off a report (attachments, timeline, e-mails) the user may see."""
    if not legge(user):
        return queryset.none()
    return policy.filtra_quartieri(queryset, user, campo=f"{campo}__quartiere")


@rules.predicate
def segnalazione_in_scope(user, segnalazione) -> bool:
    if segnalazione is None:
        return True
    return oggetto_nei_quartieri(user, segnalazione)


rules.add_perm("segnalazioni.view_segnalazione", legge & segnalazione_in_scope)
rules.add_perm("segnalazioni.add_segnalazione", lavora)
rules.add_perm("segnalazioni.change_segnalazione", lavora & segnalazione_in_scope)
rules.add_perm("segnalazioni.delete_segnalazione", is_amministratore)
rules.add_perm("segnalazioni.export_segnalazione", legge)
rules.add_perm("segnalazioni.override_segnalazione", forza)

for _modello in ("evento", "allegato", "invioemail", "ricevuta"):
    rules.add_perm(f"segnalazioni.view_{_modello}", legge)
    rules.add_perm(f"segnalazioni.add_{_modello}", lavora)
    rules.add_perm(f"segnalazioni.change_{_modello}", is_amministratore)
    rules.add_perm(f"segnalazioni.delete_{_modello}", is_amministratore)

# Configuration: everyone on staff reads the categories (forms need them); the
# coordinators and administrators maintain them, and issue and revoke API keys.
for _modello in ("categoria", "ufficio"):
    rules.add_perm(f"segnalazioni.view_{_modello}", legge)
    for _azione in ("add", "change"):
        rules.add_perm(f"segnalazioni.{_azione}_{_modello}", forza)
    rules.add_perm(f"segnalazioni.delete_{_modello}", is_amministratore)

# The public service card: the coordinators write it; nobody deletes it.
for _azione in ("view", "add", "change"):
    rules.add_perm(f"segnalazioni.{_azione}_schedaservizio", forza)

rules.add_perm("segnalazioni.view_chiaveapi", forza)
rules.add_perm("segnalazioni.add_chiaveapi", forza)
rules.add_perm("segnalazioni.change_chiaveapi", forza)
rules.add_perm("segnalazioni.delete_chiaveapi", is_amministratore)

# The admin's app index: only the roles that configure the app.
rules.add_perm("segnalazioni", forza)
