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
* the quartiere filter applies to the pact's own quartiere.

Three queries whatever the data.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from decimal import Decimal

from django.db.models import Count, Q, Sum

from patti.models import AmbitoProgetto, Firmatario, Patto, Progetto, TipoFirmatario

TIPI_FIRMATARIO = [t for t in TipoFirmatario.values if t != TipoFirmatario.COMUNE]


def _ids(quartieri) -> list[int] | None:
    if quartieri is None:
        return None
    return [getattr(q, "pk", q) for q in quartieri]


def calcola(dal: datetime.date, al: datetime.date, quartieri: Iterable | None = None) -> dict:
    """Figures of the pacts signed between ``dal`` and ``al``.

    ``quartieri`` is an iterable of :class:`~quartiere.models.Quartiere` or their ids;
    ``None`` means every quartiere.
    """
    filtro = Q(data_firma__gte=dal, data_firma__lte=al)
    ids = _ids(quartieri)
    if ids is not None:
        filtro &= Q(quartiere__in=ids)
    patti = Patto.objects.filter(filtro)

    conteggi = patti.aggregate(
        firmati=Count("pk"), rinnovi=Count("pk", filter=Q(rinnova__isnull=False))
    )

    firmatari = Firmatario.objects.filter(patto__in=patti.values("pk")).exclude(
        tipo=TipoFirmatario.COMUNE
    )
    f = firmatari.aggregate(
        totale=Count("pk"),
        persone=Count("persona", distinct=True),
        organizzazioni=Count("organizzazione", distinct=True),
        **{f"tipo_{t}": Count("pk", filter=Q(tipo=t)) for t in TIPI_FIRMATARIO},
    )

    progetti = Progetto.objects.filter(patto__in=patti.values("pk")).aggregate(
        totale=Count("pk"),
        budget=Sum("budget"),
        **{f"ambito_{a}": Count("pk", filter=Q(ambito=a)) for a in AmbitoProgetto.values},
    )
    budget = (progetti["budget"] or Decimal("0")).quantize(Decimal("0.01"))

    return {
        "firmati": conteggi["firmati"],
        "nuovi": conteggi["firmati"] - conteggi["rinnovi"],
        "rinnovi": conteggi["rinnovi"],
        "firmatari": f["totale"],
        "firmatari_unici": f["persone"] + f["organizzazioni"],
        # Every signatory type is a key; "comune" is always 0 since the Comune is not counted.
        "firmatari_per_tipo": {t: f.get(f"tipo_{t}", 0) for t in TipoFirmatario.values},
        "progetti": progetti["totale"],
        "progetti_per_ambito": {a: progetti[f"ambito_{a}"] for a in AmbitoProgetto.values},
        "budget_progetti": f"{budget:.2f}",
    }
