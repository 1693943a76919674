from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SegnalazioniConfig(AppConfig):
    name = "segnalazioni"
    verbose_name = _("Segnalazioni")
    default_auto_field = "django.db.models.BigAutoField"
