"""Input for the hall calendar: public requests and staff bookings."""

from __future__ import annotations

from datetime import datetime, timedelta

from django import forms
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from quartiere.calendario.rules import scope_sedi
from quartiere.lib.validators import normalizza_email, normalizza_telefono
from quartiere.programmi.forms import prepara_campo_asse
from quartiere.programmi.models import Asse
from quartiere.registro.models import Organizzazione
from quartiere.registro.rules import scope_registro
from quartiere.territorio.models import Sede

# How far ahead the public may ask for the hall, and the longest single use.
ANTICIPO_MASSIMO = timedelta(days=366)
DURATA_MASSIMA = timedelta(hours=14)


def widget_data(**attrs):
    return forms.DateInput(attrs={"type": "date", **attrs}, format="%Y-%m-%d")


def _ora(**attrs):
    return forms.TimeInput(attrs={"type": "time", **attrs}, format="%H:%M")


class _QuandoMixin(forms.Form):
    """A date, a start and an end time, and an optional weekly repetition."""

    data = forms.DateField(label=_("Giorno"), widget=widget_data())
    ora_inizio = forms.TimeField(label=_("Ora di inizio"), widget=_ora())
    ora_fine = forms.TimeField(label=_("Ora di fine"), widget=_ora())
    ripeti = forms.BooleanField(label=_("Si ripete ogni settimana"), required=False)
    ripeti_fino_al = forms.DateField(
        label=_("Ripeti fino al"),
        required=False,
        widget=widget_data(),
        help_text=_("Ultimo giorno della ripetizione settimanale (al massimo un anno)."),
    )

    def clean_quando(self, *, futuro: bool):
        dati = self.cleaned_data
        giorno, ora_inizio, ora_fine = (
            dati.get("data"),
            dati.get("ora_inizio"),
            dati.get("ora_fine"),
        )
        if giorno is None or ora_inizio is None or ora_fine is None:
            return
        if ora_fine <= ora_inizio:
            self.add_error("ora_fine", _("L'ora di fine deve essere successiva all'ora di inizio."))
            return
        inizio = timezone.make_aware(datetime.combine(giorno, ora_inizio))
        fine = timezone.make_aware(datetime.combine(giorno, ora_fine))
        if fine - inizio > DURATA_MASSIMA:
            self.add_error("ora_fine", _("Una prenotazione dura al massimo 14 ore."))
            return
        oggi = timezone.localdate()
        if futuro and giorno <= oggi:
            self.add_error("data", _("Si può chiedere la sala a partire da domani."))
            return
        if futuro and giorno > oggi + ANTICIPO_MASSIMO:
            self.add_error("data", _("Si può chiedere la sala al massimo con un anno di anticipo."))
            return
        fino_al = dati.get("ripeti_fino_al")
        if dati.get("ripeti"):
            if fino_al is None:
                self.add_error("ripeti_fino_al", _("Indica fino a quando si ripete."))
                return
            if fino_al <= giorno:
                self.add_error(
                    "ripeti_fino_al", _("La ripetizione deve finire dopo il primo giorno.")
                )
                return
            if fino_al > giorno + ANTICIPO_MASSIMO:
                self.add_error("ripeti_fino_al", _("La ripetizione può durare al massimo un anno."))
                return
        else:
            fino_al = None
        dati["inizio"], dati["fine"], dati["fino_al"] = inizio, fine, fino_al


def _etichetta_consenso():
    return format_html(
        '{} <a href="{}">{}</a> {}',
        _("Ho letto"),
        reverse_lazy("quartiere:privacy"),
        _("l'informativa sul trattamento dei dati personali"),
        _("e acconsento al trattamento dei dati per gestire la richiesta."),
    )


