"""Staff pages: labs, meetings, minutes and proposals."""

from __future__ import annotations

from django.contrib import messages
from django.db import transaction
from django.db.models import Count, Max, Min, Prefetch, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django.views.generic import CreateView, DetailView, UpdateView
from django_filters.views import FilterView

from laboratori import rules as regole
from laboratori import services
from laboratori.filters import LaboratorioFilter
from laboratori.forms import (
    AderenteForm,
    FaseForm,
    IncontroForm,
    LaboratorioForm,
    PropostaForm,
    StatoIncontroForm,
    StatoLaboratorioForm,
    StatoPropostaForm,
    VoceMandatoForm,
)
from laboratori.models import Incontro, Laboratorio, Proposta
from laboratori.views._comune import (
    cerca_nel_registro,
    cifre_presenze,
    conteggio,
    esegui,
    incontri_di,
    laboratori_di,
    prendi_incontro,
    prendi_laboratorio,
    prendi_proposta,
    presenze_svolte,
    proposte_di,
    richiede,
)
from quartiere.accesso.mixins import AccessoMixin, ServizioFormMixin, TitoloMixin
from quartiere.registro.forms import quartieri_per


def _facilitatori_prefetch():
    from django.contrib.auth import get_user_model

    return Prefetch(
        "facilitatori",
        queryset=get_user_model().objects.only("pk", "first_name", "last_name", "username"),
    )


class _SalvaVersionato(ServizioFormMixin):
    """form_valid for versioned ModelForms: a concurrent edit becomes a form error."""

    messaggio_successo = ""

    def form_valid(self, form):
        def salva():
            with transaction.atomic():
                self.object = self.salva(form)

        return self.esegui_servizio(
            form, salva, successo=self.messaggio_successo, destinazione=self.get_success_url
        )

    def salva(self, form):
        return form.save_versioned()

    def get_success_url(self):
        return self.object.get_absolute_url()


# --- Labs ------------------------------------------------------------------------------------


class LaboratorioListView(AccessoMixin, TitoloMixin, FilterView):
    permission_required = "laboratori.view_laboratorio"
    filterset_class = LaboratorioFilter
    template_name = "laboratori/lista.html"
    titolo_pagina = gettext_lazy("Laboratori di cittadinanza")
    paginate_by = 25

    def get_queryset(self):
        qs = (
            Laboratorio.objects.select_related("quartiere")
            .only(
                "pk",
                "codice",
                "titolo",
                "tema",
                "fase",
                "stato",
                "data_inizio",
                "data_fine",
                "quartiere__nome",
            )
            .prefetch_related(_facilitatori_prefetch())
            .annotate(
                n_svolti=conteggio(Incontro.objects.svolti(), "laboratorio"),
                n_proposte=conteggio(Proposta.objects.all(), "laboratorio"),
                prossimo=Min(
                    "incontri__inizio",
                    filter=Q(
                        incontri__stato=Incontro.Stato.PROGRAMMATO,
                        incontri__inizio__gte=timezone.now(),
                    ),
                ),
            )
            .order_by("-data_inizio", "titolo", "pk")
        )
        return regole.scope_laboratori(qs, self.request.user)

    def get_filterset_kwargs(self, filterset_class):
        kwargs = super().get_filterset_kwargs(filterset_class)
        kwargs["quartieri"] = quartieri_per(self.request.user)
        kwargs["user"] = self.request.user
        return kwargs

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["puo_creare"] = self.request.user.has_perm("laboratori.add_laboratorio")
        return ctx


