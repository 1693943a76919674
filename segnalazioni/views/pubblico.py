"""The public side: filing a report without an account and following it by its code."""

from __future__ import annotations

import json

from django.conf import settings
from django.contrib import messages
from django.db.models import Count, Q
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.generic import FormView, TemplateView
from django_filters.views import FilterView

from quartiere.accesso import limiti
from quartiere.lib import qr
from quartiere.lib.errori import ErroreDominio
from quartiere.lib.paginazione import TotaleInCacheMixin
from quartiere.pubblico.models import RISPOSTE_NEGATIVE, RISPOSTE_POSITIVE
from segnalazioni import allegati as gestione_allegati
from segnalazioni import chiosco, services
from segnalazioni.filters import ElencoPubblicoFilter
from segnalazioni.forms import CercaCodiceForm, ValutazioneForm
from segnalazioni.models import (
    Allegato,
    Categoria,
    Esito,
    Evento,
    SchedaServizio,
    Segnalazione,
    Stato,
    normalizza_codice,
)
from segnalazioni.visibilita import punto_approssimato, via_senza_civico

# The code of the report just filed travels to the confirmation page in a signed cookie,
# not in the session: an anonymous visitor has no session, and creating one cost a SELECT,
# an INSERT and a commit per report (docs/performance.md, 4.7).
COOKIE_CODICE = "segnalazione_inviata"
SALE_CODICE = "segnalazioni.inviata"
DURATA_COOKIE_CODICE = 3600
# The largest body a report can need: every attachment at its limit, plus 1 MB for the text.
MAX_CORPO = gestione_allegati.MAX_ALLEGATI * Allegato.DIMENSIONE_MASSIMA + 1024 * 1024


def limite_invii() -> tuple[int, int]:
    return (
        getattr(settings, "SEGNALAZIONI_LIMITE_INVII", 5),
        getattr(settings, "SEGNALAZIONI_LIMITE_FINESTRA", 3600),
    )


def corpo_troppo_grande(request) -> bool:
    """A body larger than a report can need (every attachment at its limit, and the text)."""
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0) > MAX_CORPO
    except ValueError:
        return False


def servizio_chiuso(request):
    """The coordinators closed the online service: back to the card, which says so. None
    while it is open."""
    if SchedaServizio.servizio_attivo():
        return None
    messages.warning(request, _("Il servizio online non è attivo in questo momento."))
    return redirect("segnalazioni:servizio")


def situazione_pubblica(stato: str, esito: str, stati: dict, esiti: dict) -> str:
    """What the public lists say of a report: its outcome once closed, else its status."""
    if stato == Stato.CHIUSA:
        return str(esiti.get(esito, stati[stato]))
    return str(stati[stato])


def imposta_cookie_inviata(risposta, segnalazione):
    """The code of the report just filed, for the confirmation page only."""
    risposta.set_signed_cookie(
        COOKIE_CODICE,
        segnalazione.codice,
        salt=SALE_CODICE,
        max_age=DURATA_COOKIE_CODICE,
        path=reverse("segnalazioni:inviata"),
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )
    return risposta


def troppe_richieste(request):
    risposta = render(
        request,
        "segnalazioni/pubblico/troppe_richieste.html",
        {"titolo_pagina": _("Troppe richieste")},
        status=429,
    )
    risposta["Retry-After"] = str(limite_invii()[1])
    return risposta


def json_in_script(valore) -> str:
    """JSON safe inside a <script> data block: the characters that could close it or start
    markup are escaped as json_script does (that filter only writes an ``id``; the model's
    validator looks for ``data-element="metatag"``)."""
    testo = json.dumps(valore, ensure_ascii=False)
    return mark_safe(  # noqa: S308 - every <, > and & is escaped just above
        testo.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")
    )


