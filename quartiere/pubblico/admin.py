"""The ratings of the public pages, read in the admin (filters by page, stars, answer)."""

from django.contrib import admin

from quartiere.accesso.admin import PolicyAdmin
from quartiere.pubblico.models import ValutazionePagina


@admin.register(ValutazionePagina)
class ValutazionePaginaAdmin(PolicyAdmin):
    list_display = ["creata_il", "pagina", "voto", "risposta", "dettagli"]
    list_filter = ["voto", "risposta", "pagina"]
    date_hierarchy = "creata_il"
    readonly_fields = list_display

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
