"""Staff pages of housing: the buildings with their flats by staircase and floor, the
households, and the steps of an assignment (pre-assignment, assignment, entry, exit)."""

from __future__ import annotations

import datetime
import mimetypes
from itertools import groupby

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db.models import Count, F, Prefetch, Q
from django.db.models.functions import Coalesce
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import (
    CreateView,
    DetailView,
    FormView,
    ListView,
    TemplateView,
    UpdateView,
    View,
)

from abitare import rules as regole
from abitare import services
from abitare.forms import (
    AzioneForm,
    ContattoForm,
    MisuraForm,
    NotaRiservataForm,
    PassoForm,
    PercorsoForm,
    PreAssegnaForm,
    ProblemaForm,
    SpostamentoForm,
    VerificaMisuraForm,
)
from abitare.models import (
    STATI_CORRENTI,
    STATI_LIBERI,
    Alloggio,
    Assegnazione,
    AzioneComunicazione,
    Componente,
    Contatto,
    GruppoTarget,
    Immobile,
    Misura,
    Nucleo,
    Obiettivo,
    Percorso,
    Spazio,
    Spostamento,
    StatoAlloggio,
    StatoAssegnazione,
    Turno,
)
from abitare.rules import scope_abitare
from quartiere.accesso import policy
from quartiere.accesso.mixins import AccessoMixin, ServizioFormMixin, TitoloMixin
from quartiere.lib.errori import ErroreDominio
from segnalazioni.models import STATI_APERTI

#: The measures listed as due: those to check within this many days, and the overdue.
ORIZZONTE_VERIFICHE = 14
MAX_VERIFICHE = 100

#: The contacts a household's page lists, newest first (the week view has them all).
ULTIMI_CONTATTI = 20