class ServizioView(TemplateView):
    """The service card the citizen reads before the form (Modello Comuni): what the service
    is, for whom, how, what it takes and gives, the deadlines per category, the channels,
    the conditions and the contacts, in the model's order."""

    template_name = "segnalazioni/pubblico/servizio.html"

    def get_context_data(self, **kwargs):
        scheda = SchedaServizio.corrente()
        sezioni = [
            ("a-chi-e-rivolto", _("A chi è rivolto"), scheda.a_chi_e_rivolto),
            ("come-fare", _("Come fare"), scheda.come_fare),
            ("cosa-serve", _("Cosa serve"), scheda.cosa_serve),
            ("cosa-si-ottiene", _("Cosa si ottiene"), scheda.cosa_si_ottiene),
            ("tempi-e-scadenze", _("Tempi e scadenze"), scheda.tempi_e_scadenze),
            ("accedi-al-servizio", _("Accedi al servizio"), scheda.accedi_canale_fisico),
            ("condizioni-di-servizio", _("Condizioni di servizio"), scheda.condizioni_di_servizio),
            ("contatti", _("Contatti"), scheda.contatti),
        ]
        categorie = Categoria.objects.filter(attiva=True).only("nome", "giorni_risposta")
        metadati = {
            "name": scheda.titolo,
            "description": scheda.descrizione,
            "serviceType": "Segnalazione disservizio",
            "serviceOperator": {"name": settings.COMUNE_NOME},
            "areaServed": {"name": settings.COMUNE_NOME},
            "audience": {"name": scheda.a_chi_e_rivolto[:200]},
            "availableChannel": {
                "serviceUrl": self.request.build_absolute_uri(reverse("segnalazioni:invia")),
            },
        }
        kwargs.update(
            scheda=scheda,
            sezioni=sezioni,
            categorie=list(categorie),
            metadati_json=json_in_script(metadati),
            titolo_pagina=scheda.titolo,
        )
        return super().get_context_data(**kwargs)


def _codice_inviato(request) -> str | None:
    """The code of the report this browser has just filed (the signed cookie)."""
    return request.get_signed_cookie(
        COOKIE_CODICE, default=None, salt=SALE_CODICE, max_age=DURATA_COOKIE_CODICE
    )


class InviataView(TemplateView):
    """ "Segnalazione inviata": the code, what happens next and by when, the receipt to
    download and the QR code of the tracking page to photograph."""

    template_name = "segnalazioni/pubblico/inviata.html"

    def get(self, request, *args, **kwargs):
        codice = _codice_inviato(request)
        if not codice:
            return redirect("segnalazioni:servizio")
        segnalazione = get_object_or_404(
            Segnalazione.objects.select_related("categoria__ufficio").only(
                "codice",
                "email_segnalante",
                "persona",
                "scadenza",
                "categoria__nome",
                "categoria__ufficio__nome",
            ),
            codice=codice,
        )
        url_segui = request.build_absolute_uri(segnalazione.get_tracking_url())
        al_chiosco = chiosco.attivo(request)
        risposta = self.render_to_response(
            self.get_context_data(
                segnalazione=segnalazione,
                qr_segui=qr.data_uri(url_segui),
                url_segui=url_segui,
                titolo_pagina=_("Segnalazione inviata"),
                chiosco=al_chiosco,
                chiosco_inattivita=chiosco.INATTIVITA // 2,
            )
        )
        # The code is for this citizen's eyes, and for no browser cache.
        add_never_cache_headers(risposta)
        if al_chiosco:
            # Shown once: the next person at the kiosk finds nothing here.
            risposta.delete_cookie(
                COOKIE_CODICE, path=reverse("segnalazioni:inviata"), samesite="Lax"
            )
        return risposta


