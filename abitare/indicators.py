"""The housing figures for a period and a set of quartieri, as SQL aggregates.

Definitions (also in docs/indicatori.md, section "Abitare"):

* ``alloggi_per_stato``: the flats of the buildings of the quartieri by their state today
  (a snapshot, whatever the period);
* ``assegnazioni`` / ``assegnazioni_per_gruppo``: the assignments pre-assigned in the period
  (cancelled ones included), by the household's target group; ``ingressi`` /
  ``ingressi_per_gruppo``: the households that moved in during the period; the quartiere is
  the building's;
* ``nuclei_accompagnati``: the distinct households with at least one contact in the period;
  ``contatti`` / ``contatti_per_tipo``: those contacts, by type; ``misure_attivate``: the
  targeted measures agreed in the period; the quartiere is the household's;
* ``problemi_inoltrati``: the problems forwarded to the gestore in the period;
  ``problemi_chiusi``: those whose report was closed in the period, whenever forwarded;
  ``tempo_mediano_chiusura_problemi_giorni``: the median days from forwarding to closing of
  those closed, to one decimal (``None`` when none closed); the quartiere is the building's;
* ``adesione_regole_percentuale``: on the last day of the period, among the households
  living in a building whose shared rules were in force that day, the share (one decimal)
  that had adhered to that version; ``None`` when there are none;
* ``note_riservate_per_tipo``: the confidential notes written in the months of the period,
  by type, under the disclosure rule of the mediation figures: counted per quartiere, month
  and type, each count rounded to a multiple of 5 (``quartiere.lib.riservatezza``), every
  figure a sum of rounded counts. The dirigente reads these counts, never the notes.

Eight queries whatever the data; ``calcola_per_quartiere`` gives the same figures per
quartiere, grouped in SQL, in as many.
"""

from __future__ import annotations

import calendar
import datetime
from collections import defaultdict
from collections.abc import Iterable

from django.db.models import (
    Aggregate,
    Count,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    FloatField,
    OuterRef,
    Q,
    Subquery,
)
from django.db.models.functions import Extract, TruncMonth

from abitare.models import (
    Adesione,
    Alloggio,
    Assegnazione,
    Contatto,
    GruppoTarget,
    Misura,
    NotaRiservata,
    Problema,
    Regolamento,
    StatoAlloggio,
    TipoContatto,
    TipoNota,
)
from quartiere.lib import riservatezza

TUTTI = None  # the key of the figures of every quartiere together


class Mediana(Aggregate):
    """PostgreSQL's ``percentile_cont(0.5)``: the median of a numeric expression."""

    function = "PERCENTILE_CONT"
    name = "Mediana"
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()


def _ids(quartieri) -> list[int] | None:
    if quartieri is None:
        return None
    return [getattr(q, "pk", q) for q in quartieri]


def _nei_quartieri(qs, campo: str, ids: list[int] | None):
    return qs if ids is None else qs.filter(**{f"{campo}__in": ids})


def _conta(qs, campo: str, ids, per_quartiere: bool, valori=(), **aggregati) -> list[dict]:
    """The aggregates of ``qs`` in the quartieri (reached through ``campo``), one row per
    quartiere when asked and per combination of ``valori``. One query."""
    qs = _nei_quartieri(qs, campo, ids).order_by()
    gruppi = ([campo] if per_quartiere else []) + list(valori)
    if gruppi:
        return list(qs.values(*gruppi).annotate(**aggregati))
    return [qs.aggregate(**aggregati)]


def _chiave(riga: dict, campo: str, per_quartiere: bool):
    return riga[campo] if per_quartiere else TUTTI


def _vuote() -> dict:
    return {
        "alloggi_per_stato": dict.fromkeys(StatoAlloggio.values, 0),
        "assegnazioni": 0,
        "assegnazioni_per_gruppo": dict.fromkeys(GruppoTarget.values, 0),
        "ingressi": 0,
        "ingressi_per_gruppo": dict.fromkeys(GruppoTarget.values, 0),
        "nuclei_accompagnati": 0,
        "contatti": 0,
        "contatti_per_tipo": dict.fromkeys(TipoContatto.values, 0),
        "misure_attivate": 0,
        "problemi_inoltrati": 0,
        "problemi_chiusi": 0,
        "tempo_mediano_chiusura_problemi_giorni": None,
        "note_riservate_per_tipo": dict.fromkeys(TipoNota.values, 0),
        "adesione_regole_percentuale": None,
    }


