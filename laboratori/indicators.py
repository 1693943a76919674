"""The labs' figures for a period and a set of quartieri, as SQL aggregates.

Definitions (also in docs/indicatori.md, section "Laboratori"):

- a meeting *counts* when the day it starts (local time) is in [dal, al] and its
  status is ``svolto``; cancelled and scheduled meetings never count;
- ``incontri_svolti``: the meetings that count;
- ``presenze``: the attendance rows of the meetings that count;
- ``partecipanti_unici``: the distinct persons among those rows (organisation-only
  rows add no person);
- ``organizzazioni_coinvolte``: the distinct organisations among those rows;
- ``laboratori_attivi``: labs whose span [data_inizio, data_fine] (no data_fine: still
  open) overlaps [dal, al] and that are not suspended — a suspended lab still counts
  if one of its meetings counts in the period.

``quartieri`` narrows everything through the lab's quartiere: ``None`` means every
quartiere; otherwise an iterable of Quartiere objects or ids (an empty one gives zeros).
Two queries, whatever the data.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.db.models import Count, Exists, OuterRef, Q

from laboratori.models import Incontro, Laboratorio

CHIAVI = (
    "laboratori_attivi",
    "incontri_svolti",
    "presenze",
    "partecipanti_unici",
    "organizzazioni_coinvolte",
)


def _ids(quartieri):
    """None, a subquery of ids (for a QuerySet: no extra query) or a list of ids."""
    if quartieri is None:
        return None
    if hasattr(quartieri, "values"):
        return quartieri.values("pk")
    return [getattr(q, "pk", q) for q in quartieri]


def calcola(dal: date, al: date, quartieri: Iterable | None = None) -> dict[str, int]:
    """The five figures of the labs for [dal, al] (both included) in ``quartieri``."""
    ids = _ids(quartieri)
    incontri = Incontro.objects.svolti().nel_periodo(dal, al)
    laboratori = Laboratorio.objects.filter(
        Q(data_fine__isnull=True) | Q(data_fine__gte=dal), data_inizio__lte=al
    )
    if ids is not None:
        incontri = incontri.filter(laboratorio__quartiere__in=ids)
        laboratori = laboratori.filter(quartiere__in=ids)

    # Aliases must not shadow the ``presenze`` relation the other aggregates follow.
    risultato = incontri.aggregate(
        n_incontri=Count("pk", distinct=True),
        n_presenze=Count("presenze"),
        n_persone=Count("presenze__persona", distinct=True),
        n_organizzazioni=Count("presenze__organizzazione", distinct=True),
    )
    cifre = {
        "incontri_svolti": risultato["n_incontri"],
        "presenze": risultato["n_presenze"],
        "partecipanti_unici": risultato["n_persone"],
        "organizzazioni_coinvolte": risultato["n_organizzazioni"],
    }
    ha_svolto = Exists(incontri.filter(laboratorio=OuterRef("pk")))
    cifre["laboratori_attivi"] = laboratori.filter(
        ~Q(stato=Laboratorio.Stato.SOSPESO) | Q(ha_svolto)
    ).count()
    return {chiave: cifre[chiave] or 0 for chiave in CHIAVI}