@never_cache
def ricevuta_inviata(request):
    """The receipt of the report just filed, for the browser that filed it only."""
    codice = _codice_inviato(request)
    if not codice:
        raise Http404
    segnalazione = get_object_or_404(
        Segnalazione.objects.select_related("categoria__ufficio", "quartiere", "persona"),
        codice=codice,
    )
    pdf = services.pdf_dati_ricevuta(services.dati_ricevuta(segnalazione), timezone.now())
    risposta = HttpResponse(pdf, content_type="application/pdf")
    risposta["Content-Disposition"] = f'inline; filename="ricevuta-{segnalazione.codice}.pdf"'
    risposta["X-Content-Type-Options"] = "nosniff"
    return risposta


class CercaCodiceView(FormView):
    form_class = CercaCodiceForm
    template_name = "segnalazioni/pubblico/cerca.html"

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        if "codice" in self.request.GET:
            kwargs["data"] = self.request.GET
        return kwargs

    def get_context_data(self, **kwargs):
        kwargs.setdefault("titolo_pagina", _("Segui la tua segnalazione"))
        return super().get_context_data(**kwargs)

    def get(self, request, *args, **kwargs):
        form = self.get_form()
        if form.is_bound and form.is_valid():
            codice = normalizza_codice(form.cleaned_data["codice"])
            if codice:
                return redirect("segnalazioni:segui", codice=codice)
            form.add_error(
                "codice", _("Il codice è di 12 lettere e cifre, ad esempio ABCD-EF23-4567.")
            )
        return self.render_to_response(self.get_context_data(form=form))


class SeguiView(TemplateView):
    """Status, dates, deadline and public replies: no personal data, no internal notes."""

    template_name = "segnalazioni/pubblico/segui.html"

    def dispatch(self, request, *args, **kwargs):
        # Each look-up counts, so that codes cannot be tried in bulk from one address.
        massimo = getattr(settings, "SEGNALAZIONI_LIMITE_CONSULTAZIONI", 60)
        if limiti.superato(request, "consulta", massimo, 600):
            return troppe_richieste(request)
        codice = normalizza_codice(kwargs["codice"])
        if not codice:
            raise Http404
        self.segnalazione = get_object_or_404(
            Segnalazione.objects.select_related("categoria__ufficio", "quartiere").only(
                "codice",
                "tipo",
                "oggetto",
                "stato",
                "esito",
                "creata_il",
                "scadenza",
                "chiusa_il",
                "valutazione",
                "canale",
                "categoria__nome",
                "categoria__ufficio__nome",
                "quartiere__nome",
            ),
            codice=codice,
        )
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        s = self.segnalazione
        eventi = (
            Evento.objects.filter(segnalazione=s, tipo__in=Evento.TIPI_PUBBLICI)
            .only("tipo", "creato_il", "stato_a", "esito", "testo", "segnalazione_id")
            .order_by("creato_il", "pk")
        )
        kwargs.update(
            segnalazione=s,
            eventi=list(eventi),
            titolo_pagina=_("Segnalazione %(codice)s") % {"codice": s.codice},
            puo_valutare=s.stato == Segnalazione.Stato.CHIUSA and s.valutazione is None,
        )
        kwargs.setdefault("form_valutazione", ValutazioneForm())
        kwargs.update(risposte_positive=RISPOSTE_POSITIVE, risposte_negative=RISPOSTE_NEGATIVE)
        return super().get_context_data(**kwargs)

    def post(self, request, *args, **kwargs):
        form = ValutazioneForm(request.POST)
        if form.is_valid():
            try:
                services.valuta(
                    self.segnalazione,
                    form.cleaned_data["voto"],
                    form.cleaned_data["motivo"],
                    form.cleaned_data["risposta"],
                )
            except ErroreDominio as errore:
                messages.error(request, str(errore))
            else:
                messages.success(request, _("Grazie per la tua valutazione."))
            return redirect(reverse("segnalazioni:segui", args=[self.segnalazione.codice]))
        return self.render_to_response(self.get_context_data(form_valutazione=form), status=400)