class LaboratorioDetailView(AccessoMixin, TitoloMixin, DetailView):
    permission_required = "laboratori.view_laboratorio"
    object_permission = "laboratori.view_laboratorio"
    template_name = "laboratori/laboratorio_dettaglio.html"

    def get_queryset(self):
        return (
            laboratori_di(self.request.user)
            .select_related(
                "gruppo_pilota", "coordinatore_pubblico", "coordinatore_privato_sociale"
            )
            .prefetch_related(_facilitatori_prefetch())
        )

    def get_titolo_pagina(self):
        return self.object.titolo

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        lab = self.object
        user = self.request.user
        ctx["incontri"] = (
            lab.incontri.select_related("sede")
            .defer("ordine_del_giorno", "verbale")
            .annotate(n_presenze=Count("presenze"))
            .order_by("-inizio")
        )
        ctx["proposte"] = (
            lab.proposte.select_related(
                "proponente_persona", "proponente_organizzazione", "incontro"
            )
            .defer("descrizione", "esito", "incontro__ordine_del_giorno", "incontro__verbale")
            # What each proposal became: the pacts and reports that name it as their origin.
            .prefetch_related("patti", "segnalazioni")
            .order_by("-creata_il")
        )
        cifre = cifre_presenze(presenze_svolte(lab))
        cifre["incontri_svolti"] = lab.incontri.svolti().count()
        cifre["proposte_accolte"] = lab.proposte.filter(stato=Proposta.Stato.ACCOLTA).count()
        ctx["cifre"] = cifre
        ctx["puo_modificare"] = user.has_perm("laboratori.change_laboratorio", lab)
        if ctx["puo_modificare"]:
            ctx["form_stato"] = StatoLaboratorioForm(laboratorio=lab)
            ctx["form_fase"] = FaseForm(laboratorio=lab)
        ctx["storia"] = lab.history.select_related("history_user").order_by("-history_date")[:15]
        if lab.e_un_gruppo:
            # A pilot or thematic group: its coordinators, mandate, members and sub-groups.
            ctx["mandato"] = list(lab.mandato.filter(attiva=True).order_by("tipo", "ordine", "pk"))
            ctx["aderenti"] = list(
                lab.aderenti.filter(al__isnull=True)
                .select_related("persona", "organizzazione")
                .order_by("ruolo", "organizzazione__nome", "persona__cognome", "pk")
            )
            ctx["gruppi_tematici"] = list(lab.gruppi_tematici.order_by("titolo"))
            if ctx["puo_modificare"]:
                ctx["form_mandato"] = VoceMandatoForm()
                ctx["form_aderente"] = AderenteForm(user=user)
                ctx.update(cerca_nel_registro(self.request))
                # Who is a member already: the search says so instead of offering them.
                ctx["gia_persone"] = {
                    a.persona_id for a in ctx["aderenti"] if a.organizzazione_id is None
                }
                ctx["gia_organizzazioni"] = {a.organizzazione_id for a in ctx["aderenti"]}
            ctx["coordinatori"] = [
                u
                for u in (
                    lab.coordinatore_pubblico if lab.coordinatore_pubblico_id else None,
                    lab.coordinatore_privato_sociale
                    if lab.coordinatore_privato_sociale_id
                    else None,
                )
                if u is not None
            ]
        return ctx


class LaboratorioCreateView(AccessoMixin, TitoloMixin, _SalvaVersionato, CreateView):
    permission_required = "laboratori.add_laboratorio"
    form_class = LaboratorioForm
    template_name = "laboratori/form.html"
    titolo_pagina = gettext_lazy("Nuovo laboratorio")
    messaggio_successo = gettext_lazy("Laboratorio creato.")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}


class LaboratorioUpdateView(AccessoMixin, TitoloMixin, _SalvaVersionato, UpdateView):
    permission_required = "laboratori.view_laboratorio"
    object_permission = "laboratori.change_laboratorio"
    form_class = LaboratorioForm
    template_name = "laboratori/form.html"
    messaggio_successo = gettext_lazy("Laboratorio salvato.")

    def get_queryset(self):
        return laboratori_di(self.request.user)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def get_titolo_pagina(self):
        return _("Modifica: %(lab)s") % {"lab": self.object}


@richiede("laboratori.view_laboratorio")
@require_POST
def laboratorio_stato(request, pk):
    lab = prendi_laboratorio(request, pk, "laboratori.change_laboratorio")
    form = StatoLaboratorioForm(request.POST, laboratorio=lab)
    return esegui(
        request,
        form,
        lambda dati: services.cambia_stato_laboratorio(lab, dati["stato"], da=request.user),
        lab,
        _("Stato del laboratorio aggiornato."),
    )


@richiede("laboratori.view_laboratorio")
@require_POST
def laboratorio_fase(request, pk):
    lab = prendi_laboratorio(request, pk, "laboratori.change_laboratorio")
    form = FaseForm(request.POST, laboratorio=lab)
    return esegui(
        request,
        form,
        lambda dati: services.cambia_fase(lab, dati["fase"], da=request.user),
        lab,
        _("Fase del laboratorio aggiornata."),
    )


# --- A group's mandate ----------------------------------------------------------------------


@richiede("laboratori.view_laboratorio")
@require_POST
def mandato_aggiungi(request, pk):
    """A new vulnerability or priority in a pilot or thematic group's mandate."""
    lab = prendi_laboratorio(request, pk, "laboratori.change_laboratorio")
    if not lab.e_un_gruppo:
        raise Http404
    form = VoceMandatoForm(request.POST)

    def aggiungi(dati):
        ultimo = lab.mandato.filter(tipo=dati["tipo"]).aggregate(n=Max("ordine"))["n"] or 0
        lab.mandato.create(tipo=dati["tipo"], testo=dati["testo"], ordine=ultimo + 1)

    return esegui(request, form, aggiungi, lab, _("Voce aggiunta al mandato."))


