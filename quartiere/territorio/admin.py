"""Admin of the territory: quartieri, offices, staff profiles."""

from __future__ import annotations

from django.contrib import admin

from quartiere.accesso.admin import PolicyAdmin
from quartiere.territorio.models import OrarioApertura, ProfiloStaff, Quartiere, Sede


@admin.register(Quartiere)
class QuartiereAdmin(PolicyAdmin):
    list_display = ["nome", "codice", "municipio", "abitanti", "famiglie", "alloggi_erp"]
    search_fields = ["nome", "codice", "municipio"]
    prepopulated_fields = {"codice": ["nome"]}


class OrarioInline(admin.TabularInline):
    model = OrarioApertura
    extra = 0


@admin.register(Sede)
class SedeAdmin(PolicyAdmin):
    list_display = ["nome", "tipo", "quartiere", "indirizzo", "prenotabile"]
    list_filter = ["tipo", "quartiere", "prenotabile"]
    search_fields = ["nome", "indirizzo"]
    inlines = [OrarioInline]


@admin.register(ProfiloStaff)
class ProfiloStaffAdmin(PolicyAdmin):
    list_display = ["utente"]
    filter_horizontal = ["quartieri"]
    search_fields = ["utente__username", "utente__last_name"]
