"""Reports in the admin under the same policy as the staff pages.

Statuses are read-only here (they change through the staff pages' services). API keys
are issued here: the key is shown once, only its hash is stored; revoking is an action.
"""

import secrets

from django.contrib import admin, messages
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from quartiere.accesso.admin import PolicyAdmin
from segnalazioni.models import (
    Allegato,
    Categoria,
    ChiaveAPI,
    Evento,
    SchedaServizio,
    Segnalazione,
    Ufficio,
)
from segnalazioni.rules import scope_segnalazioni


@admin.register(Ufficio)
class UfficioAdmin(PolicyAdmin):
    list_display = ["nome", "email", "telefono", "attivo"]
    list_filter = ["attivo"]
    search_fields = ["nome", "email"]


@admin.register(Categoria)
class CategoriaAdmin(PolicyAdmin):
    list_display = [
        "nome",
        "codice",
        "ufficio",
        "giorni_risposta",
        "attiva",
        "mai_pubblica",
        "ordine",
    ]
    list_filter = ["attiva", "mai_pubblica", "ufficio"]
    list_select_related = ["ufficio"]
    search_fields = ["nome", "codice"]
    prepopulated_fields = {"codice": ["nome"]}
    autocomplete_fields = ["ufficio"]


@admin.register(SchedaServizio)
class SchedaServizioAdmin(PolicyAdmin, SimpleHistoryAdmin):
    """One card: it can be written once and then changed, never deleted (the public page
    would fall back to the defaults)."""

    fieldsets = [
        (None, {"fields": ["titolo", "attivo", "descrizione", "ufficio_responsabile"]}),
        (
            _("Sezioni della scheda, nell'ordine del modello Comuni"),
            {
                "fields": [
                    "a_chi_e_rivolto",
                    "come_fare",
                    "cosa_serve",
                    "cosa_si_ottiene",
                    "tempi_e_scadenze",
                    "accedi_canale_fisico",
                    "condizioni_di_servizio",
                    "contatti",
                ]
            },
        ),
    ]

    def has_add_permission(self, request):
        return super().has_add_permission(request) and not SchedaServizio.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False


class EventoInline(admin.TabularInline):
    model = Evento
    extra = 0
    can_delete = False
    fields = ["creato_il", "tipo", "autore", "stato_a", "esito", "testo"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class AllegatoInline(admin.TabularInline):
    model = Allegato
    extra = 0
    can_delete = False
    fields = ["nome_originale", "tipo_mime", "dimensione", "caricato_il"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Segnalazione)
class SegnalazioneAdmin(PolicyAdmin, SimpleHistoryAdmin):
    list_display = ["codice", "oggetto", "categoria", "quartiere", "canale", "stato", "creata_il"]
    list_filter = ["stato", "tipo", "canale", "categoria", "quartiere"]
    list_select_related = ["categoria", "quartiere"]
    search_fields = ["codice"]
    # A full-table COUNT(*) on every page costs more than the page itself at scale.
    show_full_result_count = False
    # 50 rows, not Django's 100: the changelist's per-row rendering (links that preserve
    # the filters, one URL resolution each) was most of its time (docs/performance.md, 4.4).
    list_per_page = 50
    date_hierarchy = "creata_il"
    readonly_fields = [
        "codice",
        "stato",
        "esito",
        "assegnata_a",
        "duplicato_di",
        "creata_il",
        "scadenza",
        "chiusa_il",
        "valutazione",
        "valutazione_motivo",
        "versione",
    ]
    raw_id_fields = ["persona", "proposta", "asse"]
    inlines = [EventoInline, AllegatoInline]

    def scope_queryset(self, request, queryset):
        return scope_segnalazioni(queryset, request.user)

    def get_search_results(self, request, queryset, search_term):
        if not search_term:
            return queryset, False
        risultato, duplicati = super().get_search_results(request, queryset, search_term)
        return risultato | queryset.cerca(search_term), duplicati


@admin.register(ChiaveAPI)
class ChiaveAPIAdmin(PolicyAdmin):
    list_display = ["nome", "prefisso", "attiva", "creata_il", "creata_da", "revocata_il"]
    list_filter = ["attiva"]
    fields = ["nome", "note", "prefisso", "attiva", "creata_il", "creata_da", "revocata_il"]
    readonly_fields = ["prefisso", "attiva", "creata_il", "creata_da", "revocata_il"]
    actions = ["revoca"]

    def save_model(self, request, obj, form, change):
        if not change:
            chiave = secrets.token_urlsafe(32)
            obj.imposta_chiave(chiave)
            obj.creata_da = request.user
            super().save_model(request, obj, form, change)
            self.message_user(
                request,
                _(
                    "Chiave rilasciata: %(chiave)s — copiala ora e consegnala a chi la usa: "
                    "non verrà più mostrata."
                )
                % {"chiave": chiave},
                messages.WARNING,
            )
            return
        super().save_model(request, obj, form, change)

    @admin.action(description=_("Revoca le chiavi selezionate"), permissions=["change"])
    def revoca(self, request, queryset):
        n = queryset.filter(attiva=True).update(attiva=False, revocata_il=timezone.now())
        self.message_user(request, _("Chiavi revocate: %(n)s.") % {"n": n})
