"""The hall calendar: staff month/week/list views and decisions, the public calendar, the
iCalendar feeds and the public request form."""

from __future__ import annotations

import hashlib
from datetime import date, timedelta

from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.generic import DetailView, FormView, TemplateView

from quartiere.accesso import limiti, policy
from quartiere.accesso.mixins import AccessoMixin, TitoloMixin
from quartiere.calendario import eventi as cal
from quartiere.calendario.forms import MotivoForm, PrenotazioneForm, RichiestaSalaForm
from quartiere.calendario.models import Prenotazione
from quartiere.calendario.periodi import data_da_parametro, lunedi_di
from quartiere.calendario.rules import scope_prenotazioni, scope_sedi
from quartiere.calendario.services import (
    annulla_prenotazione,
    conferma_prenotazione,
    crea_prenotazione,
    descrivi_conflitto,
    prenotazioni_in_attesa,
    richiedi_sala,
    rifiuta_prenotazione,
    trova_conflitto,
)
from quartiere.lib.errori import ErroreDominio
from quartiere.territorio.models import OrarioApertura, Quartiere, Sede

VISTE = ("mese", "settimana", "elenco")
GIORNI_ELENCO = 60


def _orari():
    return Prefetch("orari", queryset=OrarioApertura.objects.order_by("giorno", "apre"))


def _mese_da_parametro(valore: str | None, oggi: date) -> tuple[int, int]:
    try:
        anno, mese = (int(x) for x in (valore or "").split("-"))
        if 1 <= mese <= 12 and 1900 < anno < 3000:
            return anno, mese
    except ValueError:
        pass
    return oggi.year, oggi.month


def contesto_periodo(request, carica_eventi, orari=()) -> dict:
    """The period asked for in the query string, laid out as month, week or list.

    ``carica_eventi(dal, al)`` returns the events of the period (two queries).
    """
    vista = request.GET.get("vista")
    vista = vista if vista in VISTE else "mese"
    oggi = timezone.localdate()
    ctx: dict = {"vista": vista, "nomi_giorni": cal.nomi_giorni()}
    if vista == "mese":
        anno, mese = _mese_da_parametro(request.GET.get("mese"), oggi)
        dal, al = cal.limiti_mese(anno, mese)
        primo = date(anno, mese, 1)
        precedente = (primo - timedelta(days=1)).replace(day=1)
        successivo = (primo + timedelta(days=32)).replace(day=1)
        ctx.update(
            settimane=cal.griglia_mese(anno, mese, carica_eventi(dal, al), orari),
            titolo_periodo=formats.date_format(primo, "F Y"),
            parametri_precedente={"mese": f"{precedente:%Y-%m}"},
            parametri_successivo={"mese": f"{successivo:%Y-%m}"},
            parametri_oggi={"mese": f"{oggi:%Y-%m}"},
        )
    elif vista == "settimana":
        lunedi = lunedi_di(data_da_parametro(request.GET.get("giorno"), oggi))
        dal, al = cal.inizio_giorno(lunedi), cal.inizio_giorno(lunedi + timedelta(days=7))
        ctx.update(
            giorni=cal.giorni_settimana(lunedi, carica_eventi(dal, al), orari),
            titolo_periodo=_("Settimana dal %(dal)s al %(al)s")
            % {
                "dal": formats.date_format(lunedi, "j F"),
                "al": formats.date_format(lunedi + timedelta(days=6), "j F Y"),
            },
            parametri_precedente={"giorno": (lunedi - timedelta(days=7)).isoformat()},
            parametri_successivo={"giorno": (lunedi + timedelta(days=7)).isoformat()},
            parametri_oggi={"giorno": oggi.isoformat()},
        )
    else:
        inizio = data_da_parametro(request.GET.get("dal"), oggi)
        dal = cal.inizio_giorno(inizio)
        al = cal.inizio_giorno(inizio + timedelta(days=GIORNI_ELENCO))
        ctx.update(
            elenco=carica_eventi(dal, al),
            titolo_periodo=_("Dal %(dal)s al %(al)s")
            % {
                "dal": formats.date_format(inizio, "j F Y"),
                "al": formats.date_format(inizio + timedelta(days=GIORNI_ELENCO - 1), "j F Y"),
            },
            parametri_precedente={"dal": (inizio - timedelta(days=GIORNI_ELENCO)).isoformat()},
            parametri_successivo={"dal": (inizio + timedelta(days=GIORNI_ELENCO)).isoformat()},
            parametri_oggi={"dal": oggi.isoformat()},
        )
    return ctx


