"""All input of the pacts' staff pages."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from laboratori.models import Laboratorio, Proposta
from patti.models import (
    Firmatario,
    Impegno,
    Indicatore,
    Misurazione,
    Patto,
    Progetto,
    StatoPatto,
    TipoAtto,
)
from patti.services import permesso_per, transizioni_da
from quartiere.accesso.versioni import VersioneFormMixin
from quartiere.programmi.forms import AttribuzioneFormMixin
from quartiere.registro.forms import quartieri_per
from quartiere.registro.models import Organizzazione, Persona
from quartiere.registro.rules import scope_registro

_DATA = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class _FiglioDelPatto(VersioneFormMixin, forms.ModelForm):
    """A row that belongs to a pact: the pact is set by the view, and the database
    constraints that involve it (one signatory per pact...) are checked by the form.
    Edits are versioned like the pact's own form."""

    # Set by the view, not fields of the form, yet part of these rows' unique constraints.
    VINCOLATI = frozenset({"patto", "firmatario", "indicatore"})
    #: Whether the form may still save once the pact is signed (it touches only monitoring).
    dopo_la_firma = False

    def validate_unique(self):
        """A ModelForm checks only the constraints of its own fields; the unique
        constraints that also involve the pact (the signatory, the indicator) are checked
        here, with the documented ``Constraint.validate()``."""
        super().validate_unique()
        istanza = self.instance
        esclusi = {f.name for f in istanza._meta.concrete_fields} - set(self.fields)
        esclusi = (esclusi - self.VINCOLATI) | set(self.errors)
        for vincolo in istanza._meta.constraints:
            if not self.VINCOLATI & set(getattr(vincolo, "fields", ())):
                continue
            try:
                vincolo.validate(type(istanza), istanza, exclude=esclusi)
            except ValidationError as errore:
                self.add_error(None, errore.messages)


class PattoForm(AttribuzioneFormMixin, VersioneFormMixin, forms.ModelForm):
    class Meta:
        model = Patto
        fields = [
            "titolo",
            "quartiere",
            "laboratorio",
            "proposta",
            "tipo",
            "livello",
            "bene_materiale",
            "bene_immateriale",
            "bene_digitale",
            "beni_descrizione",
            "luogo",
            "lat",
            "lon",
            "finalita",
            "sostegno_materiali",
            "sostegno_spazi",
            "sostegno_formazione",
            "sostegno_rimborsi",
            "sostegno_assicurazione",
            "sostegno_esenzioni",
            "sostegno_note",
            "copertura_assicurativa",
            "data_inizio",
            "data_fine",
            "modifiche",
            "asse",
        ]
        widgets = {
            "modifiche": forms.Textarea(attrs={"rows": 4}),
            "beni_descrizione": forms.Textarea(attrs={"rows": 3}),
            "finalita": forms.Textarea(attrs={"rows": 4}),
            "sostegno_note": forms.Textarea(attrs={"rows": 3}),
            "copertura_assicurativa": forms.Textarea(attrs={"rows": 2}),
            "data_inizio": _DATA,
            "data_fine": _DATA,
        }

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.integra_id is None:
            del self.fields["modifiche"]  # only a supplementary act says what it changes
        else:
            self.fields["modifiche"].required = True
        quartieri = quartieri_per(user)
        self.fields["quartiere"].queryset = quartieri
        self.fields["laboratorio"].queryset = Laboratorio.objects.filter(
            quartiere__in=quartieri
        ).only("pk", "titolo")
        self.fields["proposta"].queryset = Proposta.objects.filter(
            laboratorio__quartiere__in=quartieri
        ).only("pk", "titolo")

    def clean_titolo(self):
        return " ".join(self.cleaned_data["titolo"].split())

    def clean(self):
        dati = super().clean()
        inizio, fine = dati.get("data_inizio"), dati.get("data_fine")
        if inizio and fine and fine < inizio:
            self.add_error("data_fine", _("La fine non può precedere l'inizio."))
        lat, lon = dati.get("lat"), dati.get("lon")
        if (lat is None) != (lon is None):
            self.add_error("lon", _("Indica latitudine e longitudine insieme, o nessuna."))
        proposta, laboratorio = dati.get("proposta"), dati.get("laboratorio")
        if proposta and laboratorio and proposta.laboratorio_id != laboratorio.pk:
            self.add_error("proposta", _("La proposta appartiene a un altro laboratorio."))
        if lat is not None and not -90 <= lat <= 90:
            self.add_error("lat", _("Latitudine non valida."))
        if lon is not None and not -180 <= lon <= 180:
            self.add_error("lon", _("Longitudine non valida."))
        return dati


