"""Staff pages of the mediation desk.

Every page about one dossier derives from :class:`_PaginaDossier`: the dossier is
fetched through ``rules.scope_dossier`` (outside it: 404, for every role that is not an
assigned mediator or a coordinator), each rendering writes a read entry in the access
log and every change goes through ``services`` (which log it). Responses are
``Cache-Control: no-store``.
"""

from __future__ import annotations

from datetime import timedelta

import rules
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import DetailView, FormView, ListView, View

from mediazione import indicators, services
from mediazione.forms import (
    AccordoForm,
    AttivitaForm,
    ChiusuraForm,
    CifreForm,
    DossierForm,
    FaseForm,
    ListaFiltroForm,
    ParteForm,
    RiaperturaForm,
)
from mediazione.models import AccessoDossier, Accordo, Dossier, Parte
from mediazione.rules import scope_dossier
from quartiere.accesso import policy
from quartiere.accesso.mixins import AccessoMixin, ServizioFormMixin, TitoloMixin
from quartiere.accesso.versioni import ConflittoModifica
from quartiere.lib.errori import ErroreDominio
from quartiere.registro.forms import quartieri_per
from quartiere.territorio.models import Quartiere

GIORNI_PREAVVISO_VERIFICA = 14


class _AreaMediazione(AccessoMixin, TitoloMixin, ServizioFormMixin):
    """Pages of the mediation area: for those who cannot use it, the area does not
    exist (404 rather than 403, so nothing is learnt by trying)."""

    permission_required = "mediazione.view_dossier"
    # The menu shows "Mediazione" to the superuser too: the list tells them where to go.
    ammette_amministratore = False

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        # The rules themselves, not user.has_perm: a superuser passes every has_perm,
        # but the amministratore reads dossiers only through the admin.
        consentito = not self.permission_required or rules.has_perm(
            self.permission_required, request.user
        )
        if not consentito and not (
            self.ammette_amministratore and policy.is_amministratore(request.user)
        ):
            raise Http404
        self.permission_required = None
        response = super().dispatch(request, *args, **kwargs)
        patch_cache_control(response, private=True, no_store=True)
        return response


class _PaginaDossier(_AreaMediazione):
    """A page about the dossier ``pk``. ``permesso`` is checked on the dossier (403 when
    it is in scope but the action is not allowed); rendering the page is logged."""

    permesso = "mediazione.view_dossier"
    pagina = ""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.dossier = policy.get_object_or_404(
                request.user,
                scope_dossier(self.queryset_dossier(), request.user),
                self.permesso,
                pk=kwargs["pk"],
            )
        return super().dispatch(request, *args, **kwargs)

    def queryset_dossier(self):
        return Dossier.objects.select_related("quartiere")

    def get_context_data(self, **kwargs):
        kwargs.setdefault("dossier", self.dossier)
        return super().get_context_data(**kwargs)

    def render_to_response(self, context, **response_kwargs):
        services.registra_accesso(
            self.dossier,
            utente=self.request.user,
            azione=AccessoDossier.Azione.LETTURA,
            request=self.request,
            dettaglio=str(self.pagina),
        )
        return super().render_to_response(context, **response_kwargs)

    def errore(self, errore: ErroreDominio):
        messages.error(self.request, str(errore))
        return redirect(self.dossier)


# --- List, export, verifications ------------------------------------------------------------


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


class DossierListView(_AreaMediazione, ListView):
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
            .prefetch_related("mediatori")
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


class EsportaView(_AreaMediazione, View):
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


class VerificheView(_AreaMediazione, ListView):
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


def _segnalazioni_visibili(user):
    """Reports ``user`` may open a dossier from, through the segnalazioni app's own scope."""
    from segnalazioni.models import Segnalazione

    qs = Segnalazione.objects.select_related("quartiere")
    if policy.is_mediatore(user) and not policy.is_coordinatore(user):
        # Issue 4: a mediator opens a dossier from the report an operator or coordinator
        # passed on. Mediators cannot read reports; this page shows only the report's
        # tracking code, and the dossier keeps the link.
        return qs.only("pk", "codice", "quartiere_id")
    try:
        from segnalazioni.rules import scope_segnalazioni
    except ImportError:  # pragma: no cover - older segnalazioni without a scope helper
        return qs if policy.is_coordinatore(user) else qs.none()
    return scope_segnalazioni(qs, user)


