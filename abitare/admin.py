"""The housing records in the admin, under the shared policy: coordinators set up buildings,
flats and households here. The steps of an assignment are the staff pages' (services)."""

from __future__ import annotations

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from abitare import rules as regole
from abitare.models import (
    AccessoRiservato,
    Alloggio,
    Assegnazione,
    Componente,
    GruppoAutogestione,
    Immobile,
    Nucleo,
    Obiettivo,
    Regolamento,
    Spazio,
    Turno,
)
from quartiere.accesso.admin import PolicyAdmin


class _Scope(PolicyAdmin):
    def scope_queryset(self, request, queryset):
        return regole.scope_abitare(queryset, request.user)


class AlloggioInline(admin.TabularInline):
    model = Alloggio
    extra = 0
    fields = ["codice", "scala", "piano", "locali", "superficie", "accessibile", "stato"]
    readonly_fields = ["stato"]


class SpazioInline(admin.TabularInline):
    model = Spazio
    extra = 0
    fields = ["nome", "funzione", "gestito_da", "orari", "pubblico"]
    autocomplete_fields = ["gestito_da"]


class ObiettivoInline(admin.TabularInline):
    """The building's part of the assignment plan: flats per target group."""

    model = Obiettivo
    extra = 0
    fields = ["gruppo_target", "alloggi"]


@admin.register(Immobile)
class ImmobileAdmin(_Scope, SimpleHistoryAdmin):
    list_display = ["nome", "indirizzo", "quartiere", "gestore", "stato_lavori"]
    list_filter = ["stato_lavori", "quartiere"]
    list_select_related = ["quartiere", "gestore"]
    search_fields = ["nome", "indirizzo", "codice"]
    autocomplete_fields = ["gestore", "categoria_problemi"]
    inlines = [ObiettivoInline, AlloggioInline, SpazioInline]


@admin.register(Alloggio)
class AlloggioAdmin(_Scope, SimpleHistoryAdmin):
    list_display = ["codice", "immobile", "scala", "piano", "locali", "stato"]
    list_filter = ["stato", "accessibile"]
    list_select_related = ["immobile"]
    search_fields = ["codice", "immobile__nome"]
    autocomplete_fields = ["immobile"]
    # The state follows the assignments (abitare.services); a new flat starts in renovation.
    readonly_fields = ["stato"]


class ComponenteInline(admin.TabularInline):
    model = Componente
    extra = 0
    autocomplete_fields = ["persona"]


@admin.register(Nucleo)
class NucleoAdmin(_Scope, SimpleHistoryAdmin):
    list_display = ["nome", "quartiere", "gruppo_target"]
    list_filter = ["gruppo_target", "quartiere"]
    list_select_related = ["quartiere"]
    search_fields = ["nome", "codice", "componenti__persona__cognome"]
    inlines = [ComponenteInline]


@admin.register(Assegnazione)
class AssegnazioneAdmin(_Scope, SimpleHistoryAdmin):
    list_display = ["nucleo", "alloggio", "stato", "pre_assegnata_il", "ingresso_il"]
    list_filter = ["stato"]
    list_select_related = ["nucleo", "alloggio__immobile"]
    search_fields = ["nucleo__nome", "alloggio__codice"]
    readonly_fields = [
        "alloggio",
        "nucleo",
        "stato",
        "pre_assegnata_il",
        "assegnata_il",
        "ingresso_il",
        "uscita_il",
    ]

    def has_add_permission(self, request):
        return False  # an assignment starts on the flat's page (abitare.services)


@admin.register(AccessoRiservato)
class AccessoRiservatoAdmin(_Scope):
    """Who read or wrote a household's confidential notes, and when: read-only (the table
    refuses changes too), for the coordinators. The notes themselves are not in the admin."""

    list_display = ["quando", "nome_utente", "azione", "nucleo", "indirizzo_ip"]
    list_filter = ["azione", "quando"]
    list_select_related = ["nucleo"]
    search_fields = ["nucleo__nome", "nome_utente"]
    date_hierarchy = "quando"
    fields = ["quando", "utente", "nome_utente", "azione", "nucleo", "indirizzo_ip"]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_actions(self, request):
        return {}


@admin.register(Regolamento)
class RegolamentoAdmin(_Scope, SimpleHistoryAdmin):
    """The versions of a building's shared rules: a version without a date is a draft."""

    list_display = ["immobile", "numero", "titolo", "in_vigore_dal"]
    list_filter = ["immobile__quartiere"]
    list_select_related = ["immobile"]
    search_fields = ["immobile__nome", "titolo"]
    autocomplete_fields = ["immobile", "incontri"]


class TurnoInline(admin.TabularInline):
    model = Turno
    extra = 0
    autocomplete_fields = ["nucleo"]


@admin.register(GruppoAutogestione)
class GruppoAutogestioneAdmin(_Scope, SimpleHistoryAdmin):
    """A self-management group: its households and their turns."""

    list_display = ["nome", "immobile", "servizio"]
    list_filter = ["servizio"]
    list_select_related = ["immobile"]
    search_fields = ["nome", "immobile__nome"]
    autocomplete_fields = ["immobile", "nuclei"]
    inlines = [TurnoInline]
