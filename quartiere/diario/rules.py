"""Who reads and writes the operators' diary."""

from __future__ import annotations

import rules
from django.db.models import QuerySet

from quartiere.accesso.policy import is_amministratore, is_coordinatore, is_dirigente, is_operatore

# The diary: each operator writes and reads their own entries; coordinators, the director
# and the administrators read everyone's (coordinators also correct them).
vede_tutto_il_diario = is_coordinatore | is_dirigente | is_amministratore
scrive_diario = is_operatore | is_coordinatore


def scope_diario(queryset: QuerySet, user) -> QuerySet:
    """Diary entries the user may read."""
    if vede_tutto_il_diario(user):
        return queryset
    if scrive_diario(user):
        return queryset.filter(operatore=user)
    return queryset.none()


@rules.predicate
def diario_proprio(user, obj) -> bool:
    if obj is None:
        return True
    return obj.operatore_id == user.pk


rules.add_perm(
    "quartiere.view_attivitadiario", vede_tutto_il_diario | (scrive_diario & diario_proprio)
)
rules.add_perm("quartiere.add_attivitadiario", scrive_diario)
rules.add_perm(
    "quartiere.change_attivitadiario",
    (scrive_diario & diario_proprio) | is_coordinatore | is_amministratore,
)
rules.add_perm(
    "quartiere.delete_attivitadiario",
    (scrive_diario & diario_proprio) | is_coordinatore | is_amministratore,
)
rules.add_perm("quartiere.view_diario_di_tutti", vede_tutto_il_diario)
