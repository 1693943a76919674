"""Mediation figures for a period and a set of quartieri, computed in SQL and published
under a disclosure-control rule (docs/mediazione.md).

A count of one or two dossiers in a quartiere can point at a family. Hiding small cells
("<3") was not enough: totals, the other cells of a table, the city against its quartieri
and the year against its months gave the hidden values back by subtraction. So:

- The counts are taken per **atom**: one quartiere, one calendar month, one cell (a
  conflict type, an outcome, a channel). A period is widened to whole months.
- Each atom is **rounded to a multiple of 5** by unbiased random rounding (7 becomes 5
  with probability 3/5 and 10 with 2/5; 0 stays 0), the draw fixed by a keyed hash of the
  atom and its value, so the same atom always reads the same and asking again averages
  nothing out.
- Every published figure (a cell, a total, a quartiere, the city, a month, the year) is
  the **sum of its rounded atoms**. All outputs are sums of the same rounded atoms, so
  comparing them tells nothing beyond those; and each atom's true value is only known to
  lie in a range of nine (0 to 4 when it reads 0), never exactly.
- The mean duration is published only over at least :data:`SOGLIA_DURATA` closed dossiers,
  in whole weeks (:data:`PASSO_DURATA` days): to one decimal, the means of two sets that
  differ by one dossier gave that dossier's duration back to the day.

Every function runs one aggregate query, whatever the amount of data.
"""

from __future__ import annotations

import calendar
from collections import defaultdict
from collections.abc import Iterable
from datetime import date

from django.db.models import Count, F, Q, QuerySet, Sum
from django.db.models.functions import TruncMonth

from mediazione.models import CanaleArrivo, Dossier, Esito, TipoConflitto
from quartiere.lib import riservatezza

BASE = riservatezza.BASE
SOGLIA_DURATA = 10
PASSO_DURATA = 7


def arrotonda(valore: int, atomo: tuple) -> int:
    """``valore`` rounded to a multiple of :data:`BASE`, up with probability
    ``remainder / BASE`` (so unbiased), the draw fixed by ``atomo`` and ``valore``."""
    return riservatezza.arrotonda(valore, atomo, contesto="mediazione-cifre")


def mesi(dal: date, al: date) -> tuple[date, date]:
    """The period widened to whole months: the first day of ``dal``'s month, the last of
    ``al``'s."""
    return dal.replace(day=1), al.replace(day=calendar.monthrange(al.year, al.month)[1])


def _dossier(quartieri) -> QuerySet:
    qs = Dossier.objects.all()
    if quartieri is None:
        return qs
    if isinstance(quartieri, QuerySet):
        return qs.filter(quartiere__in=quartieri)
    ids = [getattr(q, "pk", q) for q in quartieri]
    return qs.filter(quartiere__in=ids)


def _atomi(dal: date, al: date, qs: QuerySet) -> dict:
    """``{(quartiere, month, cell): rounded count}`` for the dossiers opened (cells
    ``("tipo", t)`` and ``("canale", c)``) and closed (``("esito", e)``) in the months of
    the period, and ``{quartiere: (days, closed)}`` for the mean duration. One query."""
    dal, al = mesi(dal, al)
    aperti = Q(aperto_il__gte=dal, aperto_il__lte=al)
    chiusi = Q(fase="chiuso", chiuso_il__gte=dal, chiuso_il__lte=al)
    righe = (
        qs.filter(aperti | chiusi)
        .annotate(mese_a=TruncMonth("aperto_il"), mese_c=TruncMonth("chiuso_il"))
        .order_by()
        .values("quartiere", "mese_a", "mese_c", "tipo_conflitto", "canale_arrivo", "esito")
        .annotate(
            aperti=Count("pk", filter=aperti),
            chiusi=Count("pk", filter=chiusi),
            giorni=Sum(F("chiuso_il") - F("aperto_il"), filter=chiusi),
        )
    )
    conteggi: dict[tuple, int] = defaultdict(int)
    durate: dict[int, list] = defaultdict(lambda: [0.0, 0])
    for r in righe:
        q = r["quartiere"]
        if r["aperti"]:
            conteggi[(q, r["mese_a"], "tipo", r["tipo_conflitto"])] += r["aperti"]
            conteggi[(q, r["mese_a"], "canale", r["canale_arrivo"])] += r["aperti"]
        if r["chiusi"]:
            conteggi[(q, r["mese_c"], "esito", r["esito"])] += r["chiusi"]
            giorni = r["giorni"]
            giorni = giorni.total_seconds() / 86400 if hasattr(giorni, "total_seconds") else giorni
            durate[q][0] += float(giorni or 0)
            durate[q][1] += r["chiusi"]
    atomi = {a: arrotonda(n, (a[0], a[1].isoformat(), a[2], a[3])) for a, n in conteggi.items()}
    return {"atomi": atomi, "durate": durate}


