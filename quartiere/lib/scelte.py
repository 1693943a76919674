"""Choice fields over a few dozen rows, fetched with one ordinary query.

Django iterates a ``ModelChoiceField``'s queryset with ``.iterator()``, which on
PostgreSQL declares a server-side cursor ``WITH HOLD``, then fetches and closes it: three
round trips (and a materialised cursor) for each select of quartieri, categories or
users on every page that renders one (docs/performance.md, 4.1). Use these for small,
bounded choice lists only; large ones should not be selects at all."""

from __future__ import annotations

from django import forms
from django.forms.models import ModelChoiceIterator
from django_filters.fields import ModelChoiceField as ModelChoiceFieldFiltro
from django_filters.fields import ModelChoiceIterator as ModelChoiceIteratorFiltro

from quartiere.lib import memo


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


class SceltaMemorizzata(forms.ModelChoiceField):
    """A choice among reference rows (quartieri, categories) that a form validates
    without a query when this process has validated the same choice in the last
    ``QUARTIERE_SCELTE_MEMO_SECONDI`` seconds (quartiere/lib/memo.py).

    On a public report the two look-ups were a third of the form's cost and two of its
    round trips (docs/performance.md, 4.7). The form opts in with ``memo=``, naming the
    queryset it gives; a form's copy of the field keeps it, assigning any other queryset
    turns it off, so a queryset narrowed to a user's quartieri never answers from a memo
    filled by another.
    A row deactivated or renamed is seen by every process within that many seconds, as
    the staff pages' cached choices are (4.1); a new row is seen at once (a miss queries).
    """

    iterator = SceltePiccole

    def __init__(self, queryset, *, memo: str | None = None, **kwargs):
        """``memo`` names the rows of ``queryset``: one name per queryset."""
        super().__init__(queryset, **kwargs)
        self._memo = memo
        # The queryset the name stands for. The ``queryset`` setter stores a copy of what
        # it is given, so any assignment leaves another object there and the memo off.
        self._memo_di = self.queryset

    def __deepcopy__(self, memo_copia):
        # Each form works on a copy of the class's field, which Django gives a copy of the
        # same queryset: still the rows the name stands for, unless they were replaced.
        copia = super().__deepcopy__(memo_copia)
        if self.memo_attivo is not None:
            copia._memo_di = copia.queryset
        return copia

    @property
    def memo_attivo(self) -> str | None:
        """The memo's name while the field holds the queryset it was given, else ``None``."""
        return self._memo if self.queryset is self._memo_di else None

    def to_python(self, value):
        nome = self.memo_attivo
        if nome is None or value in self.empty_values:
            return super().to_python(value)
        # Only a row found is kept: a ValidationError leaves the memo as it was.
        return memo.memorizzato(
            ("scelta", nome, str(value)),
            lambda: super(SceltaMemorizzata, self).to_python(value),
        )
