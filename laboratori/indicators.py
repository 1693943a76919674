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
  if one of its meetings counts in the period (pilot and thematic groups included);
- ``gruppi_pilota_attivi``: the active labs that are a quartiere's pilot group;
- ``aderenti_gruppi``: the distinct persons and organisations that belonged, on some day
  of [dal, al], to an active pilot or thematic group.

``quartieri`` narrows everything through the lab's quartiere: ``None`` means every
quartiere; otherwise an iterable of Quartiere objects or ids (an empty one gives zeros).
Two queries, whatever the data; ``calcola_per_quartiere`` gives the same figures for
each quartiere, grouped in SQL, in two queries too.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

from django.db.models import Case, Count, Exists, IntegerField, OuterRef, Q, Value, When

from laboratori.models import Incontro, Laboratorio
from quartiere.indicators import inizio_giorno

CHIAVI = (
    "laboratori_attivi",
    "incontri_svolti",
    "presenze",
    "partecipanti_unici",
    "organizzazioni_coinvolte",
    "gruppi_pilota_attivi",
    "aderenti_gruppi",
)


def _ids(quartieri):
    """None, a subquery of ids (for a QuerySet: no extra query) or a list of ids."""
    if quartieri is None:
        return None
    if hasattr(quartieri, "values"):
        return quartieri.values("pk")
    return [getattr(q, "pk", q) for q in quartieri]


# Aliases must not shadow the ``presenze`` relation the other aggregates follow.
AGGREGATI = {
    "n_incontri": Count("pk", distinct=True),
    "n_presenze": Count("presenze"),
    "n_persone": Count("presenze__persona", distinct=True),
    "n_organizzazioni": Count("presenze__organizzazione", distinct=True),
}


def _insiemi(dal: date, al: date, ids):
    """The meetings that count and the labs that may be active, narrowed to ``ids``."""
    incontri = Incontro.objects.svolti().nel_periodo(dal, al)
    laboratori = Laboratorio.objects.filter(
        Q(data_fine__isnull=True) | Q(data_fine__gte=dal), data_inizio__lte=al
    )
    if ids is not None:
        incontri = incontri.filter(laboratorio__quartiere__in=ids)
        laboratori = laboratori.filter(quartiere__in=ids)
    ha_svolto = Exists(incontri.filter(laboratorio=OuterRef("pk")))
    attivi = laboratori.filter(~Q(stato=Laboratorio.Stato.SOSPESO) | Q(ha_svolto))
    return incontri, attivi


def _aggregati_attivi(dal: date, al: date) -> dict:
    """The active labs, their pilot groups and the members of their groups in the period,
    in one aggregate (a person and an organisation are each counted once)."""
    in_periodo = Q(aderenti__dal__lte=al) & (
        Q(aderenti__al__isnull=True) | Q(aderenti__al__gte=dal)
    )
    return {
        "n_attivi": Count("pk", distinct=True),
        "n_pilota": Count("pk", distinct=True, filter=Q(tipo=Laboratorio.Tipo.GRUPPO_PILOTA)),
        "n_aderenti_persone": Count(
            "aderenti__persona",
            distinct=True,
            filter=in_periodo & Q(aderenti__organizzazione__isnull=True),
        ),
        "n_aderenti_organizzazioni": Count(
            "aderenti__organizzazione", distinct=True, filter=in_periodo
        ),
    }


def _figure(risultato: dict, attivi: dict) -> dict[str, int]:
    cifre = {
        "laboratori_attivi": attivi.get("n_attivi"),
        "gruppi_pilota_attivi": attivi.get("n_pilota"),
        "aderenti_gruppi": (attivi.get("n_aderenti_persone") or 0)
        + (attivi.get("n_aderenti_organizzazioni") or 0),
        "incontri_svolti": risultato.get("n_incontri"),
        "presenze": risultato.get("n_presenze"),
        "partecipanti_unici": risultato.get("n_persone"),
        "organizzazioni_coinvolte": risultato.get("n_organizzazioni"),
    }
    return {chiave: cifre[chiave] or 0 for chiave in CHIAVI}


def calcola(dal: date, al: date, quartieri: Iterable | None = None) -> dict[str, int]:
    """The five figures of the labs for [dal, al] (both included) in ``quartieri``."""
    incontri, attivi = _insiemi(dal, al, _ids(quartieri))
    return _figure(incontri.aggregate(**AGGREGATI), attivi.aggregate(**_aggregati_attivi(dal, al)))


def calcola_per_quartiere(dal: date, al: date, quartieri: Iterable) -> dict[int, dict]:
    """``{quartiere_pk: calcola(dal, al, [quartiere])}`` for every one of ``quartieri``, in
    two queries (the same aggregates grouped by the lab's quartiere)."""
    ids = [getattr(q, "pk", q) for q in quartieri]
    incontri, attivi = _insiemi(dal, al, ids)
    per_incontri = {
        r["laboratorio__quartiere"]: r
        for r in incontri.order_by().values("laboratorio__quartiere").annotate(**AGGREGATI)
    }
    per_attivi = {
        r["quartiere"]: r
        for r in attivi.order_by().values("quartiere").annotate(**_aggregati_attivi(dal, al))
    }
    return {pk: _figure(per_incontri.get(pk, {}), per_attivi.get(pk, {})) for pk in ids}


def calcola_andamento(fette: list[tuple[date, date]], quartieri: Iterable | None = None):
    """``incontri_svolti``, ``presenze`` and ``partecipanti_unici`` of ``calcola`` for each
    ``(dal, al)`` slice, in one query (a dashboard trend line), in the slices' order.

    The slices must not overlap (``suddividi`` cuts them so): each meeting is grouped
    under the one slice its day falls in, so the distinct counts take one pass, not one
    per slice (a year of meetings: 1.1 s with a filtered ``COUNT(DISTINCT)`` per slice).
    """
    if not fette:
        return []
    ordinate = sorted(fette)
    if any(prima[1] >= dopo[0] for prima, dopo in zip(ordinate, ordinate[1:], strict=False)):
        raise ValueError("calcola_andamento: slices must not overlap")
    ids = _ids(quartieri)
    incontri = Incontro.objects.svolti().nel_periodo(ordinate[0][0], ordinate[-1][1])
    if ids is not None:
        incontri = incontri.filter(laboratorio__quartiere__in=ids)
    # Instants, not inizio__date: the local date of every joined attendance row, twice per
    # slice, was most of this query's 0.35 s for a year (docs/performance.md, 4.9).
    fetta = Case(
        *(
            When(
                inizio__gte=inizio_giorno(dal),
                inizio__lt=inizio_giorno(al + timedelta(days=1)),
                then=Value(i),
            )
            for i, (dal, al) in enumerate(fette)
        ),
        default=Value(-1),
        output_field=IntegerField(),
    )
    per_fetta = {
        r["fetta"]: r
        for r in incontri.annotate(fetta=fetta).order_by().values("fetta").annotate(**AGGREGATI)
    }
    return [
        {
            "incontri_svolti": per_fetta.get(i, {}).get("n_incontri") or 0,
            "presenze": per_fetta.get(i, {}).get("n_presenze") or 0,
            "partecipanti_unici": per_fetta.get(i, {}).get("n_persone") or 0,
        }
        for i in range(len(fette))
    ]
