"""Staff pages of housing: the buildings with their flats by staircase and floor, the
households, and the steps of an assignment (pre-assignment, assignment, entry, exit)."""

from __future__ import annotations

from itertools import groupby

from django.contrib import messages
from django.db.models import Count, Prefetch, Q
from django.db.models.functions import Coalesce
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import DetailView, ListView, View

from abitare import services
from abitare.forms import PassoForm, PreAssegnaForm
from abitare.models import (
    STATI_CORRENTI,
    STATI_LIBERI,
    Alloggio,
    Assegnazione,
    Componente,
    Immobile,
    Nucleo,
    Spazio,
    StatoAlloggio,
)
from abitare.rules import scope_abitare
from quartiere.accesso import policy
from quartiere.accesso.mixins import AccessoMixin, TitoloMixin
from quartiere.lib.errori import ErroreDominio


def _correnti(*relazioni) -> Prefetch:
    """The current assignment (at most one) of each flat or household, as ``correnti``."""
    return Prefetch(
        "assegnazioni",
        queryset=Assegnazione.objects.filter(stato__in=STATI_CORRENTI).select_related(*relazioni),
        to_attr="correnti",
    )


class ImmobiliView(AccessoMixin, TitoloMixin, ListView):
    permission_required = "abitare.view_immobile"
    template_name = "abitare/immobili.html"
    paginate_by = 25
    titolo_pagina = gettext_lazy("Immobili e alloggi")

    def get_queryset(self):
        per_stato = {
            f"n_{s}": Count("alloggi", filter=Q(alloggi__stato=s)) for s in StatoAlloggio.values
        }
        qs = (
            Immobile.objects.select_related("quartiere", "gestore")
            .annotate(n_alloggi=Count("alloggi"), **per_stato)
            .order_by("quartiere__nome", "nome", "pk")
        )
        return scope_abitare(qs, self.request.user)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["stati"] = StatoAlloggio.choices
        for immobile in ctx["object_list"]:
            immobile.per_stato = [
                (s, getattr(immobile, f"n_{s}")) for s, _e in StatoAlloggio.choices
            ]
        return ctx


class ImmobileView(AccessoMixin, TitoloMixin, DetailView):
    permission_required = "abitare.view_immobile"
    object_permission = "abitare.view_immobile"
    template_name = "abitare/immobile.html"

    def get_queryset(self):
        alloggi = Alloggio.objects.prefetch_related(_correnti("nucleo")).order_by(
            "scala", "-piano", "codice"
        )
        qs = Immobile.objects.select_related("quartiere", "gestore").prefetch_related(
            Prefetch("alloggi", queryset=alloggi),
            Prefetch("spazi", queryset=Spazio.objects.select_related("gestito_da")),
        )
        return scope_abitare(qs, self.request.user)

    def get_titolo_pagina(self):
        return self.object.nome

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        alloggi = list(self.object.alloggi.all())
        # The flats as a grid: one block per staircase, one row per floor, top floor first.
        ctx["scale"] = [
            (
                scala,
                [(piano, list(righe)) for piano, righe in groupby(gruppo, key=lambda a: a.piano)],
            )
            for scala, gruppo in groupby(alloggi, key=lambda a: a.scala)
        ]
        ctx["conteggi"] = [
            (etichetta, sum(1 for a in alloggi if a.stato == stato))
            for stato, etichetta in StatoAlloggio.choices
        ]
        utente = self.request.user
        ctx["puo_assegnare"] = utente.has_perm("abitare.add_assegnazione", self.object)
        if ctx["puo_assegnare"]:
            ctx["form_pre_assegna"] = PreAssegnaForm(
                immobile=self.object, nuclei=scope_abitare(Nucleo.objects.all(), utente)
            )
            ctx["liberi"] = any(a.stato in STATI_LIBERI for a in alloggi)
        return ctx


class InAttesaView(AccessoMixin, TitoloMixin, ListView):
    """The assignments still waiting for their next step: pre-assigned flats to confirm,
    assigned flats whose household has not moved in yet, oldest first."""

    permission_required = "abitare.view_assegnazione"
    template_name = "abitare/in_attesa.html"
    paginate_by = 50
    titolo_pagina = gettext_lazy("Ingressi in attesa")

    def get_queryset(self):
        qs = (
            Assegnazione.objects.filter(stato__in=["pre_assegnata", "assegnata"])
            .select_related("nucleo", "alloggio__immobile__quartiere")
            .annotate(dal=Coalesce("assegnata_il", "pre_assegnata_il"))
            .order_by("dal", "pk")
        )
        return scope_abitare(qs, self.request.user)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        oggi = timezone.localdate()
        for a in ctx["object_list"]:
            a.giorni = (oggi - a.dal).days
        return ctx


