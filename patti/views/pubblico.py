"""The public register of pacts: signed, in progress and concluded pacts, with no personal
data. Private individuals are named only when they consented to publication."""

from __future__ import annotations

from django.core.cache import cache
from django.db.models import Count, IntegerField, OuterRef, Prefetch, Subquery
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy
from django.views.generic import DetailView
from django_filters.views import FilterView

from patti.filters import RegistroFilter
from patti.models import (
    IN_REGISTRO,
    STATI_PUBBLICI,
    Firmatario,
    Indicatore,
    Misurazione,
    Patto,
    Progetto,
)
from quartiere.accesso.mixins import TitoloMixin
from quartiere.lib.paginazione import TotaleInCacheMixin


def patti_pubblici():
    return Patto.objects.filter(stato__in=STATI_PUBBLICI)


def patti_in_registro():
    """What the register lists: a pact replaced by a supplementary act is listed as the act
    (its own page stays, reached from the act's history)."""
    return Patto.objects.filter(IN_REGISTRO)


def storia_degli_atti(patto: Patto) -> list[Patto]:
    """The signed acts of ``patto``'s chain, oldest first: the pact as first signed and each
    supplementary act that modified it. One query per act (a chain is a handful)."""
    catena = [patto]
    while catena[0].integra_id is not None and len(catena) < 100:
        catena.insert(0, patti_pubblici().select_related("integra").get(pk=catena[0].integra_id))
    successivo = patti_pubblici().filter(integra=catena[-1]).first()
    while successivo is not None and len(catena) < 100:
        catena.append(successivo)
        successivo = patti_pubblici().filter(integra=successivo).first()
    return catena if len(catena) > 1 else []


def _firmatari(**filtro):
    """How many signatories of the pact match ``filtro``: a correlated subquery, so that
    PostgreSQL counts them for the 20 pacts of the page only, after the sort and limit,
    and the paginator counts the pacts without a GROUP BY (a join and an aggregate over
    every signatory took 44 ms at scale 1; docs/performance.md, 4.8)."""
    conteggio = (
        Firmatario.objects.filter(patto=OuterRef("pk"), **filtro)
        .order_by()
        .values("patto")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(conteggio, output_field=IntegerField()), 0)


class RegistroView(TotaleInCacheMixin, TitoloMixin, FilterView):
    template_name = "patti/pubblico/registro.html"
    filterset_class = RegistroFilter
    paginate_by = 20
    # The total and the years of the filter count every pact of the register: once a minute
    # (quartiere/lib/paginazione.py), so the page does not grow with the register.
    prefisso_cache = "patti:registro"
    titolo_pagina = gettext_lazy("Registro dei patti di collaborazione")

    def get_queryset(self):
        return (
            patti_in_registro()
            .select_related("quartiere")
            .only(
                "pk",
                "numero",
                "titolo",
                "stato",
                "livello",
                "luogo",
                "lat",
                "lon",
                "data_firma",
                "data_fine",
                "rinnova_id",
                "integra_id",
                "quartiere__nome",
                "quartiere__lat",
                "quartiere__lon",
            )
            .annotate(
                n_organizzazioni=_firmatari(organizzazione__isnull=False),
                n_volontari=_firmatari(tipo="volontario"),
            )
            .order_by("-data_firma", "-pk")
        )

    def get_filterset_kwargs(self, filterset_class):
        kwargs = super().get_filterset_kwargs(filterset_class)
        kwargs["anni"] = cache.get_or_set(
            "patti:registro:anni",
            lambda: sorted(
                {d.year for d in patti_in_registro().dates("data_firma", "year")}, reverse=True
            ),
            self.conteggi_secondi,
        )
        return kwargs


class RegistroDettaglioView(TitoloMixin, DetailView):
    template_name = "patti/pubblico/dettaglio.html"

    def get_queryset(self):
        firmatari = Firmatario.objects.select_related("persona", "organizzazione").prefetch_related(
            "impegni"
        )
        indicatori = Indicatore.objects.prefetch_related(
            Prefetch("misurazioni", queryset=Misurazione.objects.order_by("data"))
        )
        return (
            patti_pubblici()
            .select_related("quartiere", "rinnova", "integra")
            .prefetch_related(
                Prefetch("firmatari", queryset=firmatari),
                Prefetch("progetti", queryset=Progetto.objects.order_by("pk")),
                Prefetch("indicatori", queryset=indicatori),
                Prefetch("rinnovi", queryset=patti_pubblici().only("pk", "numero", "rinnova_id")),
            )
        )

    def get_titolo_pagina(self):
        return self.object.titolo

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        patto = self.object
        firmatari = list(patto.firmatari.all())
        # Names are resolved here, once, so the template never sees a private person.
        ctx["parti"] = [
            {
                "nome": f.nome_pubblico(),
                "tipo": f.get_tipo_display(),
                "organizzazione": f.organizzazione_id is not None,
                "impegni": [i.descrizione for i in f.impegni.all()],
            }
            for f in firmatari
        ]
        ctx["organizzazioni"] = [
            p for p, f in zip(ctx["parti"], firmatari, strict=True) if f.organizzazione_id
        ]
        ctx["n_volontari"] = sum(1 for f in firmatari if f.tipo == Firmatario.Tipo.VOLONTARIO)
        ctx["rinnova_pubblico"] = (
            patto.rinnova if patto.rinnova and patto.rinnova.pubblico else None
        )
        ctx["storia"] = storia_degli_atti(patto)
        ctx["in_vigore"] = ctx["storia"][-1] if ctx["storia"] else patto
        return ctx
