"""Admin of the hall calendar."""

from __future__ import annotations

from django.contrib import admin
from django.contrib import messages as _messages  # noqa: E402
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from quartiere.accesso.admin import PolicyAdmin
from quartiere.calendario.models import Prenotazione
from quartiere.calendario.rules import scope_prenotazioni
from quartiere.calendario.services import annulla_prenotazione, conferma_prenotazione
from quartiere.lib.errori import ErroreDominio  # noqa: E402

# --- Hall calendar and operators' diary (issue 7) --------------------------------------------


@admin.register(Prenotazione)
class PrenotazioneAdmin(PolicyAdmin, SimpleHistoryAdmin):
    """Status changes go through the services (actions below), never through the form."""

    list_display = ["titolo", "sede", "inizio", "fine", "stato", "pubblico"]
    list_filter = ["stato", "pubblico", "sede"]
    list_select_related = ["sede"]
    search_fields = ["titolo", "richiedente_ente"]
    date_hierarchy = "inizio"
    autocomplete_fields = ["organizzazione"]
    raw_id_fields = ["asse"]
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
        return scope_prenotazioni(queryset, request.user)

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
