"""Figures of the reports for a period and a set of quartieri, as SQL aggregates.

``calcola`` runs two queries whatever the amount of data: one aggregate over the reports
(every count is a ``Count(filter=Q(...))``) and one listing the category codes, so that
every category appears in ``per_categoria`` even with zero reports.
``calcola_per_quartiere`` runs the same aggregate grouped by quartiere: two queries for
any number of quartieri.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

from django.db.models import Avg, Count, F, Q, QuerySet
from django.db.models.functions import TruncDate
from django.utils import timezone

from quartiere.indicators import inizio_giorno
from segnalazioni.models import Canale, Categoria, Segnalazione, Stato, Tipo


def _segnalazioni(quartieri) -> QuerySet:
    qs = Segnalazione.objects.all()
    if quartieri is None:
        return qs
    if isinstance(quartieri, QuerySet):
        return qs.filter(quartiere__in=quartieri)
    return qs.filter(quartiere__in=[getattr(q, "pk", q) for q in quartieri])


def _aggregati(dal: date, al: date, codici: list[str]) -> tuple[Q, dict]:
    """The aggregates of ``calcola`` and the condition that every counted report meets.

    Each aggregate is filtered, so restricting the rows to the union of the filters
    changes no figure; it spares PostgreSQL evaluating ~45 filters on years of history.
    """
    da, a = inizio_giorno(dal), inizio_giorno(al + timedelta(days=1))
    ricevute = Q(creata_il__gte=da, creata_il__lt=a)
    chiuse = Q(stato=Stato.CHIUSA, chiusa_il__gte=da, chiusa_il__lt=a)
    # Still open at the end of the period: not closed, or closed after it. A period that is
    # not over is measured today, so the figure is the worklist's "aperte oltre il termine"
    # (segnalazioni.filters: open, deadline before today), not a count of reports whose
    # deadline merely falls before a future date.
    fine = min(al, timezone.localdate())
    a_fine = inizio_giorno(fine + timedelta(days=1))
    scadute = Q(creata_il__lt=a_fine, scadenza__lt=fine) & (
        ~Q(stato=Stato.CHIUSA) | Q(chiusa_il__gte=a_fine)
    )
    aggregati = {
        "ricevute": Count("pk", filter=ricevute),
        "chiuse": Count("pk", filter=chiuse),
        "chiuse_entro_termine": Count(
            "pk",
            filter=chiuse
            & Q(scadenza__gte=TruncDate("chiusa_il", tzinfo=timezone.get_current_timezone())),
        ),
        "tempo_medio": Avg(F("chiusa_il") - F("creata_il"), filter=chiuse),
        "aperte_scadute": Count("pk", filter=scadute),
    }
    for s in Stato.values:
        aggregati[f"stato_{s}"] = Count("pk", filter=ricevute & Q(stato=s))
    for t in Tipo.values:
        aggregati[f"tipo_{t}"] = Count("pk", filter=ricevute & Q(tipo=t))
    for c in Canale.values:
        aggregati[f"canale_{c}"] = Count("pk", filter=ricevute & Q(canale=c))
    for i, codice in enumerate(codici):
        aggregati[f"categoria_{i}"] = Count("pk", filter=ricevute & Q(categoria__codice=codice))
    return ricevute | chiuse | scadute, aggregati


def _figure(r: dict, codici: list[str]) -> dict:
    medio = r.get("tempo_medio")
    return {
        "ricevute": r.get("ricevute", 0),
        "chiuse": r.get("chiuse", 0),
        "per_stato": {s: r.get(f"stato_{s}", 0) for s in Stato.values},
        "per_tipo": {t: r.get(f"tipo_{t}", 0) for t in Tipo.values},
        "per_categoria": {c: r.get(f"categoria_{i}", 0) for i, c in enumerate(codici)},
        "per_canale": {c: r.get(f"canale_{c}", 0) for c in Canale.values},
        "chiuse_entro_termine": r.get("chiuse_entro_termine", 0),
        "tempo_medio_chiusura_giorni": (
            round(medio.total_seconds() / 86400, 1) if medio is not None else None
        ),
        "aperte_scadute": r.get("aperte_scadute", 0),
    }


def _codici() -> list[str]:
    return list(Categoria.objects.order_by("codice").values_list("codice", flat=True))


def calcola(dal: date, al: date, quartieri: Iterable | None = None) -> dict:
    """Reports received and closed between ``dal`` and ``al`` (inclusive) in ``quartieri``.

    Returns exactly ``{ricevute, chiuse, per_stato, per_tipo, per_categoria, per_canale,
    chiuse_entro_termine, tempo_medio_chiusura_giorni, aperte_scadute}``:

    - ``ricevute``: reports received in the period; ``per_stato``, ``per_tipo``,
      ``per_categoria`` (keyed by ``Categoria.codice``) and ``per_canale`` break them
      down, every key present even when zero; ``per_stato`` is their current status;
    - ``chiuse``: reports closed in the period; ``chiuse_entro_termine`` those of them
      closed on or before their deadline; ``tempo_medio_chiusura_giorni`` their mean
      days from receipt to closure (one decimal), ``None`` when none closed;
    - ``aperte_scadute``: reports still open at the end of the period whose deadline
      had passed by then (received up to ``al``); for a period that ends in the future,
      at today: the reports open now whose deadline is past.
    """
    codici = _codici()
    contate, aggregati = _aggregati(dal, al, codici)
    r = _segnalazioni(quartieri).filter(contate).aggregate(**aggregati)
    return _figure(r, codici)


def calcola_per_quartiere(dal: date, al: date, quartieri: Iterable) -> dict[int, dict]:
    """``{quartiere_pk: calcola(dal, al, [quartiere])}`` for every one of ``quartieri``,
    in two queries (the same aggregates grouped by quartiere)."""
    ids = [getattr(q, "pk", q) for q in quartieri]
    codici = _codici()
    contate, aggregati = _aggregati(dal, al, codici)
    righe = (
        Segnalazione.objects.filter(contate, quartiere__in=ids)
        .order_by()
        .values("quartiere")
        .annotate(**aggregati)
    )
    per_quartiere = {r["quartiere"]: r for r in righe}
    return {pk: _figure(per_quartiere.get(pk, {}), codici) for pk in ids}


def calcola_andamento(fette: list[tuple[date, date]], quartieri: Iterable | None = None):
    """``ricevute`` and ``chiuse`` of ``calcola`` for each ``(dal, al)`` slice, in one query
    (a dashboard trend line): ``[{"ricevute": n, "chiuse": n}, ...]`` in the slices' order."""
    if not fette:
        return []
    aggregati, contate = {}, Q()
    for i, (dal, al) in enumerate(fette):
        da, a = inizio_giorno(dal), inizio_giorno(al + timedelta(days=1))
        ricevute = Q(creata_il__gte=da, creata_il__lt=a)
        chiuse = Q(stato=Stato.CHIUSA, chiusa_il__gte=da, chiusa_il__lt=a)
        aggregati[f"ricevute_{i}"] = Count("pk", filter=ricevute)
        aggregati[f"chiuse_{i}"] = Count("pk", filter=chiuse)
        contate |= ricevute | chiuse
    r = _segnalazioni(quartieri).filter(contate).aggregate(**aggregati)
    return [{"ricevute": r[f"ricevute_{i}"], "chiuse": r[f"chiuse_{i}"]} for i in range(len(fette))]


def categorie() -> dict[str, tuple[int, str]]:
    """``{codice: (pk, nome)}`` of the categories, the keys of ``per_categoria``: the
    report labels them and links each to its list. One query."""
    return {c: (pk, nome) for pk, c, nome in Categoria.objects.values_list("pk", "codice", "nome")}
