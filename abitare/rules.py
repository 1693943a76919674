"""Who may see and change the housing records, on the shared policy (quartiere.rules).

Operators work on the buildings and households of their quartieri; coordinators and the
administrator on all; the dirigente reads; mediators have no business here. Objects are
fetched through :func:`scope_abitare`, so a record outside the user's quartieri is a 404.
"""

from __future__ import annotations

import rules
from django.db.models import QuerySet

from quartiere.accesso import policy

legge = (
    policy.is_operatore | policy.is_coordinatore | policy.is_dirigente | policy.is_amministratore
)
scrive = policy.is_operatore | policy.is_coordinatore | policy.is_amministratore

#: For each model, the path from a row to its quartiere.
CAMPO_QUARTIERE = {
    "immobile": "quartiere",
    "alloggio": "immobile__quartiere",
    "spazio": "immobile__quartiere",
    "nucleo": "quartiere",
    "componente": "nucleo__quartiere",
    "assegnazione": "alloggio__immobile__quartiere",
}


def quartiere_di(obj) -> int | None:
    """The quartiere of a housing record (views load the chain with ``select_related``)."""
    if hasattr(obj, "alloggio_id"):
        obj = obj.alloggio
    if hasattr(obj, "immobile_id"):
        obj = obj.immobile
    if hasattr(obj, "nucleo_id") and not hasattr(obj, "quartiere_id"):
        obj = obj.nucleo
    return obj.quartiere_id


@rules.predicate
def nei_quartieri(user, obj) -> bool:
    if obj is None:
        return True
    return policy.nei_quartieri(user, quartiere_di(obj))


def scope_abitare(queryset: QuerySet, user) -> QuerySet:
    """Rows of ``queryset`` the user may see."""
    if not legge(user):
        return queryset.none()
    campo = CAMPO_QUARTIERE[queryset.model._meta.model_name]
    return policy.filtra_quartieri(queryset, user, campo=campo)


for _modello in CAMPO_QUARTIERE:
    rules.add_perm(f"abitare.view_{_modello}", legge & nei_quartieri)
    rules.add_perm(f"abitare.add_{_modello}", scrive & nei_quartieri)
    rules.add_perm(f"abitare.change_{_modello}", scrive & nei_quartieri)
    rules.add_perm(f"abitare.delete_{_modello}", policy.is_amministratore)
