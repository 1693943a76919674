"""The worklist's filters; the map and the exports reuse them so that they show exactly
the filtered list."""

from __future__ import annotations

from datetime import timedelta

import django_filters
from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from quartiere.lib.scelte import CampoSceltaFiltro
from quartiere.territorio.models import Quartiere
from segnalazioni.forms import UtenteChoiceField, utenti_assegnabili
from segnalazioni.models import Canale, Categoria, Esito, Segnalazione, Stato, Tipo


class UtenteFilter(django_filters.ModelChoiceFilter):
    field_class = UtenteChoiceField


class SceltaFilter(django_filters.ModelChoiceFilter):
    """A select over a small table, without a server-side cursor (quartiere.scelte)."""

    field_class = CampoSceltaFiltro


class SegnalazioneFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Cerca nel testo"), method="filtra_testo")
    stato = django_filters.ChoiceFilter(
        label=_("Stato"), choices=Stato.choices, empty_label=_("Tutti")
    )
    tipo = django_filters.ChoiceFilter(
        label=_("Tipo"), choices=Tipo.choices, empty_label=_("Tutti")
    )
    categoria = SceltaFilter(
        label=_("Categoria"), queryset=Categoria.objects.all(), empty_label=_("Tutte")
    )
    canale = django_filters.ChoiceFilter(
        label=_("Canale"), choices=Canale.choices, empty_label=_("Tutti")
    )
    quartiere = SceltaFilter(
        label=_("Quartiere"), queryset=Quartiere.objects.none(), empty_label=_("Tutti")
    )
    assegnata_a = UtenteFilter(
        label=_("Assegnata a"), queryset=get_user_model().objects.none(), empty_label=_("Chiunque")
    )
    dal = django_filters.DateFilter(
        label=_("Ricevute dal"),
        field_name="creata_il",
        lookup_expr="date__gte",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    al = django_filters.DateFilter(
        label=_("Ricevute fino al"),
        field_name="creata_il",
        lookup_expr="date__lte",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    scadute = django_filters.BooleanFilter(
        label=_("Solo aperte oltre il termine"),
        method="filtra_scadute",
        widget=forms.CheckboxInput,
    )
    ordina = django_filters.OrderingFilter(
        label=_("Ordina per"),
        fields=(
            ("creata_il", "creata_il"),
            ("scadenza", "scadenza"),
            ("stato", "stato"),
            ("quartiere__nome", "quartiere"),
            ("categoria__nome", "categoria"),
        ),
        field_labels={
            "creata_il": _("data di ricezione"),
            "scadenza": _("termine di risposta"),
            "stato": _("stato"),
            "quartiere__nome": _("quartiere"),
            "categoria__nome": _("categoria"),
        },
        empty_label=_("più recenti prima"),
    )

    class Meta:
        model = Segnalazione
        fields = ["q", "stato", "tipo", "categoria", "canale", "quartiere", "assegnata_a"]

    def __init__(self, *args, user, quartieri, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["quartiere"].queryset = quartieri
        from quartiere.accesso import policy

        self.filters["assegnata_a"].queryset = utenti_assegnabili(user, policy.quartieri_ids(user))

    def filtra_testo(self, queryset, name, value):
        return queryset.cerca(value[:200])

    def filtra_scadute(self, queryset, name, value):
        if value:
            return queryset.aperte().filter(scadenza__lt=timezone.localdate())
        return queryset


class ElencoPubblicoFilter(django_filters.FilterSet):
    """The public list's filters (issue 17): type, quartiere, and open or resolved in the
    last twelve months. Only ever applied to ``Segnalazione.objects.pubbliche()``."""

    RISOLTE_GIORNI = 365

    categoria = SceltaFilter(
        label=_("Tipo di disservizio"),
        queryset=Categoria.objects.filter(mai_pubblica=False),
        empty_label=_("Tutti"),
    )
    quartiere = SceltaFilter(
        label=_("Quartiere"), queryset=Quartiere.objects.all(), empty_label=_("Tutti")
    )
    situazione = django_filters.ChoiceFilter(
        label=_("Situazione"),
        choices=[
            ("in_corso", _("In corso")),
            ("risolte", _("Risolte negli ultimi 12 mesi")),
        ],
        empty_label=_("Tutte"),
        method="filtra_situazione",
    )

    class Meta:
        model = Segnalazione
        fields: list[str] = []

    @classmethod
    def risolte_dal(cls):
        return timezone.now() - timedelta(days=cls.RISOLTE_GIORNI)

    def filtra_situazione(self, queryset, name, value):
        if value == "in_corso":
            return queryset.exclude(stato=Stato.CHIUSA)
        if value == "risolte":
            return queryset.filter(
                stato=Stato.CHIUSA, esito=Esito.RISOLTA, chiusa_il__gte=self.risolte_dal()
            )
        return queryset
