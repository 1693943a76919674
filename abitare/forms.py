"""Input of the housing staff pages."""

from __future__ import annotations

from django import forms
from django.core.files.base import ContentFile
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from abitare.models import (
    STATI_CORRENTI,
    STATI_LIBERI,
    Alloggio,
    AmbitoProblema,
    AzioneComunicazione,
    Contatto,
    Misura,
    NotaRiservata,
    Nucleo,
    Percorso,
)
from quartiere.accesso.versioni import VersioneFormMixin
from quartiere.programmi.forms import AttribuzioneFormMixin
from segnalazioni import allegati
from segnalazioni.models import MAX_DESCRIZIONE, Canale


def _etichetta_alloggio(alloggio: Alloggio) -> str:
    scala = f" · {_('scala')} {alloggio.scala}" if alloggio.scala else ""
    locali = f"{alloggio.locali} {_('locali')}"
    return f"{alloggio.codice}{scala} · {_('piano')} {alloggio.piano} · {locali}"


_DATA = forms.DateInput(attrs={"type": "date", "class": "form-control"}, format="%Y-%m-%d")


class PreAssegnaForm(forms.Form):
    alloggio = forms.ModelChoiceField(
        label=_("Alloggio libero"),
        queryset=Alloggio.objects.none(),
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    nucleo = forms.ModelChoiceField(
        label=_("Nucleo"),
        queryset=Nucleo.objects.none(),
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    il = forms.DateField(label=_("Data della pre-assegnazione"), widget=_DATA)
    note = forms.CharField(
        label=_("Note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"}),
    )

    def __init__(self, *args, immobile=None, nuclei=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["il"].initial = timezone.localdate()
        if immobile is not None:
            self.fields["alloggio"].queryset = immobile.alloggi.filter(stato__in=STATI_LIBERI)
            self.fields["alloggio"].label_from_instance = _etichetta_alloggio
        if nuclei is not None:
            # Households with no current assignment: the others already have a flat.
            self.fields["nucleo"].queryset = nuclei.exclude(
                assegnazioni__stato__in=STATI_CORRENTI
            ).only("pk", "nome")


class PassoForm(forms.Form):
    il = forms.DateField(label=_("Data"), widget=_DATA)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["il"].initial = timezone.localdate()


class PercorsoForm(AttribuzioneFormMixin, VersioneFormMixin, forms.ModelForm):
    class Meta:
        model = Percorso
        fields = ["livello", "avviato_il", "bisogni", "operatori", "asse"]
        widgets = {
            "avviato_il": _DATA,
            "bisogni": forms.Textarea(attrs={"rows": 3}),
            "operatori": forms.SelectMultiple(attrs={"size": 4}),
        }

    def __init__(self, *args, operatori=None, **kwargs):
        super().__init__(*args, **kwargs)
        if operatori is not None:
            self.fields["operatori"].queryset = operatori
        self.fields["operatori"].label_from_instance = lambda u: u.get_full_name() or u.username
        if not self.instance.pk:
            self.fields["avviato_il"].initial = timezone.localdate()


class MisuraForm(forms.ModelForm):
    class Meta:
        model = Misura
        fields = ["servizio", "descrizione", "concordata_il", "verifica_il"]
        widgets = {"concordata_il": _DATA, "verifica_il": _DATA}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["concordata_il"].initial = timezone.localdate()


class VerificaMisuraForm(VersioneFormMixin, forms.ModelForm):
    class Meta:
        model = Misura
        fields = ["verificata_il", "esito"]
        widgets = {"verificata_il": _DATA}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["verificata_il"].required = True
        self.fields["verificata_il"].initial = timezone.localdate()
        self.fields["esito"].required = True


class ContattoForm(forms.ModelForm):
    class Meta:
        model = Contatto
        fields = ["tipo", "il", "alle", "sintesi"]
        widgets = {
            "il": _DATA,
            "alle": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "sintesi": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["il"].initial = timezone.localdate()


class NotaRiservataForm(forms.ModelForm):
    class Meta:
        model = NotaRiservata
        fields = ["tipo", "testo"]
        widgets = {"testo": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)


class ProblemaForm(forms.Form):
    """A problem of a flat or of the common parts, for the gestore."""

    CANALI = [
        (Canale.SPORTELLO, Canale.SPORTELLO.label),
        (Canale.TELEFONO, Canale.TELEFONO.label),
        (Canale.TERRITORIO, Canale.TERRITORIO.label),
        (Canale.EMAIL, Canale.EMAIL.label),
    ]

    alloggio = forms.ModelChoiceField(
        label=_("Alloggio"),
        queryset=Alloggio.objects.none(),
        required=False,
        empty_label=_("— parti comuni dell'immobile —"),
    )
    ambito = forms.ChoiceField(label=_("Ambito"), choices=AmbitoProblema.choices)
    oggetto = forms.CharField(
        label=_("Oggetto"), max_length=200, help_text=_("Per esempio «Caldaia guasta»")
    )
    descrizione = forms.CharField(
        label=_("Descrizione"),
        max_length=MAX_DESCRIZIONE,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Che cosa non funziona, da quando, come si accede all'alloggio."),
    )
    canale = forms.ChoiceField(label=_("Come è arrivato"), choices=CANALI)
    consenso = forms.BooleanField(
        label=_(
            "Il nucleo ha ricevuto l'informativa sul trattamento dei dati (art. 13 GDPR) e "
            "acconsente all'inoltro al gestore"
        ),
        error_messages={"required": _("Serve il consenso del nucleo.")},
    )

    def __init__(self, *args, immobile, alloggio=None, con_consenso=True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["alloggio"].queryset = immobile.alloggi.order_by("scala", "-piano", "codice")
        self.fields["alloggio"].label_from_instance = _etichetta_alloggio
        if alloggio is not None:
            self.fields["alloggio"].initial = alloggio.pk
        if not con_consenso:
            # A problem of the common parts reported by the office: nobody's data.
            del self.fields["consenso"]


class SpostamentoForm(forms.Form):
    """A household's temporary move during works."""

    da_alloggio = forms.ModelChoiceField(
        label=_("Dall'alloggio (da ristrutturare)"), queryset=Alloggio.objects.none()
    )
    a_alloggio = forms.ModelChoiceField(
        label=_("All'alloggio temporaneo (libero)"), queryset=Alloggio.objects.none()
    )
    il = forms.DateField(label=_("Trasferito il"), widget=_DATA)
    rientro_previsto = forms.DateField(label=_("Rientro previsto il"), widget=_DATA, required=False)
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, nucleo, **kwargs):
        super().__init__(*args, **kwargs)
        nel_quartiere = Alloggio.objects.filter(immobile__quartiere=nucleo.quartiere_id)
        corrente = nucleo.assegnazioni.filter(stato__in=STATI_CORRENTI).first()
        if corrente is not None:
            self.fields["da_alloggio"].queryset = Alloggio.objects.filter(pk=corrente.alloggio_id)
            self.fields["da_alloggio"].initial = corrente.alloggio_id
        else:
            self.fields["da_alloggio"].queryset = nel_quartiere
        self.fields["a_alloggio"].queryset = nel_quartiere.filter(stato__in=STATI_LIBERI)
        for nome in ("da_alloggio", "a_alloggio"):
            self.fields[nome].queryset = (
                self.fields[nome]
                .queryset.select_related("immobile")
                .order_by("immobile__nome", "scala", "-piano", "codice")
            )
            self.fields[nome].label_from_instance = lambda a: (
                f"{a.immobile.nome} · {_etichetta_alloggio(a)}"
            )
        self.fields["il"].initial = timezone.localdate()

    def clean(self):
        dati = super().clean()
        il, rientro = dati.get("il"), dati.get("rientro_previsto")
        if il and rientro and rientro < il:
            self.add_error(
                "rientro_previsto", _("Il rientro previsto non può precedere il trasferimento.")
            )
        return dati


class AzioneForm(VersioneFormMixin, forms.ModelForm):
    """An action of the communication plan; the material is checked like a report's
    attachment (type read from the content, images without their metadata, PDFs parsed)."""

    class Meta:
        model = AzioneComunicazione
        fields = [
            "immobile",
            "fase",
            "destinatari",
            "canale",
            "titolo",
            "descrizione",
            "data",
            "stato",
            "materiale",
            "pubblica",
        ]
        widgets = {"data": _DATA, "descrizione": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, immobili, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["immobile"].queryset = immobili
        self.fields["materiale"].widget.attrs["accept"] = "image/jpeg,image/png,image/webp,.pdf"

    def clean_materiale(self):
        materiale = self.cleaned_data.get("materiale")
        if not materiale or materiale == self.initial.get("materiale"):
            return materiale  # none, or the one already stored
        mime, contenuto = allegati.verifica(materiale)
        return ContentFile(contenuto, name=allegati.nome_sicuro(materiale.name, mime))
