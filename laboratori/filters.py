"""List filters of the labs' staff pages."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from laboratori.models import Laboratorio
from quartiere.territorio.models import Quartiere


class LaboratorioFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Cerca"), method="filtra_testo")
    quartiere = django_filters.ModelChoiceFilter(
        label=_("Quartiere"), queryset=Quartiere.objects.none(), empty_label=_("Tutti")
    )
    fase = django_filters.ChoiceFilter(
        label=_("Fase"), choices=Laboratorio.Fase.choices, empty_label=_("Tutte")
    )
    stato = django_filters.ChoiceFilter(
        label=_("Stato"), choices=Laboratorio.Stato.choices, empty_label=_("Tutti")
    )
    miei = django_filters.BooleanFilter(
        label=_("Solo quelli che facilito"),
        method="filtra_miei",
        widget=forms.CheckboxInput,
    )

    class Meta:
        model = Laboratorio
        fields = ["q", "quartiere", "fase", "stato"]

    def __init__(self, *args, quartieri=None, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        if quartieri is not None:
            self.filters["quartiere"].queryset = quartieri

    def filtra_testo(self, queryset, name, value):
        q = Q()
        for parola in value.split():
            q &= Q(titolo__icontains=parola) | Q(tema__icontains=parola) | Q(codice=parola)
        return queryset.filter(q)

    def filtra_miei(self, queryset, name, value):
        if value and self.user is not None:
            return queryset.filter(facilitatori=self.user)
        return queryset
