"""List filters: the staff list and the public register."""

from __future__ import annotations

import django_filters
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from patti.models import AmbitoProgetto, LivelloPatto, Patto, Progetto, StatoPatto
from quartiere.territorio.models import Quartiere


class PattoFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Cerca"), method="filtra_testo")
    stato = django_filters.ChoiceFilter(
        label=_("Stato"), choices=StatoPatto.choices, empty_label=_("Tutti")
    )
    quartiere = django_filters.ModelChoiceFilter(
        label=_("Quartiere"), queryset=Quartiere.objects.none(), empty_label=_("Tutti")
    )
    livello = django_filters.ChoiceFilter(
        label=_("Livello"), choices=LivelloPatto.choices, empty_label=_("Tutti")
    )

    class Meta:
        model = Patto
        fields = ["q", "stato", "quartiere", "livello"]

    def __init__(self, *args, quartieri=None, **kwargs):
        super().__init__(*args, **kwargs)
        if quartieri is not None:
            self.filters["quartiere"].queryset = quartieri

    def filtra_testo(self, queryset, name, value):
        return queryset.filter(
            Q(titolo__icontains=value) | Q(numero__icontains=value) | Q(luogo__icontains=value)
        )


class RegistroFilter(django_filters.FilterSet):
    """Filters of the public register: quartiere, year of signature, level, ambito."""

    quartiere = django_filters.ModelChoiceFilter(
        label=_("Quartiere"),
        queryset=Quartiere.objects.only("pk", "nome"),
        empty_label=_("Tutti"),
    )
    anno = django_filters.ChoiceFilter(
        label=_("Anno di firma"), field_name="data_firma__year", empty_label=_("Tutti")
    )
    livello = django_filters.ChoiceFilter(
        label=_("Livello"), choices=LivelloPatto.choices, empty_label=_("Tutti")
    )
    ambito = django_filters.ChoiceFilter(
        label=_("Ambito dei progetti"),
        choices=AmbitoProgetto.choices,
        empty_label=_("Tutti"),
        method="filtra_ambito",
    )

    class Meta:
        model = Patto
        fields = ["quartiere", "anno", "livello", "ambito"]

    def __init__(self, *args, anni=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["anno"].extra["choices"] = [(str(a), str(a)) for a in anni]

    def filtra_ambito(self, queryset, name, value):
        return queryset.filter(Exists(Progetto.objects.filter(patto=OuterRef("pk"), ambito=value)))
