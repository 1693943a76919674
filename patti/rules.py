"""Who may see and change pacts, built on the shared policy in :mod:`quartiere.rules`.

Operators work on the pacts of their quartieri; coordinators on every pact, and they
alone approve, reject and revoke; the dirigente reads everything; mediators have no
business with pacts. Objects are fetched through :func:`scope_patti`, so a pact
outside the user's quartieri is a 404.
"""

from __future__ import annotations

import rules
from django.db.models import QuerySet

from quartiere.accesso import policy

legge_patti = (
    policy.is_operatore | policy.is_coordinatore | policy.is_dirigente | policy.is_amministratore
)
redige_patti = policy.is_operatore | policy.is_coordinatore | policy.is_amministratore
decide_patti = policy.is_coordinatore | policy.is_amministratore


@rules.predicate
def patto_nei_quartieri(user, obj) -> bool:
    """The pact (or the pact of a signatory, project, indicator...) is in the user's scope.

    Reads ``quartiere_id`` of the pact already loaded with the object, never queries.
    """
    if obj is None:
        return True
    patto = patto_di(obj)
    return policy.nei_quartieri(user, patto.quartiere_id)


@rules.predicate
def patto_aperto(user, obj) -> bool:
    """The pact (of the object) is not sealed by a signature: its content may still change."""
    if obj is None:
        return True
    return not patto_di(obj).sigillato


def patto_di(obj):
    """The pact an object belongs to (views load the chain with ``select_related``)."""
    if hasattr(obj, "indicatore_id"):
        obj = obj.indicatore
    if hasattr(obj, "firmatario_id"):
        obj = obj.firmatario
    if not hasattr(obj, "quartiere_id") and hasattr(obj, "patto_id"):
        obj = obj.patto
    return obj


def scope_patti(queryset: QuerySet, user, campo: str = "quartiere") -> QuerySet:
    """Pacts (or rows under a pact, with ``campo`` leading to its quartiere) the user may see."""
    if not legge_patti(user):
        return queryset.none()
    return policy.filtra_quartieri(queryset, user, campo=campo)


rules.add_perm("patti.view_patto", legge_patti & patto_nei_quartieri)
rules.add_perm("patti.add_patto", redige_patti)
# Status, final report and monitoring: any time. The signed content: only before signature.
rules.add_perm("patti.change_patto", redige_patti & patto_nei_quartieri)
rules.add_perm("patti.modifica_testo_patto", redige_patti & patto_nei_quartieri & patto_aperto)
rules.add_perm("patti.delete_patto", policy.is_amministratore)
rules.add_perm("patti.approva_patto", decide_patti & patto_nei_quartieri)
rules.add_perm("patti.importa_dati", decide_patti)
# Anyone who reads pacts may print them.
rules.add_perm("patti.stampa_patto", legge_patti & patto_nei_quartieri)

# Rows that belong to a pact follow the pact. Signatories, commitments and projects are
# signed content: none is added or taken away once the pact is signed, and a signatory no
# longer changes; a commitment (done or not) and a project (its progress) still change, in
# their monitoring fields only (patti.models.CAMPI_MONITORAGGIO).
_in_scope = redige_patti & patto_nei_quartieri
for _modello in ("firmatario", "impegno", "progetto", "indicatore", "misurazione"):
    _firmato = _modello in ("firmatario", "impegno", "progetto")
    rules.add_perm(f"patti.view_{_modello}", legge_patti & patto_nei_quartieri)
    rules.add_perm(f"patti.add_{_modello}", _in_scope & patto_aperto if _firmato else _in_scope)
    rules.add_perm(
        f"patti.change_{_modello}",
        _in_scope & patto_aperto if _modello == "firmatario" else _in_scope,
    )
    rules.add_perm(f"patti.delete_{_modello}", _in_scope & patto_aperto if _firmato else _in_scope)

# The status history is written only by the services.
rules.add_perm("patti.view_passaggiostato", legge_patti & patto_nei_quartieri)
for _azione in ("add", "change", "delete"):
    rules.add_perm(f"patti.{_azione}_passaggiostato", rules.always_deny)
