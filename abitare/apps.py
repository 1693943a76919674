from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AbitareConfig(AppConfig):
    name = "abitare"
    verbose_name = _("Abitare: accompagnamento all'abitare")
    default_auto_field = "django.db.models.BigAutoField"