def _figure(dal: datetime.date, al: datetime.date, ids, per_quartiere: bool) -> dict:
    """``{quartiere pk (or TUTTI): figures}``; quartieri with nothing are missing."""
    figure: dict = defaultdict(_vuote)
    periodo = {"gte": dal, "lte": al}

    q = "immobile__quartiere"
    for r in _conta(Alloggio.objects, q, ids, per_quartiere, ["stato"], n=Count("pk")):
        figure[_chiave(r, q, per_quartiere)]["alloggi_per_stato"][r["stato"]] += r["n"]

    q = "alloggio__immobile__quartiere"
    pre = Q(pre_assegnata_il__gte=dal, pre_assegnata_il__lte=al)
    ingresso = Q(ingresso_il__gte=dal, ingresso_il__lte=al)
    assegnazioni = Assegnazione.objects.filter(pre | ingresso)
    for r in _conta(
        assegnazioni,
        q,
        ids,
        per_quartiere,
        ["nucleo__gruppo_target"],
        pre=Count("pk", filter=pre),
        ingressi=Count("pk", filter=ingresso),
    ):
        f, gruppo = figure[_chiave(r, q, per_quartiere)], r["nucleo__gruppo_target"]
        f["assegnazioni"] += r["pre"]
        f["assegnazioni_per_gruppo"][gruppo] += r["pre"]
        f["ingressi"] += r["ingressi"]
        f["ingressi_per_gruppo"][gruppo] += r["ingressi"]

    q = "nucleo__quartiere"
    contatti = Contatto.objects.filter(**{f"il__{k}": v for k, v in periodo.items()})
    per_tipo = {f"tipo_{t}": Count("pk", filter=Q(tipo=t)) for t in TipoContatto.values}
    for r in _conta(
        contatti, q, ids, per_quartiere, nuclei=Count("nucleo", distinct=True), **per_tipo
    ):
        f = figure[_chiave(r, q, per_quartiere)]
        f["nuclei_accompagnati"] += r["nuclei"]
        for t in TipoContatto.values:
            f["contatti_per_tipo"][t] += r[f"tipo_{t}"]
            f["contatti"] += r[f"tipo_{t}"]

    misure = Misura.objects.filter(**{f"concordata_il__{k}": v for k, v in periodo.items()})
    for r in _conta(misure, q, ids, per_quartiere, n=Count("pk")):
        figure[_chiave(r, q, per_quartiere)]["misure_attivate"] += r["n"]

    q = "immobile__quartiere"
    inoltrati = Q(segnalazione__creata_il__date__gte=dal, segnalazione__creata_il__date__lte=al)
    chiusi = Q(segnalazione__chiusa_il__date__gte=dal, segnalazione__chiusa_il__date__lte=al)
    durata = ExpressionWrapper(
        F("segnalazione__chiusa_il") - F("segnalazione__creata_il"), output_field=DurationField()
    )
    for r in _conta(
        Problema.objects.filter(inoltrati | chiusi),
        q,
        ids,
        per_quartiere,
        inoltrati=Count("pk", filter=inoltrati),
        chiusi=Count("pk", filter=chiusi),
        mediana=Mediana(Extract(durata, "epoch") / 86400.0, filter=chiusi),
    ):
        f = figure[_chiave(r, q, per_quartiere)]
        f["problemi_inoltrati"] += r["inoltrati"]
        f["problemi_chiusi"] += r["chiusi"]
        if r["mediana"] is not None:
            f["tempo_mediano_chiusura_problemi_giorni"] = round(r["mediana"], 1)

    # Adhesion to the shared rules on the last day: households living in a building whose
    # rules were in force that day, and those among them that had adhered to that version.
    q = "alloggio__immobile__quartiere"
    vigente = Subquery(
        Regolamento.objects.filter(immobile=OuterRef("alloggio__immobile"), in_vigore_dal__lte=al)
        .order_by("-in_vigore_dal", "-numero")
        .values("pk")[:1]
    )
    abitanti = (
        Assegnazione.objects.filter(ingresso_il__lte=al)
        .filter(Q(uscita_il__isnull=True) | Q(uscita_il__gt=al))
        .annotate(vigente=vigente)
        .filter(vigente__isnull=False)
        .annotate(
            aderito=Exists(
                Adesione.objects.filter(
                    nucleo=OuterRef("nucleo"), regolamento=OuterRef("vigente"), il__lte=al
                )
            )
        )
    )
    for r in _conta(
        abitanti,
        q,
        ids,
        per_quartiere,
        abitanti=Count("pk"),
        aderenti=Count("pk", filter=Q(aderito=True)),
    ):
        if r["abitanti"]:
            f = figure[_chiave(r, q, per_quartiere)]
            f["adesione_regole_percentuale"] = round(100 * r["aderenti"] / r["abitanti"], 1)

    # Confidential notes: counted per quartiere, month and type, each count rounded.
    inizio, fine = dal.replace(day=1), al.replace(day=calendar.monthrange(al.year, al.month)[1])
    note = NotaRiservata.objects.filter(scritta_il__date__gte=inizio, scritta_il__date__lte=fine)
    q = "nucleo__quartiere"
    atomi = (
        _nei_quartieri(note, q, ids)
        .order_by()
        .annotate(mese=TruncMonth("scritta_il"))
        .values(q, "mese", "tipo")
        .annotate(n=Count("pk"))
    )
    for r in atomi:
        atomo = (r[q], r["mese"].date().isoformat(), r["tipo"])
        arrotondato = riservatezza.arrotonda(r["n"], atomo, contesto="abitare-note")
        chiave = r[q] if per_quartiere else TUTTI
        figure[chiave]["note_riservate_per_tipo"][r["tipo"]] += arrotondato
    return figure


def calcola(dal: datetime.date, al: datetime.date, quartieri: Iterable | None = None) -> dict:
    """The housing figures of ``quartieri`` (objects or ids; ``None`` for all) from ``dal``
    to ``al`` (both included), with exactly the keys of the module docstring; every
    breakdown has every value of its enumeration as a key."""
    return dict(_figure(dal, al, _ids(quartieri), per_quartiere=False).get(TUTTI) or _vuote())


def calcola_per_quartiere(
    dal: datetime.date, al: datetime.date, quartieri: Iterable
) -> dict[int, dict]:
    """``{quartiere_pk: calcola(dal, al, [quartiere])}`` for every one of ``quartieri``,
    grouped in SQL: as many queries as :func:`calcola`."""
    ids = _ids(quartieri)
    figure = _figure(dal, al, ids, per_quartiere=True)
    return {pk: dict(figure[pk]) if pk in figure else _vuote() for pk in ids}