# --- Staff -----------------------------------------------------------------------------------


class CalendarioView(AccessoMixin, TitoloMixin, TemplateView):
    """The calendar of one Sede (chosen among those in the user's scope) and the requests
    waiting for an answer."""

    permission_required = "quartiere.view_prenotazione"
    template_name = "quartiere/calendario/staff.html"
    titolo_pagina = gettext_lazy("Calendario delle sale")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        sedi = list(
            scope_sedi(Sede.objects.select_related("quartiere").prefetch_related(_orari()), user)
        )
        scelta = self.request.GET.get("sede")
        if scelta:
            sede = next((s for s in sedi if str(s.pk) == scelta), None)
            if sede is None:
                raise Http404
        else:
            sede = next((s for s in sedi if s.prenotabile), sedi[0] if sedi else None)
        prenotazioni = scope_prenotazioni(Prenotazione.objects.all(), user)
        if sede is not None:
            ctx.update(
                contesto_periodo(
                    self.request,
                    lambda dal, al: cal.eventi(
                        dal, al, pubblici=False, prenotazioni=prenotazioni, sede=sede
                    ),
                    sede.orari.all(),
                )
            )
        ctx.update(
            sedi=sedi,
            sede=sede,
            in_attesa=_raggruppa_serie(
                prenotazioni_in_attesa(prenotazioni)
                .select_related("sede")
                .only("pk", "titolo", "inizio", "fine", "richiedente_ente", "serie", "sede__nome")[
                    :200
                ]
            ),
            puo_prenotare=user.has_perm("quartiere.add_prenotazione", sede),
        )
        return ctx


def _raggruppa_serie(righe) -> list:
    """One line per request: a weekly series shows its first date and how many dates."""
    visti: dict = {}
    risultato = []
    for p in righe:
        if p.serie and p.serie in visti:
            visti[p.serie].date_serie += 1
            continue
        p.date_serie = 1
        if p.serie:
            visti[p.serie] = p
        risultato.append(p)
    return risultato[:30]


class PrenotazioneDetailView(AccessoMixin, TitoloMixin, DetailView):
    permission_required = "quartiere.view_prenotazione"
    object_permission = "quartiere.view_prenotazione"
    template_name = "quartiere/calendario/prenotazione_dettaglio.html"
    context_object_name = "p"

    def get_queryset(self):
        return scope_prenotazioni(
            Prenotazione.objects.select_related(
                "sede__quartiere", "organizzazione", "organizzatore", "creata_da", "gestita_da"
            ),
            self.request.user,
        )

    def get_titolo_pagina(self):
        return self.object.titolo

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        p = self.object
        if p.serie:
            ctx["serie"] = list(
                Prenotazione.objects.filter(serie=p.serie)
                .only("pk", "inizio", "fine", "stato")
                .order_by("inizio")
            )
        if p.stato == Prenotazione.Stato.RICHIESTA:
            con = trova_conflitto(p.sede_id, p.inizio, p.fine, escludi=[p.pk])
            ctx["conflitto"] = descrivi_conflitto(con) if con is not None else ""
        ctx["puo_decidere"] = self.request.user.has_perm("quartiere.conferma_prenotazione", p)
        ctx["motivo_form"] = MotivoForm()
        return ctx


