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
