"""The shared access policy.

Every decision about who may see or change what goes through this module (and the
``rules.py`` of each app, which builds on it): views fetch objects through
:func:`get_object_or_404` with a scoped queryset, list views and the admin filter
with the ``scope_*`` helpers, and templates ask ``perms``/``has_perm``.

Roles are Django groups. A user's groups and quartieri are loaded once per request
and cached on the user object, so predicates never query inside a loop.
"""

from __future__ import annotations

from collections.abc import Iterable

import rules
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
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
        from quartiere.models import Quartiere

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

# Configuration: quartieri, offices and staff profiles belong to the amministratore.
for _modello in ("quartiere", "sede", "orarioapertura", "profilostaff"):
    rules.add_perm(f"quartiere.view_{_modello}", is_personale)
    for _azione in ("add", "change", "delete"):
        rules.add_perm(f"quartiere.{_azione}_{_modello}", is_amministratore)

for _modello in ("user", "group"):
    for _azione in ("view", "add", "change", "delete"):
        rules.add_perm(f"auth.{_azione}_{_modello}", is_amministratore)


def ha_ruolo(user, nomi: Iterable[str]) -> bool:
    return bool(ruoli(user) & set(nomi))


rules.add_perm("quartiere.usa_scrivania", is_personale)
rules.add_perm("quartiere.usa_admin", is_coordinatore | is_amministratore)


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


# --- Privacy notice and records of processing (issue 9) --------------------------------------
#
# The Comune's privacy texts are edited in the admin by coordinators and administrators. A
# published notice is read-only for everyone (consents point to its version; the database
# refuses the change too). The register of processing activities (art. 30) is not public:
# it is read by the coordinators, the director and the administrators.

gestisce_privacy = is_coordinatore | is_amministratore


@rules.predicate
def informativa_in_bozza(user, obj) -> bool:
    return obj is None or not obj.pubblicata


rules.add_perm("quartiere.view_informativa", gestisce_privacy)
rules.add_perm("quartiere.add_informativa", gestisce_privacy)
rules.add_perm("quartiere.change_informativa", gestisce_privacy & informativa_in_bozza)
rules.add_perm("quartiere.delete_informativa", gestisce_privacy & informativa_in_bozza)
rules.add_perm("quartiere.view_trattamento", gestisce_privacy)
rules.add_perm("quartiere.add_trattamento", gestisce_privacy)
rules.add_perm("quartiere.change_trattamento", gestisce_privacy)
rules.add_perm("quartiere.delete_trattamento", is_amministratore)
rules.add_perm(
    "quartiere.view_registro_trattamenti", is_coordinatore | is_dirigente | is_amministratore
)

# The figures (issue 6): registers "quartiere.view_indicatori".
from quartiere import rules_indicatori  # noqa: E402, F401
