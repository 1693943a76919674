"""Optimistic locking for the records operators edit.

Each editable record carries a ``versione`` number. The edit form sends back the
number it was rendered with; saving checks it under a row lock, so when two people
edit the same record the second save is refused and shown what changed meanwhile.

Staff forms mix in :class:`VersioneFormMixin` and save with ``form.save_versioned()``
(which raises :class:`ConflittoModifica`). The admin change forms and inline rows get
:class:`VersioneAdminFormMixin` from ``quartiere.accesso.admin.PolicyAdmin``: there the
check runs while the form is validated, inside the admin's transaction, so a conflict
is an ordinary form error and the row stays locked until the save.
"""

from __future__ import annotations

from django import forms
from django.db import router, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from quartiere.lib.errori import ErroreDominio

CAMPO_VERSIONE = "versione_letta"


class ConflittoModifica(ErroreDominio):
    def __init__(self, messaggio: str, differenze: list[tuple[str, str]]):
        super().__init__(messaggio)
        self.differenze = differenze


def e_versionato(modello) -> bool:
    """True for the models that carry the ``versione`` counter: the subclasses of
    :class:`~quartiere.accesso.models.Versionato`."""
    from quartiere.accesso.models import Versionato

    return isinstance(modello, type) and issubclass(modello, Versionato)


class VersioneFormMixin(forms.Form):
    """Adds the hidden ``versione_letta`` field to a ModelForm of a versioned model."""

    versione_letta = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields[CAMPO_VERSIONE].initial = self._versione_iniziale()

    def _versione_iniziale(self) -> int:
        return self.instance.versione

    def save_versioned(self, commit: bool = True):
        return salva_versionato(self, self.cleaned_data.get(CAMPO_VERSIONE))


def _testo(valore) -> str:
    if valore is None:
        return ""
    if hasattr(valore, "all"):
        valore = valore.all()
    if isinstance(valore, list | tuple | set) or hasattr(valore, "model"):
        return ", ".join(sorted(str(v) for v in valore))
    return str(valore)


def _mostra(istanza, nome: str) -> str:
    campo = istanza._meta.get_field(nome)
    if getattr(campo, "choices", None) and not campo.many_to_many:
        return str(getattr(istanza, f"get_{nome}_display")())
    return _testo(getattr(istanza, nome))


def _inviato(form: forms.ModelForm, nome: str) -> str:
    """What the user submitted for ``nome``, shown as :func:`_mostra` shows a stored value.
    Read from ``cleaned_data``: the admin checks the version in ``clean()``, before the
    form copies the values onto the instance."""
    campo = form.instance._meta.get_field(nome)
    dati = getattr(form, "cleaned_data", {})
    if nome not in dati:
        return _mostra(form.instance, nome)
    valore = dati[nome]
    if getattr(campo, "choices", None) and not campo.many_to_many:
        return str(dict(campo.flatchoices).get(valore, valore))
    return _testo(valore)


def differenze(form: forms.ModelForm, attuale) -> list[tuple[str, str]]:
    """(label, stored value) of the form's fields whose stored value differs from what
    the user submitted."""
    modello = type(attuale)
    nomi_modello = {f.name for f in modello._meta.get_fields() if f.concrete}
    elenco = []
    for nome in form.fields:
        if nome == CAMPO_VERSIONE or nome not in nomi_modello:
            continue
        salvato = _mostra(attuale, nome)
        if salvato != _inviato(form, nome):
            elenco.append((str(modello._meta.get_field(nome).verbose_name), salvato))
    return elenco


def messaggio_conflitto() -> str:
    return _(
        "Qualcun altro ha salvato questa scheda dopo che l'avevi aperta: "
        "le tue modifiche non sono state salvate. Controlla i valori attuali "
        "e ripeti la modifica."
    )


def _conflitto(form: forms.ModelForm, attuale) -> ConflittoModifica:
    conflitto = ConflittoModifica(messaggio_conflitto(), differenze(form, attuale))
    conflitto.versione_attuale = attuale.versione
    if form.is_bound:
        # The form comes back with what the user typed and the version now stored:
        # sending it again, after reading what changed, is a deliberate overwrite.
        dati = form.data.copy()
        dati[form.add_prefix(CAMPO_VERSIONE)] = str(attuale.versione)
        form.data = dati
    form.conflitto = conflitto
    return conflitto


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
            raise _conflitto(form, attuale)
        istanza.versione = attuale.versione + 1
        return form.save()


class VersioneAdminFormMixin(VersioneFormMixin):
    """The same check for the admin's change forms and inline rows, as a form error.

    ``clean()`` runs inside the admin's ``transaction.atomic`` (change view), so the
    row lock taken here is held until the object is saved. An unchanged inline row is
    not saved by its formset and is not checked; the main form is always saved whole,
    so it is always checked.
    """

    verifica_se_invariato = True
    ripristino = False

    def _versione_iniziale(self) -> int:
        if self.ripristino:
            # Reverting from the history: the instance is the old snapshot, what the user
            # reads and overwrites is the record as stored now.
            return (
                type(self.instance)
                ._base_manager.filter(pk=self.instance.pk)
                .values_list("versione", flat=True)
                .first()
            ) or self.instance.versione
        return self.instance.versione

    def clean(self):
        dati = super().clean()
        self._versione_nuova = None
        self._verifica_versione()
        return dati

    def _verifica_versione(self) -> None:
        istanza = self.instance
        if istanza.pk is None or not (self.verifica_se_invariato or self.has_changed()):
            return
        modello = type(istanza)
        qs = modello._base_manager.filter(pk=istanza.pk)
        if transaction.get_connection(router.db_for_write(modello)).in_atomic_block:
            qs = qs.select_for_update()
        attuale = qs.first()
        if attuale is None:
            # Deleted meanwhile (the row vanished between the page and the save).
            self.add_error(None, messaggio_conflitto())
            return
        if self.cleaned_data.get(CAMPO_VERSIONE) != attuale.versione:
            conflitto = _conflitto(self, attuale)
            self.add_error(None, str(conflitto))
            if conflitto.differenze:
                self.add_error(None, _("Valori salvati nel frattempo:"))
                for campo, valore in conflitto.differenze:
                    self.add_error(None, f"{campo}: {valore or '—'}")
            return
        self._versione_nuova = attuale.versione + 1

    def save(self, commit=True):
        if self.instance.pk is not None and getattr(self, "_versione_nuova", None):
            self.instance.versione = self._versione_nuova
        return super().save(commit)


def versiona_form_admin(form_class, *, riga: bool = False, ripristino: bool = False):
    """``form_class`` with the admin version check (``riga``: an inline row)."""
    attributi = {"verifica_se_invariato": not riga, "ripristino": ripristino}
    if issubclass(form_class, VersioneAdminFormMixin):
        return type(form_class.__name__, (form_class,), attributi)
    return type(form_class.__name__, (VersioneAdminFormMixin, form_class), attributi)


CONFLITTO_TITOLO = gettext_lazy("Modifica non salvata")
