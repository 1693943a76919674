"""All input of the reports app."""

from __future__ import annotations

from functools import cache

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.urls import get_script_prefix, reverse
from django.utils.functional import lazy
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.text import format_lazy
from django.utils.translation import get_language
from django.utils.translation import gettext as _gettext
from django.utils.translation import gettext_lazy as _

from quartiere.accesso import policy
from quartiere.accesso.versioni import VersioneFormMixin
from quartiere.lib.scelte import SceltaMemorizzata, SceltePiccole
from quartiere.lib.validators import (
    normalizza_codice_fiscale,
    normalizza_email,
    normalizza_telefono,
)
from quartiere.programmi.forms import AttribuzioneFormMixin
from quartiere.pubblico.forms import StelleForm
from quartiere.registro.forms import quartieri_per
from quartiere.registro.models import Persona
from quartiere.registro.rules import scope_registro
from quartiere.territorio.confini import localizza
from quartiere.territorio.models import Quartiere
from segnalazioni import allegati as gestione_allegati
from segnalazioni.models import Allegato, Canale, Categoria, Esito, Segnalazione, Stato
from segnalazioni.services import transizioni_ammesse

MAX_ALLEGATI = gestione_allegati.MAX_ALLEGATI


class AllegatiInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class AllegatiField(forms.FileField):
    """Up to three files, each checked by content, cleaned of metadata, at most 5 MB."""

    widget = AllegatiInput

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)
        self.widget.attrs.setdefault("accept", "image/jpeg,image/png,image/webp,application/pdf")
        # The same rule checked by the browser before anything is sent (allegati.js), so a
        # file too large never costs the citizen the form.
        self.widget.attrs.setdefault("data-max-file", MAX_ALLEGATI)
        self.widget.attrs.setdefault("data-max-byte", Allegato.DIMENSIONE_MASSIMA)

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        attrs["data-regola"] = lazy(gestione_allegati.regola, str)()
        attrs["data-troppi"] = _("Troppi file.")
        attrs["data-grande"] = _("Il file «{nome}» è troppo grande.")
        return attrs

    def clean(self, data, initial=None):
        file_caricati = [f for f in (data or []) if f] if isinstance(data, list | tuple) else []
        if data and not isinstance(data, list | tuple):
            file_caricati = [data]
        if len(file_caricati) > MAX_ALLEGATI:
            raise ValidationError(
                _("Troppi file. %(regola)s"), params={"regola": gestione_allegati.regola()}
            )
        errori = []
        for caricato in file_caricati:
            try:
                caricato.verificato = gestione_allegati.verifica(caricato)
            except ValidationError as errore:
                errori.extend(errore.error_list)
        if errori:
            raise ValidationError(errori)
        return file_caricati


@cache
def _aiuto_consenso_in(lingua: str | None, prefisso: str) -> SafeString:
    return format_html(
        '<a href="{}">{}</a>',
        reverse("quartiere:privacy"),
        _gettext("Leggi l'informativa sul trattamento dei dati personali (art. 13 GDPR)"),
    )


def _aiuto_consenso():
    # The link lives in the help text, not in the label: a click on the label must only
    # tick the box. Every bound form evaluates it (BoundField tests it for truth): it is
    # built once per language and URL prefix.
    return _aiuto_consenso_in(get_language(), get_script_prefix())


aiuto_consenso = lazy(_aiuto_consenso, SafeString)