def _decidi(request, pk, azione):
    prenotazione = policy.get_object_or_404(
        request.user,
        scope_prenotazioni(Prenotazione.objects.select_related("sede"), request.user),
        "quartiere.conferma_prenotazione",
        pk=pk,
    )
    form = MotivoForm(request.POST)
    form.is_valid()
    dati = form.cleaned_data
    serie = bool(dati.get("tutta_la_serie"))
    try:
        if azione == "conferma":
            righe = conferma_prenotazione(prenotazione, da=request.user, tutta_la_serie=serie)
            messaggio = _("Prenotazione confermata (%(n)s date).")
        elif azione == "rifiuta":
            righe = rifiuta_prenotazione(
                prenotazione, da=request.user, motivo=dati.get("motivo", ""), tutta_la_serie=serie
            )
            messaggio = _("Richiesta rifiutata (%(n)s date).")
        else:
            righe = annulla_prenotazione(
                prenotazione, da=request.user, motivo=dati.get("motivo", ""), tutta_la_serie=serie
            )
            messaggio = _("Prenotazione annullata (%(n)s date).")
    except ErroreDominio as errore:
        messages.error(request, str(errore))
    else:
        messages.success(request, messaggio % {"n": len(righe)})
    return redirect(prenotazione)


@require_POST
def conferma(request, pk):
    if not request.user.is_authenticated:
        return redirect(f"{reverse('login')}?next={request.path}")
    return _decidi(request, pk, "conferma")


@require_POST
def rifiuta(request, pk):
    if not request.user.is_authenticated:
        return redirect(f"{reverse('login')}?next={request.path}")
    return _decidi(request, pk, "rifiuta")


@require_POST
def annulla(request, pk):
    if not request.user.is_authenticated:
        return redirect(f"{reverse('login')}?next={request.path}")
    return _decidi(request, pk, "annulla")


class PrenotazioneCreateView(AccessoMixin, TitoloMixin, FormView):
    permission_required = "quartiere.add_prenotazione"
    form_class = PrenotazioneForm
    template_name = "quartiere/calendario/prenotazione_form.html"
    titolo_pagina = gettext_lazy("Nuova prenotazione")

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["user"] = self.request.user
        return kwargs

    def get_initial(self):
        initial = super().get_initial()
        g = self.request.GET
        if g.get("sede", "").isdigit():
            initial["sede"] = int(g["sede"])
        if g.get("data"):
            initial["data"] = data_da_parametro(g["data"], timezone.localdate())
        return initial

    def form_valid(self, form):
        d = form.cleaned_data
        sede = d["sede"]
        if not self.request.user.has_perm("quartiere.add_prenotazione", sede):
            form.add_error("sede", _("Non puoi prenotare questa sede."))
            return self.form_invalid(form)
        try:
            righe = crea_prenotazione(
                sede=sede,
                titolo=d["titolo"],
                descrizione=d.get("descrizione", ""),
                organizzazione=d.get("organizzazione"),
                inizio=d["inizio"],
                fine=d["fine"],
                pubblico=d.get("pubblico", False),
                ripeti_fino_al=d.get("fino_al"),
                conferma=d.get("conferma", False),
                asse=d.get("asse"),
                da=self.request.user,
            )
        except ErroreDominio as errore:
            form.add_error(None, str(errore))
            return self.form_invalid(form)
        messages.success(self.request, _("Prenotazione salvata (%(n)s date).") % {"n": len(righe)})
        return redirect(righe[0])


# --- Public ----------------------------------------------------------------------------------


class CalendarioPubblicoView(TitoloMixin, TemplateView):
    """Every Sede with its opening hours and the next public events."""

    template_name = "quartiere/calendario/pubblico_indice.html"
    titolo_pagina = gettext_lazy("Calendario degli eventi")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        adesso = timezone.now()
        ctx["sedi"] = Sede.objects.select_related("quartiere").prefetch_related(_orari())
        ctx["prossimi"] = cal.eventi(
            adesso, adesso + timedelta(days=GIORNI_ELENCO), pubblici=True, limite=30
        )
        return ctx


DURATA_CACHE_CALENDARIO = 60


class CalendarioSedePubblicoView(TitoloMixin, DetailView):
    template_name = "quartiere/calendario/pubblico_sede.html"
    context_object_name = "sede"

    def get_queryset(self):
        return Sede.objects.select_related("quartiere").prefetch_related(_orari())

    def get_titolo_pagina(self):
        return _("Calendario: %(sede)s") % {"sede": self.object.nome}

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        sede = self.object
        # The period's events laid out are public data, the same for every visitor: kept
        # for a minute per hall, query string, language and day (docs/performance.md, 4.8).
        # Nothing in them depends on who asks; the CSRF token and the menu are outside.
        parametri = hashlib.sha256(self.request.GET.urlencode().encode()).hexdigest()[:32]
        chiave = (
            f"calendario_sede:{sede.pk}:{get_language()}:{timezone.localdate():%Y%m%d}:{parametri}"
        )
        html = cache.get(chiave)
        if html is None:
            periodo = contesto_periodo(
                self.request,
                lambda dal, al: cal.eventi(dal, al, pubblici=True, sede=sede),
                sede.orari.all(),
            )
            html = render_to_string(
                "quartiere/calendario/includes/viste.html", {**ctx, **periodo}, self.request
            )
            cache.set(chiave, html, DURATA_CACHE_CALENDARIO)
        ctx["viste"] = html
        return ctx


