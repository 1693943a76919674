"""The works of the funded programmes on a quartiere's public page: what is being done,
where, until when, and the notices to residents in force. Two queries, no personal data."""

from __future__ import annotations

from django.db.models import Prefetch

from quartiere.programmi.models import AvvisoIntervento, Intervento
from quartiere.pubblico.sezioni import Sezione

# Before the upcoming events: a road closed tomorrow matters more than next month's lab.
ORDINE = 20


def sezione_cantieri(quartiere) -> Sezione | None:
    interventi = list(
        Intervento.objects.filter(quartiere=quartiere, pubblico=True)
        .exclude(stato=Intervento.Stato.CONCLUSO)
        .select_related("programma")
        .prefetch_related(
            Prefetch(
                "avvisi",
                queryset=AvvisoIntervento.objects.in_corso().order_by("-dal", "pk"),
                to_attr="avvisi_in_corso",
            )
        )
        .order_by("inizio_previsto", "titolo")
    )
    if not interventi:
        return None
    return Sezione(
        template="quartiere/programmi/sezione_cantieri.html",
        contesto={"interventi": interventi},
        ordine=ORDINE,
    )
