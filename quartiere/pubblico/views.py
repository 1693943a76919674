"""Public pages of the core: home, quartieri, privacy notice, accessibility statement.

Every page here costs a constant number of queries and shows no person's data: events
come from :func:`quartiere.calendario.eventi.eventi` in its public variant, labs and pacts are
read field by field.
"""

from __future__ import annotations

from datetime import timedelta

from django.apps import apps
from django.conf import settings
from django.db.models import Count, Prefetch, Q
from django.http import Http404, HttpResponse
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.generic import DetailView, ListView, TemplateView

from quartiere.accesso.mixins import TitoloMixin
from quartiere.calendario import eventi as cal
from quartiere.lib import testo_semplice
from quartiere.privacy.models import Informativa
from quartiere.territorio.models import OrarioApertura, Quartiere, Sede

GIORNI_EVENTI = 90
# Pact statuses the public register shows as "signed" (issue 5's Patto.Stato values).
STATI_PATTI_FIRMATI = ("firmato", "in_attuazione")


def patti_firmati(quartiere=None, limite: int = 5) -> tuple[list[dict], int | None]:
    """HOOK for the public pages: the latest signed pacts and how many there are.

    Pacts live in the ``patti`` app, built at the same time as this page: until a
    ``patti.Patto`` model with ``stato``, ``titolo``, ``data_firma`` and ``quartiere``
    exists, this returns ``([], None)`` and the pages leave the section out. Two queries.
    """
    try:
        Patto = apps.get_model("patti", "Patto")
    except LookupError:
        return [], None
    campi = {f.name for f in Patto._meta.get_fields()}
    if not {"stato", "titolo", "data_firma", "quartiere"} <= campi:
        return [], None
    qs = Patto.objects.filter(stato__in=STATI_PATTI_FIRMATI, data_firma__isnull=False)
    if quartiere is not None:
        qs = qs.filter(quartiere=quartiere)
    valori = ["pk", "titolo", "data_firma", "quartiere__nome"]
    if "numero" in campi:
        valori.append("numero")
    righe = list(qs.order_by("-data_firma", "-pk").values(*valori)[:limite])
    for r in righe:
        try:
            r["url"] = reverse("patti:registro_dettaglio", args=[r["pk"]])
        except NoReverseMatch:
            r["url"] = ""
    return righe, qs.count()


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
        ctx["patti_recenti"], ctx["patti_firmati_totale"] = patti_firmati(limite=4)
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
        from laboratori.models import Incontro, Laboratorio

        ctx = super().get_context_data(**kwargs)
        q = self.object
        adesso = timezone.now()
        prossimi_incontri = (
            Incontro.objects.filter(pubblico=True, inizio__gte=adesso)
            .exclude(stato=Incontro.Stato.ANNULLATO)
            .select_related("sede")
            .only("pk", "titolo", "inizio", "fine", "luogo", "laboratorio_id", "sede__nome")
            .order_by("inizio")
        )
        ctx["laboratori"] = list(
            Laboratorio.objects.filter(quartiere=q)
            .exclude(stato=Laboratorio.Stato.CONCLUSO)
            .only("pk", "titolo", "tema", "fase", "stato", "descrizione")
            .prefetch_related(
                Prefetch("incontri", queryset=prossimi_incontri[:3], to_attr="prossimi_incontri")
            )
            .order_by("titolo")
        )
        ctx["prossimi_eventi"] = _prossimi_eventi(10, sede__quartiere=q)
        ctx["patti_recenti"], ctx["patti_firmati_totale"] = patti_firmati(quartiere=q)
        ctx["cifre"] = Incontro.objects.filter(laboratorio__quartiere=q, pubblico=True).aggregate(
            incontri_svolti=Count(
                "pk",
                filter=Q(stato=Incontro.Stato.SVOLTO, inizio__gte=adesso - timedelta(days=365)),
            ),
            incontri_in_programma=Count(
                "pk", filter=Q(stato=Incontro.Stato.PROGRAMMATO, inizio__gte=adesso)
            ),
        )
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
