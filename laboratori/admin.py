"""The labs in the admin, under the same policy as the staff pages.

Statuses are read-only here: they change through the admin actions, which call the
same services as the staff pages.
"""

import copy

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.admin import SimpleHistoryAdmin

from laboratori import rules as regole
from laboratori import services
from laboratori.models import Aderente, Incontro, Laboratorio, Presenza, Proposta, VoceMandato
from quartiere.accesso.admin import PolicyAdmin


class _Admin(PolicyAdmin, SimpleHistoryAdmin):
    def scope_queryset(self, request, queryset):
        return regole.scope(queryset, request.user)

    def _azione(self, request, queryset, funzione, **kwargs):
        fatte = 0
        for obj in queryset:
            if not request.user.has_perm(f"laboratori.change_{obj._meta.model_name}", obj):
                continue
            try:
                funzione(obj, da=request.user, **kwargs)
            except services.ErroreDominio as errore:
                self.message_user(request, f"{obj}: {errore}", messages.WARNING)
            else:
                fatte += 1
        self.message_user(
            request,
            ngettext("%(n)d elemento aggiornato.", "%(n)d elementi aggiornati.", fatte)
            % {"n": fatte},
        )


class IncontroAdminForm(forms.ModelForm):
    """The hall check of the staff form (``services.controlla_sala``) for the admin. The
    admin validates inside its own transaction, so the hall stays locked until the save."""

    def clean(self):
        dati = super().clean()
        if not self.errors:
            # The meeting as it would be saved: the submitted hall, times and state over
            # the stored ones (a read-only field keeps the stored value).
            prova = copy.copy(self.instance)
            for nome in ("sede", "inizio", "fine", "stato"):
                if nome in dati:
                    setattr(prova, nome, dati[nome])
            try:
                services.controlla_sala(prova)
            except services.ErroreDominio as errore:
                self.add_error(None, str(errore))
        return dati


class IncontroInline(admin.TabularInline):
    model = Incontro
    form = IncontroAdminForm
    fields = ["inizio", "titolo", "sede", "luogo", "stato", "pubblico"]
    readonly_fields = ["stato"]
    extra = 0
    show_change_link = True


class AderenteInline(admin.TabularInline):
    """The members of a pilot or thematic group."""

    model = Aderente
    extra = 0
    fields = ["organizzazione", "persona", "ruolo", "dal", "al"]
    autocomplete_fields = ["organizzazione", "persona"]


class VoceMandatoInline(admin.TabularInline):
    """The group's mandate: vulnerabilities and priorities, revised by the group."""

    model = VoceMandato
    extra = 0
    fields = ["tipo", "testo", "ordine", "attiva"]


@admin.register(Laboratorio)
class LaboratorioAdmin(_Admin):
    list_display = ["titolo", "tipo", "quartiere", "fase", "stato", "data_inizio", "data_fine"]
    list_filter = ["tipo", "quartiere", "fase", "stato"]
    list_select_related = ["quartiere"]
    search_fields = ["titolo", "tema", "codice"]
    readonly_fields = ["fase", "stato", "versione", "creato_il"]
    filter_horizontal = ["facilitatori"]
    raw_id_fields = ["gruppo_pilota", "coordinatore_pubblico", "coordinatore_privato_sociale"]
    date_hierarchy = "data_inizio"
    inlines = [VoceMandatoInline, AderenteInline, IncontroInline]
    actions = ["sospendi", "concludi", "riapri"]

    @admin.action(description=_("Sospendi i laboratori selezionati"))
    def sospendi(self, request, queryset):
        self._azione(
            request, queryset, services.cambia_stato_laboratorio, stato=Laboratorio.Stato.SOSPESO
        )

    @admin.action(description=_("Concludi i laboratori selezionati"))
    def concludi(self, request, queryset):
        self._azione(
            request, queryset, services.cambia_stato_laboratorio, stato=Laboratorio.Stato.CONCLUSO
        )

    @admin.action(description=_("Riapri i laboratori selezionati"))
    def riapri(self, request, queryset):
        self._azione(
            request, queryset, services.cambia_stato_laboratorio, stato=Laboratorio.Stato.ATTIVO
        )


class PresenzaFormSet(BaseInlineFormSet):
    """Django checks conditional unique constraints row by row against the database,
    not between the new rows of one formset: do it here, before the database refuses."""

    def clean(self):
        super().clean()
        viste = set()
        for form in self.forms:
            dati = getattr(form, "cleaned_data", None)
            if not dati or dati.get("DELETE"):
                continue
            persona, org = dati.get("persona"), dati.get("organizzazione")
            chiave = ("persona", persona.pk) if persona else ("org", getattr(org, "pk", None))
            if chiave[1] is None:
                continue
            if chiave in viste:
                raise ValidationError(
                    _("Questa persona è già registrata all'incontro.")
                    if persona
                    else _("Questa organizzazione è già registrata all'incontro.")
                )
            viste.add(chiave)


class PresenzaInline(admin.TabularInline):
    model = Presenza
    formset = PresenzaFormSet
    fields = ["persona", "organizzazione", "registrata_da", "registrata_il"]
    readonly_fields = ["registrata_da", "registrata_il"]
    autocomplete_fields = ["persona", "organizzazione"]
    extra = 0


@admin.register(Incontro)
class IncontroAdmin(_Admin):
    form = IncontroAdminForm
    list_display = ["__str__", "laboratorio", "inizio", "stato", "pubblico"]
    list_filter = ["stato", "pubblico", "laboratorio__quartiere"]
    list_select_related = ["laboratorio__quartiere", "sede"]
    search_fields = ["titolo", "laboratorio__titolo", "codice"]
    readonly_fields = ["stato", "versione"]
    autocomplete_fields = ["laboratorio"]
    raw_id_fields = ["asse"]
    date_hierarchy = "inizio"
    inlines = [PresenzaInline]
    actions = ["segna_svolti", "annulla"]

    def save_formset(self, request, form, formset, change):
        for presenza in formset.save(commit=False):
            if isinstance(presenza, Presenza) and presenza.pk is None:
                presenza.registrata_da = request.user
            presenza.save()
        for eliminata in formset.deleted_objects:
            eliminata.delete()
        formset.save_m2m()

    @admin.action(description=_("Segna come svolti"))
    def segna_svolti(self, request, queryset):
        self._azione(request, queryset, services.cambia_stato_incontro, stato=Incontro.Stato.SVOLTO)

    @admin.action(description=_("Annulla gli incontri selezionati"))
    def annulla(self, request, queryset):
        self._azione(
            request, queryset, services.cambia_stato_incontro, stato=Incontro.Stato.ANNULLATO
        )


@admin.register(Proposta)
class PropostaAdmin(_Admin):
    list_display = ["titolo", "laboratorio", "stato", "creata_il"]
    list_filter = ["stato", "laboratorio__quartiere"]
    list_select_related = ["laboratorio__quartiere"]
    search_fields = ["titolo", "laboratorio__titolo"]
    readonly_fields = ["stato", "versione", "creata_il"]
    autocomplete_fields = [
        "laboratorio",
        "incontro",
        "proponente_persona",
        "proponente_organizzazione",
    ]
