"""List filters of the shared registry."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from quartiere.registro.models import Organizzazione, Persona
from quartiere.territorio.models import Quartiere


class _RegistroFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Cerca"), method="filtra_testo")
    quartiere = django_filters.ModelChoiceFilter(
        label=_("Quartiere"), queryset=Quartiere.objects.none(), empty_label=_("Tutti")
    )

    def __init__(self, *args, quartieri=None, **kwargs):
        super().__init__(*args, **kwargs)
        if quartieri is not None:
            self.filters["quartiere"].queryset = quartieri

    def filtra_testo(self, queryset, name, value):
        return queryset.cerca(value)


class PersonaFilter(_RegistroFilter):
    consenso_privacy = django_filters.TypedChoiceFilter(
        label=_("Consenso privacy"),
        choices=[("", _("Tutti")), ("1", _("sì")), ("0", _("no"))],
        coerce=lambda valore: valore == "1",
    )

    class Meta:
        model = Persona
        fields = ["q", "quartiere", "consenso_privacy"]


class OrganizzazioneFilter(_RegistroFilter):
    tipo = django_filters.ChoiceFilter(
        label=_("Tipo"), choices=Organizzazione.Tipo.choices, empty_label=_("Tutti")
    )

    class Meta:
        model = Organizzazione
        fields = ["q", "tipo", "quartiere"]