def _figure(dati: dict, quartiere=None) -> dict:
    """The published figures: sums of the rounded atoms (of one quartiere, or all)."""
    tipi = dict.fromkeys(TipoConflitto.values, 0)
    esiti = dict.fromkeys(Esito.values, 0)
    for (q, _mese, cella, valore), n in dati["atomi"].items():
        if quartiere is not None and q != quartiere:
            continue
        if cella == "tipo":
            tipi[valore] = tipi.get(valore, 0) + n
        elif cella == "esito":
            esiti[valore] = esiti.get(valore, 0) + n
    giorni = numero = 0
    for q, (g, n) in dati["durate"].items():
        if quartiere is None or q == quartiere:
            giorni, numero = giorni + g, numero + n
    return {
        "aperti": sum(tipi.values()),
        "chiusi": sum(esiti.values()),
        "per_tipo_conflitto": tipi,
        "per_esito": esiti,
        "durata_media_giorni": durata_pubblicata(giorni, numero),
    }


def durata_pubblicata(giorni: float, numero: int) -> int | None:
    """The mean of ``numero`` durations that add up to ``giorni`` days, as published: in
    days rounded to whole weeks, or ``None`` under :data:`SOGLIA_DURATA` dossiers."""
    if numero < SOGLIA_DURATA:
        return None
    return PASSO_DURATA * round(giorni / numero / PASSO_DURATA)


def calcola(dal: date, al: date, quartieri: Iterable | None = None) -> dict:
    """Dossiers opened and closed in the months from ``dal``'s to ``al``'s (inclusive) in
    ``quartieri`` (Quartiere objects, ids or a queryset; ``None`` for all of them).

    Returns exactly ``{"aperti", "chiusi", "per_tipo_conflitto", "per_esito",
    "durata_media_giorni"}``: ``per_tipo_conflitto`` counts the dossiers opened by conflict
    type, ``per_esito`` those closed by outcome, each with every value of the enumeration
    as a key, and ``aperti`` and ``chiusi`` are their sums; every count is a multiple of 5
    (module docstring). ``durata_media_giorni`` is the mean number of days from opening to
    closing of the dossiers closed, rounded to a multiple of 7 (whole weeks), or ``None``
    with fewer than :data:`SOGLIA_DURATA` of them.
    """
    return _figure(_atomi(dal, al, _dossier(quartieri)))


def calcola_per_quartiere(dal: date, al: date, quartieri: Iterable) -> dict[int, dict]:
    """``{quartiere_pk: calcola(dal, al, [quartiere])}`` for every one of ``quartieri``, in
    one query; the rows add up to the figures of all of them together."""
    ids = [getattr(q, "pk", q) for q in quartieri]
    dati = _atomi(dal, al, Dossier.objects.filter(quartiere__in=ids))
    return {pk: _figure(dati, quartiere=pk) for pk in ids}


def per_canale(dal: date, al: date, quartieri: Iterable | None = None) -> dict:
    """Dossiers opened in the months of the period by how the case arrived (rounded)."""
    canali = dict.fromkeys(CanaleArrivo.values, 0)
    for (_q, _mese, cella, valore), n in _atomi(dal, al, _dossier(quartieri))["atomi"].items():
        if cella == "canale":
            canali[valore] = canali.get(valore, 0) + n
    return canali


def accordi_da_verificare(al: date, quartieri: Iterable | None = None) -> dict:
    """Agreements of open dossiers still to verify on ``al``: all of them, and those whose
    verification date has passed; rounded per quartiere like the other figures."""
    base = Q(accordo__isnull=False, accordo__verifica_svolta_il__isnull=True) & ~Q(fase="chiuso")
    righe = (
        _dossier(quartieri)
        .order_by()
        .values("quartiere")
        .annotate(
            da_verificare=Count("pk", filter=base),
            scadute=Count("pk", filter=base & Q(accordo__data_verifica__lte=al)),
        )
    )
    totali = {"da_verificare": 0, "scadute": 0}
    for r in righe:
        for nome in totali:
            totali[nome] += arrotonda(r[nome], (r["quartiere"], "accordi", nome))
    return totali
