"""Optimistic locking for the records operators edit.

Each editable record carries a ``versione`` number. The edit form sends back the
number it was rendered with; saving checks it under a row lock, so when two people
edit the same record the second save is refused and shown what changed meanwhile.
"""

from __future__ import annotations

from django import forms
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from quartiere.services import ErroreDominio


class ConflittoModifica(ErroreDominio):
    def __init__(self, messaggio: str, differenze: list[tuple[str, str]]):
        super().__init__(messaggio)
        self.differenze = differenze


class VersioneFormMixin(forms.Form):
    """Adds the hidden ``versione_letta`` field to a ModelForm of a versioned model."""

    versione_letta = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["versione_letta"].initial = self.instance.versione

    def save_versioned(self, commit: bool = True):
        return salva_versionato(self, self.cleaned_data.get("versione_letta"))


def _mostra(istanza, nome: str) -> str:
    campo = istanza._meta.get_field(nome)
    if getattr(campo, "choices", None):
        return str(getattr(istanza, f"get_{nome}_display")())
    valore = getattr(istanza, nome)
    if hasattr(valore, "all"):
        return ", ".join(str(v) for v in valore.all())
    return "" if valore is None else str(valore)


def salva_versionato(form: forms.ModelForm, versione_letta: int | None):
    """Save ``form`` if nobody saved the record since version ``versione_letta``.

    Raises :class:`ConflittoModifica` listing the fields whose stored value differs
    from what the user submitted.
    """
    istanza = form.instance
    if not istanza.pk:
        return form.save()
    modello = type(istanza)
    with transaction.atomic():
        attuale = modello._base_manager.select_for_update().get(pk=istanza.pk)
        if versione_letta is None or attuale.versione != versione_letta:
            differenze = []
            for nome in form.fields:
                if nome == "versione_letta" or nome not in {
                    f.name for f in modello._meta.get_fields()
                }:
                    continue
                salvato, inviato = _mostra(attuale, nome), _mostra(istanza, nome)
                if salvato != inviato:
                    differenze.append((str(modello._meta.get_field(nome).verbose_name), salvato))
            raise ConflittoModifica(
                _(
                    "Qualcun altro ha salvato questa scheda dopo che l'avevi aperta: "
                    "le tue modifiche non sono state salvate. Controlla i valori attuali "
                    "e ripeti la modifica."
                ),
                differenze,
            )
        istanza.versione = attuale.versione + 1
        return form.save()


CONFLITTO_TITOLO = gettext_lazy("Modifica non salvata")