class DossierCreateView(_AreaMediazione, FormView):
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


class DossierDetailView(_PaginaDossier, DetailView):
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


class DossierPdfView(_PaginaDossier, View):
    def get(self, request, *args, **kwargs):
        pdf = services.genera_pdf(self.dossier, da=request.user, request=request)
        risposta = HttpResponse(pdf, content_type="application/pdf")
        risposta["Content-Disposition"] = f'inline; filename="{self.dossier.numero}.pdf"'
        return risposta


class _ModificaDossier(_PaginaDossier):
    """A form changing an open dossier."""

    permesso = "mediazione.change_dossier"
    template_name = "mediazione/form.html"

    def get(self, request, *args, **kwargs):
        if self.dossier.chiuso:
            return self.errore(ErroreDominio(_("Il dossier è chiuso: non si può modificare.")))
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        if self.dossier.chiuso:
            return self.errore(ErroreDominio(_("Il dossier è chiuso: non si può modificare.")))
        return super().post(request, *args, **kwargs)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["dossier"] = self.dossier
        return kwargs


class DossierUpdateView(_ModificaDossier, FormView):
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


class ParteCreateView(_ModificaDossier, FormView):
    """Add a party: first search the registry (``?cerca=``), then pick the person."""

    form_class = ParteForm
    pagina = gettext_lazy("nuova parte")

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs.update(user=self.request.user, cerca=self.cerca())
        return kwargs

    def cerca(self) -> str:
        return self.request.GET.get("cerca", "").strip()[:100]

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx.update(
            ricerca_persona=True,
            cerca=self.cerca(),
            trovate=len(ctx["form"].fields["persona"].queryset),
            puo_creare_persona=self.request.user.has_perm("quartiere.add_persona"),
        )
        return ctx

    def get_titolo_pagina(self):
        return _("Nuova parte nel dossier %(numero)s") % {"numero": self.dossier.numero}

    def form_valid(self, form):
        dati = form.cleaned_data
        return self.esegui_servizio(
            form,
            lambda: services.aggiungi_parte(
                self.dossier,
                da=self.request.user,
                persona=dati["persona"],
                ruolo=dati["ruolo"],
                consenso_mediazione=dati["consenso_mediazione"],
                consenso_data=dati["consenso_data"],
                note=dati["note"],
                request=self.request,
            ),
            successo=_("Parte aggiunta."),
            destinazione=self.dossier,
        )


class ParteUpdateView(_ModificaDossier, FormView):
    form_class = ParteForm
    pagina = gettext_lazy("modifica di una parte")

    def dispatch(self, request, *args, **kwargs):
        self.parte = None
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        if self.parte is None:
            try:
                self.parte = self.dossier.parti.select_related("persona").get(
                    pk=self.kwargs["parte"]
                )
            except Parte.DoesNotExist as exc:
                raise Http404 from exc
        kwargs.update(instance=self.parte, user=self.request.user)
        return kwargs

    def get_titolo_pagina(self):
        return _("Parte del dossier %(numero)s") % {"numero": self.dossier.numero}

    def form_valid(self, form):
        try:
            services.modifica_parte(form, da=self.request.user, request=self.request)
        except ConflittoModifica as conflitto:
            form.conflitto = conflitto
            form.add_error(None, str(conflitto))
            return self.form_invalid(form)
        except ErroreDominio as errore:
            return self.errore(errore)
        messages.success(self.request, _("Parte salvata."))
        return redirect(self.dossier)