def _risposta_ics(contenuto: bytes, nome_file: str) -> HttpResponse:
    risposta = HttpResponse(contenuto, content_type="text/calendar; charset=utf-8")
    risposta["Content-Disposition"] = f'inline; filename="{nome_file}"'
    risposta["Cache-Control"] = "public, max-age=900"
    return risposta


def _finestra_ics():
    adesso = timezone.now()
    return adesso - timedelta(days=31), adesso + timedelta(days=366)


def ics_sede(request, pk):
    sede = get_object_or_404(Sede.objects.only("pk", "nome"), pk=pk)
    dal, al = _finestra_ics()
    contenuto = cal.ics(
        cal.eventi(dal, al, pubblici=True, sede=sede),
        nome=f"{sede.nome} — {settings.COMUNE_NOME}",
        base_url=settings.SITE_URL,
    )
    return _risposta_ics(contenuto, f"sede-{sede.pk}.ics")


def ics_quartiere(request, codice):
    quartiere = get_object_or_404(Quartiere.objects.only("pk", "nome", "codice"), codice=codice)
    dal, al = _finestra_ics()
    contenuto = cal.ics(
        cal.eventi(dal, al, pubblici=True, sede__quartiere=quartiere),
        nome=f"{quartiere.nome} — {settings.COMUNE_NOME}",
        base_url=settings.SITE_URL,
    )
    return _risposta_ics(contenuto, f"{quartiere.codice}.ics")


def limite_superato(request) -> bool:
    """Count this request against the per-IP hourly budget; True once it is exhausted."""
    limite = getattr(settings, "QUARTIERE_RICHIESTE_SALA_ORA", 10)
    return bool(limite) and limiti.superato(request, "richiesta-sala", limite, 3600)


class RichiestaSalaView(TitoloMixin, FormView):
    """Associations and groups ask for a hall; an operator answers by e-mail."""

    form_class = RichiestaSalaForm
    template_name = "quartiere/calendario/richiesta_sala.html"
    titolo_pagina = gettext_lazy("Chiedi la sala")

    def get_initial(self):
        initial = super().get_initial()
        if self.request.GET.get("sede", "").isdigit():
            initial["sede"] = int(self.request.GET["sede"])
        return initial

    def post(self, request, *args, **kwargs):
        if limite_superato(request):
            return render(
                request,
                "quartiere/calendario/troppe_richieste.html",
                {"titolo_pagina": _("Troppe richieste")},
                status=429,
            )
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        if form.e_spam:
            # Pretend it worked: a bot learns nothing, and nothing is stored.
            return redirect("quartiere:richiesta_sala_inviata")
        d = form.cleaned_data
        try:
            richiedi_sala(
                sede=d["sede"],
                titolo=d["titolo"],
                descrizione=d.get("descrizione", ""),
                richiedente_ente=d["richiedente_ente"],
                richiedente_nome=d["richiedente_nome"],
                richiedente_email=d["richiedente_email"],
                richiedente_telefono=d.get("richiedente_telefono", ""),
                inizio=d["inizio"],
                fine=d["fine"],
                pubblico=d.get("pubblico", False),
                ripeti_fino_al=d.get("fino_al"),
            )
        except ErroreDominio as errore:
            form.add_error(None, str(errore))
            return self.form_invalid(form)
        return redirect("quartiere:richiesta_sala_inviata")


class RichiestaSalaInviataView(TitoloMixin, TemplateView):
    template_name = "quartiere/calendario/richiesta_inviata.html"
    titolo_pagina = gettext_lazy("Richiesta inviata")
