"""The core's admin pages, one module per concept; the admin's autodiscovery finds them here."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from quartiere.calendario import admin as calendario_admin
from quartiere.diario import admin as diario_admin
from quartiere.identita import admin as identita_admin
from quartiere.privacy import admin as privacy_admin
from quartiere.programmi import admin as programmi_admin
from quartiere.pubblico import admin as pubblico_admin
from quartiere.registro import admin as registro_admin
from quartiere.territorio import admin as territorio_admin

__all__ = [
    "calendario_admin",
    "diario_admin",
    "identita_admin",
    "privacy_admin",
    "programmi_admin",
    "pubblico_admin",
    "registro_admin",
    "territorio_admin",
]

admin.site.site_header = _("Quartiere — amministrazione")
admin.site.site_title = _("Quartiere")
admin.site.index_title = _("Configurazione e revisione")