class AttivitaCreateView(_ModificaDossier, FormView):
    form_class = AttivitaForm
    pagina = gettext_lazy("nuova attività")

    def get_titolo_pagina(self):
        return _("Nuova attività nel dossier %(numero)s") % {"numero": self.dossier.numero}

    def get_initial(self):
        tipo = self.request.GET.get("tipo")
        return {"tipo": tipo} if tipo else {}

    def form_valid(self, form):
        dati = form.cleaned_data
        return self.esegui_servizio(
            form,
            lambda: services.registra_attivita(
                self.dossier,
                da=self.request.user,
                tipo=dati["tipo"],
                data=dati["data"],
                durata_minuti=dati["durata_minuti"],
                partecipanti=dati["partecipanti"],
                note=dati["note"],
                non_condividere=dati["non_condividere"],
                request=self.request,
            ),
            successo=_("Attività registrata."),
            destinazione=self.dossier,
        )


class AccordoView(_ModificaDossier, FormView):
    form_class = AccordoForm
    pagina = gettext_lazy("accordo")

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = services.accordo_di(self.dossier) or Accordo(dossier=self.dossier)
        return kwargs

    def get_titolo_pagina(self):
        return _("Accordo del dossier %(numero)s") % {"numero": self.dossier.numero}

    def form_valid(self, form):
        return self.esegui_servizio(
            form,
            lambda: services.salva_accordo(
                form, self.dossier, da=self.request.user, request=self.request
            ),
            successo=_("Accordo salvato."),
            destinazione=self.dossier,
        )


class ChiudiView(_ModificaDossier, FormView):
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


class RiapriView(_PaginaDossier, FormView):
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


class FaseView(_PaginaDossier, View):
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


# --- Aggregated figures ---------------------------------------------------------------------


class CifreView(AccessoMixin, TitoloMixin, FormView):
    """Masked aggregated figures, for operators and the dirigente too. Operators see
    their own quartieri only."""

    permission_required = "mediazione.view_cifre"
    form_class = CifreForm
    template_name = "mediazione/cifre.html"
    titolo_pagina = gettext_lazy("Mediazione: le cifre")

    def get_form_kwargs(self):
        oggi = timezone.localdate()
        dati = self.request.GET.copy() if self.request.GET else None
        if dati is not None:
            dati.setdefault("dal", oggi.replace(month=1, day=1).isoformat())
            dati.setdefault("al", oggi.isoformat())
        return {
            "data": dati,
            "initial": {"dal": oggi.replace(month=1, day=1), "al": oggi},
            "prefix": None,
        }

    def quartieri_visibili(self):
        """Operators: their quartieri. Mediators work city-wide, like the city roles."""
        user = self.request.user
        if policy.is_mediatore(user):
            return Quartiere.objects.all()
        return quartieri_per(user)

    def get_form(self, form_class=None):
        form = super().get_form(form_class)
        form.fields["quartieri"].queryset = self.quartieri_visibili()
        return form

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        form = ctx["form"]
        oggi = timezone.localdate()
        if form.is_bound and form.is_valid():
            dal, al = form.cleaned_data["dal"], form.cleaned_data["al"]
            scelti = list(form.cleaned_data["quartieri"])
        elif form.is_bound:
            return ctx
        else:
            dal, al, scelti = oggi.replace(month=1, day=1), oggi, []
        ids = policy.quartieri_ids(self.request.user)
        if scelti:
            quartieri = scelti
        elif ids is None or policy.is_mediatore(self.request.user):
            quartieri = None
        else:
            quartieri = list(self.quartieri_visibili())
        cifre = indicators.calcola(dal, al, quartieri)
        ctx.update(
            dal=dal,
            al=al,
            cifre=cifre,
            per_tipo=_etichettate(cifre["per_tipo_conflitto"], Dossier.TipoConflitto),
            per_esito=_etichettate(cifre["per_esito"], Dossier.Esito),
            per_canale=_etichettate(
                indicators.per_canale(dal, al, quartieri), Dossier.CanaleArrivo
            ),
            accordi=indicators.accordi_da_verificare(al, quartieri),
            quartieri_scelti=quartieri,
        )
        return ctx


def _etichettate(mappa: dict, scelte) -> list[tuple[str, object]]:
    etichette = dict(scelte.choices)
    return [(etichette[chiave], valore) for chiave, valore in mappa.items()]