class NucleiView(AccessoMixin, TitoloMixin, ListView):
    permission_required = "abitare.view_nucleo"
    template_name = "abitare/nuclei.html"
    paginate_by = 25
    titolo_pagina = gettext_lazy("Nuclei familiari")

    def get_queryset(self):
        qs = (
            Nucleo.objects.select_related("quartiere")
            .prefetch_related(_correnti("alloggio__immobile"))
            .annotate(n_componenti=Count("componenti"))
            .order_by("nome", "pk")
        )
        return scope_abitare(qs, self.request.user)


class NucleoView(AccessoMixin, TitoloMixin, DetailView):
    permission_required = "abitare.view_nucleo"
    object_permission = "abitare.view_nucleo"
    template_name = "abitare/nucleo.html"

    def get_queryset(self):
        qs = Nucleo.objects.select_related("quartiere").prefetch_related(
            Prefetch("componenti", queryset=Componente.objects.select_related("persona")),
            Prefetch(
                "assegnazioni",
                queryset=Assegnazione.objects.select_related("alloggio__immobile").order_by(
                    "-pre_assegnata_il", "-pk"
                ),
            ),
        )
        return scope_abitare(qs, self.request.user)

    def get_titolo_pagina(self):
        return self.object.nome

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["puo_modificare"] = self.request.user.has_perm("abitare.change_nucleo", self.object)
        ctx["form_passo"] = PassoForm()
        ctx["passi"] = {
            "pre_assegnata": ("assegna", _("Registra l'assegnazione")),
            "assegnata": ("ingresso", _("Registra l'ingresso")),
            "abitata": ("uscita", _("Registra l'uscita")),
        }
        return ctx


class PreAssegnaView(AccessoMixin, View):
    """POST on a building: pre-assign one of its free flats to a household of the user's
    quartieri."""

    permission_required = "abitare.view_immobile"
    http_method_names = ["post"]

    def post(self, request, pk):
        immobile = policy.get_object_or_404(
            request.user,
            scope_abitare(Immobile.objects.all(), request.user),
            "abitare.add_assegnazione",
            pk=pk,
        )
        form = PreAssegnaForm(
            request.POST,
            immobile=immobile,
            nuclei=scope_abitare(Nucleo.objects.all(), request.user),
        )
        if not form.is_valid():
            for errori in form.errors.values():
                for errore in errori:
                    messages.error(request, errore)
            return redirect(immobile)
        dati = form.cleaned_data
        alloggio = dati["alloggio"]
        try:
            services.pre_assegna(alloggio, dati["nucleo"], il=dati["il"], note=dati["note"])
        except ErroreDominio as errore:
            messages.error(request, str(errore))
        else:
            messages.success(
                request,
                _("Alloggio %(codice)s pre-assegnato a %(nucleo)s.")
                % {"codice": alloggio.codice, "nucleo": dati["nucleo"]},
            )
        return redirect(immobile)


class AvanzaView(AccessoMixin, View):
    """POST on an assignment: the next step (assegna, ingresso, uscita) or its cancellation."""

    permission_required = "abitare.view_assegnazione"
    http_method_names = ["post"]

    def post(self, request, pk, passo):
        assegnazione = policy.get_object_or_404(
            request.user,
            scope_abitare(
                Assegnazione.objects.select_related("alloggio__immobile", "nucleo"), request.user
            ),
            "abitare.change_assegnazione",
            pk=pk,
        )
        form = PassoForm(request.POST)
        try:
            if passo == "annulla":
                services.annulla(assegnazione, motivo=request.POST.get("motivo", "")[:500])
            elif passo in services.PASSI and form.is_valid():
                services.avanza(assegnazione, passo, il=form.cleaned_data["il"])
            else:
                raise ErroreDominio(_("Indica una data valida."))
        except ErroreDominio as errore:
            messages.error(request, str(errore))
        else:
            messages.success(request, _("Assegnazione aggiornata."))
        return redirect(assegnazione.nucleo)
