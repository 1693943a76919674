"""Admin of the territory: quartieri, the Comune's boundary and street register, offices,
staff profiles."""

from __future__ import annotations

from django.contrib import admin

from quartiere.accesso.admin import PolicyAdmin
from quartiere.territorio.models import (
    ConfineComune,
    Indirizzo,
    OrarioApertura,
    ProfiloStaff,
    Quartiere,
    Sede,
)


@admin.register(Quartiere)
class QuartiereAdmin(PolicyAdmin):
    list_display = ["nome", "codice", "municipio", "abitanti", "famiglie", "alloggi_erp"]
    search_fields = ["nome", "codice", "municipio"]
    prepopulated_fields = {"codice": ["nome"]}


@admin.register(ConfineComune)
class ConfineComuneAdmin(PolicyAdmin):
    list_display = ["__str__", "aggiornato_il"]

    def has_add_permission(self, request):
        # One boundary: once it exists it is changed, not added again.
        return super().has_add_permission(request) and not ConfineComune.objects.exists()


@admin.register(Indirizzo)
class IndirizzoAdmin(PolicyAdmin):
    """The street register: loaded with manage.py carica_stradario, corrected here."""

    list_display = ["via", "civico", "quartiere", "lat", "lon"]
    list_filter = ["quartiere"]
    list_select_related = ["quartiere"]
    search_fields = ["via", "civico"]


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
