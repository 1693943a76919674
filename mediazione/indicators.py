"""Mediation figures for a period and a set of quartieri, computed in SQL.

These are the only figures about mediation that operators, the dirigente and the
cross-app reports see. Any count of 1 or 2 is returned as the string ``"<3"`` (also
inside the maps) so that no single case can be recognised; 0 and counts from 3 up are
integers. The mean duration is given only when at least 3 dossiers closed in the
period (else ``None``), for the same reason.

Every function runs one aggregate query, whatever the amount of data.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.db.models import Avg, Count, F, Q, QuerySet

from mediazione.models import CanaleArrivo, Dossier, Esito, TipoConflitto

MASCHERA = "<3"
SOGLIA = 3


def maschera(n: int) -> int | str:
    """A count safe to show: 1 and 2 become ``"<3"``."""
    return MASCHERA if 0 < n < SOGLIA else n


def _dossier(quartieri) -> QuerySet:
    qs = Dossier.objects.all()
    if quartieri is None:
        return qs
    if isinstance(quartieri, QuerySet):
        return qs.filter(quartiere__in=quartieri)
    ids = [getattr(q, "pk", q) for q in quartieri]
    return qs.filter(quartiere__in=ids)


def _aperti_nel(dal: date, al: date) -> Q:
    return Q(aperto_il__gte=dal, aperto_il__lte=al)


def _chiusi_nel(dal: date, al: date) -> Q:
    return Q(fase="chiuso", chiuso_il__gte=dal, chiuso_il__lte=al)


def _aggregati(dal: date, al: date) -> dict:
    aperti, chiusi = _aperti_nel(dal, al), _chiusi_nel(dal, al)
    aggregati = {
        "aperti": Count("pk", filter=aperti),
        "chiusi": Count("pk", filter=chiusi),
        "durata": Avg(F("chiuso_il") - F("aperto_il"), filter=chiusi),
    }
    for tipo in TipoConflitto.values:
        aggregati[f"tipo__{tipo}"] = Count("pk", filter=aperti & Q(tipo_conflitto=tipo))
    for esito in Esito.values:
        aggregati[f"esito__{esito}"] = Count("pk", filter=chiusi & Q(esito=esito))
    return aggregati


def _figure(r: dict) -> dict:
    durata, chiusi = r.get("durata"), r.get("chiusi", 0)
    if durata is not None and chiusi >= SOGLIA:
        # date - date is an integer in PostgreSQL, its average a number of days.
        giorni = durata.total_seconds() / 86400 if hasattr(durata, "total_seconds") else durata
        durata_media = round(float(giorni), 1)
    else:
        durata_media = None
    return {
        "aperti": maschera(r.get("aperti", 0)),
        "chiusi": maschera(chiusi),
        "per_tipo_conflitto": {t: maschera(r.get(f"tipo__{t}", 0)) for t in TipoConflitto.values},
        "per_esito": {e: maschera(r.get(f"esito__{e}", 0)) for e in Esito.values},
        "durata_media_giorni": durata_media,
    }


def calcola(dal: date, al: date, quartieri: Iterable | None = None) -> dict:
    """Dossiers opened and closed between ``dal`` and ``al`` (inclusive) in ``quartieri``
    (Quartiere objects, ids or a queryset; ``None`` for all of them).

    Returns exactly ``{"aperti", "chiusi", "per_tipo_conflitto", "per_esito",
    "durata_media_giorni"}``: ``per_tipo_conflitto`` counts the dossiers opened in the
    period by conflict type, ``per_esito`` those closed in the period by outcome, each
    with every value of the enumeration as a key; ``durata_media_giorni`` is the mean
    number of days from opening to closing of the dossiers closed in the period,
    rounded to one decimal, or ``None`` with fewer than 3 of them.
    """
    contati = _aperti_nel(dal, al) | _chiusi_nel(dal, al)
    return _figure(_dossier(quartieri).filter(contati).aggregate(**_aggregati(dal, al)))


def calcola_per_quartiere(dal: date, al: date, quartieri: Iterable) -> dict[int, dict]:
    """``{quartiere_pk: calcola(dal, al, [quartiere])}`` for every one of ``quartieri``, in
    one query. Each quartiere is masked on its own, so the rows may not add up to the total."""
    ids = [getattr(q, "pk", q) for q in quartieri]
    contati = _aperti_nel(dal, al) | _chiusi_nel(dal, al)
    righe = (
        Dossier.objects.filter(contati, quartiere__in=ids)
        .order_by()
        .values("quartiere")
        .annotate(**_aggregati(dal, al))
    )
    per_quartiere = {r["quartiere"]: r for r in righe}
    return {pk: _figure(per_quartiere.get(pk, {})) for pk in ids}


def per_canale(dal: date, al: date, quartieri: Iterable | None = None) -> dict:
    """Dossiers opened in the period by how the case arrived (masked)."""
    aperti = _aperti_nel(dal, al)
    r = _dossier(quartieri).aggregate(
        **{c: Count("pk", filter=aperti & Q(canale_arrivo=c)) for c in CanaleArrivo.values}
    )
    return {c: maschera(r[c]) for c in CanaleArrivo.values}


def accordi_da_verificare(al: date, quartieri: Iterable | None = None) -> dict:
    """Agreements of open dossiers still to verify on ``al``: all of them, and those whose
    verification date has passed (masked)."""
    base = Q(accordo__isnull=False, accordo__verifica_svolta_il__isnull=True) & ~Q(fase="chiuso")
    r = _dossier(quartieri).aggregate(
        da_verificare=Count("pk", filter=base),
        scadute=Count("pk", filter=base & Q(accordo__data_verifica__lte=al)),
    )
    return {k: maschera(v) for k, v in r.items()}
