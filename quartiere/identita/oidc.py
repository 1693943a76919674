"""The Comune's (or the region's) identity broker through OpenID Connect, with
mozilla-django-oidc: the authorization code flow with PKCE, state and nonce, the ID token
verified against the broker's keys (RS256), the claims read from its userinfo endpoint.

The broker names the tax code in a claim of its own (``QUARTIERE_OIDC_CLAIM_CF``); names
and e-mail are the standard ``given_name``, ``family_name``, ``email``."""

from __future__ import annotations

from django.conf import settings
from django.http import Http404
from django.shortcuts import resolve_url
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.views import (
    OIDCAuthenticationCallbackView,
    OIDCAuthenticationRequestView,
)

from quartiere.identita.models import MetodoAccesso
from quartiere.identita.services import Identita, accedi
from quartiere.identita.stato import oidc_attivo


class BackendOidc(OIDCAuthenticationBackend):
    """mozilla-django-oidc's backend, with the user found or created by
    :func:`quartiere.identita.services.accedi`; inert while the broker is not configured
    (Django builds every backend at each login, the staff's too)."""

    def __init__(self, *args, **kwargs):
        self.attivo = oidc_attivo()
        if self.attivo:
            super().__init__(*args, **kwargs)

    def authenticate(self, request, **kwargs):
        if not self.attivo:
            return None
        return super().authenticate(request, **kwargs)

    def get_or_create_user(self, access_token, id_token, payload):
        claims = self.get_userinfo(access_token, id_token, payload)
        return accedi(
            Identita(
                codice_fiscale=str(claims.get(settings.QUARTIERE_OIDC_CLAIM_CF) or ""),
                nome=str(claims.get("given_name") or ""),
                cognome=str(claims.get("family_name") or ""),
                email=str(claims.get("email") or "") if claims.get("email_verified", True) else "",
                metodo=MetodoAccesso.OIDC,
                fornitore=str(payload.get("iss") or settings.OIDC_OP_AUTHORIZATION_ENDPOINT),
            )
        )


class _SoloSeAttivo:
    def dispatch(self, request, *args, **kwargs):
        if not oidc_attivo():
            raise Http404
        return super().dispatch(request, *args, **kwargs)


class InizioOidc(_SoloSeAttivo, OIDCAuthenticationRequestView):
    """To the broker's authorization endpoint (404 while the broker is off)."""

    def __init__(self, *args, **kwargs):
        if oidc_attivo():
            super().__init__(*args, **kwargs)


class RitornoOidc(_SoloSeAttivo, OIDCAuthenticationCallbackView):
    """Back from the broker: to the page asked, or the personal area (never the staff's
    desk, which ``LOGIN_REDIRECT_URL`` names); a failure goes back to the login page."""

    @property
    def success_url(self):
        return self.request.session.get("oidc_login_next") or resolve_url(
            "quartiere:area_personale"
        )

    @property
    def failure_url(self):
        return f"{resolve_url('quartiere:accedi')}?errore=1"
