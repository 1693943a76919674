"""Who may read and do what with mediation dossiers.

Confidentiality is the rule of this app:

- a mediatore reads and works on the dossiers they are assigned to, and nothing else;
- a coordinatore reads and works on every dossier, reopens closed ones, reads the log;
- the amministratore reads dossiers only through the Django admin (read-only, logged);
- operatori and the dirigente see aggregated, masked figures only (``view_cifre``).

Staff pages fetch through :func:`scope_dossier`; the admin through
:func:`scope_dossier_admin`. Outside the scope a dossier does not exist (404).
"""

from __future__ import annotations

import rules
from django.db.models import QuerySet

from quartiere.accesso.policy import (
    is_amministratore,
    is_coordinatore,
    is_dirigente,
    is_mediatore,
    is_operatore,
    ruoli,
)


def _dossier_di(obj):
    """The dossier ``obj`` belongs to (a dossier, a party, an activity, an agreement)."""
    if obj is None:
        return None
    from mediazione.models import Dossier

    if isinstance(obj, Dossier):
        return obj
    return getattr(obj, "dossier", None)


# A list of dossiers loads their mediators with ``precarica_mediatori()``: the rule then
# reads them from this attribute, with no query per dossier.
MEDIATORI_PRECARICATI = "mediatori_precaricati"


def precarica_mediatori():
    """The prefetch of the assigned mediators that :func:`assegnato` uses."""
    from django.db.models import Prefetch

    return Prefetch("mediatori", to_attr=MEDIATORI_PRECARICATI)


def _mediatori_ids(dossier) -> set[int]:
    precaricati = getattr(dossier, MEDIATORI_PRECARICATI, None)
    if precaricati is not None:
        return {u.pk for u in precaricati}
    ids = getattr(dossier, "_mediatori_ids", None)
    if ids is None:
        ids = set(dossier.mediatori.values_list("pk", flat=True))
        dossier._mediatori_ids = ids
    return ids


@rules.predicate
def assegnato(user, obj) -> bool:
    """``user`` is one of the mediators assigned to the dossier of ``obj``."""
    dossier = _dossier_di(obj)
    if dossier is None:
        return False
    return user.pk in _mediatori_ids(dossier)


@rules.predicate
def dossier_aperto(user, obj) -> bool:
    dossier = _dossier_di(obj)
    return dossier is not None and not dossier.chiuso


# Without an object (menus, "may I open the list?"): any mediator or coordinator.
lavora_sui_dossier = is_mediatore | is_coordinatore
# With an object: the assigned mediators and every coordinator.
legge_dossier = is_coordinatore | (is_mediatore & assegnato)


@rules.predicate
def legge_dossier_o_lista(user, obj=None) -> bool:
    if obj is None:
        return lavora_sui_dossier(user)
    return legge_dossier(user, obj)


def scope_dossier(queryset: QuerySet, user) -> QuerySet:
    """The dossiers ``user`` may read on the staff pages."""
    r = ruoli(user)
    if "coordinatore" in r:
        return queryset
    if "mediatore" in r:
        return queryset.filter(mediatori=user)
    return queryset.none()


def scope_dossier_admin(queryset: QuerySet, user) -> QuerySet:
    """The dossiers ``user`` may read in the Django admin: as on the staff pages, plus
    the amministratore (whose every read is logged)."""
    if "amministratore" in ruoli(user):
        return queryset
    return scope_dossier(queryset, user)


def scope_collegati(queryset: QuerySet, user, campo: str = "dossier") -> QuerySet:
    """Rows of a dossier (parties, activities, agreements) ``user`` may read."""
    r = ruoli(user)
    if "coordinatore" in r or "amministratore" in r:
        return queryset
    if "mediatore" in r:
        return queryset.filter(**{f"{campo}__mediatori": user})
    return queryset.none()


def scope_dossier_attivi(queryset: QuerySet, user) -> QuerySet:
    """Open dossiers ``user`` works on (for the "verifiche in scadenza" list)."""
    return scope_dossier(queryset, user).aperti()


legge_in_admin = legge_dossier_o_lista | is_amministratore

rules.add_perm("mediazione.view_dossier", legge_dossier_o_lista)
rules.add_perm("mediazione.add_dossier", lavora_sui_dossier)
rules.add_perm("mediazione.change_dossier", legge_dossier_o_lista)
rules.add_perm("mediazione.delete_dossier", rules.always_deny)
rules.add_perm("mediazione.close_dossier", legge_dossier_o_lista)
rules.add_perm("mediazione.reopen_dossier", is_coordinatore)
rules.add_perm("mediazione.export_dossier", lavora_sui_dossier)
rules.add_perm("mediazione.admin_view_dossier", legge_in_admin)
# Aggregated, masked figures: every staff role except the configuration-only one.
rules.add_perm(
    "mediazione.view_cifre", is_operatore | is_dirigente | is_coordinatore | is_mediatore
)

for _modello in ("parte", "attivita", "accordo"):
    rules.add_perm(f"mediazione.view_{_modello}", legge_in_admin)
    rules.add_perm(f"mediazione.add_{_modello}", legge_dossier_o_lista)
    rules.add_perm(f"mediazione.change_{_modello}", legge_dossier_o_lista)
    rules.add_perm(f"mediazione.delete_{_modello}", rules.always_deny)

# The access log: coordinators read it (and the amministratore, for audits); nobody
# writes it by hand, nobody changes or deletes it.
rules.add_perm("mediazione.view_accessodossier", is_coordinatore | is_amministratore)
rules.add_perm("mediazione.view_esecuzioneconservazione", is_coordinatore | is_amministratore)
for _modello in ("accessodossier", "esecuzioneconservazione", "contatoredossier"):
    for _azione in ("add", "change", "delete"):
        rules.add_perm(f"mediazione.{_azione}_{_modello}", rules.always_deny)
rules.add_perm("mediazione.view_contatoredossier", rules.always_deny)
