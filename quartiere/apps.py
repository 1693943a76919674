from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class QuartiereConfig(AppConfig):
    name = "quartiere"
    verbose_name = _("Registro condiviso")
    default_auto_field = "django.db.models.BigAutoField"
