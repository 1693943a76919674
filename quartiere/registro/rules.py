"""Who may see and change the registry (Persona, Organizzazione)."""

from __future__ import annotations

import rules
from django.db.models import Q, QuerySet

from quartiere.accesso.policy import (
    is_amministratore,
    is_coordinatore,
    is_dirigente,
    is_mediatore,
    is_operatore,
    is_personale,
    nei_quartieri,
    quartieri_ids,
)

# --- The registry (Persona, Organizzazione) --------------------------------------------------

# Mediators meet parties from anywhere in the city, so they read the whole registry.
vede_registro_completo = is_coordinatore | is_dirigente | is_amministratore | is_mediatore
modifica_registro = is_operatore | is_mediatore | is_coordinatore | is_amministratore


def scope_registro(queryset: QuerySet, user) -> QuerySet:
    """Persons or organisations the user may see.

    Operators see the records of their quartieri and those not tied to any quartiere.
    """
    if not is_personale(user):
        return queryset.none()
    if vede_registro_completo(user):
        return queryset
    ids = quartieri_ids(user) or frozenset()
    return queryset.filter(Q(quartiere__in=ids) | Q(quartiere__isnull=True))


@rules.predicate
def registro_in_scope(user, obj) -> bool:
    if obj is None:
        return True
    if vede_registro_completo(user):
        return True
    return obj.quartiere_id is None or nei_quartieri(user, obj.quartiere_id)


for _modello in ("persona", "organizzazione"):
    rules.add_perm(f"quartiere.view_{_modello}", is_personale & registro_in_scope)
    rules.add_perm(f"quartiere.add_{_modello}", modifica_registro)
    rules.add_perm(f"quartiere.change_{_modello}", modifica_registro & registro_in_scope)
    rules.add_perm(f"quartiere.delete_{_modello}", is_amministratore)
rules.add_perm("quartiere.merge_persona", is_coordinatore | is_amministratore)
