"""The core's figures for a period and a set of quartieri: the operators' diary and the
hall calendar. Four queries whatever the data size (see docs/indicatori.md for the
contract every app follows).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db.models import CharField, Count, DecimalField, Q, Sum, Value
from django.db.models.functions import Cast, Coalesce, Concat, TruncWeek
from django.utils import timezone

from quartiere.calendario.models import Prenotazione
from quartiere.diario.models import AttivitaDiario

ZERO = Decimal("0.00")
_SENZA_QUARTIERE = "—"


def inizio_giorno(giorno: date) -> datetime:
    """The first instant of ``giorno`` in local time. ``campo >= inizio_giorno(dal)`` and
    ``campo < inizio_giorno(al + 1 day)`` say "on a day of [dal, al]" as
    ``campo__date__range`` does, but compare the column itself: an index and the planner's
    statistics serve it, and no row is converted to a local date first."""
    return timezone.make_aware(datetime.combine(giorno, time.min))


def _ids(quartieri: Iterable | None) -> list[int] | None:
    if quartieri is None:
        return None
    return [getattr(q, "pk", q) for q in quartieri]


def _ore(valore) -> str:
    return str((valore or ZERO).quantize(Decimal("0.01")))


def calcola(dal: date, al: date, quartieri: Iterable | None = None) -> dict:
    """Figures of the diary and the hall calendar between ``dal`` and ``al`` (both included).

    ``quartieri``: Quartiere objects or ids; ``None`` means all of them and also counts the
    diary entries tied to no quartiere (training, say) and bookings of Sedi without one.

    Returns a dict:

    - ``ore_totali``: hours logged, a decimal string with two decimals;
    - ``ore_per_tipo``: hours per activity type, every type a key (zeros included);
    - ``ore_per_quartiere``: list of ``{"quartiere_id", "quartiere", "ore"}`` ordered by
      name (``quartiere_id`` None for entries without a quartiere);
    - ``giorni_presenza``: distinct days with at least one entry (the service present);
    - ``giorni_persona``: distinct (operator, day) pairs;
    - ``presenza_per_settimana``: list of ``{"settimana": Monday, "giorni": distinct days,
      "giorni_persona": operator-days, "operatori": distinct operators}``;
    - ``operatori``: distinct operators who logged something;
    - ``prenotazioni_confermate`` and ``eventi_pubblici``: confirmed bookings starting in
      the period, and those of them that are public.
    """
    ids = _ids(quartieri)
    diario = AttivitaDiario.objects.filter(data__gte=dal, data__lte=al)
    if ids is not None:
        diario = diario.filter(quartiere__in=ids)
    somma = Coalesce(Sum("ore"), Value(ZERO), output_field=DecimalField())

    # 1. Totals and hours per type in one pass.
    per_tipo_aggr = {
        f"ore_{tipo}": Coalesce(
            Sum("ore", filter=Q(tipo=tipo)), Value(ZERO), output_field=DecimalField()
        )
        for tipo in AttivitaDiario.Tipo.values
    }
    totali = diario.aggregate(
        ore_totali=somma,
        giorni_presenza=Count("data", distinct=True),
        operatori=Count("operatore", distinct=True),
        **per_tipo_aggr,
    )

    # 2. Hours per quartiere.
    per_quartiere = [
        {
            "quartiere_id": r["quartiere"],
            "quartiere": r["quartiere__nome"] or _SENZA_QUARTIERE,
            "ore": _ore(r["ore"]),
        }
        for r in diario.values("quartiere", "quartiere__nome")
        .annotate(ore=Sum("ore"))
        .order_by("quartiere__nome")
    ]

    # 3. Presence per ISO week. An operator-day is counted once however many entries it
    # has: COUNT(DISTINCT operator || '-' || day).
    giorno_persona = Concat(
        Cast("operatore_id", CharField()),
        Value("-"),
        Cast("data", CharField()),
        output_field=CharField(),
    )
    presenza = []
    for r in (
        diario.annotate(settimana=TruncWeek("data"))
        .values("settimana")
        .annotate(
            giorni=Count("data", distinct=True),
            giorni_persona=Count(giorno_persona, distinct=True),
            operatori=Count("operatore", distinct=True),
        )
        .order_by("settimana")
    ):
        settimana = r["settimana"]
        presenza.append(
            {
                "settimana": settimana.date() if isinstance(settimana, datetime) else settimana,
                "giorni": r["giorni"],
                "giorni_persona": r["giorni_persona"],
                "operatori": r["operatori"],
            }
        )
    giorni_persona = sum(r["giorni_persona"] for r in presenza)

    # 4. The hall calendar.
    inizio, fine = inizio_giorno(dal), inizio_giorno(al + timedelta(days=1))
    prenotazioni = Prenotazione.objects.filter(
        stato=Prenotazione.Stato.CONFERMATA, inizio__gte=inizio, inizio__lt=fine
    )
    if ids is not None:
        prenotazioni = prenotazioni.filter(sede__quartiere__in=ids)
    calendario = prenotazioni.aggregate(
        prenotazioni_confermate=Count("pk"),
        eventi_pubblici=Count("pk", filter=Q(pubblico=True)),
    )

    return {
        "ore_totali": _ore(totali["ore_totali"]),
        "ore_per_tipo": {tipo: _ore(totali[f"ore_{tipo}"]) for tipo in AttivitaDiario.Tipo.values},
        "ore_per_quartiere": per_quartiere,
        "giorni_presenza": totali["giorni_presenza"],
        "giorni_persona": giorni_persona,
        "presenza_per_settimana": presenza,
        "operatori": totali["operatori"],
        **calendario,
    }