def _problemi(queryset):
    """Problems with their report (state, dates, outcome), newest first."""
    return queryset.select_related("segnalazione", "alloggio").order_by(
        "-segnalazione__creata_il", "-pk"
    )


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
    # The pre-assignment's choice of household: the waiting households of the building's
    # quartiere, or those whose name matches ``?nucleo=``, at most this many. Every waiting
    # household of the city in one <select> made the page grow with the data (0.3 s at
    # scale 2, docs/performance.md); the POST still accepts any household in scope.
    NUCLEI_PROPOSTI = 30

    def get_queryset(self):
        ospiti = Prefetch(
            "spostamenti_ospitati",
            queryset=Spostamento.objects.filter(rientrato_il__isnull=True).select_related("nucleo"),
            to_attr="ospiti",
        )
        alloggi = Alloggio.objects.prefetch_related(_correnti("nucleo"), ospiti).order_by(
            "scala", "-piano", "codice"
        )
        qs = Immobile.objects.select_related(
            "quartiere", "gestore", "categoria_problemi__ufficio"
        ).prefetch_related(
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
        oggi = timezone.localdate()
        regole = services.regole_in_vigore(self.object, oggi)
        ctx["regole"] = regole
        if regole is not None:
            abitanti = Assegnazione.objects.filter(
                alloggio__immobile=self.object, stato=StatoAssegnazione.ABITATA
            )
            ctx["abitanti"] = abitanti.count()
            ctx["aderenti"] = abitanti.filter(nucleo__adesioni__regolamento=regole).count()
        ctx["gruppi"] = self.object.gruppi.prefetch_related(
            Prefetch("nuclei", queryset=Nucleo.objects.only("pk", "nome")),
            Prefetch(
                "turni",
                queryset=Turno.objects.filter(al__gte=oggi).select_related("nucleo"),
                to_attr="prossimi_turni",
            ),
        )
        ctx["problemi_aperti"] = _problemi(
            self.object.problemi.filter(segnalazione__stato__in=STATI_APERTI)
        )
        ctx["puo_segnalare"] = utente.has_perm(
            "abitare.change_immobile", self.object
        ) and utente.has_perm("segnalazioni.add_segnalazione")
        ctx["puo_assegnare"] = utente.has_perm("abitare.add_assegnazione", self.object)
        if ctx["puo_assegnare"]:
            ctx["liberi"] = any(a.stato in STATI_LIBERI for a in alloggi)
            ctx.update(self._nuclei_proposti(utente))
        return ctx

    def _nuclei_proposti(self, utente) -> dict:
        cerca = self.request.GET.get("nucleo", "").strip()[:100]
        in_attesa = scope_abitare(Nucleo.objects.all(), utente).exclude(
            assegnazioni__stato__in=STATI_CORRENTI
        )
        if len(cerca) >= 2:
            in_attesa = in_attesa.filter(nome__icontains=cerca)
        else:
            cerca = ""
            in_attesa = in_attesa.filter(quartiere=self.object.quartiere_id)
        proposti = list(
            in_attesa.order_by("nome", "pk").values_list("pk", flat=True)[
                : self.NUCLEI_PROPOSTI + 1
            ]
        )
        return {
            "form_pre_assegna": PreAssegnaForm(
                immobile=self.object,
                nuclei=Nucleo.objects.filter(pk__in=proposti[: self.NUCLEI_PROPOSTI]).order_by(
                    "nome", "pk"
                ),
            ),
            "cerca_nucleo": cerca,
            "nuclei_altri": len(proposti) > self.NUCLEI_PROPOSTI,
            "nuclei_massimo": self.NUCLEI_PROPOSTI,
        }


class InAttesaView(AccessoMixin, TitoloMixin, ListView):
    """The assignments still waiting for their next step: pre-assigned flats to confirm,
    assigned flats whose household has not moved in yet, oldest first."""

    permission_required = "abitare.view_assegnazione"
    template_name = "abitare/in_attesa.html"
    paginate_by = 50
    titolo_pagina = gettext_lazy("Ingressi e verifiche in scadenza")

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
        # The measures to check within the horizon, overdue ones first: the first page only.
        entro = oggi + datetime.timedelta(days=ORIZZONTE_VERIFICHE)
        misure = scope_abitare(
            Misura.objects.filter(verificata_il__isnull=True, verifica_il__lte=entro)
            .select_related("nucleo")
            .order_by("verifica_il", "pk"),
            self.request.user,
        )
        ctx["verifiche"] = list(misure[:MAX_VERIFICHE])
        rientri = scope_abitare(
            Spostamento.objects.filter(rientrato_il__isnull=True)
            .select_related("nucleo", "da_alloggio__immobile", "a_alloggio__immobile")
            .order_by(F("rientro_previsto_il").asc(nulls_last=True), "uscita_il", "pk"),
            self.request.user,
        )
        ctx["rientri"] = list(rientri[:MAX_VERIFICHE])
        ctx["oggi"], ctx["orizzonte"] = oggi, ORIZZONTE_VERIFICHE
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
        nucleo, utente = self.object, self.request.user
        percorso = Percorso.objects.filter(nucleo=nucleo).prefetch_related("operatori").first()
        # The rule on confidential notes reads the assigned operators from here.
        nucleo._operatori_ids = {u.pk for u in percorso.operatori.all()} if percorso else set()
        ctx["percorso"] = percorso
        ctx["misure"] = nucleo.misure.order_by(
            F("verificata_il").desc(nulls_first=True), "verifica_il", "pk"
        )
        ctx["contatti"] = nucleo.contatti.select_related("operatore")[:ULTIMI_CONTATTI]
        ctx["ultimi_contatti"] = ULTIMI_CONTATTI
        ctx["puo_modificare"] = utente.has_perm("abitare.change_nucleo", nucleo)
        ctx["problemi"] = _problemi(nucleo.problemi.all())
        ctx["adesioni"] = list(nucleo.adesioni.select_related("regolamento__immobile"))
        ctx["gruppi_del_nucleo"] = list(nucleo.gruppi_autogestione.select_related("immobile"))
        ctx["spostamenti"] = list(
            nucleo.spostamenti.select_related("da_alloggio__immobile", "a_alloggio__immobile")
        )
        ctx["spostamento_in_corso"] = next((s for s in ctx["spostamenti"] if s.in_corso), None)
        ctx["puo_segnalare"] = (
            ctx["puo_modificare"]
            and utente.has_perm("segnalazioni.add_segnalazione")
            and any(a.stato in STATI_CORRENTI for a in nucleo.assegnazioni.all())
        )
        ctx["puo_leggere_riservate"] = regole.legge_note_riservate(utente, nucleo)
        if ctx["puo_modificare"]:
            ctx["form_contatto"] = ContattoForm()
        ctx["oggi"] = timezone.localdate()
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


class _PassoDatato(AccessoMixin, View):
    """POST on a housing record with a date (``il``): the record is fetched in the user's
    quartieri under ``permesso`` (outside: 404; not allowed: 403), :meth:`esegui` runs the
    service, a refusal of the domain comes back as a message, and the page is the
    household's."""

    http_method_names = ["post"]
    permesso = ""

    def get_queryset(self):
        raise NotImplementedError

    def esegui(self, oggetto, form: PassoForm, **kwargs) -> str:
        """Run the step; return the success message."""
        raise NotImplementedError

    @staticmethod
    def data(form: PassoForm):
        if not form.is_valid():
            raise ErroreDominio(_("Indica una data valida."))
        return form.cleaned_data["il"]

    def post(self, request, pk, **kwargs):
        oggetto = policy.get_object_or_404(
            request.user, scope_abitare(self.get_queryset(), request.user), self.permesso, pk=pk
        )
        try:
            messaggio = self.esegui(oggetto, PassoForm(request.POST), **kwargs)
        except ErroreDominio as errore:
            messages.error(request, str(errore))
        else:
            messages.success(request, messaggio)
        return redirect(oggetto if isinstance(oggetto, Nucleo) else oggetto.nucleo)


class AvanzaView(_PassoDatato):
    """POST on an assignment: the next step (assegna, ingresso, uscita) or its cancellation."""

    permission_required = "abitare.view_assegnazione"
    permesso = "abitare.change_assegnazione"

    def get_queryset(self):
        return Assegnazione.objects.select_related("alloggio__immobile", "nucleo")

    def esegui(self, assegnazione, form, passo):
        if passo == "annulla":
            services.annulla(assegnazione, motivo=self.request.POST.get("motivo", "")[:500])
        elif passo in services.PASSI:
            services.avanza(assegnazione, passo, il=self.data(form))
        else:
            raise ErroreDominio(_("Indica una data valida."))
        return _("Assegnazione aggiornata.")


def _operatori_assegnabili(nucleo: Nucleo):
    """The operators who work in the household's quartiere, for its accompaniment."""
    return (
        get_user_model()
        .objects.filter(
            is_active=True,
            groups__name=policy.OPERATORE,
            profilo__quartieri=nucleo.quartiere_id,
        )
        .distinct()
        .order_by("last_name", "first_name", "username")
    )


class _SulNucleo(AccessoMixin, TitoloMixin, ServizioFormMixin, FormView):
    """A form page about one household of the user's quartieri: ``permesso`` on the
    household decides (outside the quartieri: 404)."""

    permission_required = "abitare.view_nucleo"
    permesso = "abitare.change_nucleo"
    template_name = "abitare/modulo.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.has_perm(self.permission_required):
            self.nucleo = policy.get_object_or_404(
                request.user,
                scope_abitare(Nucleo.objects.select_related("quartiere"), request.user),
                self.permesso,
                pk=kwargs["pk"],
            )
            self.controlla(request.user, self.nucleo)
        return super().dispatch(request, *args, **kwargs)

    def controlla(self, utente, nucleo) -> None:
        """A further check on the household, beyond ``permesso`` (raise to refuse)."""

    def get_context_data(self, **kwargs):
        kwargs.setdefault("nucleo", self.nucleo)
        return super().get_context_data(**kwargs)

    def get_success_url(self):
        return self.nucleo.get_absolute_url()


class PercorsoView(_SulNucleo):
    """Start or change a household's accompaniment: level, needs, assigned operators."""

    form_class = PercorsoForm

    def get_titolo_pagina(self):
        return _("Percorso di accompagnamento di %(nucleo)s") % {"nucleo": self.nucleo}

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        percorso = Percorso.objects.filter(nucleo=self.nucleo).first()
        kwargs["instance"] = percorso or Percorso(nucleo=self.nucleo)
        kwargs["operatori"] = _operatori_assegnabili(self.nucleo)
        return kwargs

    def form_valid(self, form):
        return self.salva_con_versione(
            form, successo=_("Percorso salvato."), destinazione=self.get_success_url()
        )


class MisuraView(_SulNucleo):
    """A targeted measure agreed with another service, with its follow-up date."""

    form_class = MisuraForm

    def get_titolo_pagina(self):
        return _("Nuova misura per %(nucleo)s") % {"nucleo": self.nucleo}

    def form_valid(self, form):
        form.instance.nucleo = self.nucleo
        return self.esegui_servizio(
            form,
            form.save,
            successo=_("Misura registrata."),
            destinazione=self.get_success_url(),
        )


class VerificaMisuraView(_SulNucleo):
    """The follow-up of a measure: when it was checked and how it went."""

    form_class = VerificaMisuraForm

    def controlla(self, utente, nucleo) -> None:
        self.misura = get_object_or_404(Misura, pk=self.kwargs["misura"], nucleo=nucleo)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = self.misura
        return kwargs

    def get_titolo_pagina(self):
        return _("Verifica della misura «%(misura)s»") % {"misura": self.misura}

    def form_valid(self, form):
        return self.salva_con_versione(
            form, successo=_("Verifica registrata."), destinazione=self.get_success_url()
        )


class ContattoView(_SulNucleo):
    """One contact with the household, by the operator who had it."""

    form_class = ContattoForm

    def get_titolo_pagina(self):
        return _("Nuovo contatto con %(nucleo)s") % {"nucleo": self.nucleo}

    def form_valid(self, form):
        form.instance.nucleo = self.nucleo
        form.instance.operatore = self.request.user
        return self.esegui_servizio(
            form,
            form.save,
            successo=_("Contatto registrato."),
            destinazione=self.get_success_url(),
        )


class NoteRiservateView(_SulNucleo):
    """The household's confidential notes (fragility, arrears prevention): only its
    assigned operators and the coordinators, and every opening of this page is logged."""

    permesso = "abitare.view_nucleo"
    form_class = NotaRiservataForm
    template_name = "abitare/note_riservate.html"

    def controlla(self, utente, nucleo) -> None:
        if not regole.legge_note_riservate(utente, nucleo):
            raise PermissionDenied

    def get_titolo_pagina(self):
        return _("Note riservate di %(nucleo)s") % {"nucleo": self.nucleo}

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["note"] = services.leggi_note(
            self.nucleo, utente=self.request.user, request=self.request
        )
        return ctx

    def form_valid(self, form):
        dati = form.cleaned_data
        return self.esegui_servizio(
            form,
            lambda: services.scrivi_nota(
                self.nucleo,
                tipo=dati["tipo"],
                testo=dati["testo"],
                utente=self.request.user,
                request=self.request,
            ),
            successo=_("Nota riservata salvata."),
            destinazione=reverse("abitare:note_riservate", args=[self.nucleo.pk]),
        )


class ContattiSettimanaView(AccessoMixin, TitoloMixin, TemplateView):
    """The contacts of one week (ISO week, ``?settimana=2026-W49``), day by day, in the
    user's quartieri; ``?miei=1`` keeps the user's own."""

    permission_required = "abitare.view_contatto"
    template_name = "abitare/contatti_settimana.html"
    titolo_pagina = gettext_lazy("Contatti della settimana")

    def _lunedi(self) -> datetime.date:
        richiesta = self.request.GET.get("settimana", "")
        try:
            return datetime.datetime.strptime(f"{richiesta}-1", "%G-W%V-%u").date()
        except ValueError:
            oggi = timezone.localdate()
            return oggi - datetime.timedelta(days=oggi.weekday())

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        lunedi = self._lunedi()
        domenica = lunedi + datetime.timedelta(days=6)
        miei = self.request.GET.get("miei") == "1"
        qs = Contatto.objects.filter(il__range=(lunedi, domenica)).select_related(
            "nucleo", "operatore"
        )
        if miei:
            qs = qs.filter(operatore=self.request.user)
        contatti = list(scope_abitare(qs, self.request.user).order_by("il", "alle", "pk"))
        per_giorno = {g: list(r) for g, r in groupby(contatti, key=lambda c: c.il)}
        ctx["giorni"] = [
            (
                lunedi + datetime.timedelta(days=i),
                per_giorno.get(lunedi + datetime.timedelta(days=i), []),
            )
            for i in range(7)
        ]
        ctx["totale"] = len(contatti)
        ctx["miei"] = miei
        settimana = lambda giorno: giorno.strftime("%G-W%V")  # noqa: E731
        ctx["settimana"] = settimana(lunedi)
        ctx["precedente"] = settimana(lunedi - datetime.timedelta(days=7))
        ctx["successiva"] = settimana(lunedi + datetime.timedelta(days=7))
        ctx["lunedi"], ctx["domenica"] = lunedi, domenica
        return ctx


class _SegnalaProblema(ServizioFormMixin):
    """The form that files a problem for the gestore (abitare.services.segnala_al_gestore)."""

    form_class = ProblemaForm
    template_name = "abitare/problema.html"

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs.update(immobile=self.immobile, alloggio=self.alloggio)
        kwargs["con_consenso"] = self.nucleo is not None
        return kwargs

    def get_context_data(self, **kwargs):
        kwargs.setdefault("immobile", self.immobile)
        kwargs.setdefault("indietro", self.get_success_url())
        return super().get_context_data(**kwargs)

    def form_valid(self, form):
        dati = form.cleaned_data
        return self.esegui_servizio(
            form,
            lambda: services.segnala_al_gestore(
                self.immobile,
                alloggio=dati["alloggio"],
                nucleo=self.nucleo,
                ambito=dati["ambito"],
                oggetto=dati["oggetto"],
                descrizione=dati["descrizione"],
                canale=dati["canale"],
                da=self.request.user,
            ),
            successo=lambda p: (
                _("Segnalazione %(codice)s inoltrata al gestore (%(ufficio)s).")
                % {"codice": p.segnalazione.codice, "ufficio": p.segnalazione.categoria.ufficio}
            ),
            destinazione=self.get_success_url(),
        )


class ProblemaNucleoView(_SegnalaProblema, _SulNucleo):
    """A problem of the household's flat, forwarded to the gestore."""

    def controlla(self, utente, nucleo) -> None:
        if not utente.has_perm("segnalazioni.add_segnalazione"):
            raise PermissionDenied
        corrente = (
            nucleo.assegnazioni.filter(stato__in=STATI_CORRENTI)
            .select_related("alloggio__immobile__categoria_problemi__ufficio")
            .first()
        )
        if corrente is None:
            raise Http404(_("Il nucleo non ha un alloggio."))
        self.alloggio = corrente.alloggio
        self.immobile = corrente.alloggio.immobile

    def get_titolo_pagina(self):
        return _("Problema dell'alloggio di %(nucleo)s") % {"nucleo": self.nucleo}


class ProblemaImmobileView(AccessoMixin, TitoloMixin, _SegnalaProblema, FormView):
    """A problem of the building (its common parts or a flat), forwarded to the gestore."""

    permission_required = "segnalazioni.add_segnalazione"
    nucleo = None
    alloggio = None

    def dispatch(self, request, *args, **kwargs):
        if request.user.has_perm(self.permission_required):
            self.immobile = policy.get_object_or_404(
                request.user,
                scope_abitare(
                    Immobile.objects.select_related("categoria_problemi__ufficio"), request.user
                ),
                "abitare.change_immobile",
                pk=kwargs["pk"],
            )
        return super().dispatch(request, *args, **kwargs)

    def get_titolo_pagina(self):
        return _("Problema di %(immobile)s") % {"immobile": self.immobile}

    def get_success_url(self):
        return self.immobile.get_absolute_url()


class PianoView(AccessoMixin, TitoloMixin, ListView):
    """The assignment plan: for each building, the flats each target group should get and
    where its households stand (pre-assigned, assigned, moved in), with the progress. One
    aggregate over the page's buildings, whatever their number of flats."""

    permission_required = "abitare.view_obiettivo"
    template_name = "abitare/piano.html"
    paginate_by = 10
    titolo_pagina = gettext_lazy("Piano di assegnazione")

    def get_queryset(self):
        qs = Immobile.objects.select_related("quartiere").order_by("quartiere__nome", "nome", "pk")
        return scope_abitare(qs, self.request.user)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        immobili = list(ctx["object_list"])
        ids = [i.pk for i in immobili]
        obiettivi = {
            (o.immobile_id, o.gruppo_target): o.alloggi
            for o in Obiettivo.objects.filter(immobile__in=ids)
        }
        conteggi = {
            (r["alloggio__immobile"], r["nucleo__gruppo_target"]): r
            for r in Assegnazione.objects.filter(alloggio__immobile__in=ids)
            .values("alloggio__immobile", "nucleo__gruppo_target")
            .annotate(
                pre=Count("pk", filter=Q(stato=StatoAssegnazione.PRE_ASSEGNATA)),
                assegnati=Count("pk", filter=Q(stato=StatoAssegnazione.ASSEGNATA)),
                entrati=Count("pk", filter=Q(stato=StatoAssegnazione.ABITATA)),
            )
        }
        for immobile in immobili:
            righe = []
            for gruppo, etichetta in GruppoTarget.choices:
                obiettivo = obiettivi.get((immobile.pk, gruppo))
                c = conteggi.get((immobile.pk, gruppo), {})
                if obiettivo is None and not c:
                    continue
                entrati = c.get("entrati", 0)
                righe.append(
                    {
                        "gruppo": etichetta,
                        "obiettivo": obiettivo,
                        "pre": c.get("pre", 0),
                        "assegnati": c.get("assegnati", 0),
                        "entrati": entrati,
                        "percentuale": min(100, round(100 * entrati / obiettivo))
                        if obiettivo
                        else None,
                    }
                )
            immobile.righe_piano = righe
            immobile.totale_obiettivo = sum(r["obiettivo"] or 0 for r in righe)
            immobile.totale_entrati = sum(r["entrati"] for r in righe)
        return ctx


class SpostamentoView(_SulNucleo):
    """Move a household to a temporary flat during works."""

    form_class = SpostamentoForm

    def get_titolo_pagina(self):
        return _("Spostamento temporaneo di %(nucleo)s") % {"nucleo": self.nucleo}

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "nucleo": self.nucleo}

    def form_valid(self, form):
        dati = form.cleaned_data
        return self.esegui_servizio(
            form,
            lambda: services.sposta(
                self.nucleo,
                da=dati["da_alloggio"],
                a=dati["a_alloggio"],
                il=dati["il"],
                rientro_previsto=dati["rientro_previsto"],
                note=dati["note"],
            ),
            successo=_("Spostamento registrato."),
            destinazione=self.get_success_url(),
        )