class _LuogoMixin:
    """Address and/or point: at least one, and a point needs both coordinates. Where the
    boundaries are loaded (quartiere/territorio/confini.py), a point outside the Comune is
    refused, and the quartiere is the one whose polygon holds the point: taken from it when
    none was chosen, an error when another was."""

    def _pulisci_luogo(self, dati):
        lat, lon = dati.get("lat"), dati.get("lon")
        if (lat is None) != (lon is None):
            campo = "lon" if lon is None else "lat"
            if campo not in self.errors:
                self.add_error(campo, _("Indica sia la latitudine sia la longitudine."))
        elif lat is None and not dati.get("indirizzo") and "indirizzo" not in self.errors:
            self.add_error(
                "indirizzo", _("Indica l'indirizzo o il luogo, oppure scegli un punto sulla mappa.")
            )
        elif lat is not None and "lat" not in self.errors and "lon" not in self.errors:
            self._quartiere_dal_punto(dati, localizza(lat, lon))
        if dati.get("quartiere") is None and "quartiere" not in self.errors:
            self.add_error(
                "quartiere",
                _("Scegli il quartiere, oppure un punto sulla mappa dentro un quartiere."),
            )
        return dati

    def _quartiere_dal_punto(self, dati, luogo) -> None:
        if luogo.fuori_dal_comune:
            self.add_error(
                "lat",
                _(
                    "Il punto scelto è fuori dal territorio del Comune: spostalo o scrivi "
                    "soltanto l'indirizzo."
                ),
            )
            return
        if luogo.quartiere_id is None or "quartiere" in self.errors:
            return
        scelto = dati.get("quartiere")
        if scelto is None:
            try:
                dati["quartiere"] = self.fields["quartiere"].clean(str(luogo.quartiere_id))
            except ValidationError:
                self.add_error(
                    "quartiere",
                    _("Il punto scelto è nel quartiere «%(nome)s», che non puoi scegliere.")
                    % {"nome": luogo.quartiere_nome},
                )
        elif scelto.pk != luogo.quartiere_id:
            self.add_error(
                "quartiere",
                _(
                    "Il punto scelto è nel quartiere «%(nome)s»: scegli quel quartiere oppure "
                    "sposta il punto."
                )
                % {"nome": luogo.quartiere_nome},
            )


WIDGETS = {
    # contatore.js shows the length against the cap (the template is translated there).
    "descrizione": forms.Textarea(attrs={"rows": 5, "data-contatore": _("{n} caratteri su {max}")}),
    "lat": forms.NumberInput(attrs={"step": "any", "inputmode": "decimal", "min": -90, "max": 90}),
    "lon": forms.NumberInput(
        attrs={"step": "any", "inputmode": "decimal", "min": -180, "max": 180}
    ),
    "nome_segnalante": forms.TextInput(attrs={"autocomplete": "name"}),
    "email_segnalante": forms.EmailInput(attrs={"autocomplete": "email"}),
    "telefono_segnalante": forms.TextInput(attrs={"autocomplete": "tel"}),
}


def _campo(nome: str, **kwargs) -> forms.Field:
    """The form field of ``Segnalazione.<nome>`` as a ModelForm would make it (label,
    length, choices, validators, ``Model._meta`` and ``Field.formfield()`` being public),
    with the widget of :data:`WIDGETS`. The category and the quartiere are the active
    categories and every quartiere, each memoised under its name (quartiere/lib/scelte.py).
    Built once on the class: each form only copies them (docs/performance.md, 4.7)."""
    campo = Segnalazione._meta.get_field(nome)
    if nome in WIDGETS:
        kwargs.setdefault("widget", WIDGETS[nome])
    if nome == "categoria":
        kwargs.update(
            queryset=Categoria.objects.filter(attiva=True), memo="segnalazioni.categorie-attive"
        )
    elif nome == "quartiere":
        kwargs.update(queryset=Quartiere.objects.all(), memo="quartiere.tutti")
    else:
        return campo.formfield(**kwargs)
    return campo.formfield(form_class=SceltaMemorizzata, **kwargs)


