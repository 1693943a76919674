"""Figures of the reports for a period and a set of quartieri, as SQL aggregates.

``calcola`` runs two queries whatever the amount of data: one aggregate over the reports
(every count is a ``Count(filter=Q(...))``) and one listing the category codes, so that
every category appears in ``per_categoria`` even with zero reports.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, time, timedelta

from django.db.models import Avg, Count, F, Q, QuerySet
from django.db.models.functions import TruncDate
from django.utils import timezone

from segnalazioni.models import Canale, Categoria, Segnalazione, Stato, Tipo


def _segnalazioni(quartieri) -> QuerySet:
    qs = Segnalazione.objects.all()
    if quartieri is None:
        return qs
    if isinstance(quartieri, QuerySet):
        return qs.filter(quartiere__in=quartieri)
    return qs.filter(quartiere__in=[getattr(q, "pk", q) for q in quartieri])


def _inizio(giorno: date) -> datetime:
    return timezone.make_aware(datetime.combine(giorno, time.min))


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
      had passed by then (received up to ``al``).
    """
    da, a = _inizio(dal), _inizio(al + timedelta(days=1))
    ricevute = Q(creata_il__gte=da, creata_il__lt=a)
    chiuse = Q(stato=Stato.CHIUSA, chiusa_il__gte=da, chiusa_il__lt=a)
    codici = list(Categoria.objects.order_by("codice").values_list("codice", flat=True))
    aggregati = {
        "ricevute": Count("pk", filter=ricevute),
        "chiuse": Count("pk", filter=chiuse),
        "chiuse_entro_termine": Count(
            "pk",
            filter=chiuse
            & Q(scadenza__gte=TruncDate("chiusa_il", tzinfo=timezone.get_current_timezone())),
        ),
        "tempo_medio": Avg(F("chiusa_il") - F("creata_il"), filter=chiuse),
        # Still open at the end of the period: not closed, or closed after it.
        "aperte_scadute": Count(
            "pk",
            filter=Q(creata_il__lt=a, scadenza__lt=al)
            & (~Q(stato=Stato.CHIUSA) | Q(chiusa_il__gte=a)),
        ),
    }
    for s in Stato.values:
        aggregati[f"stato_{s}"] = Count("pk", filter=ricevute & Q(stato=s))
    for t in Tipo.values:
        aggregati[f"tipo_{t}"] = Count("pk", filter=ricevute & Q(tipo=t))
    for c in Canale.values:
        aggregati[f"canale_{c}"] = Count("pk", filter=ricevute & Q(canale=c))
    for i, codice in enumerate(codici):
        aggregati[f"categoria_{i}"] = Count("pk", filter=ricevute & Q(categoria__codice=codice))
    r = _segnalazioni(quartieri).aggregate(**aggregati)
    medio = r["tempo_medio"]
    return {
        "ricevute": r["ricevute"],
        "chiuse": r["chiuse"],
        "per_stato": {s: r[f"stato_{s}"] for s in Stato.values},
        "per_tipo": {t: r[f"tipo_{t}"] for t in Tipo.values},
        "per_categoria": {c: r[f"categoria_{i}"] for i, c in enumerate(codici)},
        "per_canale": {c: r[f"canale_{c}"] for c in Canale.values},
        "chiuse_entro_termine": r["chiuse_entro_termine"],
        "tempo_medio_chiusura_giorni": (
            round(medio.total_seconds() / 86400, 1) if medio is not None else None
        ),
        "aperte_scadute": r["aperte_scadute"],
    }
