"""The admin under the shared access policy.

Every ModelAdmin of the project derives from :class:`PolicyAdmin`: permissions come
from the rules (object-level included) and ``scope_queryset`` narrows the changelist,
the change form and the autocomplete to what the user may see, so the admin is no
back door around the staff pages.

``PolicyAdmin`` also applies the optimistic locking of the staff pages
(``quartiere.concurrency``) to every versioned model it shows, in the change form, in
its inline rows and in the history's revert form: the page carries the version it was
rendered with, and a save over a newer version is refused with what changed.
"""

from __future__ import annotations

from django.core.exceptions import ImproperlyConfigured
from django.db import router, transaction
from rules.contrib.admin import ObjectPermissionsModelAdmin

from quartiere.accesso.versioni import CAMPO_VERSIONE, e_versionato, versiona_form_admin


def _senza_versione(campi) -> list:
    return [c for c in campi if c != CAMPO_VERSIONE]


class PolicyAdmin(ObjectPermissionsModelAdmin):
    def scope_queryset(self, request, queryset):
        return queryset

    def get_queryset(self, request):
        return self.scope_queryset(request, super().get_queryset(request))

    # --- Optimistic locking -------------------------------------------------------------

    def __init__(self, model, admin_site):
        super().__init__(model, admin_site)
        if e_versionato(model):
            if self.list_editable:
                # The changelist formset carries no version: it would overwrite silently.
                raise ImproperlyConfigured(
                    f"{type(self).__name__}: list_editable on a versioned model"
                )
            self.form = versiona_form_admin(self.form)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        if getattr(request, "_quartiere_ripristino", False) and e_versionato(self.model):
            form = versiona_form_admin(form, ripristino=True)
        return form

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if not e_versionato(self.model):
            return fieldsets
        # The hidden field must be rendered wherever the form can be saved (declared
        # ``fields`` included), and nowhere else (a read-only page would list it).
        fieldsets = [
            (nome, {**op, "fields": _senza_versione(op["fields"])}) for nome, op in fieldsets
        ]
        if obj is not None and fieldsets and self.has_change_permission(request, obj):
            nome, op = fieldsets[-1]
            fieldsets[-1] = (nome, {**op, "fields": [*op["fields"], CAMPO_VERSIONE]})
        return fieldsets

    def get_inline_instances(self, request, obj=None):
        istanze = super().get_inline_instances(request, obj)
        for inline in istanze:
            if not e_versionato(inline.model):
                continue
            # Fresh instances per request: per-request attributes are safe here.
            inline.form = versiona_form_admin(inline.form, riga=True)
            campi = _senza_versione(inline.get_fields(request, obj))
            if inline.has_change_permission(request, obj):
                campi.append(CAMPO_VERSIONE)
            inline.fields = campi
        return istanze

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        # Reverting from the history saves the record like the change form: same check,
        # same transaction holding the row lock between validation and save.
        request._quartiere_ripristino = True
        with transaction.atomic(using=router.db_for_write(self.model)):
            return super().history_form_view(request, object_id, version_id, extra_context)