class RientroView(_PassoDatato):
    """POST on a move in progress: the household is back in its flat on the given date."""

    permission_required = "abitare.view_spostamento"
    permesso = "abitare.change_spostamento"

    def get_queryset(self):
        return Spostamento.objects.select_related("nucleo")

    def esegui(self, spostamento, form):
        services.rientra(spostamento, il=self.data(form))
        return _("Rientro registrato.")


class RegoleView(AccessoMixin, TitoloMixin, DetailView):
    """A building's shared rules: the version in force, the drafts and the earlier ones,
    with where they were discussed and how many households living there adhered."""

    permission_required = "abitare.view_regolamento"
    object_permission = "abitare.view_immobile"
    template_name = "abitare/regole.html"

    def get_queryset(self):
        return scope_abitare(Immobile.objects.select_related("quartiere"), self.request.user)

    def get_titolo_pagina(self):
        return _("Regole condivise di %(immobile)s") % {"immobile": self.object.nome}

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["versioni"] = self.object.regolamenti.annotate(
            n_adesioni=Count("adesioni")
        ).prefetch_related("incontri")
        ctx["in_vigore"] = services.regole_in_vigore(self.object, timezone.localdate())
        return ctx


class AderisciView(_PassoDatato):
    """POST on a household: its adhesion to the rules in force in its building."""

    permission_required = "abitare.view_nucleo"
    permesso = "abitare.add_adesione"

    def get_queryset(self):
        return Nucleo.objects.all()

    def esegui(self, nucleo, form):
        adesione = services.aderisci(nucleo, il=self.data(form))
        return _("Adesione registrata: %(regole)s.") % {"regole": adesione.regolamento}


