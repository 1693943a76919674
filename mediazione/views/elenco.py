"""The dossier list, its CSV export and the agreements whose verification is due."""

from __future__ import annotations

from datetime import timedelta

import rules
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy
from django.views.generic import ListView, View

from mediazione import services
from mediazione.forms import (
    ListaFiltroForm,
)
from mediazione.models import Accordo, Dossier
from mediazione.rules import precarica_mediatori, scope_dossier
from mediazione.views._comune import AreaMediazione

GIORNI_PREAVVISO_VERIFICA = 14


def _filtra(queryset, dati):
    if dati.get("q"):
        queryset = queryset.filter(numero__icontains=dati["q"].strip())
    if dati.get("fase"):
        queryset = queryset.filter(fase=dati["fase"])
    if dati.get("tipo"):
        queryset = queryset.filter(tipo_conflitto=dati["tipo"])
    if dati.get("stato") == "aperti":
        queryset = queryset.aperti()
    elif dati.get("stato") == "chiusi":
        queryset = queryset.chiusi()
    if dati.get("quartiere"):
        queryset = queryset.filter(quartiere=dati["quartiere"])
    return queryset


class DossierListView(AreaMediazione, ListView):
    """The dossiers the user works on. Shows no personal data (number, quartiere, type,
    phase, dates, mediators), so listing is not a read of a dossier."""

    template_name = "mediazione/lista.html"
    paginate_by = 25
    titolo_pagina = gettext_lazy("Dossier di mediazione")
    ammette_amministratore = True

    def get_queryset(self):
        self.filtri = ListaFiltroForm(self.request.GET or None)
        qs = (
            Dossier.objects.select_related("quartiere")
            .prefetch_related(precarica_mediatori())
            .only(
                "pk",
                "numero",
                "anno",
                "progressivo",
                "tipo_conflitto",
                "fase",
                "esito",
                "aperto_il",
                "chiuso_il",
                "quartiere__nome",
            )
        )
        qs = scope_dossier(qs, self.request.user)
        if self.filtri.is_bound and self.filtri.is_valid():
            qs = _filtra(qs, self.filtri.cleaned_data)
        return qs

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        ctx.update(
            filtri=self.filtri,
            puo_aprire=rules.has_perm("mediazione.add_dossier", user),
            puo_esportare=rules.has_perm("mediazione.export_dossier", user),
            solo_admin=not rules.has_perm("mediazione.view_dossier", user),
        )
        return ctx


class EsportaView(AreaMediazione, View):
    """CSV of the dossiers in the user's scope (with the list's filters); every exported
    dossier is logged."""

    permission_required = "mediazione.export_dossier"

    def get(self, request, *args, **kwargs):
        filtri = ListaFiltroForm(request.GET or None)
        qs = scope_dossier(Dossier.objects.all(), request.user)
        if filtri.is_bound and filtri.is_valid():
            qs = _filtra(qs, filtri.cleaned_data)
        contenuto = services.esporta_csv(
            qs.order_by("anno", "progressivo"), da=request.user, request=request
        )
        risposta = HttpResponse(contenuto, content_type="text/csv; charset=utf-8")
        nome = f"dossier-mediazione-{timezone.localdate():%Y%m%d}.csv"
        risposta["Content-Disposition"] = f'attachment; filename="{nome}"'
        return risposta


class VerificheView(AreaMediazione, ListView):
    """Agreements whose verification is due within two weeks or overdue."""

    template_name = "mediazione/verifiche.html"
    titolo_pagina = gettext_lazy("Verifiche in scadenza")
    paginate_by = 50

    def get_queryset(self):
        self.oggi = timezone.localdate()
        limite = self.oggi + timedelta(days=GIORNI_PREAVVISO_VERIFICA)
        dossier = scope_dossier(Dossier.objects.aperti(), self.request.user)
        return (
            Accordo.objects.filter(
                dossier__in=dossier,
                data_verifica__lte=limite,
                verifica_svolta_il__isnull=True,
            )
            .select_related("dossier", "dossier__quartiere")
            .only(
                "pk",
                "data",
                "data_verifica",
                "dossier__id",
                "dossier__numero",
                "dossier__fase",
                "dossier__tipo_conflitto",
                "dossier__quartiere__nome",
            )
            .order_by("data_verifica", "dossier__numero")
        )

    def get_context_data(self, **kwargs):
        kwargs.update(oggi=self.oggi, giorni=GIORNI_PREAVVISO_VERIFICA)
        return super().get_context_data(**kwargs)


# --- Opening --------------------------------------------------------------------------------
