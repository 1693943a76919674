from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from quartiere import rules as policy
from quartiere.admin_base import PolicyAdmin
from quartiere.models import OrarioApertura, Organizzazione, Persona, ProfiloStaff, Quartiere, Sede

admin.site.site_header = _("Quartiere — amministrazione")
admin.site.site_title = _("Quartiere")
admin.site.index_title = _("Configurazione e revisione")


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


class _RegistroAdmin(PolicyAdmin, SimpleHistoryAdmin):
    list_select_related = ["quartiere"]
    list_filter = ["quartiere"]
    readonly_fields = ["versione", "creata_il", "modificata_il"]

    def scope_queryset(self, request, queryset):
        return policy.scope_registro(queryset, request.user)

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


@admin.register(ProfiloStaff)
class ProfiloStaffAdmin(PolicyAdmin):
    list_display = ["utente"]
    filter_horizontal = ["quartieri"]
    search_fields = ["utente__username", "utente__last_name"]
