"""Two-factor authentication (TOTP, django-otp) enforced per group.

``settings.QUARTIERE_2FA_GRUPPI`` names the roles that must prove a second factor: a
user with one of those roles who has given the password but not yet a TOTP code is
sent to the OTP pages (enrolment first, if they have no device) and reaches nothing
else — staff pages, exports, the admin, the public pages — until they do. Logout,
the language switch, static files and the health check stay open.

This middleware decides *whether a second factor has been given*, never what a user
may see: that stays in the access policy (``quartiere.rules``). It runs right after
django-otp's ``OTPMiddleware``, which sets ``request.user.is_verified()``.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpResponseRedirect
from django.urls import Resolver404, resolve, reverse

from quartiere.accesso import policy

# URL names that an authenticated but unverified user may still reach.
_NOMI_LIBERI = frozenset({"logout", "set_language", "healthz", "robots_txt"})
NAMESPACE = "otp"


def gruppi_obbligati() -> frozenset[str]:
    return frozenset(getattr(settings, "QUARTIERE_2FA_GRUPPI", ()) or ())


def richiede_otp(user) -> bool:
    """True when ``user`` belongs to a role for which the second factor is mandatory."""
    gruppi = gruppi_obbligati()
    if not gruppi or not getattr(user, "is_authenticated", False):
        return False
    return bool(policy.ruoli(user) & gruppi)


def verificato(user) -> bool:
    is_verified = getattr(user, "is_verified", None)
    return bool(is_verified and is_verified())


def _percorso_libero(request) -> bool:
    static_url = settings.STATIC_URL or "/static/"
    if static_url.startswith("/") and request.path_info.startswith(static_url):
        return True
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return False
    return match.namespace == NAMESPACE or match.url_name in _NOMI_LIBERI


class OTPObbligatorioMiddleware:
    """Send users of the enforced groups to the OTP step until they pass it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # No query at all when nobody is enforced (the demo and most tests): the
        # group lookup below is cached on the user and reused by the views.
        if gruppi_obbligati() and not _percorso_libero(request):
            user = getattr(request, "user", None)
            if richiede_otp(user) and not verificato(user):
                destinazione = reverse(f"{NAMESPACE}:verifica")
                if request.method == "GET":
                    destinazione += "?" + urlencode({"next": request.get_full_path()})
                return HttpResponseRedirect(destinazione)
        return self.get_response(request)
