"""The pacts' figures for a period and a set of quartieri, as SQL aggregates.

Definitions (also in docs/indicatori.md, section "Patti"):

* a pact counts when its signature date falls in the period (both ends included);
* ``rinnovi`` are the counted pacts that renew another pact, ``nuovi`` the others;
* ``firmatari`` are the signatory rows of the counted pacts other than the Comune,
  ``firmatari_per_tipo`` splits them by signatory type, ``firmatari_unici`` counts the
  distinct persons plus the distinct organisations among them (every type is a key of
  ``firmatari_per_tipo``: ``comune`` is always 0);
* ``progetti`` are the projects of the counted pacts, ``progetti_per_ambito`` splits them,
  ``budget_progetti`` is the sum of their budgets as a string with two decimals;
* the quartiere filter applies to the pact's own quartiere;
* a supplementary act ("atto integrativo") is not a pact of its own: it is never counted,
  and neither are its signatories and projects (the pact it modifies was counted when
  signed, with its own).

Three queries whatever the data; ``calcola_per_quartiere`` gives the same figures for each
quartiere, grouped in SQL, in three queries too.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from decimal import Decimal

from django.db.models import Count, DecimalField, IntegerField, OuterRef, Q, Subquery, Sum

from patti.models import AmbitoProgetto, Firmatario, Patto, Progetto, TipoFirmatario

TIPI_FIRMATARIO = [t for t in TipoFirmatario.values if t != TipoFirmatario.COMUNE]


def _ids(quartieri) -> list[int] | None:
    if quartieri is None:
        return None
    return [getattr(q, "pk", q) for q in quartieri]


def _aggregati() -> tuple[dict, dict, dict]:
    """The aggregates over the pacts, their signatories and their projects."""
    conteggi = {"firmati": Count("pk"), "rinnovi": Count("pk", filter=Q(rinnova__isnull=False))}
    firmatari = {
        "totale": Count("pk"),
        "persone": Count("persona", distinct=True),
        "organizzazioni": Count("organizzazione", distinct=True),
        **{f"tipo_{t}": Count("pk", filter=Q(tipo=t)) for t in TIPI_FIRMATARIO},
    }
    progetti = {
        "totale": Count("pk"),
        "budget": Sum("budget"),
        **{f"ambito_{a}": Count("pk", filter=Q(ambito=a)) for a in AmbitoProgetto.values},
    }
    return conteggi, firmatari, progetti


def _figure(conteggi: dict, f: dict, progetti: dict) -> dict:
    firmati, rinnovi = conteggi.get("firmati", 0), conteggi.get("rinnovi", 0)
    budget = (progetti.get("budget") or Decimal("0")).quantize(Decimal("0.01"))
    return {
        "firmati": firmati,
        "nuovi": firmati - rinnovi,
        "rinnovi": rinnovi,
        "firmatari": f.get("totale", 0),
        "firmatari_unici": f.get("persone", 0) + f.get("organizzazioni", 0),
        # Every signatory type is a key; "comune" is always 0 since the Comune is not counted.
        "firmatari_per_tipo": {t: f.get(f"tipo_{t}", 0) for t in TipoFirmatario.values},
        "progetti": progetti.get("totale", 0),
        "progetti_per_ambito": {a: progetti.get(f"ambito_{a}", 0) for a in AmbitoProgetto.values},
        "budget_progetti": f"{budget:.2f}",
    }


def _patti(dal: datetime.date, al: datetime.date, ids: list[int] | None):
    filtro = Q(data_firma__gte=dal, data_firma__lte=al, integra__isnull=True)
    if ids is not None:
        filtro &= Q(quartiere__in=ids)
    return Patto.objects.filter(filtro)


def calcola(dal: datetime.date, al: datetime.date, quartieri: Iterable | None = None) -> dict:
    """Figures of the pacts signed between ``dal`` and ``al``.

    ``quartieri`` is an iterable of :class:`~quartiere.territorio.models.Quartiere` or their ids;
    ``None`` means every quartiere.
    """
    patti = _patti(dal, al, _ids(quartieri))
    conteggi, firmatari, progetti = _aggregati()
    return _figure(
        patti.aggregate(**conteggi),
        Firmatario.objects.filter(patto__in=patti.values("pk"))
        .exclude(tipo=TipoFirmatario.COMUNE)
        .aggregate(**firmatari),
        Progetto.objects.filter(patto__in=patti.values("pk")).aggregate(**progetti),
    )


def calcola_per_quartiere(dal: datetime.date, al: datetime.date, quartieri: Iterable) -> dict:
    """``{quartiere_pk: calcola(dal, al, [quartiere])}`` for every one of ``quartieri``, in
    three queries (the same aggregates grouped by the pact's quartiere)."""
    ids = [getattr(q, "pk", q) for q in quartieri]
    patti = _patti(dal, al, ids)
    conteggi, firmatari, progetti = _aggregati()

    def per_quartiere(qs, campo: str, aggregati: dict) -> dict:
        return {r[campo]: r for r in qs.order_by().values(campo).annotate(**aggregati)}

    per_patti = per_quartiere(patti, "quartiere", conteggi)
    per_firmatari = per_quartiere(
        Firmatario.objects.filter(patto__in=patti.values("pk")).exclude(tipo=TipoFirmatario.COMUNE),
        "patto__quartiere",
        firmatari,
    )
    per_progetti = per_quartiere(
        Progetto.objects.filter(patto__in=patti.values("pk")), "patto__quartiere", progetti
    )
    return {
        pk: _figure(per_patti.get(pk, {}), per_firmatari.get(pk, {}), per_progetti.get(pk, {}))
        for pk in ids
    }


def calcola_andamento(fette: list[tuple[datetime.date, datetime.date]], quartieri=None):
    """``firmati``, ``firmatari`` and ``progetti`` of ``calcola`` for each ``(dal, al)``
    slice, in three queries (a dashboard trend line), in the slices' order."""
    if not fette:
        return []
    patti = _patti(min(d for d, _a in fette), max(a for _d, a in fette), _ids(quartieri))

    def per_fetta(campo: str) -> dict:
        return {
            f"n_{i}": Count("pk", filter=Q(**{f"{campo}__gte": dal, f"{campo}__lte": al}))
            for i, (dal, al) in enumerate(fette)
        }

    firmati = patti.aggregate(**per_fetta("data_firma"))
    firmatari = (
        Firmatario.objects.filter(patto__in=patti.values("pk"))
        .exclude(tipo=TipoFirmatario.COMUNE)
        .aggregate(**per_fetta("patto__data_firma"))
    )
    progetti = Progetto.objects.filter(patto__in=patti.values("pk")).aggregate(
        **per_fetta("patto__data_firma")
    )
    return [
        {"firmati": firmati[k], "firmatari": firmatari[k], "progetti": progetti[k]}
        for k in (f"n_{i}" for i in range(len(fette)))
    ]


def elenco_per_stampa(dal: datetime.date, al: datetime.date, quartieri: Iterable):
    """The pacts signed in the period, for the printed report: its include and the pacts
    with their signatories (the Comune aside) and total budget. One query."""
    from quartiere.relazioni.tabelle import formatta

    n_firmatari = (
        Firmatario.objects.filter(patto=OuterRef("pk"))
        .exclude(tipo=TipoFirmatario.COMUNE)
        .order_by()
        .values("patto")
        .annotate(n=Count("pk"))
        .values("n")
    )
    budget = (
        Progetto.objects.filter(patto=OuterRef("pk"))
        .order_by()
        .values("patto")
        .annotate(s=Sum("budget"))
        .values("s")
    )
    elenco = list(
        _patti(dal, al, [q.pk for q in quartieri])
        .select_related("quartiere")
        .only("pk", "numero", "titolo", "data_firma", "rinnova_id", "quartiere__nome")
        .annotate(
            n_firmatari=Subquery(n_firmatari, output_field=IntegerField()),
            budget_totale=Subquery(
                budget, output_field=DecimalField(max_digits=14, decimal_places=2)
            ),
        )
        .order_by("data_firma", "numero")
    )
    for p in elenco:
        p.budget_testo = formatta(p.budget_totale)
    return "patti/pdf/elenco_relazione.html", elenco
