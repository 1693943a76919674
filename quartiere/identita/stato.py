"""Whether each way in is configured, without importing its library (pysaml2 compiles its
XML schemas at import: most of a second that no page but the SAML ones should pay)."""

from __future__ import annotations

from django.conf import settings


def saml_attivo() -> bool:
    """SAML is on when the Comune gave its key, its certificate and some IdP metadata."""
    conf = settings.QUARTIERE_SAML
    return bool(
        conf.get("chiave") and conf.get("certificato") and (conf.get("spid") or conf.get("cie"))
    )


def oidc_attivo() -> bool:
    """The Comune's OpenID Connect broker is on when its client and endpoints are given."""
    return bool(
        getattr(settings, "OIDC_RP_CLIENT_ID", "")
        and getattr(settings, "OIDC_OP_AUTHORIZATION_ENDPOINT", "")
        and getattr(settings, "OIDC_OP_TOKEN_ENDPOINT", "")
        and getattr(settings, "OIDC_OP_USER_ENDPOINT", "")
        and getattr(settings, "OIDC_OP_JWKS_ENDPOINT", "")
    )
