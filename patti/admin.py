"""The pacts in the admin, under the shared policy.

Coordinators review pacts here, export and import the pacts, signatories and projects
tables (django-import-export, same columns as docs/import.md), and upload a whole set of
spreadsheets, which runs exactly the validation and transaction of ``import_data``.
Status changes are not edited here: they go through the workflow on the staff pages.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.functional import lazy
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export import fields, resources, widgets
from import_export.admin import ImportExportMixin
from rules.contrib.admin import ObjectPermissionsTabularInline
from simple_history.admin import SimpleHistoryAdmin

from laboratori.models import Laboratorio
from patti import rules as regole
from patti.importazione import SEPARATORE_IMPEGNI
from patti.models import (
    CAMPI_FIRMATI,
    CAMPI_MONITORAGGIO,
    Firmatario,
    Impegno,
    Indicatore,
    Misurazione,
    PassaggioStato,
    Patto,
    Progetto,
)
from patti.services import registra_stato_importato
from quartiere.accesso.admin import PolicyAdmin
from quartiere.importazione import fogli, importa, nome_foglio
from quartiere.registro.models import Organizzazione, Persona
from quartiere.territorio.models import Quartiere


def _codice(modello):
    return widgets.ForeignKeyWidget(modello, field="codice")


class _RisorsaVersionata(resources.ModelResource):
    """An imported row that changes a stored record bumps its version, so an edit form
    opened before the import is refused instead of silently undoing the import."""

    def before_save_instance(self, instance, row, **kwargs):
        super().before_save_instance(instance, row, **kwargs)
        if instance.pk is not None:
            instance.versione += 1


class PattoResource(_RisorsaVersionata):
    """patti.csv: codice, titolo, quartiere, laboratorio, stato, dates, rinnova (by codice)."""

    quartiere = fields.Field("quartiere", "quartiere", _codice(Quartiere))
    laboratorio = fields.Field("laboratorio", "laboratorio", _codice(Laboratorio))
    rinnova = fields.Field("rinnova", "rinnova", _codice(Patto))

    class Meta:
        model = Patto
        import_id_fields = ["codice"]
        fields = [
            "codice",
            "titolo",
            "quartiere",
            "laboratorio",
            "stato",
            "data_firma",
            "data_inizio",
            "data_fine",
            "rinnova",
        ]
        skip_unchanged = True
        clean_model_instances = True

    def before_save_instance(self, instance, row, **kwargs):
        super().before_save_instance(instance, row, **kwargs)
        instance._stato_precedente = (
            Patto.objects.filter(pk=instance.pk).values_list("stato", flat=True).first()
            if instance.pk
            else None
        )
        if not instance.numero:
            instance.numero = instance.codice

    def after_save_instance(self, instance, row, **kwargs):
        if kwargs.get("dry_run"):
            return
        precedente = getattr(instance, "_stato_precedente", None)
        if precedente != instance.stato:
            registra_stato_importato(instance, precedente or "", file="admin", da=None)


class ProgettoResource(_RisorsaVersionata):
    patto = fields.Field("patto", "patto", _codice(Patto))

    class Meta:
        model = Progetto
        import_id_fields = ["codice"]
        fields = ["codice", "patto", "titolo", "ambito", "budget"]
        skip_unchanged = True
        clean_model_instances = True


class FirmatarioResource(_RisorsaVersionata):
    """firmatari.csv, matched by its natural key (pact + person, organisation or Comune)."""

    patto = fields.Field("patto", "patto", _codice(Patto))
    persona = fields.Field("persona", "persona", _codice(Persona))
    organizzazione = fields.Field("organizzazione", "organizzazione", _codice(Organizzazione))
    impegni = fields.Field(attribute=None, column_name="impegni", readonly=True)

    class Meta:
        model = Firmatario
        fields = ["patto", "tipo", "persona", "organizzazione", "impegni"]
        import_id_fields = ["patto", "tipo", "persona", "organizzazione"]
        skip_unchanged = True
        clean_model_instances = True

    def dehydrate_impegni(self, firmatario):
        return SEPARATORE_IMPEGNI.join(i.descrizione for i in firmatario.impegni.all())

    def get_instance(self, instance_loader, row):
        patto = self.fields["patto"].clean(row)
        if patto is None:
            return None
        qs = Firmatario.objects.filter(patto=patto)
        if row.get("tipo") == Firmatario.Tipo.COMUNE:
            return qs.filter(tipo=Firmatario.Tipo.COMUNE).first()
        persona = self.fields["persona"].clean(row)
        if persona is not None:
            return qs.filter(persona=persona).first()
        organizzazione = self.fields["organizzazione"].clean(row)
        if organizzazione is not None:
            return qs.filter(organizzazione=organizzazione).first()
        return None

    def after_save_instance(self, instance, row, **kwargs):
        if kwargs.get("dry_run"):
            return
        testi = [t.strip() for t in (row.get("impegni") or "").split(SEPARATORE_IMPEGNI)]
        presenti = set(instance.impegni.values_list("descrizione", flat=True))
        Impegno.objects.bulk_create(
            [
                Impegno(firmatario=instance, descrizione=t)
                for t in dict.fromkeys(testi)
                if t and t not in presenti
            ]
        )


class _ImportaDaiFogli:
    """Import and export for coordinators only (``patti.importa_dati``)."""

    def has_import_permission(self, request):
        return request.user.has_perm("patti.importa_dati")

    def has_export_permission(self, request):
        return request.user.has_perm("patti.importa_dati")


class _ScopePatto(PolicyAdmin):
    campo_quartiere = "patto__quartiere"

    def scope_queryset(self, request, queryset):
        return regole.scope_patti(queryset, request.user, campo=self.campo_quartiere)

    def get_readonly_fields(self, request, obj=None):
        campi = list(super().get_readonly_fields(request, obj))
        if (
            obj is not None
            and self.model in (Impegno, Progetto)
            and _sigillato(regole.patto_di(obj))
        ):
            campi += _campi_dopo_la_firma(self.model)
        return campi


def _sigillato(patto) -> bool:
    return patto is not None and patto.sigillato


def _campi_dopo_la_firma(modello) -> list[str]:
    """The fields a signature freezes in a row of ``modello`` (all but the monitoring)."""
    restano = {*CAMPI_MONITORAGGIO.get(modello._meta.model_name, ()), "versione"}
    return [c.name for c in modello._meta.fields if c.editable and c.name not in restano]


class _RigaDelPatto(ObjectPermissionsTabularInline):
    """A row under the pact, asked of the policy with the pact: once it is signed nothing is
    added or removed, and only the monitoring fields stay editable."""

    extra = 0

    def has_add_permission(self, request, obj=None):
        return request.user.has_perm(f"patti.add_{self.opts.model_name}", obj)

    def get_readonly_fields(self, request, obj=None):
        campi = list(super().get_readonly_fields(request, obj))
        if _sigillato(obj):
            campi += _campi_dopo_la_firma(self.model)
        return campi


class FirmatarioInline(_RigaDelPatto):
    model = Firmatario
    autocomplete_fields = ["persona", "organizzazione"]
    fields = ["tipo", "persona", "organizzazione", "ufficio", "rappresentante", "ordine"]


class ProgettoInline(_RigaDelPatto):
    model = Progetto
    fields = ["codice", "titolo", "ambito", "budget", "cofinanziamento", "avanzamento"]


class IndicatoreInline(admin.TabularInline):
    model = Indicatore
    extra = 0


class PassaggioInline(admin.TabularInline):
    model = PassaggioStato
    extra = 0
    can_delete = False
    readonly_fields = ["da_stato", "a_stato", "il", "da", "nota"]
    fields = readonly_fields

    def has_add_permission(self, request, obj=None):
        return False


class _PiuFile(forms.ClearableFileInput):
    allow_multiple_selected = True


class _CampoPiuFile(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", _PiuFile(attrs={"accept": ".csv,.xlsx"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [super(_CampoPiuFile, self).clean(d, initial) for d in data]
        return [super().clean(data, initial)]


def _previsti() -> str:
    return ", ".join(fogli())


class FogliForm(forms.Form):
    file = _CampoPiuFile(
        label=gettext_lazy("File CSV o XLSX"),
        help_text=format_lazy(
            "{} {} {}",
            gettext_lazy("Uno o più tra:"),
            lazy(_previsti, str)(),
            gettext_lazy("(o gli stessi in .xlsx)."),
        ),
    )
    solo_verifica = forms.BooleanField(
        label=gettext_lazy("Solo verifica (non scrivere nulla)"), required=False
    )


@admin.register(Patto)
class PattoAdmin(_ImportaDaiFogli, ImportExportMixin, _ScopePatto, SimpleHistoryAdmin):
    resource_classes = [PattoResource]
    campo_quartiere = "quartiere"
    list_display = ["numero", "titolo", "quartiere", "stato", "livello", "data_firma", "rinnova"]
    list_filter = ["stato", "livello", "tipo", "quartiere"]
    list_select_related = ["quartiere", "rinnova"]
    search_fields = ["numero", "codice", "titolo"]
    # The status moves by the workflow, the amended pact is set by services.integra.
    readonly_fields = ["stato", "integra", "versione", "creato_il", "modificato_il"]
    autocomplete_fields = ["rinnova"]

    def get_readonly_fields(self, request, obj=None):
        campi = list(super().get_readonly_fields(request, obj))
        if _sigillato(obj):
            campi += [c for c in CAMPI_FIRMATI if c not in campi and c != "documento_firmato"]
        return campi

    raw_id_fields = ["laboratorio", "proposta", "asse"]
    inlines = [FirmatarioInline, ProgettoInline, IndicatoreInline, PassaggioInline]
    change_list_template = "admin/patti/patto/change_list.html"

    def get_urls(self):
        return [
            path(
                "importa-fogli/",
                self.admin_site.admin_view(self.importa_fogli),
                name="patti_patto_importa_fogli",
            ),
            *super().get_urls(),
        ]

    def importa_fogli(self, request):
        """Upload a set of CSV files and run the same import as ``manage.py import_data``."""
        if not request.user.has_perm("patti.importa_dati"):
            raise PermissionDenied
        esito = None
        form = FogliForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            caricati = form.cleaned_data["file"]
            sconosciuti = [f.name for f in caricati if nome_foglio(f.name) is None]
            if sconosciuti:
                form.add_error(
                    "file", _("File non previsti: %(nomi)s") % {"nomi": ", ".join(sconosciuti)}
                )
            else:
                with tempfile.TemporaryDirectory() as cartella:
                    for caricato in caricati:
                        Path(cartella, caricato.name).write_bytes(caricato.read())
                    esito = importa(cartella, scrivi=not form.cleaned_data["solo_verifica"])
                if esito.ok and not form.cleaned_data["solo_verifica"]:
                    messages.success(request, _("Importazione completata."))
        contesto = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Importa fogli di calcolo"),
            "form": form,
            "esito": esito,
        }
        return TemplateResponse(request, "admin/patti/importa_fogli.html", contesto)


@admin.register(Firmatario)
class FirmatarioAdmin(_ImportaDaiFogli, ImportExportMixin, _ScopePatto):
    resource_classes = [FirmatarioResource]
    list_display = ["patto", "tipo", "persona", "organizzazione", "ufficio"]
    list_filter = ["tipo"]
    list_select_related = ["patto", "persona", "organizzazione"]
    search_fields = ["patto__numero", "organizzazione__nome", "persona__cognome"]
    autocomplete_fields = ["patto", "persona", "organizzazione"]

    def get_export_queryset(self, request):
        return super().get_export_queryset(request).prefetch_related("impegni")


@admin.register(Progetto)
class ProgettoAdmin(_ImportaDaiFogli, ImportExportMixin, _ScopePatto):
    resource_classes = [ProgettoResource]
    list_display = ["titolo", "patto", "ambito", "budget", "avanzamento"]
    list_filter = ["ambito"]
    list_select_related = ["patto"]
    search_fields = ["titolo", "codice", "patto__numero"]
    autocomplete_fields = ["patto"]


@admin.register(Impegno)
class ImpegnoAdmin(_ScopePatto):
    campo_quartiere = "firmatario__patto__quartiere"
    list_display = ["descrizione", "firmatario", "scadenza", "svolto"]
    list_filter = ["svolto"]
    list_select_related = ["firmatario__patto", "firmatario__organizzazione", "firmatario__persona"]
    raw_id_fields = ["firmatario"]


class MisurazioneInline(admin.TabularInline):
    model = Misurazione
    extra = 0


@admin.register(Indicatore)
class IndicatoreAdmin(_ScopePatto):
    list_display = ["nome", "patto", "obiettivo", "unita"]
    list_select_related = ["patto"]
    autocomplete_fields = ["patto"]
    inlines = [MisurazioneInline]
