"""All input of the labs: explicit fields, choices restricted to what the user may use."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from laboratori.models import Aderente, Incontro, Laboratorio, Proposta, VoceMandato
from laboratori.services import (
    TRANSIZIONI_INCONTRO,
    TRANSIZIONI_LABORATORIO,
    TRANSIZIONI_PROPOSTA,
)
from quartiere.accesso import policy
from quartiere.accesso.versioni import VersioneFormMixin
from quartiere.programmi.forms import AttribuzioneFormMixin
from quartiere.registro.forms import PersonaForm, quartieri_per
from quartiere.registro.models import Organizzazione, Persona
from quartiere.registro.rules import scope_registro
from quartiere.territorio.models import ProfiloStaff, Sede

_DATA = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
_DATA_ORA = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class FacilitatoreField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.get_full_name() or obj.username


def facilitatori_possibili():
    """Active staff who run labs: operators and coordinators."""
    return (
        get_user_model()
        .objects.filter(is_active=True, groups__name__in=[policy.OPERATORE, policy.COORDINATORE])
        .distinct()
        .order_by("last_name", "first_name", "username")
    )


class LaboratorioForm(VersioneFormMixin, forms.ModelForm):
    facilitatori = FacilitatoreField(
        label=_("Facilitatori"),
        queryset=get_user_model().objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Operatori del quartiere del laboratorio o coordinatori."),
    )

    class Meta:
        model = Laboratorio
        fields = [
            "titolo",
            "quartiere",
            "tema",
            "descrizione",
            "fase",
            "data_inizio",
            "data_fine",
            "facilitatori",
        ]
        widgets = {
            "descrizione": forms.Textarea(attrs={"rows": 4}),
            "data_inizio": _DATA,
            "data_fine": _DATA,
        }

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["quartiere"].queryset = quartieri_per(user)
        self.fields["facilitatori"].queryset = facilitatori_possibili()
        if self.instance.pk:
            # The phase moves through its own action, with history.
            del self.fields["fase"]

    def clean_titolo(self):
        return " ".join(self.cleaned_data["titolo"].split())

    def clean(self):
        dati = super().clean()
        inizio, fine = dati.get("data_inizio"), dati.get("data_fine")
        if inizio and fine and fine < inizio:
            self.add_error("data_fine", _("La fine non può precedere l'inizio."))
        quartiere, facilitatori = dati.get("quartiere"), dati.get("facilitatori")
        if quartiere and facilitatori:
            ids = [u.pk for u in facilitatori]
            # An operator may facilitate only in a quartiere they work in.
            fuori = (
                get_user_model()
                .objects.filter(pk__in=ids, groups__name=policy.OPERATORE)
                .exclude(groups__name=policy.COORDINATORE)
                .exclude(pk__in=ProfiloStaff.objects.filter(quartieri=quartiere).values("utente"))
            )
            nomi = [u.get_full_name() or u.username for u in fuori]
            if nomi:
                self.add_error(
                    "facilitatori",
                    _("Non lavorano nel quartiere %(q)s: %(nomi)s.")
                    % {"q": quartiere, "nomi": ", ".join(nomi)},
                )
        return dati


class IncontroForm(AttribuzioneFormMixin, VersioneFormMixin, forms.ModelForm):
    class Meta:
        model = Incontro
        fields = [
            "titolo",
            "inizio",
            "fine",
            "sede",
            "luogo",
            "pubblico",
            "ordine_del_giorno",
            "verbale",
            "asse",
        ]
        widgets = {
            "inizio": _DATA_ORA,
            "fine": _DATA_ORA,
            "ordine_del_giorno": forms.Textarea(attrs={"rows": 5}),
            "verbale": forms.Textarea(attrs={"rows": 10}),
        }
        help_texts = {
            "pubblico": _("Compare nel calendario pubblico dei laboratori."),
        }

    def __init__(self, *args, laboratorio=None, **kwargs):
        super().__init__(*args, **kwargs)
        laboratorio = laboratorio or self.instance.laboratorio
        # The lab's own offices first, then halls of any quartiere (the shared hall).
        self.fields["sede"].queryset = Sede.objects.filter(
            Q(quartiere=laboratorio.quartiere_id) | Q(quartiere__isnull=True) | Q(tipo="sala")
        ).order_by("nome")
        self.fields["sede"].empty_label = _("— nessuna: indica il luogo —")
        self.fields["luogo"].help_text = _(
            "Se l'incontro non è in una sede, oppure per precisare (es. «cortile, scala B»)."
        )
        self.fields["inizio"].input_formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%d/%m/%Y %H:%M"]
        self.fields["fine"].input_formats = self.fields["inizio"].input_formats

    def clean_luogo(self):
        return " ".join(self.cleaned_data.get("luogo", "").split())

    def clean(self):
        dati = super().clean()
        if not dati.get("sede") and not dati.get("luogo"):
            self.add_error("luogo", _("Indica la sede oppure il luogo dell'incontro."))
        inizio, fine = dati.get("inizio"), dati.get("fine")
        if inizio and fine and fine <= inizio:
            self.add_error("fine", _("La fine deve seguire l'inizio."))
        return dati


class PropostaForm(VersioneFormMixin, forms.ModelForm):
    """Proponents are chosen among who attended the lab: proposals emerge there."""

    class Meta:
        model = Proposta
        fields = [
            "titolo",
            "descrizione",
            "incontro",
            "proponente_persona",
            "proponente_organizzazione",
        ]
        widgets = {"descrizione": forms.Textarea(attrs={"rows": 5})}

    def __init__(self, *args, laboratorio=None, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        laboratorio = laboratorio or self.instance.laboratorio
        self.fields["incontro"].queryset = laboratorio.incontri.order_by("-inizio")
        self.fields["incontro"].empty_label = _("— nessuno —")
        persone = Persona.objects.filter(presenze__incontro__laboratorio=laboratorio)
        organizzazioni = Organizzazione.objects.filter(presenze__incontro__laboratorio=laboratorio)
        if self.instance.pk:
            # Keep the current proponent selectable even if their attendance went away.
            persone = persone | Persona.objects.filter(pk=self.instance.proponente_persona_id)
            organizzazioni = organizzazioni | Organizzazione.objects.filter(
                pk=self.instance.proponente_organizzazione_id
            )
        if user is not None:
            persone = scope_registro(persone, user)
            organizzazioni = scope_registro(organizzazioni, user)
        self.fields["proponente_persona"].queryset = persone.distinct().only(
            "pk", "nome", "cognome"
        )
        self.fields["proponente_organizzazione"].queryset = organizzazioni.distinct().only(
            "pk", "nome"
        )
        self.fields["proponente_persona"].help_text = _(
            "Tra le persone presenti agli incontri del laboratorio."
        )
        self.fields["proponente_organizzazione"].help_text = _(
            "Tra le organizzazioni presenti agli incontri del laboratorio."
        )

    def clean_titolo(self):
        return " ".join(self.cleaned_data["titolo"].split())


class _StatoForm(forms.Form):
    stato = forms.ChoiceField(label=_("Nuovo stato"))

    def __init__(self, *args, attuale: str, transizioni, scelte, **kwargs):
        super().__init__(*args, **kwargs)
        etichette = dict(scelte)
        self.fields["stato"].choices = [
            (valore, etichette[valore]) for valore, _e in scelte if valore in transizioni[attuale]
        ]


class StatoLaboratorioForm(_StatoForm):
    def __init__(self, *args, laboratorio, **kwargs):
        super().__init__(
            *args,
            attuale=laboratorio.stato,
            transizioni=TRANSIZIONI_LABORATORIO,
            scelte=Laboratorio.Stato.choices,
            **kwargs,
        )


class FaseForm(forms.Form):
    fase = forms.ChoiceField(label=_("Nuova fase"), choices=Laboratorio.Fase.choices)

    def __init__(self, *args, laboratorio, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["fase"].choices = [
            c for c in Laboratorio.Fase.choices if c[0] != laboratorio.fase
        ]


class StatoIncontroForm(_StatoForm):
    def __init__(self, *args, incontro, **kwargs):
        super().__init__(
            *args,
            attuale=incontro.stato,
            transizioni=TRANSIZIONI_INCONTRO,
            scelte=Incontro.Stato.choices,
            **kwargs,
        )


class StatoPropostaForm(_StatoForm):
    esito = forms.CharField(
        label=_("Esito"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Cosa è stato deciso e perché (pubblico per le proposte accolte)."),
    )

    def __init__(self, *args, proposta, **kwargs):
        super().__init__(
            *args,
            attuale=proposta.stato,
            transizioni=TRANSIZIONI_PROPOSTA,
            scelte=Proposta.Stato.choices,
            **kwargs,
        )


class PresenzaForm(forms.Form):
    """One attendance: a person and/or an organisation, by id (the no-JS path too)."""

    persona = forms.IntegerField(required=False, widget=forms.HiddenInput)
    organizzazione = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def _nel_registro(self, modello, pk):
        if pk is None:
            return None
        obj = scope_registro(modello.objects.all(), self.user).filter(pk=pk).first()
        if obj is None:
            raise forms.ValidationError(_("Scheda non trovata."), code="non_trovata")
        return obj

    def clean_persona(self):
        return self._nel_registro(Persona, self.cleaned_data.get("persona"))

    def clean_organizzazione(self):
        return self._nel_registro(Organizzazione, self.cleaned_data.get("organizzazione"))

    def clean(self):
        dati = super().clean()
        if not self.errors and not dati.get("persona") and not dati.get("organizzazione"):
            raise forms.ValidationError(_("Indica una persona o un'organizzazione."))
        return dati


class AderenteForm(PresenzaForm):
    """A new member of a group: a person and/or an organisation of the registry, by id,
    with their role and the day they joined (today when empty)."""

    ruolo = forms.ChoiceField(
        label=_("Ruolo"), choices=Aderente.Ruolo.choices, initial=Aderente.Ruolo.MEMBRO
    )
    dal = forms.DateField(label=_("Dal"), required=False, widget=_DATA)


class PersonaRapidaForm(PersonaForm):
    """The few fields an operator asks a newcomer at the door."""

    organizzazione = forms.IntegerField(required=False, widget=forms.HiddenInput)

    class Meta(PersonaForm.Meta):
        fields = ["nome", "cognome", "email", "telefono", "quartiere", "consenso_privacy"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["conferma_non_doppione"].label = _(
            "Ho controllato: non è nessuna delle persone simili indicate"
        )

    def clean_organizzazione(self):
        pk = self.cleaned_data.get("organizzazione")
        if pk is None:
            return None
        obj = scope_registro(Organizzazione.objects.all(), self.user).filter(pk=pk).first()
        if obj is None:
            raise forms.ValidationError(_("Organizzazione non trovata."))
        return obj


class VoceMandatoForm(forms.ModelForm):
    """A new line of a group's mandate, from the group's page."""

    class Meta:
        model = VoceMandato
        fields = ["tipo", "testo"]
