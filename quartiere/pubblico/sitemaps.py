"""The public site's sitemap (served at /sitemap.xml)."""

from __future__ import annotations

from django.contrib.sitemaps import Sitemap
from django.urls import NoReverseMatch, reverse

from quartiere.territorio.models import Quartiere, Sede


class PaginePubblicheSitemap(Sitemap):
    changefreq = "weekly"
    priority = 0.8
    # Pages of other apps join as they are built: a name that does not resolve is skipped.
    nomi = [
        "quartiere:home",
        "quartiere:quartieri_pubblici",
        "quartiere:calendario_pubblico",
        "quartiere:richiesta_sala",
        # The service card stands for the report service (the steps point to it as their
        # canonical page); the one-page form is not advertised.
        "segnalazioni:servizio",
        "segnalazioni:elenco",
        "segnalazioni:cerca_codice",
        "patti:registro",
        "quartiere:privacy",
        "quartiere:accessibilita",
    ]

    def items(self):
        risultato = []
        for nome in self.nomi:
            try:
                reverse(nome)
            except NoReverseMatch:
                continue
            risultato.append(nome)
        return risultato

    def location(self, item):
        return reverse(item)


class QuartieriSitemap(Sitemap):
    changefreq = "weekly"
    priority = 0.7

    def items(self):
        return Quartiere.objects.only("codice").order_by("codice")

    def location(self, item):
        return reverse("quartiere:quartiere_pubblico", args=[item.codice])


class CalendariSitemap(Sitemap):
    changefreq = "daily"
    priority = 0.6

    def items(self):
        return Sede.objects.only("pk").order_by("pk")

    def location(self, item):
        return reverse("quartiere:calendario_sede", args=[item.pk])


SITEMAPS = {
    "pagine": PaginePubblicheSitemap,
    "quartieri": QuartieriSitemap,
    "calendari": CalendariSitemap,
}
