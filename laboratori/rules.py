"""Who may see and do what in the labs, and the scoped querysets views and admin use.

Operators work on the labs of their quartieri, coordinators (and the amministratore)
everywhere, the dirigente reads everything and changes nothing. Mediators have no
business with labs. Every object is reached through a lab, so the scope of meetings,
attendance and proposals is the scope of their lab's quartiere.
"""

from __future__ import annotations

import rules
from django.db.models import QuerySet

from quartiere.accesso import policy

lavora_sui_laboratori = (
    policy.is_operatore | policy.is_coordinatore | policy.is_dirigente | policy.is_amministratore
)
gestisce_laboratori = policy.is_operatore | policy.is_coordinatore | policy.is_amministratore
gestisce_ovunque = policy.is_coordinatore | policy.is_amministratore

# The path from each model to the quartiere that scopes it.
_CAMPO_QUARTIERE = {
    "laboratorio": "quartiere",
    "incontro": "laboratorio__quartiere",
    "proposta": "laboratorio__quartiere",
    "presenza": "incontro__laboratorio__quartiere",
}


def quartiere_id_di(obj) -> int | None:
    """The quartiere that scopes ``obj`` (a lab, meeting, proposal or attendance)."""
    nome = obj._meta.model_name
    if nome == "laboratorio":
        return obj.quartiere_id
    if nome in {"incontro", "proposta"}:
        return obj.laboratorio.quartiere_id
    if nome == "presenza":
        return obj.incontro.laboratorio.quartiere_id
    raise TypeError(f"Nessuno scope per {nome}")


@rules.predicate
def nel_quartiere_del_laboratorio(user, obj) -> bool:
    if obj is None:
        return True
    return policy.nei_quartieri(user, quartiere_id_di(obj))


def scope(queryset: QuerySet, user) -> QuerySet:
    """``queryset`` (of any lab model) narrowed to what ``user`` may see."""
    if not lavora_sui_laboratori(user):
        return queryset.none()
    campo = _CAMPO_QUARTIERE[queryset.model._meta.model_name]
    return policy.filtra_quartieri(queryset, user, campo=campo)


def scope_laboratori(queryset: QuerySet, user) -> QuerySet:
    return scope(queryset, user)


def scope_incontri(queryset: QuerySet, user) -> QuerySet:
    return scope(queryset, user)


def scope_proposte(queryset: QuerySet, user) -> QuerySet:
    return scope(queryset, user)


def scope_presenze(queryset: QuerySet, user) -> QuerySet:
    return scope(queryset, user)


vede = lavora_sui_laboratori & nel_quartiere_del_laboratorio
modifica = gestisce_laboratori & nel_quartiere_del_laboratorio

for _modello in ("laboratorio", "incontro", "presenza", "proposta"):
    rules.add_perm(f"laboratori.view_{_modello}", vede)
    rules.add_perm(f"laboratori.add_{_modello}", modifica)
    rules.add_perm(f"laboratori.change_{_modello}", modifica)
# Removing attendance is part of recording it; whole labs, meetings and proposals go
# only by a coordinator's hand (in the admin).
elimina = gestisce_ovunque & nel_quartiere_del_laboratorio
rules.add_perm("laboratori.delete_presenza", modifica)
for _modello in ("laboratorio", "incontro", "proposta"):
    rules.add_perm(f"laboratori.delete_{_modello}", elimina)
