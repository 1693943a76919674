from __future__ import annotations

from collections.abc import Iterable

import rules
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

OPERATORE = "operatore"
MEDIATORE = "mediatore"
COORDINATORE = "coordinatore"
DIRIGENTE = "dirigente"
AMMINISTRATORE = "amministratore"
RUOLI = (OPERATORE, MEDIATORE, COORDINATORE, DIRIGENTE, AMMINISTRATORE)

# Roles whose reach is every quartiere.
_RUOLI_CITTADINI = {COORDINATORE, DIRIGENTE, AMMINISTRATORE}


def ruoli(user) -> frozenset[str]:
    """The role names of ``user`` (empty for anonymous or inactive users)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return frozenset()
    cached = getattr(user, "_quartiere_ruoli", None)
    if cached is None:
        cached = frozenset(user.groups.filter(name__in=RUOLI).values_list("name", flat=True))
        if user.is_superuser:
            cached = cached | {AMMINISTRATORE}
        user._quartiere_ruoli = cached
    return cached


def vede_tutti_i_quartieri(user) -> bool:
    return bool(ruoli(user) & _RUOLI_CITTADINI)


def quartieri_ids(user) -> frozenset[int] | None:
    """The ids of the quartieri ``user`` works in, or ``None`` for "all of them"."""
    if vede_tutti_i_quartieri(user):
        return None
    if not ruoli(user):
        return frozenset()
    cached = getattr(user, "_quartiere_quartieri", None)
    if cached is None:
        from quartiere.territorio.models import Quartiere

        cached = frozenset(
            Quartiere.objects.filter(staff__utente=user).values_list("pk", flat=True)
        )
        user._quartiere_quartieri = cached
    return cached


def nei_quartieri(user, quartiere_id: int | None) -> bool:
    ids = quartieri_ids(user)
    return ids is None or quartiere_id in ids


def filtra_quartieri(queryset: QuerySet, user, campo: str = "quartiere") -> QuerySet:
    """Restrict ``queryset`` to rows whose ``campo`` is one of the user's quartieri."""
    ids = quartieri_ids(user)
    if ids is None:
        return queryset
    return queryset.filter(**{f"{campo}__in": ids})


def get_object_or_404(user, queryset: QuerySet, perm: str | None = None, **lookup):
    """Fetch one object through a scoped queryset.

    Outside the user's scope the object does not exist for them (404); inside it,
    ``perm`` (when given) decides whether they may act on it (403).
    """
    try:
        obj = queryset.get(**lookup)
    except (queryset.model.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc
    if perm and not user.has_perm(perm, obj):
        raise PermissionDenied
    return obj


# --- Predicates ------------------------------------------------------------------------------


def _ha_ruolo(nome: str):
    @rules.predicate(name=f"is_{nome}")
    def predicate(user) -> bool:
        return nome in ruoli(user)

    return predicate


is_operatore = _ha_ruolo(OPERATORE)
is_mediatore = _ha_ruolo(MEDIATORE)
is_coordinatore = _ha_ruolo(COORDINATORE)
is_dirigente = _ha_ruolo(DIRIGENTE)
is_amministratore = _ha_ruolo(AMMINISTRATORE)


@rules.predicate
def is_personale(user) -> bool:
    """Any staff role."""
    return bool(ruoli(user))


@rules.predicate
def oggetto_nei_quartieri(user, obj) -> bool:
    """True for objects without a quartiere scope or inside the user's quartieri."""
    if obj is None:
        return True
    return nei_quartieri(user, getattr(obj, "quartiere_id", None))


def ha_ruolo(user, nomi: Iterable[str]) -> bool:
    return bool(ruoli(user) & set(nomi))