class SegnalazionePubblicaForm(_LuogoMixin, forms.Form):
    """The public form. ``sito_web`` is the honeypot: hidden from people, filled by bots.

    A plain ``Form`` over the model's own fields, not a ``ModelForm``: the report is filed by
    :func:`segnalazioni.services.crea_segnalazione`, never by ``form.save()``, and a
    ModelForm's model validation would only repeat this form's - the foreign keys fetched
    again after their choice fields fetched them, and the table's CHECK constraints each
    checked by a query (a third of a public report's CPU, docs/performance.md 4.7). The form
    enforces the constraints its fields touch (the type among the choices, a point in range
    with both coordinates, an address or a point) and the database all of them."""

    CAMPI = [
        "tipo",
        "categoria",
        "quartiere",
        "oggetto",
        "descrizione",
        "indirizzo",
        "lat",
        "lon",
        "nome_segnalante",
        "email_segnalante",
        "telefono_segnalante",
    ]

    tipo = _campo("tipo")
    categoria = _campo("categoria")
    # Not required by the field: a point on the map inside a quartiere's boundary gives it
    # (_LuogoMixin); without either, clean() asks for it.
    quartiere = _campo(
        "quartiere",
        required=False,
        help_text=_("Se scegli un punto sulla mappa, il quartiere si ricava dal punto."),
    )
    oggetto = _campo("oggetto")
    descrizione = _campo("descrizione")
    indirizzo = _campo(
        "indirizzo", help_text=_("Via e numero civico, oppure un luogo riconoscibile.")
    )
    lat = _campo(
        "lat", help_text=_("Facoltativa: si compila da sola scegliendo un punto sulla mappa.")
    )
    lon = _campo(
        "lon", help_text=_("Facoltativa: si compila da sola scegliendo un punto sulla mappa.")
    )
    nome_segnalante = _campo("nome_segnalante")
    email_segnalante = _campo(
        "email_segnalante", help_text=_("Serve solo se vuoi ricevere la ricevuta e le risposte.")
    )
    telefono_segnalante = _campo("telefono_segnalante")
    consenso_privacy = forms.BooleanField(
        label=_("Ho letto l'informativa sulla privacy e acconsento al trattamento dei dati"),
        help_text=aiuto_consenso(),
        required=True,
        error_messages={"required": _("Per inviare la segnalazione serve il consenso.")},
    )
    allegati = AllegatiField(
        label=_("Foto o documenti (facoltativi)"),
        help_text=format_lazy(
            "{} {}",
            lazy(gestione_allegati.regola, str)(),
            _(
                "Dalle foto togliamo i dati nascosti (posizione, data, dispositivo). Se il "
                "modulo segnala un errore, scegli di nuovo i file."
            ),
        ),
    )
    sito_web = forms.CharField(
        label=_("Non compilare questo campo"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def clean_lat(self):
        lat = self.cleaned_data.get("lat")
        if lat is not None and not -90 <= lat <= 90:
            raise ValidationError(_("La latitudine va da -90 a 90."))
        return lat

    def clean_lon(self):
        lon = self.cleaned_data.get("lon")
        if lon is not None and not -180 <= lon <= 180:
            raise ValidationError(_("La longitudine va da -180 a 180."))
        return lon

    def clean_oggetto(self):
        return " ".join(self.cleaned_data["oggetto"].split())

    def clean_indirizzo(self):
        return " ".join(self.cleaned_data.get("indirizzo", "").split())

    def clean_email_segnalante(self):
        return normalizza_email(self.cleaned_data.get("email_segnalante", ""))

    def clean_telefono_segnalante(self):
        return normalizza_telefono(self.cleaned_data.get("telefono_segnalante", ""))

    def clean(self):
        dati = super().clean()
        if dati.get("sito_web"):
            raise ValidationError(_("Invio non accettato."), code="honeypot")
        return self._pulisci_luogo(dati)

    def dati_segnalazione(self) -> dict:
        dati = {f: self.cleaned_data.get(f) for f in self.CAMPI}
        for campo in ("indirizzo", "nome_segnalante", "email_segnalante", "telefono_segnalante"):
            dati[campo] = dati[campo] or ""
        dati["consenso_privacy"] = True
        dati["canale"] = Canale.ONLINE
        return dati


class PassoInformativaForm(forms.Form):
    """Step 1 of the online report (Modello Comuni): the art. 13 notice and the consent."""

    consenso_privacy = SegnalazionePubblicaForm.base_fields["consenso_privacy"]


class PassoDatiForm(SegnalazionePubblicaForm):
    """Step 2: everything of the report but the consent, given in step 1."""

    consenso_privacy = None


class PassoRiepilogoForm(forms.Form):
    """Step 3: nothing to fill in; sending it files the report."""


class SegnalazioneSportelloForm(SegnalazionePubblicaForm):
    """Desk intake: the operator files on behalf of a citizen, chosen from the registry
    or created here (with the registry's duplicate warning)."""

    CANALI_SPORTELLO = [(c.value, c.label) for c in Canale if c not in (Canale.ONLINE,)]

    canale = forms.ChoiceField(label=_("Canale"), choices=CANALI_SPORTELLO)
    persona = forms.ModelChoiceField(
        label=_("Persona"),
        queryset=Persona.objects.none(),
        required=False,
        widget=forms.HiddenInput,
    )
    nuova_nome = forms.CharField(label=_("Nome"), max_length=80, required=False)
    nuova_cognome = forms.CharField(label=_("Cognome"), max_length=80, required=False)
    nuova_codice_fiscale = forms.CharField(label=_("Codice fiscale"), max_length=16, required=False)
    nuova_email = forms.EmailField(label=_("E-mail"), required=False)
    nuova_telefono = forms.CharField(label=_("Telefono"), max_length=30, required=False)
    conferma_non_doppione = forms.BooleanField(
        label=_("Ho controllato: non è nessuna delle persone indicate sopra"), required=False
    )
    consenso_privacy = forms.BooleanField(
        label=_(
            "Il cittadino ha ricevuto l'informativa sul trattamento dei dati (art. 13 GDPR) "
            "e acconsente"
        ),
        required=True,
        help_text=aiuto_consenso(),
        error_messages={"required": _("Serve il consenso del cittadino.")},
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        del self.fields["sito_web"]
        for campo in ("nome_segnalante", "email_segnalante", "telefono_segnalante"):
            del self.fields[campo]
        self.fields["quartiere"].queryset = quartieri_per(user)
        self.fields["persona"].queryset = scope_registro(Persona.objects.all(), user)
        self.doppioni = None

    def clean_nuova_codice_fiscale(self):
        return normalizza_codice_fiscale(self.cleaned_data.get("nuova_codice_fiscale", ""))

    def clean_nuova_email(self):
        return normalizza_email(self.cleaned_data.get("nuova_email", ""))

    def clean_nuova_telefono(self):
        return normalizza_telefono(self.cleaned_data.get("nuova_telefono", ""))

    def clean(self):
        dati = super().clean()
        if not dati.get("persona"):
            nome, cognome = dati.get("nuova_nome", ""), dati.get("nuova_cognome", "")
            if bool(nome) != bool(cognome):
                self.add_error(
                    "nuova_cognome" if nome else "nuova_nome",
                    _("Per registrare la persona servono nome e cognome."),
                )
            elif not nome and (dati.get("nuova_email") or dati.get("nuova_telefono")):
                self.add_error("nuova_nome", _("Indica nome e cognome della persona."))
        return dati

    def nuova_persona(self) -> Persona | None:
        dati = self.cleaned_data
        if dati.get("persona") or not dati.get("nuova_nome"):
            return None
        return Persona(
            nome=" ".join(dati["nuova_nome"].split()),
            cognome=" ".join(dati["nuova_cognome"].split()),
            codice_fiscale=dati.get("nuova_codice_fiscale", ""),
            email=dati.get("nuova_email", ""),
            telefono=dati.get("nuova_telefono", ""),
            quartiere=dati.get("quartiere"),
        )

    def dati_segnalazione(self) -> dict:
        dati = {f: self.cleaned_data.get(f) for f in SegnalazionePubblicaForm.CAMPI}
        for campo in ("nome_segnalante", "email_segnalante", "telefono_segnalante"):
            dati.pop(campo)
        dati["indirizzo"] = dati["indirizzo"] or ""
        dati["consenso_privacy"] = True
        dati["canale"] = self.cleaned_data["canale"]
        dati["persona"] = self.cleaned_data.get("persona")
        return dati


class CercaCodiceForm(forms.Form):
    codice = forms.CharField(
        label=_("Codice della segnalazione"),
        max_length=20,
        help_text=_("Lo trovi nella ricevuta, ad esempio ABCD-EF23-4567."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )


class ValutazioneForm(StelleForm):
    """The rating of a closed report: the Modello Comuni's stars and follow-up question."""

    etichetta_voto = _("Quanto sei soddisfatto del servizio?")
    motivo = forms.CharField(
        label=_("Vuoi aggiungere altri dettagli?"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class _AzioneForm(forms.Form):
    versione_letta = forms.IntegerField(widget=forms.HiddenInput, required=False)


class StatoForm(_AzioneForm):
    stato = forms.ChoiceField(label=_("Nuovo stato"))
    esito = forms.ChoiceField(
        label=_("Esito (solo alla chiusura)"),
        choices=[("", "—")] + [c for c in Esito.choices if c[0] != Esito.DUPLICATA],
        required=False,
    )
    nota = forms.CharField(
        label=_("Nota interna (facoltativa)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, stato_attuale: str, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["stato"].choices = [
            (s, Stato(s).label) for s in transizioni_ammesse(stato_attuale, user)
        ]

    def clean(self):
        dati = super().clean()
        if dati.get("stato") == Stato.CHIUSA and not dati.get("esito"):
            self.add_error("esito", _("Per chiudere indica l'esito."))
        if dati.get("stato") and dati.get("stato") != Stato.CHIUSA and dati.get("esito"):
            self.add_error("esito", _("L'esito si indica solo alla chiusura."))
        return dati


def utenti_assegnabili(user, quartiere_ids=None):
    """Staff who can work on reports: operators (of the given quartieri) and
    coordinators."""
    utenti = get_user_model().objects.filter(is_active=True)
    ops = utenti.filter(groups__name=policy.OPERATORE)
    if quartiere_ids is not None:
        ops = ops.filter(profilo__quartieri__in=quartiere_ids)
    return (
        (utenti.filter(pk__in=ops.values("pk")) | utenti.filter(groups__name=policy.COORDINATORE))
        .distinct()
        .order_by("last_name", "first_name", "username")
    )


class UtenteChoiceField(forms.ModelChoiceField):
    iterator = SceltePiccole  # the assignable users: dozens, not a server-side cursor

    def label_from_instance(self, obj):
        return obj.get_full_name() or obj.username


class AssegnaForm(_AzioneForm):
    assegnata_a = UtenteChoiceField(
        label=_("Assegna a"),
        queryset=get_user_model().objects.none(),
        required=False,
        empty_label=_("nessuno"),
    )

    def __init__(self, *args, user, quartiere_ids=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assegnata_a"].queryset = utenti_assegnabili(user, quartiere_ids)


class TestoForm(forms.Form):
    testo = forms.CharField(
        label=_("Testo"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000
    )


class DuplicatoForm(_AzioneForm):
    originale = forms.CharField(
        label=_("Codice della segnalazione originale"),
        max_length=20,
        help_text=_("La segnalazione che segue già la stessa questione."),
    )


class AllegatiStaffForm(forms.Form):
    allegati = AllegatiField(label=_("Aggiungi allegati"), required=True)


class AzioneMassivaForm(forms.Form):
    AZIONI = [("assegna", _("Assegna a")), ("stato", _("Cambia stato in"))]

    selezionate = forms.ModelMultipleChoiceField(
        label=_("Segnalazioni selezionate"),
        queryset=Segnalazione.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Seleziona almeno una segnalazione.")},
    )
    azione = forms.ChoiceField(label=_("Azione"), choices=AZIONI)
    assegnata_a = UtenteChoiceField(
        label=_("Assegna a"),
        queryset=get_user_model().objects.none(),
        required=False,
        empty_label=_("nessuno"),
    )
    stato = forms.ChoiceField(
        label=_("Nuovo stato"), choices=[("", "—"), *Stato.choices], required=False
    )
    esito = forms.ChoiceField(
        label=_("Esito (per la chiusura)"),
        choices=[("", "—")] + [c for c in Esito.choices if c[0] != Esito.DUPLICATA],
        required=False,
    )

    def __init__(self, *args, user, queryset, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["selezionate"].queryset = queryset
        self.fields["assegnata_a"].queryset = utenti_assegnabili(user, policy.quartieri_ids(user))

    def clean(self):
        dati = super().clean()
        if dati.get("azione") == "stato" and not dati.get("stato"):
            self.add_error("stato", _("Scegli il nuovo stato."))
        if dati.get("stato") == Stato.CHIUSA and not dati.get("esito"):
            self.add_error("esito", _("Per chiudere indica l'esito."))
        return dati


class ModificaForm(_LuogoMixin, AttribuzioneFormMixin, VersioneFormMixin, forms.ModelForm):
    """Staff correct what was filed (category, place, text), with optimistic locking."""

    class Meta:
        model = Segnalazione
        fields = [
            "tipo",
            "categoria",
            "quartiere",
            "oggetto",
            "descrizione",
            "indirizzo",
            "lat",
            "lon",
            "pubblicabile",
            "asse",
        ]
        widgets = WIDGETS

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["quartiere"].queryset = quartieri_per(user)
        self.fields["categoria"].queryset = Categoria.objects.filter(attiva=True) | (
            Categoria.objects.filter(pk=self.instance.categoria_id)
        )

    def clean_lat(self):
        return SegnalazionePubblicaForm.clean_lat(self)

    def clean_lon(self):
        return SegnalazionePubblicaForm.clean_lon(self)

    def clean(self):
        return self._pulisci_luogo(super().clean())
