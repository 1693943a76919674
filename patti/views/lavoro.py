"""Staff pages of the pacts: list, card, create and edit, workflow actions, PDF."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Prefetch
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import CreateView, DetailView, FormView, UpdateView, View
from django_filters.views import FilterView

from patti import rules as regole
from patti import services
from patti.filters import PattoFilter
from patti.forms import IntegrazioneForm, PattoForm, RendicontazioneForm, StatoForm
from patti.models import Firmatario, Indicatore, Misurazione, PassaggioStato, Patto, StatoPatto
from quartiere.accesso import policy
from quartiere.accesso.mixins import AccessoMixin, ServizioFormMixin, TitoloMixin
from quartiere.lib.errori import ErroreDominio
from quartiere.registro.forms import quartieri_per


def patti_di(user):
    """The pacts ``user`` may see: the one door to them for every staff view."""
    return regole.scope_patti(Patto.objects.all(), user)


def patto_o_404(user, pk, perm="patti.view_patto", queryset=None):
    queryset = patti_di(user) if queryset is None else queryset
    return policy.get_object_or_404(user, queryset.select_related("quartiere"), perm, pk=pk)


class PattoListView(AccessoMixin, TitoloMixin, FilterView):
    permission_required = "patti.view_patto"
    filterset_class = PattoFilter
    template_name = "patti/lista.html"
    paginate_by = 25
    titolo_pagina = gettext_lazy("Patti di collaborazione")

    def get_queryset(self):
        qs = (
            Patto.objects.select_related("quartiere")
            .only(
                "pk",
                "numero",
                "titolo",
                "stato",
                "livello",
                "data_firma",
                "data_fine",
                "quartiere__nome",
            )
            .annotate(n_firmatari=Count("firmatari"))
            .order_by("-creato_il", "-pk")
        )
        return regole.scope_patti(qs, self.request.user)

    def get_filterset_kwargs(self, filterset_class):
        kwargs = super().get_filterset_kwargs(filterset_class)
        kwargs["quartieri"] = quartieri_per(self.request.user)
        return kwargs

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["puo_creare"] = self.request.user.has_perm("patti.add_patto")
        return ctx


class PattoDetailView(AccessoMixin, TitoloMixin, DetailView):
    permission_required = "patti.view_patto"
    object_permission = "patti.view_patto"
    template_name = "patti/dettaglio.html"

    def get_queryset(self):
        firmatari = Firmatario.objects.select_related("persona", "organizzazione").prefetch_related(
            "impegni"
        )
        indicatori = Indicatore.objects.prefetch_related(
            Prefetch("misurazioni", queryset=Misurazione.objects.order_by("data"))
        )
        qs = Patto.objects.select_related(
            "quartiere", "laboratorio", "rinnova", "integra"
        ).prefetch_related(
            Prefetch("firmatari", queryset=firmatari),
            "progetti",
            Prefetch("indicatori", queryset=indicatori),
            Prefetch(
                "passaggi", queryset=PassaggioStato.objects.select_related("da").order_by("il")
            ),
            "rinnovi",
            "integrazioni",
        )
        return regole.scope_patti(qs, self.request.user)

    def get_titolo_pagina(self):
        return str(self.object)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user, patto = self.request.user, self.object
        ctx["puo_modificare"] = user.has_perm("patti.change_patto", patto)
        ctx["puo_redigere"] = user.has_perm("patti.modifica_testo_patto", patto)
        form = StatoForm(patto=patto, user=user)
        ctx["form_stato"] = form if form.fields["a_stato"].choices else None
        ctx["puo_rinnovare"] = (
            user.has_perm("patti.add_patto")
            and ctx["puo_modificare"]
            and patto.stato in services.STATI_RINNOVABILI
        )
        ctx["puo_integrare"] = (
            user.has_perm("patti.add_patto")
            and ctx["puo_modificare"]
            and patto.stato in services.STATI_INTEGRABILI
            and not any(
                a.stato not in (StatoPatto.RESPINTO, StatoPatto.REVOCATO)
                for a in patto.integrazioni.all()
            )
        )
        return ctx


class _PattoFormView(AccessoMixin, TitoloMixin, ServizioFormMixin):
    form_class = PattoForm
    template_name = "patti/form.html"

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["user"] = self.request.user
        return kwargs


class PattoCreateView(_PattoFormView, CreateView):
    permission_required = "patti.add_patto"
    titolo_pagina = gettext_lazy("Nuovo patto di collaborazione")

    def form_valid(self, form):
        def crea():
            self.object = services.crea_patto(form.instance, da=self.request.user)
            return self.object

        return self.esegui_servizio(
            form, crea, successo=_("Patto creato: ora aggiungi i firmatari.")
        )


class PattoUpdateView(_PattoFormView, UpdateView):
    permission_required = "patti.view_patto"
    object_permission = "patti.modifica_testo_patto"

    def get_queryset(self):
        return patti_di(self.request.user).select_related("quartiere")

    def get_titolo_pagina(self):
        return _("Modifica: %(patto)s") % {"patto": self.object}

    def form_valid(self, form):
        return self.salva_con_versione(form, successo=_("Patto salvato."))


class RendicontazioneView(PattoUpdateView):
    object_permission = "patti.change_patto"
    form_class = RendicontazioneForm

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs.pop("user")
        return kwargs

    def get_titolo_pagina(self):
        return _("Rendicontazione: %(patto)s") % {"patto": self.object}


class CambiaStatoView(AccessoMixin, TitoloMixin, ServizioFormMixin, FormView):
    """The workflow action: POST a new status (GET shows the same form on its own page)."""

    permission_required = "patti.view_patto"
    form_class = StatoForm
    template_name = "patti/form.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.has_perm(self.permission_required):
            self.patto = patto_o_404(request.user, kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_titolo_pagina(self):
        return _("Cambia lo stato: %(patto)s") % {"patto": self.patto}

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs.update(patto=self.patto, user=self.request.user)
        return kwargs

    def get(self, request, *args, **kwargs):
        if not StatoForm(patto=self.patto, user=request.user).fields["a_stato"].choices:
            raise PermissionDenied
        return super().get(request, *args, **kwargs)

    def form_valid(self, form):
        dati = form.cleaned_data
        return self.esegui_servizio(
            form,
            lambda: services.cambia_stato(
                self.patto,
                dati["a_stato"],
                da=self.request.user,
                nota=dati["nota"],
                data_firma=dati["data_firma"],
                atto_tipo=dati["atto_tipo"],
                atto_numero=dati["atto_numero"],
                atto_data=dati["atto_data"],
            ),
            successo=_("Stato del patto aggiornato."),
            destinazione=self.patto,
        )

    def form_invalid(self, form):
        if not form.fields["a_stato"].choices:
            raise PermissionDenied
        return super().form_invalid(form)


class RinnovaView(AccessoMixin, View):
    permission_required = "patti.add_patto"
    http_method_names = ["post"]

    def post(self, request, pk):
        patto = patto_o_404(request.user, pk, "patti.change_patto")
        try:
            nuovo = services.rinnova(patto, da=request.user)
        except ErroreDominio as errore:
            messages.error(request, str(errore))
            return redirect(patto)
        messages.success(
            request,
            _("Rinnovo avviato: firmatari, impegni e progetti copiati dal patto %(numero)s.")
            % {"numero": patto.numero},
        )
        return redirect(nuovo)


class IntegraView(AccessoMixin, TitoloMixin, ServizioFormMixin, FormView):
    """Start a supplementary act of a signed pact: say what changes, get an editable copy."""

    permission_required = "patti.add_patto"
    form_class = IntegrazioneForm
    template_name = "patti/form.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and request.user.has_perm(self.permission_required):
            self.patto = patto_o_404(request.user, kwargs["pk"], "patti.change_patto")
            if self.patto.stato not in services.STATI_INTEGRABILI:
                messages.error(
                    request, _("Si può integrare solo un patto firmato, in attuazione o sospeso.")
                )
                return redirect(self.patto)
        return super().dispatch(request, *args, **kwargs)

    def get_titolo_pagina(self):
        return _("Atto integrativo del patto %(numero)s") % {"numero": self.patto.numero}

    def get_context_data(self, **kwargs):
        kwargs["patto"] = self.patto
        return super().get_context_data(**kwargs)

    def form_valid(self, form):
        return self.esegui_servizio(
            form,
            lambda: services.integra(
                self.patto, da=self.request.user, motivo=form.cleaned_data["modifiche"]
            ),
            successo=lambda atto: (
                _(
                    "Atto integrativo %(numero)s avviato: modifica il testo, i firmatari e i "
                    "progetti, poi portalo all'approvazione e alla firma."
                )
                % {"numero": atto.numero}
            ),
        )


class PdfView(AccessoMixin, View):
    permission_required = "patti.view_patto"

    def get(self, request, pk):
        patto = patto_o_404(request.user, pk, "patti.stampa_patto")
        risposta = HttpResponse(services.pdf_patto(patto), content_type="application/pdf")
        nome = patto.numero.replace("/", "-")
        risposta["Content-Disposition"] = f'inline; filename="patto-{nome}.pdf"'
        return risposta
