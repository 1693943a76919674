"""The attribution field every activity's form shows (issue 19): the axes of the programmes
running around today, or the one already chosen. The day and quartiere the activity names
are checked by the model's ``clean()`` (``AttribuibileAProgramma``)."""

from __future__ import annotations

from datetime import timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from quartiere.programmi.models import Asse, Programma, scelta_asse

# How far around today a programme's dates may be for its axes to be offered: an activity
# recorded late (up to a year) or planned a week ahead.
INDIETRO = timedelta(days=366)
AVANTI = timedelta(days=7)


def prepara_campo_asse(campo: forms.ModelChoiceField, gia_scelto: int | None) -> None:
    oggi = timezone.localdate()
    attivi = Programma.objects.filter(inizio__lte=oggi + AVANTI, fine__gte=oggi - INDIETRO)
    assi = Asse.objects.filter(programma__in=attivi)
    if gia_scelto:
        assi = assi | Asse.objects.filter(pk=gia_scelto)
    campo.queryset = assi.select_related("programma").order_by("programma__nome", "codice")
    campo.label_from_instance = scelta_asse
    campo.empty_label = _("Nessun programma")


class AttribuzioneFormMixin:
    """For a ModelForm whose model is ``AttribuibileAProgramma`` and lists ``asse``."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "asse" in self.fields:
            prepara_campo_asse(self.fields["asse"], self.instance.asse_id)
