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
    "percorso": "nucleo__quartiere",
    "misura": "nucleo__quartiere",
    "contatto": "nucleo__quartiere",
    "problema": "immobile__quartiere",
    "obiettivo": "immobile__quartiere",
    "spostamento": "nucleo__quartiere",
    "regolamento": "immobile__quartiere",
    "adesione": "nucleo__quartiere",
    "gruppoautogestione": "immobile__quartiere",
    "turno": "gruppo__immobile__quartiere",
    "azionecomunicazione": "immobile__quartiere",
    "accessoriservato": "nucleo__quartiere",
}


def quartiere_di(obj) -> int | None:
    """The quartiere of a housing record (views load the chain with ``select_related``)."""
    if getattr(obj, "alloggio_id", None):
        obj = obj.alloggio
    if getattr(obj, "immobile_id", None):
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


def _nucleo_di(obj):
    from abitare.models import Nucleo

    return obj if isinstance(obj, Nucleo) else getattr(obj, "nucleo", None)


@rules.predicate
def assegnato_al_percorso(user, obj) -> bool:
    """``user`` is one of the operators assigned to the household's accompaniment."""
    nucleo = _nucleo_di(obj)
    if nucleo is None or not user.is_authenticated:
        return False
    ids = getattr(nucleo, "_operatori_ids", None)
    if ids is None:
        from abitare.models import Percorso

        ids = set(
            Percorso.operatori.through.objects.filter(percorso__nucleo=nucleo).values_list(
                "user_id", flat=True
            )
        )
        nucleo._operatori_ids = ids
    return user.pk in ids


# The confidential notes (fragility, arrears prevention) of a household: its assigned
# operators and the coordinators, nobody else; not the administrator, not the dirigente,
# who sees counts only (the figures). Every reading and writing is logged.
legge_riservate = nei_quartieri & (
    policy.is_coordinatore | (policy.is_operatore & assegnato_al_percorso)
)
rules.add_perm("abitare.view_notariservata", legge_riservate)
rules.add_perm("abitare.add_notariservata", legge_riservate)


def legge_note_riservate(user, nucleo) -> bool:
    """Whether ``user`` reads the household's confidential notes. The predicate itself, not
    ``has_perm``: Django lets a superuser pass every permission, and the notes are not the
    administrator's to read whatever the account's flags."""
    return legge_riservate.test(user, nucleo)


for _modello in CAMPO_QUARTIERE:
    if _modello == "accessoriservato":
        # The log of the confidential notes: the coordinators read it, nobody writes it.
        rules.add_perm("abitare.view_accessoriservato", policy.is_coordinatore)
        continue
    rules.add_perm(f"abitare.view_{_modello}", legge & nei_quartieri)
    rules.add_perm(f"abitare.add_{_modello}", scrive & nei_quartieri)
    rules.add_perm(f"abitare.change_{_modello}", scrive & nei_quartieri)
    rules.add_perm(f"abitare.delete_{_modello}", policy.is_amministratore)