@richiede("laboratori.view_laboratorio")
@require_POST
def mandato_ritira(request, pk, voce):
    """The group has moved past an item: it leaves the mandate, its history stays."""
    lab = prendi_laboratorio(request, pk, "laboratori.change_laboratorio")
    item = get_object_or_404(lab.mandato, pk=voce, attiva=True)
    item.attiva = False
    item.save()
    messages.success(request, _("Voce tolta dal mandato: resta nella sua storia."))
    return redirect(lab)


# --- A group's members and thematic groups ----------------------------------------------------


@richiede("laboratori.view_laboratorio")
@require_POST
def aderente_aggiungi(request, pk):
    """A person and/or an organisation of the registry joins a pilot or thematic group."""
    gruppo = prendi_laboratorio(request, pk, "laboratori.change_laboratorio")
    if not gruppo.e_un_gruppo:
        raise Http404
    form = AderenteForm(request.POST, user=request.user)
    return esegui(
        request,
        form,
        lambda dati: services.aggiungi_aderente(
            gruppo,
            persona=dati["persona"],
            organizzazione=dati["organizzazione"],
            ruolo=dati["ruolo"],
            dal=dati["dal"],
        ),
        gruppo,
        _("Aderente aggiunto al gruppo."),
    )


@richiede("laboratori.view_laboratorio")
@require_POST
def aderente_esce(request, pk, aderente):
    """A member leaves the group today: the membership is closed, its history stays."""
    gruppo = prendi_laboratorio(request, pk, "laboratori.change_laboratorio")
    membro = get_object_or_404(gruppo.aderenti, pk=aderente, al__isnull=True)
    try:
        services.lascia_gruppo(membro)
    except services.ErroreDominio as errore:
        messages.error(request, str(errore))
    else:
        messages.success(request, _("L'aderente ha lasciato il gruppo: resta nella sua storia."))
    return redirect(gruppo)


class GruppoTematicoCreateView(LaboratorioCreateView):
    """A thematic co-design group started from its pilot group's page: same quartiere,
    the pilot group above it."""

    titolo_pagina = gettext_lazy("Nuovo gruppo tematico")
    messaggio_successo = gettext_lazy("Gruppo tematico creato.")

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and request.user.has_perm(self.permission_required):
            self.pilota = prendi_laboratorio(request, kwargs["pk"], "laboratori.change_laboratorio")
            if self.pilota.tipo != Laboratorio.Tipo.GRUPPO_PILOTA:
                raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get_titolo_pagina(self):
        return _("Nuovo gruppo tematico di %(gruppo)s") % {"gruppo": self.pilota}

    def get_initial(self):
        return {**super().get_initial(), "quartiere": self.pilota.quartiere_id}

    def get_form(self, form_class=None):
        form = super().get_form(form_class)
        form.fields["quartiere"].disabled = True
        form.instance.tipo = Laboratorio.Tipo.GRUPPO_TEMATICO
        form.instance.gruppo_pilota = self.pilota
        return form


# --- Meetings -------------------------------------------------------------------------------


class IncontroCreateView(AccessoMixin, TitoloMixin, _SalvaVersionato, CreateView):
    permission_required = "laboratori.view_laboratorio"
    form_class = IncontroForm
    template_name = "laboratori/form.html"
    messaggio_successo = gettext_lazy("Incontro programmato.")

    def salva(self, form):
        return services.salva_incontro(form)

    def dispatch(self, request, *args, **kwargs):
        # The role check (403) comes before the scoped fetch (404).
        if request.user.has_perm(self.permission_required):
            self.laboratorio = prendi_laboratorio(
                request, kwargs["lab"], "laboratori.change_laboratorio"
            )
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["laboratorio"] = self.laboratorio
        kwargs["instance"] = Incontro(laboratorio=self.laboratorio)
        return kwargs

    def get_titolo_pagina(self):
        return _("Nuovo incontro — %(lab)s") % {"lab": self.laboratorio}

    def get_context_data(self, **kwargs):
        kwargs["annulla_url"] = self.laboratorio.get_absolute_url()
        return super().get_context_data(**kwargs)


class IncontroDetailView(AccessoMixin, TitoloMixin, DetailView):
    permission_required = "laboratori.view_incontro"
    object_permission = "laboratori.view_incontro"
    template_name = "laboratori/incontro_dettaglio.html"

    def get_queryset(self):
        return incontri_di(self.request.user)

    def get_titolo_pagina(self):
        return str(self.object)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        inc = self.object
        ctx["presenze"] = inc.presenze.select_related("persona", "organizzazione").order_by(
            "persona__cognome", "persona__nome", "organizzazione__nome"
        )
        ctx["cifre"] = cifre_presenze(inc.presenze.all())
        ctx["proposte"] = inc.proposte.order_by("-creata_il")
        ctx["puo_modificare"] = self.request.user.has_perm("laboratori.change_incontro", inc)
        if ctx["puo_modificare"]:
            ctx["form_stato"] = StatoIncontroForm(incontro=inc)
        ctx["storia"] = inc.history.select_related("history_user").order_by("-history_date")[:15]
        return ctx


