"""Input for mediation dossiers. Choice querysets are restricted to what the user may
pick: quartieri, staff who can be assigned, persons of the registry they may see,
parties of the same dossier."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mediazione.models import FASI_APERTE, Accordo, Attivita, Dossier, Esito, Fase, Parte
from quartiere.accesso import policy
from quartiere.accesso.versioni import VersioneFormMixin
from quartiere.programmi.forms import AttribuzioneFormMixin
from quartiere.registro.models import Persona
from quartiere.registro.rules import scope_registro
from quartiere.territorio.models import Quartiere

DATA = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def mediatori_assegnabili():
    """Active staff who can be assigned a dossier: mediators and coordinators."""
    return (
        get_user_model()
        .objects.filter(is_active=True, groups__name__in=[policy.MEDIATORE, policy.COORDINATORE])
        .distinct()
        .order_by("last_name", "first_name", "username")
    )


class _NomeUtente(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.get_full_name() or obj.get_username()


class DossierForm(AttribuzioneFormMixin, VersioneFormMixin, forms.ModelForm):
    mediatori = _NomeUtente(
        label=_("Mediatori assegnati"),
        queryset=get_user_model().objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Solo i mediatori assegnati e i coordinatori leggono il dossier."),
    )

    class Meta:
        model = Dossier
        fields = [
            "quartiere",
            "tipo_conflitto",
            "canale_arrivo",
            "aperto_il",
            "descrizione",
            "asse",
        ]
        widgets = {"descrizione": forms.Textarea(attrs={"rows": 4}), "aperto_il": DATA}

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["quartiere"].queryset = Quartiere.objects.all()
        self.fields["mediatori"].queryset = mediatori_assegnabili()
        if self.instance.pk:
            self.fields["mediatori"].initial = list(
                self.instance.mediatori.values_list("pk", flat=True)
            )
            # The opening date sets the number: it cannot change afterwards.
            del self.fields["aperto_il"]
        elif user is not None and policy.is_mediatore(user):
            self.fields["mediatori"].initial = [user.pk]

    def clean_aperto_il(self):
        data = self.cleaned_data["aperto_il"]
        if data and data > timezone.localdate():
            raise forms.ValidationError(_("La data di apertura non può essere nel futuro."))
        return data

    def clean(self):
        dati = super().clean()
        mediatori = dati.get("mediatori")
        if mediatori is not None and not mediatori and not policy.is_mediatore(self.user):
            self.add_error("mediatori", _("Assegna il dossier ad almeno un mediatore."))
        if self.instance.pk and mediatori is not None and not mediatori:
            self.add_error("mediatori", _("Assegna il dossier ad almeno un mediatore."))
        return dati


class _PersonaChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.cognome} {obj.nome}" + (
            f" ({obj.quartiere.nome})" if obj.quartiere_id else ""
        )


class ParteForm(VersioneFormMixin, forms.ModelForm):
    persona = _PersonaChoice(label=_("Persona"), queryset=Persona.objects.none())

    class Meta:
        model = Parte
        fields = ["persona", "ruolo", "consenso_mediazione", "consenso_data", "note"]
        widgets = {"note": forms.Textarea(attrs={"rows": 3}), "consenso_data": DATA}
        help_texts = {
            "consenso_data": _("Se manca, vale la data di oggi."),
        }

    MAX_RISULTATI = 50

    def __init__(self, *args, user=None, dossier=None, cerca: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        persone = scope_registro(
            Persona.objects.select_related("quartiere").only(
                "pk", "nome", "cognome", "quartiere__nome"
            ),
            user,
        )
        # The registry may hold hundreds of thousands of persons: the choice offers the
        # results of a search (or the posted / current person), never the whole table.
        if self.instance.pk:
            persone = persone.filter(pk=self.instance.persona_id)
            self.fields["persona"].disabled = True
        elif self.is_bound:
            scelta = str(self.data.get("persona", ""))
            persone = persone.filter(pk=int(scelta)) if scelta.isdigit() else persone.none()
        elif cerca:
            trovate = persone.cerca(cerca).values_list("pk", flat=True)[: self.MAX_RISULTATI]
            persone = persone.filter(pk__in=list(trovate))
        else:
            persone = persone.none()
        self.fields["persona"].queryset = persone

    def clean(self):
        dati = super().clean()
        data = dati.get("consenso_data")
        if data and data > timezone.localdate():
            self.add_error("consenso_data", _("La data del consenso non può essere futura."))
        if data and not dati.get("consenso_mediazione"):
            self.add_error(
                "consenso_data", _("Indica la data solo se la parte ha dato il consenso.")
            )
        if dati.get("consenso_mediazione") and not data and "consenso_data" not in self.errors:
            dati["consenso_data"] = timezone.localdate()
        return dati


class _ParteChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return str(obj)


class AttivitaForm(forms.ModelForm):
    partecipanti = _ParteChoice(
        label=_("Partecipanti"),
        queryset=Parte.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Attivita
        fields = ["tipo", "data", "durata_minuti", "partecipanti", "note", "non_condividere"]
        widgets = {"note": forms.Textarea(attrs={"rows": 4}), "data": DATA}

    def __init__(self, *args, dossier=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partecipanti"].queryset = dossier.parti.select_related("persona")
        if not self.initial.get("data"):
            self.initial["data"] = timezone.localdate()
        self.fields["durata_minuti"].min_value = 1

    def clean(self):
        dati = super().clean()
        if dati.get("non_condividere") and dati.get("tipo") == Attivita.Tipo.INCONTRO_CONGIUNTO:
            self.add_error(
                "non_condividere",
                _("Un incontro congiunto si svolge con tutte le parti: non può essere riservato."),
            )
        data = dati.get("data")
        if data and data > timezone.localdate():
            self.add_error("data", _("Registra le attività svolte: la data non può essere futura."))
        return dati


class FaseForm(forms.Form):
    fase = forms.ChoiceField(
        label=_("Nuova fase"),
        choices=[(f, label) for f, label in Fase.choices if f in FASI_APERTE],
    )


class AccordoForm(VersioneFormMixin, forms.ModelForm):
    parti_aderenti = _ParteChoice(
        label=_("Parti che hanno aderito"),
        queryset=Parte.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Accordo
        fields = ["testo", "data", "parti_aderenti", "data_verifica"]
        widgets = {"testo": forms.Textarea(attrs={"rows": 6}), "data": DATA, "data_verifica": DATA}
        help_texts = {"data_verifica": _("Quando verificare con le parti che l'accordo tiene.")}

    def __init__(self, *args, dossier=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parti_aderenti"].queryset = dossier.parti.select_related("persona")
        if not self.instance.pk and not self.initial.get("data"):
            self.initial["data"] = timezone.localdate()

    def clean(self):
        dati = super().clean()
        data, verifica = dati.get("data"), dati.get("data_verifica")
        if data and data > timezone.localdate():
            self.add_error("data", _("La data dell'accordo non può essere futura."))
        if data and verifica and verifica < data:
            self.add_error("data_verifica", _("La verifica viene dopo l'accordo."))
        return dati


class ChiusuraForm(forms.Form):
    esito = forms.ChoiceField(label=_("Esito"), choices=[("", "—"), *Esito.choices], required=True)
    chiuso_il = forms.DateField(label=_("Data di chiusura"), widget=DATA, required=False)

    def clean_chiuso_il(self):
        data = self.cleaned_data.get("chiuso_il") or timezone.localdate()
        if data > timezone.localdate():
            raise forms.ValidationError(_("La data di chiusura non può essere futura."))
        return data


class RiaperturaForm(forms.Form):
    motivo = forms.CharField(label=_("Motivo della riapertura"), max_length=300)


class ListaFiltroForm(forms.Form):
    q = forms.CharField(label=_("Numero"), required=False, max_length=20)
    fase = forms.ChoiceField(
        label=_("Fase"), choices=[("", _("Tutte")), *Fase.choices], required=False
    )
    tipo = forms.ChoiceField(
        label=_("Tipo di conflitto"),
        choices=[("", _("Tutti")), *Dossier.TipoConflitto.choices],
        required=False,
    )
    stato = forms.ChoiceField(
        label=_("Stato"),
        choices=[("", _("Tutti")), ("aperti", _("aperti")), ("chiusi", _("chiusi"))],
        required=False,
    )
    quartiere = forms.ModelChoiceField(
        label=_("Quartiere"),
        queryset=Quartiere.objects.all(),
        required=False,
        empty_label=_("Tutti"),
    )


class CifreForm(forms.Form):
    dal = forms.DateField(label=_("Dal"), widget=DATA)
    al = forms.DateField(label=_("Al"), widget=DATA)
    quartieri = forms.ModelMultipleChoiceField(
        label=_("Quartieri"),
        queryset=Quartiere.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Nessuno selezionato: tutti i quartieri."),
    )

    def clean(self):
        dati = super().clean()
        if dati.get("dal") and dati.get("al") and dati["al"] < dati["dal"]:
            self.add_error("al", _("La fine del periodo viene dopo l'inizio."))
        return dati
