"""Admin of the operators' diary."""

from __future__ import annotations

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from quartiere.accesso.admin import PolicyAdmin
from quartiere.diario.models import AttivitaDiario  # noqa: E402
from quartiere.diario.rules import scope_diario


@admin.register(AttivitaDiario)
class AttivitaDiarioAdmin(PolicyAdmin, SimpleHistoryAdmin):
    list_display = ["data", "operatore", "tipo", "quartiere", "ore"]
    list_filter = ["tipo", "quartiere", "asse__programma"]
    list_select_related = ["operatore", "quartiere"]
    raw_id_fields = ["asse"]
    date_hierarchy = "data"
    search_fields = ["operatore__username", "operatore__last_name", "nota"]

    def scope_queryset(self, request, queryset):
        return scope_diario(queryset, request.user)
