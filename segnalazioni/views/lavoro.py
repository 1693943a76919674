"""Staff pages: the worklist, the report's page and its one-click actions, desk intake,
attachments and receipts. Every object is fetched through ``segnalazioni.rules``."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django.views.generic import DetailView, FormView, UpdateView
from django_filters.views import FilterView

from quartiere.accesso import policy
from quartiere.accesso.mixins import AccessoMixin, ServizioFormMixin, TitoloMixin
from quartiere.lib.errori import ErroreDominio
from quartiere.registro.forms import quartieri_per
from quartiere.registro.models import Persona
from quartiere.registro.rules import scope_registro
from quartiere.registro.services import possibili_doppioni as doppioni_persona
from quartiere.territorio.models import Indirizzo
from segnalazioni import services, visibilita
from segnalazioni.filters import SegnalazioneFilter
from segnalazioni.forms import (
    AllegatiStaffForm,
    AssegnaForm,
    AzioneMassivaForm,
    DuplicatoForm,
    ModificaForm,
    SegnalazioneSportelloForm,
    StatoForm,
    TestoForm,
)
from segnalazioni.models import (
    Allegato,
    Esito,
    Evento,
    InvioEmail,
    Ricevuta,
    Segnalazione,
    Stato,
    normalizza_codice,
)
from segnalazioni.rules import scope_per_segnalazione, scope_segnalazioni

CAMPI_LISTA = (
    "pk",
    "codice",
    "tipo",
    "oggetto",
    "indirizzo",
    "lat",
    "lon",
    "canale",
    "stato",
    "esito",
    "creata_il",
    "scadenza",
    "categoria__nome",
    "categoria__codice",
    "quartiere__nome",
    "assegnata_a__username",
    "assegnata_a__first_name",
    "assegnata_a__last_name",
    "chiusa_il",
)


def segnalazioni_filtrate(request):
    """The filter set over the reports the user may see (list, map and exports)."""
    user = request.user
    queryset = scope_segnalazioni(
        Segnalazione.objects.select_related("categoria", "quartiere", "assegnata_a").only(
            *CAMPI_LISTA
        ),
        user,
    )
    return SegnalazioneFilter(
        request.GET or None, queryset=queryset, user=user, quartieri=quartieri_per(user)
    )


class ListaView(AccessoMixin, TitoloMixin, FilterView):
    permission_required = "segnalazioni.view_segnalazione"
    template_name = "segnalazioni/lavoro/lista.html"
    paginate_by = 25
    titolo_pagina = gettext_lazy("Segnalazioni")
    filterset_class = SegnalazioneFilter

    def get_filterset(self, filterset_class):
        return segnalazioni_filtrate(self.request)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        ctx["puo_lavorare"] = user.has_perm("segnalazioni.add_segnalazione")
        if ctx["puo_lavorare"]:
            ctx["form_massivo"] = AzioneMassivaForm(
                user=user, queryset=scope_segnalazioni(Segnalazione.objects.all(), user)
            )
        ctx["parametri"] = self.request.GET.urlencode()
        return ctx


def _scheda(request, pk, perm="segnalazioni.view_segnalazione", queryset=None):
    queryset = queryset if queryset is not None else Segnalazione.objects.all()
    return policy.get_object_or_404(
        request.user, scope_segnalazioni(queryset, request.user), perm, pk=pk
    )


class DettaglioView(AccessoMixin, TitoloMixin, DetailView):
    permission_required = "segnalazioni.view_segnalazione"
    object_permission = "segnalazioni.view_segnalazione"
    template_name = "segnalazioni/lavoro/dettaglio.html"
    context_object_name = "segnalazione"

    def get_queryset(self):
        return scope_segnalazioni(
            Segnalazione.objects.select_related(
                "categoria__ufficio", "quartiere", "assegnata_a", "persona", "duplicato_di"
            ).prefetch_related(
                Prefetch("eventi", queryset=Evento.objects.select_related("autore")),
                "allegati",
                "email",
                Prefetch("ricevute", queryset=Ricevuta.objects.select_related("emessa_da")),
            ),
            self.request.user,
        )

    def get_titolo_pagina(self):
        return _("Segnalazione %(codice)s") % {"codice": self.object.codice}

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        s, user = self.object, self.request.user
        puo = user.has_perm("segnalazioni.change_segnalazione", s)
        ctx["puo_lavorare"] = puo
        if puo:
            iniziale = {"versione_letta": s.versione}
            ctx["form_stato"] = StatoForm(stato_attuale=s.stato, user=user, initial=iniziale)
            ctx["form_assegna"] = AssegnaForm(
                user=user,
                quartiere_ids=[s.quartiere_id],
                initial={**iniziale, "assegnata_a": s.assegnata_a_id},
            )
            ctx["form_nota"] = TestoForm(prefix="nota")
            ctx["form_risposta"] = TestoForm(prefix="risposta")
            ctx["form_duplicato"] = DuplicatoForm(initial=iniziale)
            ctx["form_allegati"] = AllegatiStaffForm()
        ctx["visibilita_pubblica"] = visibilita.descrivi(s)
        ctx["eventi"] = _cronologia(s.eventi.all())
        ctx["doppioni"] = services.possibili_doppioni(
            scope_segnalazioni(Segnalazione.objects.all(), user),
            categoria_id=s.categoria_id,
            quartiere_id=s.quartiere_id,
            lat=s.lat,
            lon=s.lon,
            indirizzo=s.indirizzo,
            testo=s.oggetto,
            escludi=s.pk,
        )
        ctx["puo_vedere_persona"] = bool(s.persona_id) and user.has_perm(
            "quartiere.view_persona", s.persona
        )
        return ctx


def _etichette(scelte) -> dict:
    return {valore: str(testo) for valore, testo in scelte}


def _cronologia(eventi) -> list[Evento]:
    """The timeline with its labels, dates and authors worked out once per page: a long
    timeline (160 entries) spent most of the detail page's time in ``get_*_display()``,
    which rebuilds the choices and translates on every call, and in the ``date`` filter
    (docs/performance.md, 4.2)."""
    # The same labels as Evento.get_tipo_display(), get_stato_a_display(), get_esito_display().
    tipi = _etichette(Evento._meta.get_field("tipo").flatchoices)
    stati, esiti = _etichette(Stato.choices), _etichette(Esito.choices)
    fuso = timezone.get_current_timezone()
    autori: dict[int, str] = {}
    eventi = list(eventi)
    for e in eventi:
        e.etichetta_tipo = tipi.get(e.tipo, e.tipo)
        e.etichetta_stato_a = stati.get(e.stato_a, e.stato_a)
        e.etichetta_esito = esiti.get(e.esito, e.esito)
        e.quando = e.creato_il.astimezone(fuso).strftime("%d/%m/%Y %H:%M")
        if e.autore_id is None:
            e.chi = ""
        elif e.autore_id not in autori:
            autori[e.autore_id] = e.autore.get_full_name() or e.autore.username
            e.chi = autori[e.autore_id]
        else:
            e.chi = autori[e.autore_id]
    return eventi


def _esegui(request, segnalazione, azione, successo: str):
    try:
        azione()
    except ErroreDominio as errore:
        messages.error(request, str(errore))
    else:
        messages.success(request, successo)
    return redirect(segnalazione)


def _versione(form) -> int | None:
    return form.cleaned_data.get("versione_letta")


@require_POST
@login_required
def cambia_stato(request, pk):
    s = _scheda(request, pk, "segnalazioni.change_segnalazione")
    form = StatoForm(request.POST, stato_attuale=s.stato, user=request.user)
    if not form.is_valid():
        for errori in form.errors.values():
            for errore in errori:
                messages.error(request, errore)
        return redirect(s)
    d = form.cleaned_data
    return _esegui(
        request,
        s,
        lambda: services.cambia_stato(
            s,
            d["stato"],
            da=request.user,
            esito=d["esito"],
            nota=d["nota"],
            versione_letta=_versione(form),
        ),
        _("Stato aggiornato."),
    )


@require_POST
@login_required
def assegna(request, pk):
    s = _scheda(request, pk, "segnalazioni.change_segnalazione")
    form = AssegnaForm(request.POST, user=request.user, quartiere_ids=[s.quartiere_id])
    if not form.is_valid():
        messages.error(request, _("Scegli una persona dell'elenco."))
        return redirect(s)
    return _esegui(
        request,
        s,
        lambda: services.assegna(
            s, form.cleaned_data["assegnata_a"], da=request.user, versione_letta=_versione(form)
        ),
        _("Assegnazione salvata."),
    )


@require_POST
@login_required
def nota(request, pk):
    s = _scheda(request, pk, "segnalazioni.change_segnalazione")
    form = TestoForm(request.POST, prefix="nota")
    testo = form.cleaned_data["testo"] if form.is_valid() else ""
    return _esegui(
        request, s, lambda: services.aggiungi_nota(s, testo, da=request.user), _("Nota aggiunta.")
    )


@require_POST
@login_required
def risposta(request, pk):
    s = _scheda(
        request,
        pk,
        "segnalazioni.change_segnalazione",
        Segnalazione.objects.select_related("persona"),
    )
    form = TestoForm(request.POST, prefix="risposta")
    testo = form.cleaned_data["testo"] if form.is_valid() else ""
    successo = (
        _("Risposta pubblicata e inviata per e-mail al cittadino.")
        if s.email_contatto
        else _("Risposta pubblicata sulla pagina di verifica (il cittadino non ha dato un'e-mail).")
    )
    return _esegui(request, s, lambda: services.rispondi(s, testo, da=request.user), successo)


@require_POST
@login_required
def duplicato(request, pk):
    s = _scheda(request, pk, "segnalazioni.change_segnalazione")
    form = DuplicatoForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Indica il codice della segnalazione originale."))
        return redirect(s)
    codice = normalizza_codice(form.cleaned_data["originale"])
    originale = (
        scope_segnalazioni(Segnalazione.objects.all(), request.user).filter(codice=codice).first()
        if codice
        else None
    )
    if originale is None:
        messages.error(request, _("Nessuna segnalazione con questo codice tra quelle che vedi."))
        return redirect(s)
    return _esegui(
        request,
        s,
        lambda: services.segna_duplicato(
            s, originale, da=request.user, versione_letta=_versione(form)
        ),
        _("Segnata come duplicato e chiusa."),
    )


@require_POST
@login_required
def aggiungi_allegati(request, pk):
    s = _scheda(request, pk, "segnalazioni.change_segnalazione")
    form = AllegatiStaffForm(request.POST, request.FILES)
    if not form.is_valid():
        for errore in form.errors.get("allegati", []):
            messages.error(request, errore)
        return redirect(s)
    return _esegui(
        request,
        s,
        lambda: services.aggiungi_allegati(s, form.cleaned_data["allegati"], da=request.user),
        _("Allegati aggiunti."),
    )


@require_POST
@login_required
def reinvia_email(request, pk, invio_pk):
    s = _scheda(request, pk, "segnalazioni.change_segnalazione")
    invio = policy.get_object_or_404(
        request.user, InvioEmail.objects.filter(segnalazione=s), pk=invio_pk
    )
    return _esegui(
        request,
        s,
        lambda: services.reinvia_email(invio, da=request.user),
        _("L'e-mail è di nuovo in coda."),
    )


@login_required
def allegato(request, pk, allegato_pk):
    """Serve an attachment to staff allowed to see its report, never inline-sniffed."""
    qs = scope_per_segnalazione(Allegato.objects.select_related("segnalazione"), request.user)
    a = policy.get_object_or_404(request.user, qs, pk=allegato_pk, segnalazione_id=pk)
    if not request.user.has_perm("segnalazioni.view_segnalazione", a.segnalazione):
        raise PermissionDenied
    inline = a.immagine and request.GET.get("scarica") != "1"
    risposta = FileResponse(
        a.file.open("rb"),
        content_type=a.tipo_mime,
        as_attachment=not inline,
        filename=a.nome_originale,
    )
    risposta["X-Content-Type-Options"] = "nosniff"
    risposta["Cache-Control"] = "private, no-store"
    risposta["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return risposta


@require_POST
@login_required
def emetti_ricevuta(request, pk):
    # Issuing a receipt writes a record: a change, not a read (the dirigente only reads).
    s = _scheda(
        request,
        pk,
        "segnalazioni.change_segnalazione",
        Segnalazione.objects.select_related("categoria__ufficio", "quartiere", "persona"),
    )
    try:
        ricevuta = services.emetti_ricevuta(s, da=request.user)
    except ErroreDominio as errore:
        messages.error(request, str(errore))
        return redirect(s)
    return redirect("segnalazioni:ricevuta", pk=s.pk, ricevuta_pk=ricevuta.pk)


@login_required
def ricevuta_pdf(request, pk, ricevuta_pk):
    s = _scheda(request, pk)
    ricevuta = policy.get_object_or_404(
        request.user, Ricevuta.objects.filter(segnalazione=s), pk=ricevuta_pk
    )
    risposta = HttpResponse(services.pdf_ricevuta(ricevuta), content_type="application/pdf")
    risposta["Content-Disposition"] = f'inline; filename="ricevuta-{s.codice}.pdf"'
    risposta["X-Content-Type-Options"] = "nosniff"
    return risposta


@method_decorator(require_POST, name="dispatch")
class AzioneMassivaView(AccessoMixin, FormView):
    permission_required = "segnalazioni.add_segnalazione"
    form_class = AzioneMassivaForm

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        user = self.request.user
        kwargs.update(
            user=user,
            queryset=scope_segnalazioni(Segnalazione.objects.select_related("quartiere"), user),
        )
        return kwargs

    def _ritorno(self):
        parametri = self.request.POST.get("parametri", "")
        return redirect(
            f"{reverse('segnalazioni:lista')}?{parametri}" if parametri else "segnalazioni:lista"
        )

    def form_invalid(self, form):
        for errori in form.errors.values():
            for errore in errori:
                messages.error(self.request, errore)
        return self._ritorno()

    def form_valid(self, form):
        d, user = form.cleaned_data, self.request.user
        riuscite, errori = 0, []
        for s in d["selezionate"]:
            try:
                if d["azione"] == "assegna":
                    services.assegna(s, d["assegnata_a"], da=user)
                else:
                    services.cambia_stato(s, d["stato"], da=user, esito=d.get("esito", ""))
            except ErroreDominio as errore:
                errori.append(f"{s.codice}: {errore}")
            else:
                riuscite += 1
        if riuscite:
            messages.success(
                self.request, _("Operazione eseguita su %(n)s segnalazioni.") % {"n": riuscite}
            )
        for errore in errori[:10]:
            messages.error(self.request, errore)
        return self._ritorno()


class SportelloView(AccessoMixin, TitoloMixin, ServizioFormMixin, FormView):
    """Desk intake: a walk-in, phone or e-mail request logged on behalf of a citizen."""

    permission_required = "segnalazioni.add_segnalazione"
    form_class = SegnalazioneSportelloForm
    template_name = "segnalazioni/lavoro/sportello.html"
    titolo_pagina = gettext_lazy("Nuova segnalazione allo sportello")

    def persone(self):
        return scope_registro(Persona.objects.select_related("quartiere"), self.request.user)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["user"] = self.request.user
        persona_id = self.request.GET.get("persona")
        if persona_id and self.request.method == "GET":
            kwargs["initial"] = {"persona": persona_id}
        return kwargs

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        q = self.request.GET.get("q", "").strip()[:100]
        ctx["q"] = q
        ctx["risultati_persone"] = list(self.persone().cerca(q)[:15]) if len(q) >= 2 else None
        form = ctx["form"]
        persona_id = form["persona"].value()
        ctx["persona_scelta"] = None
        if persona_id:
            ctx["persona_scelta"] = (
                self.persone().filter(pk=str(persona_id)).first()
                if str(persona_id).isdigit()
                else None
            )
        ctx["LEAFLET_CONFIG"] = settings.LEAFLET_CONFIG
        # The street register's suggestions as the operator types (JavaScript only: the
        # desk's form has no step to come back to with the addresses found).
        ctx["cerca_indirizzi"] = Indirizzo.objects.exists()
        return ctx

    def form_valid(self, form):
        user = self.request.user
        nuova = form.nuova_persona()
        if nuova is not None and not form.cleaned_data.get("conferma_non_doppione"):
            doppioni = list(
                doppioni_persona(
                    nome=nuova.nome,
                    cognome=nuova.cognome,
                    email=nuova.email,
                    telefono=nuova.telefono,
                    codice_fiscale=nuova.codice_fiscale,
                    queryset=self.persone(),
                )[:10]
            )
            if doppioni:
                form.doppioni = doppioni
                messages.warning(
                    self.request,
                    _("Attenzione: esistono già persone simili. Controlla prima di salvare."),
                )
                return self.form_invalid(form)
        return self.esegui_servizio(
            form,
            lambda: services.crea_allo_sportello(
                dati=form.dati_segnalazione(),
                nuova_persona=nuova,
                allegati=form.cleaned_data["allegati"],
                da=user,
            ),
            successo=lambda s: (
                _(
                    "Segnalazione registrata con il codice %(codice)s. "
                    "Stampa la ricevuta per il cittadino."
                )
                % {"codice": s.codice}
            ),
        )


@login_required
def doppioni_json(request):
    """Possible duplicates of a report being filed (the desk form asks while typing)."""
    from django.http import JsonResponse

    if not request.user.has_perm("segnalazioni.add_segnalazione"):
        raise PermissionDenied
    g = request.GET

    def _numero(nome):
        try:
            return float(g.get(nome, ""))
        except ValueError:
            return None

    categoria = g.get("categoria", "")
    quartiere = g.get("quartiere", "")
    trovati = services.possibili_doppioni(
        scope_segnalazioni(Segnalazione.objects.all(), request.user),
        categoria_id=int(categoria) if categoria.isdigit() else None,
        quartiere_id=int(quartiere) if quartiere.isdigit() else None,
        lat=_numero("lat"),
        lon=_numero("lon"),
        indirizzo=g.get("indirizzo", "")[:200],
        testo=g.get("oggetto", "")[:200],
    )
    return JsonResponse(
        {
            "risultati": [
                {
                    "codice": s.codice,
                    "oggetto": s.oggetto,
                    "stato": str(s.get_stato_display()),
                    "motivo": str(s.motivo_doppione),
                    "url": s.get_absolute_url(),
                }
                for s in trovati
            ]
        }
    )


class MappaView(AccessoMixin, TitoloMixin, FilterView):
    permission_required = "segnalazioni.view_segnalazione"
    template_name = "segnalazioni/lavoro/mappa.html"
    titolo_pagina = gettext_lazy("Mappa delle segnalazioni")
    filterset_class = SegnalazioneFilter

    def get_filterset(self, filterset_class):
        return segnalazioni_filtrate(self.request)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["object_list"] = None  # the map loads the points from the GeoJSON export
        ctx["parametri"] = self.request.GET.urlencode()
        ctx["LEAFLET_CONFIG"] = settings.LEAFLET_CONFIG
        ctx["stati"] = Stato.choices
        return ctx


class ModificaView(AccessoMixin, TitoloMixin, ServizioFormMixin, UpdateView):
    permission_required = "segnalazioni.view_segnalazione"
    object_permission = "segnalazioni.change_segnalazione"
    form_class = ModificaForm
    template_name = "segnalazioni/lavoro/modifica.html"
    context_object_name = "segnalazione"

    def get_queryset(self):
        return scope_segnalazioni(Segnalazione.objects.all(), self.request.user)

    def get_titolo_pagina(self):
        return _("Modifica: %(codice)s") % {"codice": self.object.codice}

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["user"] = self.request.user
        return kwargs

    def get_context_data(self, **kwargs):
        kwargs["LEAFLET_CONFIG"] = settings.LEAFLET_CONFIG
        return super().get_context_data(**kwargs)

    def form_valid(self, form):
        def salva():
            self.object = services.modifica(form, da=self.request.user)
            return self.object

        return self.esegui_servizio(form, salva, successo=_("Dati della segnalazione salvati."))