class IncontroUpdateView(AccessoMixin, TitoloMixin, _SalvaVersionato, UpdateView):
    permission_required = "laboratori.view_incontro"
    object_permission = "laboratori.change_incontro"
    form_class = IncontroForm
    template_name = "laboratori/form.html"
    messaggio_successo = gettext_lazy("Incontro salvato.")

    def salva(self, form):
        return services.salva_incontro(form)

    def get_queryset(self):
        return incontri_di(self.request.user)

    def get_titolo_pagina(self):
        return _("Modifica: %(incontro)s") % {"incontro": self.object}


@richiede("laboratori.view_laboratorio")
@require_POST
def incontro_stato(request, pk):
    inc = prendi_incontro(request, pk, "laboratori.change_incontro")
    form = StatoIncontroForm(request.POST, incontro=inc)
    return esegui(
        request,
        form,
        lambda dati: services.cambia_stato_incontro(inc, dati["stato"], da=request.user),
        inc,
        _("Stato dell'incontro aggiornato."),
    )


@richiede("laboratori.view_laboratorio")
def verbale_pdf(request, pk):
    inc = prendi_incontro(request, pk, "laboratori.view_incontro")
    pdf = services.verbale_pdf(inc)
    nome = slugify(f"verbale-{inc.laboratorio.titolo}-{timezone.localtime(inc.inizio):%Y-%m-%d}")
    risposta = HttpResponse(pdf, content_type="application/pdf")
    risposta["Content-Disposition"] = f'inline; filename="{nome}.pdf"'
    risposta["Cache-Control"] = "private, no-store"
    return risposta


# --- Proposals ------------------------------------------------------------------------------


class PropostaCreateView(AccessoMixin, TitoloMixin, _SalvaVersionato, CreateView):
    permission_required = "laboratori.view_laboratorio"
    form_class = PropostaForm
    template_name = "laboratori/form.html"
    messaggio_successo = gettext_lazy("Proposta raccolta.")

    def dispatch(self, request, *args, **kwargs):
        # The role check (403) comes before the scoped fetch (404).
        if request.user.has_perm(self.permission_required):
            self.laboratorio = prendi_laboratorio(
                request, kwargs["lab"], "laboratori.change_laboratorio"
            )
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs.update(
            laboratorio=self.laboratorio,
            user=self.request.user,
            instance=Proposta(laboratorio=self.laboratorio),
        )
        if "incontro" in self.request.GET:
            kwargs.setdefault("initial", {})["incontro"] = self.request.GET["incontro"]
        return kwargs

    def get_titolo_pagina(self):
        return _("Nuova proposta — %(lab)s") % {"lab": self.laboratorio}

    def get_success_url(self):
        return self.laboratorio.get_absolute_url() + "#proposte"

    def get_context_data(self, **kwargs):
        kwargs["annulla_url"] = self.laboratorio.get_absolute_url()
        return super().get_context_data(**kwargs)


class PropostaUpdateView(AccessoMixin, TitoloMixin, _SalvaVersionato, UpdateView):
    permission_required = "laboratori.view_proposta"
    object_permission = "laboratori.change_proposta"
    form_class = PropostaForm
    template_name = "laboratori/form.html"
    messaggio_successo = gettext_lazy("Proposta salvata.")

    def get_queryset(self):
        return proposte_di(self.request.user)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def get_titolo_pagina(self):
        return _("Modifica proposta: %(p)s") % {"p": self.object}

    def get_success_url(self):
        return self.object.laboratorio.get_absolute_url() + "#proposte"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["annulla_url"] = self.object.laboratorio.get_absolute_url()
        ctx["form_stato"] = StatoPropostaForm(proposta=self.object)
        ctx["proposta"] = self.object
        return ctx


@richiede("laboratori.view_laboratorio")
@require_POST
def proposta_stato(request, pk):
    prop = prendi_proposta(request, pk, "laboratori.change_proposta")
    form = StatoPropostaForm(request.POST, proposta=prop)
    esegui(
        request,
        form,
        lambda dati: services.cambia_stato_proposta(
            prop, dati["stato"], da=request.user, esito=dati.get("esito", "")
        ),
        prop.laboratorio,
        _("Stato della proposta aggiornato."),
    )
    return redirect(prop.laboratorio.get_absolute_url() + "#proposte")
