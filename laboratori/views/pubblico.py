"""Public pages: the calendar of upcoming public meetings and the labs' results.

Nothing here names a private person: meetings show place and agenda, results show
accepted proposals with the proposing organisation (never a person) and figures.
Each page runs a fixed number of queries whatever the number of rows.
"""

from __future__ import annotations

from datetime import UTC, timedelta

from django.conf import settings
from django.db.models import Count, Prefetch, Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import DetailView, ListView

from laboratori.models import Incontro, Laboratorio, Proposta
from laboratori.views._comune import conteggio
from quartiere.accesso.mixins import TitoloMixin
from quartiere.territorio.models import Quartiere

_CAMPI_INCONTRO = (
    "pk",
    "titolo",
    "inizio",
    "fine",
    "luogo",
    "ordine_del_giorno",
    "laboratorio__id",
    "laboratorio__titolo",
    "laboratorio__quartiere__nome",
    "laboratorio__quartiere__codice",
    "sede__nome",
    "sede__indirizzo",
    "sede__citta",
)


def _prossimi_incontri():
    return (
        Incontro.objects.prossimi_pubblici(timezone.now())
        .select_related("laboratorio__quartiere", "sede")
        .only(*_CAMPI_INCONTRO)
        .order_by("inizio", "pk")
    )


def _proposte_accolte():
    return (
        Proposta.objects.filter(stato=Proposta.Stato.ACCOLTA)
        .select_related("proponente_organizzazione")
        .only(
            "pk",
            "titolo",
            "descrizione",
            "esito",
            "laboratorio_id",
            "proponente_organizzazione__nome",
        )
        .order_by("titolo", "pk")
    )


class _FiltroQuartiere:
    """``?quartiere=<codice>`` narrows a public list; the choice list comes along."""

    def quartiere_scelto(self):
        if not hasattr(self, "_quartiere"):
            codice = self.request.GET.get("quartiere", "")
            self._quartiere = Quartiere.objects.filter(codice=codice).first() if codice else None
        return self._quartiere

    def get_context_data(self, **kwargs):
        kwargs["quartieri"] = Quartiere.objects.only("codice", "nome").order_by("nome")
        kwargs["quartiere_scelto"] = self.quartiere_scelto()
        return super().get_context_data(**kwargs)


class CalendarioView(_FiltroQuartiere, TitoloMixin, ListView):
    template_name = "laboratori/pubblico/calendario.html"
    titolo_pagina = gettext_lazy("Laboratori di cittadinanza: i prossimi incontri")
    paginate_by = 30

    def get_queryset(self):
        qs = _prossimi_incontri()
        if self.quartiere_scelto():
            qs = qs.filter(laboratorio__quartiere=self.quartiere_scelto())
        return qs


class RisultatiView(_FiltroQuartiere, TitoloMixin, ListView):
    """Labs with at least one accepted proposal, each with its proposals."""

    template_name = "laboratori/pubblico/risultati.html"
    titolo_pagina = gettext_lazy("Laboratori di cittadinanza: i risultati")
    paginate_by = 20

    def get_queryset(self):
        qs = (
            Laboratorio.objects.filter(proposte__stato=Proposta.Stato.ACCOLTA)
            .distinct()
            .select_related("quartiere")
            .only("pk", "titolo", "tema", "fase", "stato", "quartiere__nome")
            .prefetch_related(Prefetch("proposte", queryset=_proposte_accolte(), to_attr="accolte"))
            .order_by("-data_inizio", "titolo", "pk")
        )
        if self.quartiere_scelto():
            qs = qs.filter(quartiere=self.quartiere_scelto())
        return qs


class LaboratorioPubblicoView(TitoloMixin, DetailView):
    template_name = "laboratori/pubblico/laboratorio.html"

    def get_object(self, queryset=None):
        qs = (
            Laboratorio.objects.select_related("quartiere")
            .only(
                "pk",
                "titolo",
                "tema",
                "descrizione",
                "fase",
                "stato",
                "data_inizio",
                "data_fine",
                "quartiere__nome",
                "quartiere__codice",
            )
            .annotate(
                n_svolti=conteggio(Incontro.objects.svolti(), "laboratorio"),
                n_partecipanti=Count(
                    "incontri__presenze__persona",
                    distinct=True,
                    filter=Q(incontri__stato=Incontro.Stato.SVOLTO),
                ),
                n_organizzazioni=Count(
                    "incontri__presenze__organizzazione",
                    distinct=True,
                    filter=Q(incontri__stato=Incontro.Stato.SVOLTO),
                ),
            )
        )
        return get_object_or_404(qs, pk=self.kwargs["pk"])

    def get_titolo_pagina(self):
        return self.object.titolo

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["prossimi"] = _prossimi_incontri().filter(laboratorio=self.object)
        ctx["accolte"] = _proposte_accolte().filter(laboratorio=self.object)
        return ctx


# A meeting without an end time is shown as two hours long in calendar apps.
DURATA_PREDEFINITA = timedelta(hours=2)


def calendario_ics(request):
    """The upcoming public meetings as an iCalendar feed (``?quartiere=<codice>``)."""
    from icalendar import Calendar, Event

    incontri = _prossimi_incontri()
    codice = request.GET.get("quartiere", "")
    if codice:
        incontri = incontri.filter(laboratorio__quartiere__codice=codice)
    cal = Calendar()
    cal.add("prodid", "-//Quartiere//Laboratori di cittadinanza//IT")
    cal.add("version", "2.0")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", _("Laboratori di cittadinanza: i prossimi incontri"))
    adesso = timezone.now().astimezone(UTC)
    for inc in incontri[:500]:
        evento = Event()
        evento.add("uid", f"incontro-{inc.pk}@quartiere")
        evento.add("dtstamp", adesso)
        evento.add("dtstart", inc.inizio.astimezone(UTC))
        evento.add("dtend", (inc.fine or inc.inizio + DURATA_PREDEFINITA).astimezone(UTC))
        titolo = inc.laboratorio.titolo
        evento.add("summary", f"{titolo}: {inc.titolo}" if inc.titolo else titolo)
        luogo = [f"{inc.sede.nome}, {inc.sede.indirizzo}"] if inc.sede_id else []
        evento.add("location", " — ".join([*luogo, inc.luogo] if inc.luogo else luogo))
        if inc.ordine_del_giorno:
            evento.add("description", inc.ordine_del_giorno)
        evento.add(
            "url",
            settings.SITE_URL + reverse("laboratori:pubblico", args=[inc.laboratorio_id]),
        )
        cal.add_component(evento)
    risposta = HttpResponse(cal.to_ical(), content_type="text/calendar; charset=utf-8")
    risposta["Content-Disposition"] = 'inline; filename="laboratori.ics"'
    return risposta
