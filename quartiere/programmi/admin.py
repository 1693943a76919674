"""Admin of the funded programmes: the coordinators record a programme with its axes and
funding steps, its contracts with their renewals, the axes' targets with their measures."""

from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from quartiere.accesso.admin import PolicyAdmin
from quartiere.programmi.models import (
    Affidamento,
    Asse,
    AvvisoIntervento,
    Finanziamento,
    IndicatoreProgramma,
    Intervento,
    MisuraIndicatore,
    Programma,
    Rinnovo,
)


class AsseInline(admin.StackedInline):
    model = Asse
    extra = 0


class FinanziamentoInline(admin.TabularInline):
    model = Finanziamento
    extra = 0


@admin.register(Programma)
class ProgrammaAdmin(PolicyAdmin, SimpleHistoryAdmin):
    list_display = [
        "nome",
        "strumento",
        "cup",
        "inizio",
        "fine",
        "ammesso",
        "impegnato_percento",
        "erogato_percento",
    ]
    list_filter = ["strumento", "quartieri"]
    search_fields = ["nome", "cup", "finanziatore", "rup"]
    filter_horizontal = ["quartieri"]
    prepopulated_fields = {"codice": ["nome"]}
    inlines = [AsseInline, FinanziamentoInline]

    def get_queryset(self, request):
        return super().get_queryset(request).con_avanzamento()

    @admin.display(description=_("ammesso (€)"), ordering="ammesso")
    def ammesso(self, obj):
        return obj.ammesso

    @admin.display(description=_("impegnato %"), ordering="impegnato_percento")
    def impegnato_percento(self, obj):
        return obj.impegnato_percento

    @admin.display(description=_("erogato %"), ordering="erogato_percento")
    def erogato_percento(self, obj):
        return obj.erogato_percento


class RinnovoInline(admin.TabularInline):
    model = Rinnovo
    extra = 0


@admin.register(Affidamento)
class AffidamentoAdmin(PolicyAdmin, SimpleHistoryAdmin):
    list_display = ["oggetto", "programma", "fornitore", "importo", "inizio", "fine"]
    list_filter = ["programma"]
    list_select_related = ["programma", "fornitore"]
    search_fields = ["oggetto", "cig", "fornitore__nome"]
    autocomplete_fields = ["fornitore", "membri"]
    inlines = [RinnovoInline]


class MisuraInline(admin.TabularInline):
    model = MisuraIndicatore
    extra = 0


@admin.register(IndicatoreProgramma)
class IndicatoreProgrammaAdmin(PolicyAdmin):
    list_display = ["nome", "asse", "unita", "valore_base", "obiettivo"]
    list_filter = ["asse__programma"]
    list_select_related = ["asse", "asse__programma"]
    search_fields = ["nome", "asse__titolo", "asse__programma__nome"]
    inlines = [MisuraInline]


class AvvisoInline(admin.StackedInline):
    model = AvvisoIntervento
    extra = 0


@admin.register(Intervento)
class InterventoAdmin(PolicyAdmin, SimpleHistoryAdmin):
    """The works of a programme and their notices to residents, which the quartiere's public
    page shows while they are current."""

    list_display = [
        "titolo",
        "programma",
        "quartiere",
        "stato",
        "inizio_previsto",
        "fine_prevista",
        "pubblico",
    ]
    list_filter = ["stato", "quartiere", "programma", "pubblico"]
    list_select_related = ["programma", "quartiere"]
    search_fields = ["titolo", "luogo"]
    inlines = [AvvisoInline]
