"""Input for the operators' diary."""

from __future__ import annotations

from datetime import timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from quartiere.accesso.versioni import VersioneFormMixin
from quartiere.calendario.forms import widget_data
from quartiere.diario.models import AttivitaDiario
from quartiere.programmi.forms import AttribuzioneFormMixin
from quartiere.registro.forms import quartieri_per

# --- Diary ---------------------------------------------------------------------------------


class AttivitaDiarioForm(AttribuzioneFormMixin, VersioneFormMixin, forms.ModelForm):
    class Meta:
        model = AttivitaDiario
        fields = ["data", "quartiere", "tipo", "ore", "asse", "nota"]
        widgets = {
            "data": widget_data(),
            "nota": forms.Textarea(attrs={"rows": 2}),
            "ore": forms.NumberInput(attrs={"step": "0.25", "min": "0.25", "max": "24"}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["quartiere"].queryset = quartieri_per(user)
        self.fields["quartiere"].empty_label = _("Nessun quartiere in particolare")
        if not self.instance.pk:
            self.fields["data"].initial = timezone.localdate()

    def clean_ore(self):
        ore = self.cleaned_data["ore"]
        if ore is not None and not (0 < ore <= 24):
            raise forms.ValidationError(_("Le ore devono essere più di 0 e al massimo 24."))
        return ore

    def clean_data(self):
        giorno = self.cleaned_data["data"]
        if giorno > timezone.localdate() + timedelta(days=7):
            raise forms.ValidationError(
                _("Il diario registra il lavoro svolto, non quello futuro.")
            )
        return giorno
