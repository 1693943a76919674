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


class ValutazionePaginaForm(forms.Form):
    pagina = forms.CharField(max_length=200, widget=forms.HiddenInput)
    voto = forms.TypedChoiceField(
        label=_("Quanto sono chiare le informazioni su questa pagina?"),
        choices=[(n, n) for n in range(1, 6)],
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": _("Scegli da 1 a 5 stelle.")},
    )
    risposta = forms.ChoiceField(
        choices=RISPOSTE_POSITIVE + RISPOSTE_NEGATIVE,
        widget=forms.RadioSelect,
        error_messages={"required": _("Scegli una risposta.")},
    )
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

    def clean(self):
        dati = super().clean()
        risposta_coerente(self, dati)
        return dati


def risposta_coerente(form: forms.Form, dati: dict) -> None:
    """The follow-up answer must be one of the question the stars lead to."""
    voto, risposta = dati.get("voto"), dati.get("risposta")
    if voto is not None and risposta:
        ammesse = RISPOSTE_POSITIVE if voto >= SOGLIA_POSITIVA else RISPOSTE_NEGATIVE
        if risposta not in {codice for codice, _e in ammesse}:
            form.add_error(
                "risposta",
                _("Scegli una delle risposte della domanda per %(n)s stelle.") % {"n": voto},
            )
