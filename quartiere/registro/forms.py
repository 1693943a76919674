"""Input for the shared registry."""

from __future__ import annotations

from django import forms
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from quartiere.accesso import policy
from quartiere.accesso.versioni import VersioneFormMixin
from quartiere.lib.validators import (
    normalizza_codice_fiscale,
    normalizza_email,
    normalizza_telefono,
)
from quartiere.privacy.models import Informativa
from quartiere.registro.models import Organizzazione, Persona
from quartiere.registro.rules import scope_registro
from quartiere.territorio.models import Quartiere


def quartieri_per(user):
    """The quartieri a user may file records under."""
    return policy.filtra_quartieri(Quartiere.objects.all(), user, campo="pk")


class PersonaForm(VersioneFormMixin, forms.ModelForm):
    conferma_non_doppione = forms.BooleanField(
        label=_("Ho controllato: non è nessuna delle persone indicate sopra"),
        required=False,
    )

    class Meta:
        model = Persona
        fields = [
            "nome",
            "cognome",
            "codice_fiscale",
            "email",
            "telefono",
            "indirizzo",
            "quartiere",
            "consenso_privacy",
            "consenso_pubblicazione",
            "note",
        ]
        widgets = {"note": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["quartiere"].queryset = quartieri_per(user) if user else Quartiere.objects.all()
        self.fields["consenso_privacy"].help_text = format_html(
            '{} <a href="{}">{}</a>',
            _("La persona ha letto l'informativa sul trattamento dei dati (art. 13 GDPR)."),
            reverse("quartiere:privacy"),
            _("Leggi l'informativa"),
        )
        self.doppioni = None

    def clean_nome(self):
        return " ".join(self.cleaned_data["nome"].split())

    def clean_cognome(self):
        return " ".join(self.cleaned_data["cognome"].split())

    def clean_codice_fiscale(self):
        codice = normalizza_codice_fiscale(self.cleaned_data.get("codice_fiscale", ""))
        if codice:
            # The database enforces it too; this only puts the message next to the field.
            altri = Persona.objects.filter(codice_fiscale=codice).exclude(pk=self.instance.pk)
            if altri.exists():
                raise forms.ValidationError(
                    _("Esiste già una persona con questo codice fiscale: cercala nel registro."),
                    code="unique",
                )
        return codice

    def clean_email(self):
        return normalizza_email(self.cleaned_data.get("email", ""))

    def clean_telefono(self):
        return normalizza_telefono(self.cleaned_data.get("telefono", ""))

    def clean(self):
        """The consent's date and notice version follow the box: recorded when it is first
        ticked, cleared when it is not. Set on the instance before the form copies its
        fields, so the model's validation sees them."""
        dati = super().clean()
        persona = self.instance
        if dati.get("consenso_privacy"):
            if not persona.consenso_data:
                persona.consenso_data = timezone.localdate()
                persona.informativa_versione = Informativa.versione_corrente()
        else:
            persona.consenso_data = None
            persona.informativa_versione = ""
        return dati


class OrganizzazioneForm(VersioneFormMixin, forms.ModelForm):
    class Meta:
        model = Organizzazione
        fields = [
            "nome",
            "tipo",
            "codice_fiscale",
            "email",
            "telefono",
            "indirizzo",
            "sito_web",
            "quartiere",
            "referente",
            "note",
        ]
        widgets = {"note": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["quartiere"].queryset = quartieri_per(user) if user else Quartiere.objects.all()
        referenti = Persona.objects.only("pk", "nome", "cognome")
        if user is not None:
            referenti = scope_registro(referenti, user)
        self.fields["referente"].queryset = referenti

    def clean_email(self):
        return normalizza_email(self.cleaned_data.get("email", ""))

    def clean_telefono(self):
        return normalizza_telefono(self.cleaned_data.get("telefono", ""))

    def clean_codice_fiscale(self):
        return (self.cleaned_data.get("codice_fiscale") or "").strip().upper().replace(" ", "")


class UnisciPersoneForm(forms.Form):
    conferma = forms.BooleanField(
        label=_(
            "Confermo: tutti i collegamenti passano alla persona tenuta "
            "e il doppione viene eliminato"
        ),
    )
