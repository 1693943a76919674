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


# --- Hall calendar and operators' diary (issue 7) --------------------------------------------

from django.contrib import messages as _messages  # noqa: E402

from quartiere.models import AttivitaDiario, Prenotazione  # noqa: E402
from quartiere.services import ErroreDominio  # noqa: E402
from quartiere.services_calendario import (  # noqa: E402
    annulla_prenotazione,
    conferma_prenotazione,
)


@admin.register(Prenotazione)
class PrenotazioneAdmin(PolicyAdmin, SimpleHistoryAdmin):
    """Status changes go through the services (actions below), never through the form."""

    list_display = ["titolo", "sede", "inizio", "fine", "stato", "pubblico"]
    list_filter = ["stato", "pubblico", "sede"]
    list_select_related = ["sede"]
    search_fields = ["titolo", "richiedente_ente"]
    date_hierarchy = "inizio"
    autocomplete_fields = ["organizzazione"]
    readonly_fields = [
        "stato",
        "serie",
        "ripeti_fino_al",
        "consenso_privacy",
        "informativa_versione",
        "creata_il",
        "creata_da",
        "gestita_il",
        "gestita_da",
        "versione",
    ]
    actions = ["conferma", "annulla"]

    def get_readonly_fields(self, request, obj=None):
        # Moving a booking could make it overlap another one behind the services' lock:
        # to change hall or time, cancel it and book again.
        campi = super().get_readonly_fields(request, obj)
        return [*campi, "sede", "inizio", "fine"] if obj is not None else campi

    def scope_queryset(self, request, queryset):
        return policy.scope_prenotazioni(queryset, request.user)

    def _esegui(self, request, queryset, funzione, fatto):
        for prenotazione in queryset:
            if not request.user.has_perm("quartiere.conferma_prenotazione", prenotazione):
                continue
            try:
                funzione(prenotazione, da=request.user)
            except ErroreDominio as errore:
                self.message_user(request, f"{prenotazione}: {errore}", _messages.ERROR)
            else:
                self.message_user(request, f"{prenotazione}: {fatto}", _messages.SUCCESS)

    @admin.action(description=_("Conferma le prenotazioni selezionate"))
    def conferma(self, request, queryset):
        self._esegui(request, queryset, conferma_prenotazione, _("confermata"))

    @admin.action(description=_("Annulla le prenotazioni selezionate"))
    def annulla(self, request, queryset):
        self._esegui(request, queryset, annulla_prenotazione, _("annullata"))


@admin.register(AttivitaDiario)
class AttivitaDiarioAdmin(PolicyAdmin, SimpleHistoryAdmin):
    list_display = ["data", "operatore", "tipo", "quartiere", "ore"]
    list_filter = ["tipo", "quartiere"]
    list_select_related = ["operatore", "quartiere"]
    date_hierarchy = "data"
    search_fields = ["operatore__username", "operatore__last_name", "nota"]

    def scope_queryset(self, request, queryset):
        return policy.scope_diario(queryset, request.user)