class ComunicazioneView(AccessoMixin, TitoloMixin, ListView):
    """The communication plan of the buildings in the user's quartieri: upcoming actions
    first, then the past ones; ``?immobile=<pk>`` keeps one building."""

    permission_required = "abitare.view_azionecomunicazione"
    template_name = "abitare/comunicazione.html"
    paginate_by = 50
    titolo_pagina = gettext_lazy("Piano di comunicazione")

    def get_queryset(self):
        qs = AzioneComunicazione.objects.select_related("immobile__quartiere").order_by(
            "-data", "-pk"
        )
        immobile = self.request.GET.get("immobile", "")
        if immobile.isdigit():
            qs = qs.filter(immobile=immobile)
        return scope_abitare(qs, self.request.user)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["oggi"] = timezone.localdate()
        ctx["puo_aggiungere"] = self.request.user.has_perm("abitare.add_azionecomunicazione")
        return ctx


class _AzioneMixin(AccessoMixin, TitoloMixin, ServizioFormMixin):
    form_class = AzioneForm
    template_name = "abitare/azione_form.html"
    success_url = reverse_lazy("abitare:comunicazione")

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["immobili"] = scope_abitare(Immobile.objects.all(), self.request.user)
        return kwargs

    def form_valid(self, form):
        return self.salva_con_versione(
            form, successo=_("Azione salvata."), destinazione=self.success_url
        )


