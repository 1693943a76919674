from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class QuartiereConfig(AppConfig):
    name = "quartiere"
    verbose_name = _("Registro condiviso")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from quartiere.accesso.middleware import rinnovata_all_accesso

        user_logged_in.connect(rinnovata_all_accesso, dispatch_uid="quartiere-sessione-rinnovata")
