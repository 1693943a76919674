"""The rating component of the public pages (Modello Comuni)."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _

from quartiere.pubblico.models import (
    RISPOSTE_NEGATIVE,
    RISPOSTE_POSITIVE,
    SOGLIA_POSITIVA,
)


class StelleForm(forms.Form):
    """The Modello Comuni's stars and the follow-up question that fits them (positive for
    4-5, negative for 1-3); ``etichetta_voto`` is the question the stars answer."""

    etichetta_voto = ""
    voto = forms.TypedChoiceField(
        choices=[(n, str(n)) for n in range(1, 6)],
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": _("Scegli da 1 a 5 stelle.")},
    )
    risposta = forms.ChoiceField(
        choices=RISPOSTE_POSITIVE + RISPOSTE_NEGATIVE,
        widget=forms.RadioSelect,
        error_messages={"required": _("Scegli una risposta.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["voto"].label = self.etichetta_voto

    def clean(self):
        dati = super().clean()
        voto, risposta = dati.get("voto"), dati.get("risposta")
        if voto is not None and risposta:
            ammesse = RISPOSTE_POSITIVE if voto >= SOGLIA_POSITIVA else RISPOSTE_NEGATIVE
            if risposta not in {codice for codice, _e in ammesse}:
                self.add_error(
                    "risposta",
                    _("Scegli una delle risposte della domanda per %(n)s stelle.") % {"n": voto},
                )
        return dati


class ValutazionePaginaForm(StelleForm):
    etichetta_voto = _("Quanto sono chiare le informazioni su questa pagina?")
    pagina = forms.CharField(max_length=200, widget=forms.HiddenInput)
    dettagli = forms.CharField(
        label=_("Vuoi aggiungere altri dettagli?"),
        max_length=200,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "maxlength": 200}),
    )

    def clean_pagina(self):
        pagina = self.cleaned_data["pagina"]
        if not pagina.startswith("/") or not url_has_allowed_host_and_scheme(
            pagina, allowed_hosts=None
        ):
            raise ValidationError(_("Pagina non valida."))
        return pagina