class AzioneCreaView(_AzioneMixin, CreateView):
    permission_required = "abitare.add_azionecomunicazione"
    titolo_pagina = gettext_lazy("Nuova azione di comunicazione")

    def get_initial(self):
        immobile = self.request.GET.get("immobile", "")
        return {"immobile": immobile} if immobile.isdigit() else {}


class AzioneModificaView(_AzioneMixin, UpdateView):
    permission_required = "abitare.view_azionecomunicazione"
    object_permission = "abitare.change_azionecomunicazione"

    def get_queryset(self):
        return scope_abitare(AzioneComunicazione.objects.all(), self.request.user)

    def get_titolo_pagina(self):
        return self.object.titolo


def _servi_materiale(azione) -> FileResponse:
    if not azione.materiale:
        raise Http404
    mime = mimetypes.guess_type(azione.materiale.name)[0] or "application/octet-stream"
    risposta = FileResponse(
        azione.materiale.open("rb"),
        content_type=mime,
        as_attachment=not mime.startswith("image/"),
        filename=azione.materiale.name.rsplit("/", 1)[-1],
    )
    risposta["X-Content-Type-Options"] = "nosniff"
    risposta["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return risposta


class MaterialeView(AccessoMixin, View):
    """The material of an action, for the staff of its quartiere."""

    permission_required = "abitare.view_azionecomunicazione"

    def get(self, request, pk):
        azione = policy.get_object_or_404(
            request.user,
            scope_abitare(AzioneComunicazione.objects.all(), request.user),
            "abitare.view_azionecomunicazione",
            pk=pk,
        )
        risposta = _servi_materiale(azione)
        risposta["Cache-Control"] = "private, no-store"
        return risposta


def materiale_pubblico(request, pk):
    """The material of a public action, for anyone: the others do not exist here."""
    azione = get_object_or_404(AzioneComunicazione, pk=pk, pubblica=True)
    return _servi_materiale(azione)
