"""The funded programmes for the staff: the list with the financial progress, and each
programme's page with what every axis did in a period against its targets (issue 19)."""

from __future__ import annotations

from django import forms
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import ListView, TemplateView

from quartiere.accesso.mixins import AccessoMixin, TitoloMixin
from quartiere.programmi import monitoraggio
from quartiere.programmi.cifre import contratto, per_asse
from quartiere.programmi.models import Programma

PERMESSO = "quartiere.view_programma"


class PeriodoForm(forms.Form):
    dal = forms.DateField(
        label=gettext_lazy("Dal"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    al = forms.DateField(
        label=gettext_lazy("Al"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )

    def clean(self):
        dati = super().clean()
        if dati.get("dal") and dati.get("al") and dati["dal"] > dati["al"]:
            self.add_error(
                "al", _("La data finale deve essere uguale o successiva a quella iniziale.")
            )
        return dati


def periodo_del_programma(programma: Programma) -> dict:
    """From the programme's start to today (or its end, if it has ended)."""
    return {"dal": programma.inizio, "al": min(timezone.localdate(), programma.fine)}


def periodo_richiesto(request, programma) -> tuple[PeriodoForm, dict | None]:
    """The period form and the period of the query string (None when it is not valid), or
    the programme's default period when the query string names none: one reading for the
    page and its reports."""
    if "dal" not in request.GET and "al" not in request.GET:
        periodo = periodo_del_programma(programma)
        return PeriodoForm(initial=periodo), periodo
    form = PeriodoForm(request.GET)
    return form, form.cleaned_data if form.is_valid() else None


class ElencoView(AccessoMixin, TitoloMixin, ListView):
    permission_required = PERMESSO
    template_name = "quartiere/programmi/elenco.html"
    titolo_pagina = gettext_lazy("Programmi finanziati")
    context_object_name = "programmi"

    def get_queryset(self):
        return (
            Programma.objects.con_avanzamento()
            .prefetch_related("quartieri")
            .order_by("-fine", "nome")
        )


class ProgrammaView(AccessoMixin, TitoloMixin, TemplateView):
    permission_required = PERMESSO
    template_name = "quartiere/programmi/programma.html"
    # The activities' counts over a long programme cost hundreds of milliseconds: the page
    # counts them again at most once a minute (per_asse's in_cache; the reports afresh).
    CIFRE_SECONDI = 60

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        programma = get_object_or_404(
            Programma.objects.prefetch_related("quartieri"), codice=self.kwargs["codice"]
        )
        form, periodo = periodo_richiesto(self.request, programma)
        ctx.update(
            programma=programma,
            titolo_pagina=programma.nome,
            form=form,
            periodo=periodo,
            affidamenti=programma.affidamenti.select_related("fornitore")
            .prefetch_related("membri", "rinnovi")
            .order_by("inizio"),
        )
        if periodo:
            ctx["avanzamento"] = Programma.objects.con_avanzamento(al=periodo["al"]).get(
                pk=programma.pk
            )
            ctx["assi"] = per_asse(
                programma, periodo["dal"], periodo["al"], in_cache=self.CIFRE_SECONDI
            )
            ctx["cifre_minuti"] = self.CIFRE_SECONDI // 60
            ctx["contratto"] = contratto(programma, ctx["assi"])
        return ctx


class RapportoView(AccessoMixin, View):
    """The monitoring report of a programme for a period, as the funder reads it: PDF, or
    the CSV in the columns of the national open data (quartiere/programmi/monitoraggio.py)."""

    permission_required = PERMESSO

    def get(self, request, codice, formato):
        if formato not in ("pdf", "csv"):
            raise Http404
        programma = get_object_or_404(Programma, codice=codice)
        _form, periodo = periodo_richiesto(request, programma)
        if periodo is None:
            return HttpResponseBadRequest(_("Il periodo indicato non è valido."))
        m = monitoraggio.prepara(programma, periodo["dal"], periodo["al"])
        nome = f"monitoraggio-{programma.codice}-{periodo['dal']:%Y%m%d}-{periodo['al']:%Y%m%d}"
        if formato == "pdf":
            risposta = HttpResponse(
                monitoraggio.pdf_monitoraggio(m), content_type="application/pdf"
            )
        else:
            risposta = HttpResponse(
                monitoraggio.csv_monitoraggio(m), content_type="text/csv; charset=utf-8"
            )
        risposta["Content-Disposition"] = f'attachment; filename="{nome}.{formato}"'
        return risposta
