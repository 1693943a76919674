from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PattiConfig(AppConfig):
    name = "patti"
    verbose_name = _("Patti di collaborazione")
    default_auto_field = "django.db.models.BigAutoField"
