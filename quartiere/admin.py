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


# --- Privacy notice and records of processing (issue 9) --------------------------------------

from django.db import IntegrityError, transaction  # noqa: E402

from quartiere.models import Informativa, Trattamento  # noqa: E402


@admin.register(Informativa)
class InformativaAdmin(PolicyAdmin, SimpleHistoryAdmin):
    """Drafts are edited freely; a published version is read-only (rules + database
    trigger). To change the text, copy it into a new draft with the action below."""

    list_display = ["codice", "titolo", "in_vigore_dal", "pubblicata"]
    list_filter = ["pubblicata"]
    search_fields = ["codice", "titolo"]
    readonly_fields = ["creata_il"]
    fieldsets = [
        (None, {"fields": ["codice", "titolo", "testo", "in_vigore_dal", "pubblicata"]}),
        (_("Traduzione inglese"), {"fields": ["titolo_inglese", "testo_inglese"]}),
        (None, {"fields": ["creata_il"]}),
    ]
    actions = ["crea_bozza"]

    def view_on_site(self, obj):
        return obj.get_absolute_url() if obj.pubblicata else None

    # The rules already say so, but Django lets a superuser past every rule: a published
    # version is read-only here for everyone (and the database refuses the write anyway).
    def has_change_permission(self, request, obj=None):
        return not (obj is not None and obj.pubblicata) and super().has_change_permission(
            request, obj
        )

    def has_delete_permission(self, request, obj=None):
        return not (obj is not None and obj.pubblicata) and super().has_delete_permission(
            request, obj
        )

    def get_actions(self, request):
        # The bulk delete would reach published versions; drafts are deleted one by one.
        azioni = super().get_actions(request)
        azioni.pop("delete_selected", None)
        return azioni

    @admin.action(description=_("Crea una nuova bozza partendo dalla versione selezionata"))
    def crea_bozza(self, request, queryset):
        if not request.user.has_perm("quartiere.add_informativa"):
            return
        for originale in queryset[:1]:
            base = f"{originale.codice}-bozza"[:20]
            versione, n = base, 2
            while Informativa.objects.filter(codice=versione).exists():
                versione, n = f"{base[:17]}-{n}", n + 1
            try:
                with transaction.atomic():
                    bozza = Informativa.objects.create(
                        codice=versione,
                        titolo=originale.titolo,
                        testo=originale.testo,
                        titolo_inglese=originale.titolo_inglese,
                        testo_inglese=originale.testo_inglese,
                        in_vigore_dal=originale.in_vigore_dal,
                        pubblicata=False,
                    )
            except IntegrityError:
                self.message_user(request, _("Bozza non creata: riprova."), _messages.ERROR)
                return
            self.message_user(
                request,
                _("Creata la bozza %(versione)s: cambiane versione e data, poi pubblicala.")
                % {"versione": bozza.codice},
                _messages.SUCCESS,
            )


@admin.register(Trattamento)
class TrattamentoAdmin(PolicyAdmin, SimpleHistoryAdmin):
    list_display = ["nome", "categorie_particolari", "classe_conservazione", "ordine"]
    list_filter = ["categorie_particolari", "classe_conservazione"]
    search_fields = ["nome", "finalita", "categorie_dati"]
    readonly_fields = ["aggiornato_il"]
    fieldsets = [
        (None, {"fields": ["nome", "ordine", "finalita", "base_giuridica"]}),
        (
            _("Interessati e dati"),
            {
                "fields": [
                    "categorie_interessati",
                    "categorie_dati",
                    "categorie_particolari",
                    "categorie_particolari_dettaglio",
                ]
            },
        ),
        (
            _("Comunicazione e conservazione"),
            {
                "fields": [
                    "destinatari",
                    "trasferimenti_extra_ue",
                    "classe_conservazione",
                    "termini_conservazione",
                ]
            },
        ),
        (_("Sicurezza"), {"fields": ["misure_sicurezza"]}),
        (_("Titolare e responsabili"), {"fields": ["titolare", "responsabili", "rpd"]}),
        (None, {"fields": ["aggiornato_il"]}),
    ]