class RichiestaSalaForm(_QuandoMixin):
    """The public request of a hall by an association or a group."""

    sede = forms.ModelChoiceField(
        label=_("Sala"), queryset=Sede.objects.none(), empty_label=_("Scegli la sala")
    )
    titolo = forms.CharField(
        label=_("Titolo dell'attività"),
        max_length=200,
        help_text=_("Se l'evento è pubblico, il titolo compare nel calendario del sito."),
    )
    descrizione = forms.CharField(
        label=_("Descrizione"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Che cosa farete, per chi, quante persone prevedete."),
    )
    pubblico = forms.BooleanField(
        label=_("Evento aperto al pubblico (compare nel calendario del sito)"), required=False
    )
    richiedente_ente = forms.CharField(
        label=_("Associazione o gruppo"), max_length=200, help_text=_("Chi organizza l'attività.")
    )
    richiedente_nome = forms.CharField(label=_("Nome e cognome del referente"), max_length=160)
    richiedente_email = forms.EmailField(
        label=_("E-mail del referente"), help_text=_("Qui riceverai la conferma o il rifiuto.")
    )
    richiedente_telefono = forms.CharField(
        label=_("Telefono del referente"), max_length=30, required=False
    )
    consenso_privacy = forms.BooleanField(
        label=_("Consenso al trattamento dei dati"),
        error_messages={"required": _("Per inviare la richiesta serve il consenso.")},
    )
    # Honeypot: hidden from people by CSS, filled in by naive bots.
    sito_web = forms.CharField(
        label=_("Lascia vuoto questo campo"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    field_order = [
        "sede",
        "titolo",
        "descrizione",
        "data",
        "ora_inizio",
        "ora_fine",
        "ripeti",
        "ripeti_fino_al",
        "pubblico",
        "richiedente_ente",
        "richiedente_nome",
        "richiedente_email",
        "richiedente_telefono",
        "consenso_privacy",
        "sito_web",
    ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["consenso_privacy"].label = _etichetta_consenso()
        self.fields["sede"].queryset = Sede.objects.filter(prenotabile=True).only(
            "pk", "nome", "indirizzo", "citta"
        )

    @property
    def e_spam(self) -> bool:
        return bool(self.data.get("sito_web"))

    def clean_titolo(self):
        return " ".join(self.cleaned_data["titolo"].split())

    def clean_richiedente_ente(self):
        return " ".join(self.cleaned_data["richiedente_ente"].split())

    def clean_richiedente_nome(self):
        return " ".join(self.cleaned_data["richiedente_nome"].split())

    def clean_richiedente_email(self):
        return normalizza_email(self.cleaned_data["richiedente_email"])

    def clean_richiedente_telefono(self):
        return normalizza_telefono(self.cleaned_data.get("richiedente_telefono", ""))

    def clean(self):
        super().clean()
        self.clean_quando(futuro=True)
        return self.cleaned_data


class PrenotazioneForm(_QuandoMixin):
    """A booking entered by an operator (confirmed at once unless they say otherwise)."""

    sede = forms.ModelChoiceField(label=_("Sede"), queryset=Sede.objects.none())
    titolo = forms.CharField(label=_("Titolo"), max_length=200)
    descrizione = forms.CharField(
        label=_("Descrizione"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Per gli eventi pubblici compare sul sito."),
    )
    organizzazione = forms.ModelChoiceField(
        label=_("Organizzazione"),
        queryset=Organizzazione.objects.none(),
        required=False,
        help_text=_("Vuoto: l'organizzatore sei tu."),
    )
    pubblico = forms.BooleanField(label=_("Evento pubblico"), required=False)
    conferma = forms.BooleanField(
        label=_("Conferma subito la prenotazione"), required=False, initial=True
    )
    asse = forms.ModelChoiceField(
        label=_("Programma e asse"),
        queryset=Asse.objects.none(),
        required=False,
        help_text=_("Il programma finanziato che paga questa attività, e il suo asse."),
    )

    field_order = [
        "sede",
        "titolo",
        "descrizione",
        "organizzazione",
        "data",
        "ora_inizio",
        "ora_fine",
        "ripeti",
        "ripeti_fino_al",
        "pubblico",
        "conferma",
        "asse",
    ]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        prepara_campo_asse(self.fields["asse"], None)
        self.fields["sede"].queryset = scope_sedi(
            Sede.objects.only("pk", "nome", "quartiere_id"), user
        )
        self.fields["organizzazione"].queryset = scope_registro(
            Organizzazione.objects.only("pk", "nome"), user
        )

    def clean_titolo(self):
        return " ".join(self.cleaned_data["titolo"].split())

    def clean(self):
        super().clean()
        self.clean_quando(futuro=False)
        return self.cleaned_data


class MotivoForm(forms.Form):
    motivo = forms.CharField(
        label=_("Motivazione"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("La riceve per e-mail chi ha chiesto la sala."),
    )
    tutta_la_serie = forms.BooleanField(label=_("Tutte le date della serie"), required=False)
