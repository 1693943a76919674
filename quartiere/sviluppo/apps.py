from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SviluppoConfig(AppConfig):
    """Development tooling: demo data, load data, ``make run`` and the benchmark's middleware.

    Installed only when ``QUARTIERE_SVILUPPO`` is on (by default in debug, and in tests):
    a production server neither loads these modules nor offers their commands.
    """

    name = "quartiere.sviluppo"
    label = "sviluppo"
    verbose_name = _("Strumenti di sviluppo")
