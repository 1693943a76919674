from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MediazioneConfig(AppConfig):
    name = "mediazione"
    verbose_name = _("Mediazione dei conflitti")
    default_auto_field = "django.db.models.BigAutoField"