class IntegrazioneForm(forms.Form):
    modifiche = forms.CharField(
        label=_("Che cosa cambia, e perché"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=4000,
        help_text=_(
            "Per esempio: «Si aggiunge un volontario e si proroga la durata al 31/12/2027». "
            "L'atto integrativo riparte dal testo del patto: lo modifichi, lo approvi e lo "
            "firmi come un patto; firmato, prende il posto del patto."
        ),
    )


class RendicontazioneForm(VersioneFormMixin, forms.ModelForm):
    class Meta:
        model = Patto
        fields = ["rendicontazione", "rendicontazione_data"]
        widgets = {
            "rendicontazione": forms.Textarea(attrs={"rows": 10}),
            "rendicontazione_data": _DATA,
        }


class StatoForm(forms.Form):
    """Move a pact to one of the statuses the workflow and the user's role allow."""

    a_stato = forms.ChoiceField(label=_("Nuovo stato"))
    nota = forms.CharField(
        label=_("Nota"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    data_firma = forms.DateField(
        label=_("Data di firma"),
        required=False,
        widget=_DATA,
        help_text=_("Solo per la firma; se vuota, oggi."),
    )
    atto_tipo = forms.ChoiceField(
        label=_("Atto di approvazione"),
        choices=[("", "—"), *TipoAtto.choices],
        required=False,
        help_text=_("Solo per l'approvazione."),
    )
    atto_numero = forms.CharField(label=_("Numero dell'atto"), max_length=40, required=False)
    atto_data = forms.DateField(label=_("Data dell'atto"), required=False, widget=_DATA)

    def __init__(self, *args, patto: Patto, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["a_stato"].choices = [
            (stato, StatoPatto(stato).label)
            for stato in transizioni_da(patto.stato)
            if user.has_perm(permesso_per(stato), patto)
        ]

    def clean(self):
        dati = super().clean()
        if dati.get("atto_numero") and not (dati.get("atto_tipo") and dati.get("atto_data")):
            self.add_error("atto_numero", _("Indica tipo, numero e data dell'atto."))
        return dati


class FirmatarioForm(_FiglioDelPatto):
    """The party is chosen by its registry card number, which the type-ahead fills in."""

    persona = forms.ModelChoiceField(
        label=_("Persona (numero di scheda)"),
        queryset=Persona.objects.none(),
        required=False,
        widget=forms.NumberInput(attrs={"data-cerca": "persona"}),
        help_text=_("Il volontario, o il portavoce di un gruppo informale."),
    )
    organizzazione = forms.ModelChoiceField(
        label=_("Organizzazione (numero di scheda)"),
        queryset=Organizzazione.objects.none(),
        required=False,
        widget=forms.NumberInput(attrs={"data-cerca": "organizzazione"}),
    )

    class Meta:
        model = Firmatario
        fields = ["tipo", "persona", "organizzazione", "ufficio", "rappresentante", "ordine"]

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["persona"].queryset = scope_registro(Persona.objects.all(), user)
        self.fields["organizzazione"].queryset = scope_registro(Organizzazione.objects.all(), user)


class ImpegnoForm(_FiglioDelPatto):
    class Meta:
        model = Impegno
        fields = ["descrizione", "scadenza", "svolto"]
        widgets = {"descrizione": forms.Textarea(attrs={"rows": 3}), "scadenza": _DATA}


class ImpegnoSvoltoForm(_FiglioDelPatto):
    """A commitment of a signed pact: only whether it was done."""

    dopo_la_firma = True

    class Meta:
        model = Impegno
        fields = ["svolto"]


class ProgettoForm(_FiglioDelPatto):
    class Meta:
        model = Progetto
        fields = ["titolo", "descrizione", "ambito", "budget", "cofinanziamento", "avanzamento"]
        widgets = {"descrizione": forms.Textarea(attrs={"rows": 3})}

    def clean_avanzamento(self):
        valore = self.cleaned_data["avanzamento"]
        if valore is not None and valore > 100:
            raise forms.ValidationError(_("L'avanzamento è una percentuale (0–100)."))
        return valore

    def clean(self):
        dati = super().clean()
        budget, cofinanziamento = dati.get("budget"), dati.get("cofinanziamento")
        if budget is not None and cofinanziamento is not None and cofinanziamento > budget:
            self.add_error("cofinanziamento", _("Il cofinanziamento supera il budget."))
        return dati


class AvanzamentoForm(_FiglioDelPatto):
    """A project of a signed pact: only its progress."""

    dopo_la_firma = True

    class Meta:
        model = Progetto
        fields = ["avanzamento"]

    clean_avanzamento = ProgettoForm.clean_avanzamento


class IndicatoreForm(_FiglioDelPatto):
    dopo_la_firma = True

    class Meta:
        model = Indicatore
        fields = ["nome", "unita", "obiettivo"]


class MisurazioneForm(_FiglioDelPatto):
    dopo_la_firma = True

    class Meta:
        model = Misurazione
        fields = ["data", "valore", "nota"]
        widgets = {"data": _DATA}
