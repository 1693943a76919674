"""Public pages of the core: home, quartieri, privacy notice, accessibility statement.

Every page here costs a constant number of queries and shows no person's data: events
come from :func:`quartiere.calendario.eventi.eventi` in its public variant; what the apps
show (labs, pacts) comes from the sections they register (quartiere/pubblico/sezioni.py).
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.db.models import Prefetch
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST
from django.views.generic import DetailView, ListView, TemplateView

from quartiere.accesso import limiti
from quartiere.accesso.mixins import TitoloMixin
from quartiere.calendario import eventi as cal
from quartiere.lib import testo_semplice
from quartiere.privacy.models import Informativa
from quartiere.pubblico.forms import ValutazionePaginaForm
from quartiere.pubblico.models import ValutazionePagina
from quartiere.pubblico.sezioni import sezioni_home, sezioni_quartiere
from quartiere.territorio.models import (
    MASSIMO_INDIRIZZI,
    Indirizzo,
    OrarioApertura,
    Quartiere,
    Sede,
)

GIORNI_EVENTI = 90


def _prossimi_eventi(limite: int, **filtro_sede):
    adesso = timezone.now()
    return cal.eventi(
        adesso,
        adesso + timedelta(days=GIORNI_EVENTI),
        pubblici=True,
        limite=limite,
        **filtro_sede,
    )


def _sedi_con_orari():
    return Sede.objects.select_related("quartiere").prefetch_related(
        Prefetch("orari", queryset=OrarioApertura.objects.order_by("giorno", "apre"))
    )


class HomeView(TitoloMixin, TemplateView):
    template_name = "quartiere/pubblico/home.html"
    titolo_pagina = gettext_lazy("Laboratori di Quartiere")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["quartieri"] = Quartiere.objects.prefetch_related(
            Prefetch("sedi", queryset=_sedi_con_orari())
        )
        ctx["sedi_cittadine"] = _sedi_con_orari().filter(quartiere__isnull=True)
        ctx["prossimi_eventi"] = _prossimi_eventi(6)
        ctx["sezioni"] = sezioni_home()
        return ctx


class QuartieriPubbliciView(TitoloMixin, ListView):
    template_name = "quartiere/pubblico/quartieri.html"
    titolo_pagina = gettext_lazy("I quartieri")

    def get_queryset(self):
        return Quartiere.objects.prefetch_related(Prefetch("sedi", queryset=_sedi_con_orari()))


class QuartierePubblicoView(TitoloMixin, DetailView):
    template_name = "quartiere/pubblico/quartiere.html"
    slug_field = "codice"
    slug_url_kwarg = "codice"

    def get_queryset(self):
        return Quartiere.objects.prefetch_related(Prefetch("sedi", queryset=_sedi_con_orari()))

    def get_titolo_pagina(self):
        return self.object.nome

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["prossimi_eventi"] = _prossimi_eventi(10, sede__quartiere=self.object)
        ctx["sezioni"] = sezioni_quartiere(self.object)
        return ctx


class PrivacyView(TitoloMixin, TemplateView):
    """The privacy notice: the version in force at ``/privacy/``, any published version at
    ``/privacy/<versione>/`` (what a citizen agreed to), with the list of all versions.

    Two queries: the published versions (few, without their text) and the one shown.
    Drafts are never shown; a URL naming one is a 404.
    """

    template_name = "quartiere/privacy/informativa.html"
    titolo_pagina = gettext_lazy("Informativa sul trattamento dei dati personali")

    def get_context_data(self, **kwargs):
        oggi = timezone.localdate()
        versioni = list(
            Informativa.objects.pubblicate()
            .order_by("-in_vigore_dal")
            .only("pk", "codice", "titolo", "in_vigore_dal")
        )
        in_vigore = next((v for v in versioni if v.in_vigore_dal <= oggi), None)
        richiesta = self.kwargs.get("versione")
        if richiesta is None:
            scelta = in_vigore
        else:
            scelta = next((v for v in versioni if v.codice == richiesta), None)
            if scelta is None:
                raise Http404
        informativa = Informativa.objects.get(pk=scelta.pk) if scelta else None
        if informativa is not None:
            titolo, testo = informativa.contenuto(get_language())
            kwargs["titolo_pagina"] = titolo
            kwargs["testo_html"] = testo_semplice.in_html(testo)
            kwargs["sezioni"] = testo_semplice.sezioni(testo)
            kwargs["in_inglese"] = informativa.in_inglese(get_language())
        kwargs.update(
            informativa=informativa,
            in_vigore=in_vigore,
            versioni=versioni,
            futura=informativa is not None and informativa.in_vigore_dal > oggi,
            superata=(
                informativa is not None
                and in_vigore is not None
                and informativa.in_vigore_dal < in_vigore.in_vigore_dal
            ),
        )
        return super().get_context_data(**kwargs)


class AccessibilitaView(TitoloMixin, TemplateView):
    template_name = "quartiere/pubblico/accessibilita.html"
    titolo_pagina = gettext_lazy("Dichiarazione di accessibilità")


class PaginaBaseView(TitoloMixin, TemplateView):
    """Renders the base template and touches no table: the framework floor for the bench."""

    template_name = "quartiere/pubblico/base_vuota.html"
    titolo_pagina = gettext_lazy("Quartiere")


@never_cache
def robots_txt(request):
    righe = [
        "User-agent: *",
        "Disallow: /lavoro/",
        "Disallow: /admin/",
        "Disallow: /accounts/",
        f"Sitemap: {settings.SITE_URL}{reverse('sitemap')}",
    ]
    return HttpResponse("\n".join(righe) + "\n", content_type="text/plain")


#: Ratings one address may leave per hour (the component is on several pages).
LIMITE_VALUTAZIONI = 20


@require_POST
def valuta_pagina(request):
    """The rating component's POST: stored, then back to the page it was on."""
    form = ValutazionePaginaForm(request.POST)
    if not form.is_valid():
        errori = [e for lista in form.errors.values() for e in lista]
        messages.error(request, " ".join(errori))
        pagina = request.POST.get("pagina", "")
        sicura = pagina.startswith("/") and url_has_allowed_host_and_scheme(pagina, None)
        return redirect((pagina if sicura else "/") + "#valutazione")
    if limiti.superato(request, "valutazione", LIMITE_VALUTAZIONI, 3600):
        messages.error(request, _("Troppe valutazioni da questo collegamento: riprova più tardi."))
    else:
        ValutazionePagina.objects.create(**form.cleaned_data)
        messages.success(request, _("Grazie, il tuo parere ci aiuta a migliorare il servizio."))
    return redirect(form.cleaned_data["pagina"] + "#valutazione")


@require_GET
def indirizzi_json(request):
    """The street register's addresses matching ``q`` (quartiere/territorio/models.py), for
    the report's address search; read on this machine, no external geocoder. The keys are
    a public contract: ``indirizzi``, each with ``id``, ``etichetta``, ``via``, ``civico``,
    ``lat``, ``lon``, ``quartiere`` (its id or null) and ``quartiere_nome``."""
    testo = (request.GET.get("q") or "")[:100]
    trovati = Indirizzo.objects.cerca(testo).select_related("quartiere")[:MASSIMO_INDIRIZZI]
    return JsonResponse(
        {
            "indirizzi": [
                {
                    "id": i.pk,
                    "etichetta": str(i),
                    "via": i.via,
                    "civico": i.civico,
                    "lat": i.lat,
                    "lon": i.lon,
                    "quartiere": i.quartiere_id,
                    "quartiere_nome": i.quartiere.nome if i.quartiere else "",
                }
                for i in trovati
            ]
        }
    )
