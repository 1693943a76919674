"""Admin of the registry."""

from __future__ import annotations

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from quartiere.accesso.admin import PolicyAdmin
from quartiere.registro.models import Organizzazione, Persona
from quartiere.registro.rules import scope_registro


class _RegistroAdmin(PolicyAdmin, SimpleHistoryAdmin):
    list_select_related = ["quartiere"]
    list_filter = ["quartiere"]
    readonly_fields = ["versione", "creata_il", "modificata_il"]

    def scope_queryset(self, request, queryset):
        return scope_registro(queryset, request.user)

    def get_search_results(self, request, queryset, search_term):
        # Accent-insensitive search through the normalised column.
        if not search_term:
            return queryset, False
        return queryset.cerca(search_term), False


@admin.register(Persona)
class PersonaAdmin(_RegistroAdmin):
    list_display = ["cognome", "nome", "codice_fiscale", "email", "telefono", "quartiere"]
    list_filter = ["quartiere", "consenso_privacy", "consenso_pubblicazione"]
    search_fields = ["cognome", "nome"]


@admin.register(Organizzazione)
class OrganizzazioneAdmin(_RegistroAdmin):
    list_display = ["nome", "tipo", "email", "telefono", "quartiere"]
    list_filter = ["tipo", "quartiere"]
    search_fields = ["nome"]
    autocomplete_fields = ["referente"]
