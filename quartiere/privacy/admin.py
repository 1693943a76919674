"""Admin of the privacy notice and of the records of processing."""

from __future__ import annotations

from django.contrib import admin
from django.contrib import messages as _messages  # noqa: E402
from django.db import IntegrityError, transaction  # noqa: E402
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from quartiere.accesso.admin import PolicyAdmin
from quartiere.privacy.models import Informativa, Trattamento  # noqa: E402

# --- Privacy notice and records of processing (issue 9) --------------------------------------


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
