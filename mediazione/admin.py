"""The coordinators' review of dossiers in the Django admin.

The same policy as the staff pages: the changelist, the change page, the history and
every inline are scoped through ``rules.scope_dossier_admin`` (an assigned mediator sees
their dossiers, a coordinator all, the amministratore all but read-only), and opening a
dossier's page is written to the access log. The admin is a review tool: dossiers are
read-only here (changes go through the staff pages, where ``services`` enforce the
workflow), and the access log and the retention runs can be neither changed nor deleted.
"""

from __future__ import annotations

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from rules.contrib.admin import ObjectPermissionsTabularInline

from mediazione import services
from mediazione.models import (
    AccessoDossier,
    Accordo,
    Attivita,
    Dossier,
    EsecuzioneConservazione,
    Parte,
)
from mediazione.rules import scope_dossier_admin
from quartiere.accesso import policy
from quartiere.accesso.admin import PolicyAdmin


class _SolaLettura:
    """Nothing is added, changed or deleted through these admin pages."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class _InlineDossier(_SolaLettura, ObjectPermissionsTabularInline):
    extra = 0
    can_delete = False
    show_change_link = False

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields if f.name not in ("id", "dossier")] + list(
            getattr(self, "campi_extra", [])
        )


class ParteInline(_InlineDossier):
    model = Parte
    fields = ["persona", "ruolo", "consenso_mediazione", "consenso_data", "note"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("persona")


class AttivitaInline(_InlineDossier):
    model = Attivita
    fields = [
        "data",
        "tipo",
        "fase",
        "durata_minuti",
        "elenco_partecipanti",
        "non_condividere",
        "note",
        "registrata_da",
    ]
    campi_extra = ["elenco_partecipanti"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("registrata_da")
            .prefetch_related("partecipanti__persona")
        )

    @admin.display(description=_("partecipanti"))
    def elenco_partecipanti(self, obj):
        return ", ".join(str(p) for p in obj.partecipanti.all()) or "—"


class AccordoInline(_InlineDossier):
    model = Accordo
    fields = ["data", "testo", "elenco_aderenti", "data_verifica", "verifica_svolta_il"]
    campi_extra = ["elenco_aderenti"]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("parti_aderenti__persona")

    @admin.display(description=_("parti che hanno aderito"))
    def elenco_aderenti(self, obj):
        return ", ".join(str(p) for p in obj.parti_aderenti.all()) or "—"


class StatoFilter(admin.SimpleListFilter):
    title = _("stato")
    parameter_name = "stato"

    def lookups(self, request, model_admin):
        return [("aperti", _("aperti")), ("chiusi", _("chiusi"))]

    def queryset(self, request, queryset):
        if self.value() == "aperti":
            return queryset.aperti()
        if self.value() == "chiusi":
            return queryset.chiusi()
        return queryset


class VerificaScadutaFilter(admin.SimpleListFilter):
    title = _("verifica dell'accordo")
    parameter_name = "verifica"

    def lookups(self, request, model_admin):
        return [("scaduta", _("scaduta"))]

    def queryset(self, request, queryset):
        if self.value() == "scaduta":
            return queryset.con_verifica_scaduta()
        return queryset


class MediatoreFilter(admin.SimpleListFilter):
    title = _("mediatore")
    parameter_name = "mediatore"

    def lookups(self, request, model_admin):
        utenti = (
            get_user_model()
            .objects.filter(
                Q(groups__name=policy.MEDIATORE) | Q(groups__name=policy.COORDINATORE),
                dossier_mediazione__isnull=False,
            )
            .distinct()
            .order_by("last_name", "first_name", "username")
        )
        return [(str(u.pk), u.get_full_name() or u.get_username()) for u in utenti]

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(mediatori__pk=self.value()).distinct()
        return queryset


@admin.register(Dossier)
class DossierAdmin(_SolaLettura, PolicyAdmin):
    list_display = [
        "numero",
        "quartiere",
        "tipo_conflitto",
        "fase",
        "esito",
        "aperto_il",
        "chiuso_il",
        "verifica",
    ]
    list_filter = [
        "fase",
        "tipo_conflitto",
        "esito",
        "quartiere",
        MediatoreFilter,
        StatoFilter,
        VerificaScadutaFilter,
    ]
    list_select_related = ["quartiere", "accordo"]
    search_fields = ["numero"]
    ordering = ["-anno", "-progressivo"]
    inlines = [ParteInline, AttivitaInline, AccordoInline]
    fields = [
        "numero",
        "quartiere",
        "tipo_conflitto",
        "canale_arrivo",
        "segnalazione",
        "elenco_mediatori",
        "fase",
        "esito",
        "aperto_il",
        "chiuso_il",
        "descrizione",
        "asse",
        "creato_da",
        "anonimizzato_il",
        "versione",
        "registro_accessi",
    ]
    readonly_fields = fields

    def scope_queryset(self, request, queryset):
        return scope_dossier_admin(queryset, request.user)

    def get_search_results(self, request, queryset, search_term):
        # Only the number: free text would search confidential content.
        termine = search_term.strip()
        if not termine:
            return queryset, False
        return queryset.filter(numero__icontains=termine), False

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("mediazione.admin_view_dossier", obj)

    def has_module_permission(self, request):
        return request.user.has_perm("mediazione.admin_view_dossier")

    @admin.display(description=_("mediatori"))
    def elenco_mediatori(self, obj):
        return ", ".join(u.get_full_name() or u.get_username() for u in obj.mediatori.all())

    @admin.display(description=_("registro degli accessi"))
    def registro_accessi(self, obj):
        if not self.admin_site.is_registered(AccessoDossier):
            return "—"
        url = reverse("admin:mediazione_accessodossier_changelist")
        return format_html(
            '<a href="{}?{}">{}</a>', url, urlencode({"q": obj.numero}), _("Apri il registro")
        )

    @admin.display(description=_("verifica"))
    def verifica(self, obj):
        try:
            accordo = obj.accordo
        except Accordo.DoesNotExist:
            return "—"
        if accordo.verifica_svolta_il:
            return _("svolta il %(data)s") % {
                "data": accordo.verifica_svolta_il.strftime("%d/%m/%Y")
            }
        if accordo.data_verifica:
            scaduta = not obj.chiuso and accordo.data_verifica <= timezone.localdate()
            data = accordo.data_verifica.strftime("%d/%m/%Y")
            return _("scaduta il %(data)s") % {"data": data} if scaduta else data
        return "—"

    def change_view(self, request, object_id, form_url="", extra_context=None):
        risposta = super().change_view(request, object_id, form_url, extra_context)
        # Logged only when the page was actually shown (scope and permission passed).
        if risposta.status_code == 200:
            dossier = self.get_queryset(request).filter(pk=object_id).first()
            if dossier is not None:
                services.registra_accesso(
                    dossier,
                    utente=request.user,
                    azione=AccessoDossier.Azione.LETTURA_ADMIN,
                    request=request,
                    dettaglio="admin",
                )
        return risposta

    def history_view(self, request, object_id, extra_context=None):
        risposta = super().history_view(request, object_id, extra_context)
        if risposta.status_code == 200:
            dossier = self.get_queryset(request).filter(pk=object_id).first()
            if dossier is not None:
                services.registra_accesso(
                    dossier,
                    utente=request.user,
                    azione=AccessoDossier.Azione.LETTURA_ADMIN,
                    request=request,
                    dettaglio="admin: cronologia",
                )
        return risposta


@admin.register(AccessoDossier)
class AccessoDossierAdmin(_SolaLettura, PolicyAdmin):
    list_display = ["quando", "nome_utente", "azione", "dossier", "dettaglio", "indirizzo_ip"]
    list_filter = ["azione", "quando"]
    list_select_related = ["dossier"]
    search_fields = ["dossier__numero", "nome_utente"]
    date_hierarchy = "quando"
    fields = ["quando", "utente", "nome_utente", "azione", "dossier", "dettaglio", "indirizzo_ip"]
    readonly_fields = fields

    def get_actions(self, request):
        return {}


@admin.register(EsecuzioneConservazione)
class EsecuzioneConservazioneAdmin(_SolaLettura, PolicyAdmin):
    list_display = [
        "eseguita_il",
        "anonimizza",
        "anni",
        "chiusi_prima_del",
        "dossier_trovati",
        "dossier_anonimizzati",
        "eseguita_da",
    ]
    fields = [*list_display, "numeri"]
    readonly_fields = fields

    def get_actions(self, request):
        return {}
