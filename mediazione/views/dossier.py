"""One dossier's life: opening (also from a report), its page and PDF, edits, phase, closing
and reopening."""

from __future__ import annotations

import rules
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import DetailView, FormView, View

from mediazione import services
from mediazione.forms import (
    ChiusuraForm,
    DossierForm,
    FaseForm,
    RiaperturaForm,
)
from mediazione.models import Dossier
from mediazione.views._comune import AreaMediazione, ModificaDossier, PaginaDossier
from quartiere.accesso import policy
from quartiere.accesso.versioni import ConflittoModifica
from quartiere.lib.errori import ErroreDominio
from segnalazioni.models import Segnalazione
from segnalazioni.rules import scope_segnalazioni


def _segnalazioni_visibili(user):
    """Reports ``user`` may open a dossier from, through the segnalazioni app's own scope."""
    qs = Segnalazione.objects.select_related("quartiere")
    if policy.is_mediatore(user) and not policy.is_coordinatore(user):
        # Issue 4: a mediator opens a dossier from the report an operator or coordinator
        # passed on. Mediators cannot read reports; this page shows only the report's
        # tracking code, and the dossier keeps the link.
        return qs.only("pk", "codice", "quartiere_id")
    return scope_segnalazioni(qs, user)


class DossierCreateView(AreaMediazione, FormView):
    permission_required = "mediazione.add_dossier"
    form_class = DossierForm
    template_name = "mediazione/form.html"
    titolo_pagina = gettext_lazy("Nuovo dossier di mediazione")
    segnalazione = None

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["user"] = self.request.user
        return kwargs

    def form_valid(self, form):
        dati = form.cleaned_data
        return self.esegui_servizio(
            form,
            lambda: services.apri_dossier(
                da=self.request.user,
                quartiere=dati["quartiere"],
                tipo_conflitto=dati["tipo_conflitto"],
                canale_arrivo=dati["canale_arrivo"],
                descrizione=dati["descrizione"],
                mediatori=dati["mediatori"],
                aperto_il=dati.get("aperto_il"),
                segnalazione=self.segnalazione,
                request=self.request,
            ),
            successo=lambda dossier: _("Dossier %(numero)s aperto.") % {"numero": dossier.numero},
        )


class DossierDaSegnalazioneView(DossierCreateView):
    """Open a dossier from a report: the link is kept, quartiere and channel prefilled.
    The report is fetched through the segnalazioni app's scope (404 outside it)."""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and rules.has_perm("mediazione.add_dossier", request.user):
            self.segnalazione = policy.get_object_or_404(
                request.user, _segnalazioni_visibili(request.user), pk=kwargs["segnalazione"]
            )
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self):
        return {
            "quartiere": self.segnalazione.quartiere_id,
            "canale_arrivo": Dossier.CanaleArrivo.SEGNALAZIONE,
        }

    def get_context_data(self, **kwargs):
        kwargs["segnalazione"] = self.segnalazione
        return super().get_context_data(**kwargs)


# --- One dossier ----------------------------------------------------------------------------


class DossierDetailView(PaginaDossier, DetailView):
    template_name = "mediazione/dettaglio.html"
    pagina = gettext_lazy("scheda")

    def queryset_dossier(self):
        return services.dossier_completo(Dossier.objects.all())

    def get_object(self, queryset=None):
        return self.dossier

    def get_titolo_pagina(self):
        return _("Dossier %(numero)s") % {"numero": self.dossier.numero}

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user, dossier = self.request.user, self.dossier
        accordo = services.accordo_di(dossier)
        oggi = timezone.localdate()
        ctx.update(
            accordo=accordo,
            verifica_scaduta=bool(
                accordo
                and not dossier.chiuso
                and accordo.data_verifica
                and not accordo.verifica_svolta_il
                and accordo.data_verifica <= oggi
            ),
            puo_modificare=not dossier.chiuso
            and rules.has_perm("mediazione.change_dossier", user, dossier),
            puo_riaprire=dossier.chiuso
            and not dossier.anonimizzato
            and rules.has_perm("mediazione.reopen_dossier", user, dossier),
            form_fase=FaseForm(initial={"fase": dossier.fase}),
        )
        return ctx


class DossierPdfView(PaginaDossier, View):
    def get(self, request, *args, **kwargs):
        pdf = services.genera_pdf(self.dossier, da=request.user, request=request)
        risposta = HttpResponse(pdf, content_type="application/pdf")
        risposta["Content-Disposition"] = f'inline; filename="{self.dossier.numero}.pdf"'
        return risposta


class DossierUpdateView(ModificaDossier, FormView):
    form_class = DossierForm
    pagina = gettext_lazy("modifica")

    def get_form_kwargs(self):
        kwargs = FormView.get_form_kwargs(self)
        kwargs.update(instance=self.dossier, user=self.request.user)
        return kwargs

    def get_titolo_pagina(self):
        return _("Modifica del dossier %(numero)s") % {"numero": self.dossier.numero}

    def form_valid(self, form):
        try:
            dossier = services.modifica_dossier(form, da=self.request.user, request=self.request)
        except ConflittoModifica as conflitto:
            form.conflitto = conflitto
            form.add_error(None, str(conflitto))
            return self.form_invalid(form)
        except ErroreDominio as errore:
            return self.errore(errore)
        messages.success(self.request, _("Dossier salvato."))
        if not rules.has_perm("mediazione.view_dossier", self.request.user, dossier):
            return redirect("mediazione:lista")
        return redirect(dossier)


class FaseView(PaginaDossier, View):
    """One click: move the dossier to another open phase."""

    permesso = "mediazione.change_dossier"
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        form = FaseForm(request.POST)
        if not form.is_valid():
            return self.errore(ErroreDominio(_("Fase non valida.")))
        try:
            services.cambia_fase(
                self.dossier, form.cleaned_data["fase"], da=request.user, request=request
            )
        except ErroreDominio as errore:
            return self.errore(errore)
        messages.success(request, _("Fase aggiornata."))
        return redirect(self.dossier)


class ChiudiView(ModificaDossier, FormView):
    form_class = ChiusuraForm
    permesso = "mediazione.close_dossier"
    pagina = gettext_lazy("chiusura")

    def get_form_kwargs(self):
        return FormView.get_form_kwargs(self)

    def get_titolo_pagina(self):
        return _("Chiudi il dossier %(numero)s") % {"numero": self.dossier.numero}

    def form_valid(self, form):
        return self.esegui_servizio(
            form,
            lambda: services.chiudi(
                self.dossier,
                esito=form.cleaned_data["esito"],
                chiuso_il=form.cleaned_data["chiuso_il"],
                da=self.request.user,
                request=self.request,
            ),
            successo=_("Dossier chiuso."),
            destinazione=self.dossier,
        )


class RiapriView(PaginaDossier, FormView):
    form_class = RiaperturaForm
    permesso = "mediazione.reopen_dossier"
    template_name = "mediazione/form.html"
    pagina = gettext_lazy("riapertura")

    def get_titolo_pagina(self):
        return _("Riapri il dossier %(numero)s") % {"numero": self.dossier.numero}

    def form_valid(self, form):
        return self.esegui_servizio(
            form,
            lambda: services.riapri(
                self.dossier,
                da=self.request.user,
                motivo=form.cleaned_data["motivo"],
                request=self.request,
            ),
            successo=_("Dossier riaperto."),
            destinazione=self.dossier,
        )
