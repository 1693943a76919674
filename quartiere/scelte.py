"""Choice fields over a few dozen rows, fetched with one ordinary query.

Django iterates a ``ModelChoiceField``'s queryset with ``.iterator()``, which on
PostgreSQL declares a server-side cursor ``WITH HOLD``, then fetches and closes it: three
round trips (and a materialised cursor) for each select of quartieri, categories or
users on every page that renders one (docs/performance.md, 4.1). Use these for small,
bounded choice lists only; large ones should not be selects at all."""

from __future__ import annotations

from django.forms.models import ModelChoiceIterator
from django_filters.fields import ModelChoiceField as ModelChoiceFieldFiltro
from django_filters.fields import ModelChoiceIterator as ModelChoiceIteratorFiltro


class SceltePiccole(ModelChoiceIterator):
    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in self.queryset.all():
            yield self.choice(obj)


class SceltePiccoleFiltro(ModelChoiceIteratorFiltro, SceltePiccole):
    """django-filter's iterator (it adds the "null" choice) over the one above."""


class CampoSceltaFiltro(ModelChoiceFieldFiltro):
    iterator = SceltePiccoleFiltro
