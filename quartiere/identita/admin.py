"""Citizens' accounts in the admin: find the ones to check and link the right Persona."""

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from quartiere.accesso.admin import PolicyAdmin
from quartiere.identita.models import AccountCittadino


class AccountCittadinoForm(forms.ModelForm):
    class Meta:
        model = AccountCittadino
        fields = ["persona", "da_verificare"]

    def clean(self):
        dati = super().clean()
        persona = dati.get("persona")
        if persona and persona.codice_fiscale not in ("", self.instance.codice_fiscale):
            self.add_error("persona", _("Questa persona ha nel registro un altro codice fiscale."))
        if persona:
            dati["da_verificare"] = False
        return dati


@admin.register(AccountCittadino)
class AccountCittadinoAdmin(PolicyAdmin, SimpleHistoryAdmin):
    list_display = [
        "codice_fiscale",
        "utente",
        "persona",
        "da_verificare",
        "metodo",
        "ultimo_accesso",
    ]
    list_filter = ["da_verificare", "metodo"]
    search_fields = ["codice_fiscale", "utente__last_name", "persona__cognome"]
    list_select_related = ["utente", "persona"]
    autocomplete_fields = ["persona"]
    form = AccountCittadinoForm
    fields = [
        "codice_fiscale",
        "utente",
        "persona",
        "da_verificare",
        "metodo",
        "fornitore",
        "primo_accesso",
        "ultimo_accesso",
    ]
    readonly_fields = [
        "codice_fiscale",
        "utente",
        "metodo",
        "fornitore",
        "primo_accesso",
        "ultimo_accesso",
    ]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
