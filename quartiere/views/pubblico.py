"""Public pages of the core: home, quartieri, privacy notice, accessibility statement."""

from __future__ import annotations

from django.conf import settings
from django.db import connection
from django.db.models import Prefetch
from django.http import HttpResponse, JsonResponse
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.generic import DetailView, ListView, TemplateView

from quartiere.mixins import TitoloMixin
from quartiere.models import OrarioApertura, Quartiere, Sede


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


class PrivacyView(TitoloMixin, TemplateView):
    template_name = "quartiere/pubblico/privacy.html"
    titolo_pagina = gettext_lazy("Informativa sul trattamento dei dati personali")

    def get_context_data(self, **kwargs):
        kwargs["versione_informativa"] = settings.PRIVACY_NOTICE_VERSION
        return super().get_context_data(**kwargs)


class AccessibilitaView(TitoloMixin, TemplateView):
    template_name = "quartiere/pubblico/accessibilita.html"
    titolo_pagina = gettext_lazy("Dichiarazione di accessibilità")


class PaginaBaseView(TitoloMixin, TemplateView):
    """Renders the base template and touches no table: the framework floor for the bench."""

    template_name = "quartiere/pubblico/base_vuota.html"
    titolo_pagina = gettext_lazy("Quartiere")


@never_cache
def healthz(request):
    """Liveness and database check for load balancers and monitoring."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # noqa: BLE001 - any database failure means "unhealthy"
        return JsonResponse({"status": "error", "database": type(exc).__name__}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


def robots_txt(request):
    righe = ["User-agent: *", "Disallow: /lavoro/", "Disallow: /admin/", "Disallow: /accounts/"]
    return HttpResponse("\n".join(righe) + "\n", content_type="text/plain")