class ElencoPubblicoView(TotaleInCacheMixin, FilterView):
    """The public "Elenco segnalazioni" (issue 17): the reports staff marked publishable,
    as a list (the default, for keyboards and screen readers) or on a map, with the same
    fields as Open311 and the same approximations: the street without the house number,
    the point moved to its ~50 m cell. No code and no link to the tracking page: the code
    is the reporter's key (it lets them rate the service)."""

    template_name = "segnalazioni/pubblico/elenco.html"
    filterset_class = ElencoPubblicoFilter
    paginate_by = 20
    # The total and the two figures count every public report of the filter: computed once
    # a minute per filter (quartiere/lib/paginazione.py), the page itself reads 20 rows.
    prefisso_cache = "segnalazioni:elenco"
    CAMPI = (
        "pk",
        "oggetto",
        "stato",
        "esito",
        "creata_il",
        "chiusa_il",
        "indirizzo",
        "categoria__nome",
        "quartiere__nome",
    )

    def get_queryset(self):
        return Segnalazione.objects.pubbliche().order_by("-creata_il", "-pk")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        vista = "mappa" if self.request.GET.get("vista") == "mappa" else "elenco"
        qs = self.object_list
        ctx["conteggi"] = self.in_cache(
            "conteggi",
            lambda: qs.aggregate(
                in_corso=Count("pk", filter=~Q(stato=Stato.CHIUSA)),
                risolte=Count(
                    "pk",
                    filter=Q(
                        stato=Stato.CHIUSA,
                        esito=Esito.RISOLTA,
                        chiusa_il__gte=ElencoPubblicoFilter.risolte_dal(),
                    ),
                ),
            ),
        )
        parametri = self.request.GET.copy()
        parametri.pop("vista", None)
        parametri.pop("page", None)
        ctx.update(
            vista=vista,
            parametri=parametri.urlencode(),
            titolo_pagina=_("Elenco segnalazioni"),
            LEAFLET_CONFIG=settings.LEAFLET_CONFIG,
        )
        if vista == "elenco":
            stati, esiti = dict(Stato.choices), dict(Esito.choices)
            ctx["righe"] = [
                {
                    **r,
                    "via": via_senza_civico(r["indirizzo"]),
                    "situazione": situazione_pubblica(r["stato"], r["esito"], stati, esiti),
                }
                for r in ctx["page_obj"].object_list.values(*self.CAMPI)
            ]
        return ctx

    def get_paginate_by(self, queryset):
        # The map reads its points from elenco_geojson: no page of rows to fetch.
        return None if self.request.GET.get("vista") == "mappa" else self.paginate_by


#: The most points the public map draws: the most recent ones (a constant cost).
MASSIMO_PUNTI_PUBBLICI = 1000


def elenco_geojson(request):
    """The public map's points: the filtered public reports with a place, approximated."""
    filtro = ElencoPubblicoFilter(
        request.GET, queryset=Segnalazione.objects.pubbliche().order_by("-creata_il", "-pk")
    )
    qs = filtro.qs if filtro.is_valid() else Segnalazione.objects.none()
    righe = qs.filter(lat__isnull=False, lon__isnull=False).values(
        "oggetto", "stato", "esito", "indirizzo", "categoria__nome", "lat", "lon"
    )[:MASSIMO_PUNTI_PUBBLICI]
    stati, esiti = dict(Stato.choices), dict(Esito.choices)
    elementi = []
    for r in righe:
        lat, lon = punto_approssimato(r["lat"], r["lon"])
        elementi.append(
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [lon, lat]},
                "properties": {
                    "oggetto": r["oggetto"],
                    "categoria_nome": r["categoria__nome"],
                    "via": via_senza_civico(r["indirizzo"]),
                    "stato": r["stato"],
                    "stato_etichetta": situazione_pubblica(r["stato"], r["esito"], stati, esiti),
                },
            }
        )
    return JsonResponse(
        {"type": "FeatureCollection", "features": elementi},
        content_type="application/geo+json",
    )
