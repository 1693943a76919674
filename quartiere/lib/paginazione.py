"""A paginator whose total is read from the cache.

Django's paginator counts every row of the list at each request, to number the pages. On a
public list over every report the city ever made public that count is a scan which grows
with the data (the public list of reports took 0.7 s at 400,000 reports, nearly all of it
counting: docs/performance.md), while the page itself is twenty rows read from an index. A
public list can show a total a minute old: the count runs once per ``secondi`` and
filter, in the shared cache (the database's, or Redis), and every other request reads it.
"""

from __future__ import annotations

import hashlib

from django.core.cache import cache
from django.core.paginator import Page, Paginator
from django.utils.functional import cached_property


def chiave_cache(prefisso: str, parametri: dict[str, str]) -> str:
    """A short cache key for ``prefisso`` and the list's filters, whatever they hold."""
    testo = "&".join(f"{k}={parametri[k]}" for k in sorted(parametri))
    return f"{prefisso}:{hashlib.sha256(testo.encode()).hexdigest()[:32]}"


class PaginatorConTotaleInCache(Paginator):
    """Django's paginator, with ``count`` kept in the cache for ``secondi`` under ``chiave``."""

    def __init__(self, *args, chiave: str, secondi: int, **kwargs):
        super().__init__(*args, **kwargs)
        if self.orphans:
            raise ValueError("PaginatorConTotaleInCache does not take orphans")
        self.chiave = chiave
        self.secondi = secondi

    @cached_property
    def count(self) -> int:
        return cache.get_or_set(self.chiave, self.object_list.count, self.secondi)

    def page(self, number) -> Page:
        """The page's rows as they are now: Django's page stops at ``count``, which may be a
        minute old, and would then leave out the rows added since."""
        number = self.validate_number(number)
        inizio = (number - 1) * self.per_page
        return Page(self.object_list[inizio : inizio + self.per_page], number, self)


class TotaleInCacheMixin:
    """For a django-filter ``FilterView`` whose list is public: the paginator's total, and
    whatever :meth:`in_cache` computes, kept ``conteggi_secondi`` per combination of filters
    (``?page=`` and other parameters apart)."""

    paginator_class = PaginatorConTotaleInCache
    conteggi_secondi = 60
    prefisso_cache = ""  # e.g. "segnalazioni:elenco"

    def chiave_filtri(self, cosa: str) -> str:
        nomi = self.filterset_class.base_filters
        filtri = {nome: self.request.GET.get(nome, "") for nome in nomi}
        return chiave_cache(f"{self.prefisso_cache}:{cosa}", filtri)

    def in_cache(self, cosa: str, calcola):
        return cache.get_or_set(self.chiave_filtri(cosa), calcola, self.conteggi_secondi)

    def get_paginator(self, *args, **kwargs):
        return super().get_paginator(
            *args, chiave=self.chiave_filtri("totale"), secondi=self.conteggi_secondi, **kwargs
        )
