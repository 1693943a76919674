from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": _(
            "Nome utente o password non corretti. Attenzione: dopo alcuni tentativi "
            "falliti l'accesso viene bloccato per qualche minuto."
        ),
        "inactive": _("Questo account è disattivato."),
    }
