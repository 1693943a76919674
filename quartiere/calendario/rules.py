"""Who sees and manages the halls' calendars."""

from __future__ import annotations

import rules
from django.db.models import Q, QuerySet

from quartiere.accesso.policy import (
    is_amministratore,
    is_coordinatore,
    is_operatore,
    is_personale,
    nei_quartieri,
    quartieri_ids,
)

# --- Hall calendar and operators' diary (issue 7) --------------------------------------------
#
# A Sede belongs to a quartiere or to none (the Latina "Sala della Città condivisa" serves
# the whole city). Operators and mediators see and manage the calendars of the Sedi of
# their quartieri and of the Sedi without a quartiere; coordinators, the director and the
# administrators see every calendar. Only operators, coordinators and administrators
# book, confirm, refuse and cancel.


def scope_sedi(queryset: QuerySet, user, campo: str = "") -> QuerySet:
    """Sedi (or rows pointing to a Sede through ``campo``) whose calendar the user sees."""
    if not is_personale(user):
        return queryset.none()
    ids = quartieri_ids(user)
    if ids is None:
        return queryset
    prefisso = f"{campo}__" if campo else ""
    return queryset.filter(
        Q(**{f"{prefisso}quartiere__in": ids}) | Q(**{f"{prefisso}quartiere__isnull": True})
    )


def scope_prenotazioni(queryset: QuerySet, user) -> QuerySet:
    """Bookings of the Sedi whose calendar the user sees (private ones included)."""
    return scope_sedi(queryset, user, campo="sede")


def _sede_di(obj):
    return getattr(obj, "sede", obj)


@rules.predicate
def sede_in_scope(user, obj) -> bool:
    """``obj`` is a Sede or a booking; its Sede has no quartiere or one of the user's."""
    if obj is None:
        return True
    sede = _sede_di(obj)
    return sede.quartiere_id is None or nei_quartieri(user, sede.quartiere_id)


gestisce_calendario = is_operatore | is_coordinatore | is_amministratore
vede_calendario = is_personale

rules.add_perm("quartiere.view_prenotazione", vede_calendario & sede_in_scope)
rules.add_perm("quartiere.add_prenotazione", gestisce_calendario & sede_in_scope)
rules.add_perm("quartiere.change_prenotazione", gestisce_calendario & sede_in_scope)
rules.add_perm("quartiere.conferma_prenotazione", gestisce_calendario & sede_in_scope)
rules.add_perm("quartiere.delete_prenotazione", is_amministratore)
