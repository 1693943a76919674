"""SPID and CIE through SAML 2.0 (djangosaml2 on pysaml2): the service provider's
configuration, built from ``settings.QUARTIERE_SAML`` (the environment, see
docs/operations.md), and the backend that turns an assertion into a citizen's user.

The configuration follows AgID's rules for a SPID service provider: signed AuthnRequests
(RSA-SHA256), signed responses and assertions required, a transient NameID, the level of
assurance asked as ``https://www.spid.gov.it/SpidL<n>`` with comparison ``minimum`` and
ForceAuthn from level 2, and only the attributes the service uses: fiscalNumber, name,
familyName, email. CIE ID speaks the same profile with the same attribute names.
"""

from __future__ import annotations

import functools
import shutil
from pathlib import Path

import saml2
from django.conf import settings
from django.http import Http404
from saml2.config import SPConfig
from saml2.saml import NAMEID_FORMAT_TRANSIENT
from saml2.xmldsig import DIGEST_SHA256, SIG_RSA_SHA256

from quartiere.identita.stato import saml_attivo

# Seconds of clock skew accepted between us and an identity provider.
TOLLERANZA_OROLOGI = 60
MAPPE_ATTRIBUTI = Path(__file__).resolve().parent / "mappe_attributi"
# AgID's extensions of the SAML metadata (Avviso SPID n. 29 v3).
NS_SPID = "https://spid.gov.it/saml-extensions"
# The CIE ID federation's extensions, and the attributes CIE gives.
NS_CIE = "https://www.cartaidentita.interno.gov.it/saml-extensions"
ATTRIBUTI_CIE = {"name", "familyName", "fiscalNumber", "dateOfBirth"}


def entity_id() -> str:
    """The service provider's entity ID, as registered with AgID."""
    return settings.QUARTIERE_SAML.get("entity_id") or f"{settings.SITE_URL}/spid/metadata/"


def dizionario(solo: list[str] | None = None) -> dict:
    """The pysaml2 configuration of the service provider (``solo``: these metadata files)."""
    conf = settings.QUARTIERE_SAML
    base = settings.SITE_URL
    livello = int(conf.get("livello", 2))
    metadati = solo if solo is not None else [*conf.get("spid", []), *conf.get("cie", [])]
    return {
        "entityid": entity_id(),
        "xmlsec_binary": shutil.which("xmlsec1"),
        "allow_unknown_attributes": True,
        "service": {
            "sp": {
                "name": settings.COMUNE_NOME,
                "endpoints": {
                    # AgID: the default ACS has index 0 (the AuthnRequest names it).
                    "assertion_consumer_service": [
                        (f"{base}/spid/acs/", saml2.BINDING_HTTP_POST, 0)
                    ],
                    "single_logout_service": [
                        (f"{base}/spid/ls/post/", saml2.BINDING_HTTP_POST),
                        (f"{base}/spid/ls/", saml2.BINDING_HTTP_REDIRECT),
                    ],
                },
                "authn_requests_signed": True,
                "logout_requests_signed": True,
                "want_response_signed": True,
                "want_assertions_signed": True,
                "signing_algorithm": SIG_RSA_SHA256,
                "digest_algorithm": DIGEST_SHA256,
                "allow_unsolicited": False,
                "force_authn": livello >= 2,
                "name_id_format": [NAMEID_FORMAT_TRANSIENT],
                "name_id_policy_format": NAMEID_FORMAT_TRANSIENT,
                "requested_authn_context": {
                    "authn_context_class_ref": [f"https://www.spid.gov.it/SpidL{livello}"],
                    "comparison": "minimum",
                },
                "required_attributes": ["fiscalNumber", "name", "familyName"],
                "optional_attributes": ["email"],
                "requested_attribute_name_format": saml2.saml.NAME_FORMAT_BASIC,
            }
        },
        "metadata": {"local": [str(Path(f)) for f in metadati]},
        # SPID's attribute names as they are ("name", not pysaml2's MACE URI for it).
        "attribute_map_dir": str(MAPPE_ATTRIBUTI),
        "key_file": conf.get("chiave"),
        "cert_file": conf.get("certificato"),
        "encryption_keypairs": [
            {"key_file": conf.get("chiave"), "cert_file": conf.get("certificato")}
        ],
        "accepted_time_diff": TOLLERANZA_OROLOGI,
        "organization": {
            "name": [(settings.COMUNE_NOME, "it")],
            "display_name": [(settings.COMUNE_NOME, "it")],
            "url": [(base, "it")],
        },
    }


def configurazione(request=None) -> SPConfig:
    """djangosaml2's ``SAML_CONFIG_LOADER``: the configuration, or 404 when SAML is off."""
    if not saml_attivo():
        raise Http404
    sp = SPConfig()
    sp.load(dizionario())
    return sp


def metadati(conf: SPConfig, federazione: str = "spid") -> str:
    """The service provider's metadata as a federation registers them: pysaml2's entity
    descriptor with what its rules add, signed with the service provider's key.

    Both: the default AssertionConsumerService (index 0, ``isDefault``) and one
    AttributeConsumingService, index 0, named after the Comune; no list of every algorithm
    xmlsec1 knows (MD5, SHA-1, DSA...): the service signs with RSA-SHA256 only.

    - ``spid`` (AgID, Avviso SPID n. 29 v3): a ContactPerson ``other`` with the IPA code
      and ``Public`` in SPID's namespace, the e-mail and the phone;
    - ``cie`` (the Ministry of the Interior's CIE ID federation): only the attributes CIE
      gives (no e-mail), a ContactPerson ``administrative`` with ``Public``, the IPA code and
      the Comune's cadastral code (``Municipality``) in CIE's namespace, and the Company.
    """
    from saml2 import ExtensionElement, md
    from saml2.metadata import entity_descriptor, sign_entity_descriptor
    from saml2.sigver import security_context

    impostazioni = settings.QUARTIERE_SAML
    descrittore = entity_descriptor(conf)
    descrittore.extensions = None
    sp = descrittore.spsso_descriptor
    for acs in sp.assertion_consumer_service:
        acs.is_default = "true" if acs.index == "0" else None
    for servizio in sp.attribute_consuming_service:
        servizio.index = "0"
        servizio.service_name = [md.ServiceName(text=settings.COMUNE_NOME, lang="it")]
        if federazione == "cie":
            servizio.requested_attribute = [
                a for a in servizio.requested_attribute if a.name in ATTRIBUTI_CIE
            ]
    if federazione == "cie":
        elementi = [
            ExtensionElement("Public", namespace=NS_CIE),
            ExtensionElement("IPACode", namespace=NS_CIE, text=impostazioni["codice_ipa"]),
            ExtensionElement(
                "Municipality", namespace=NS_CIE, text=impostazioni["codice_catastale"]
            ),
            ExtensionElement("Country", namespace=NS_CIE, text="IT"),
        ]
        contatto = md.ContactPerson(
            contact_type="administrative", company=md.Company(text=settings.COMUNE_NOME)
        )
    else:
        elementi = [
            ExtensionElement("IPACode", namespace=NS_SPID, text=impostazioni["codice_ipa"]),
            ExtensionElement("Public", namespace=NS_SPID),
        ]
        contatto = md.ContactPerson(contact_type="other")
    contatto.extensions = md.Extensions(extension_elements=elementi)
    contatto.email_address = [md.EmailAddress(text=impostazioni["email_contatto"])]
    if impostazioni.get("telefono_contatto"):
        # AgID: the number without spaces, with its international prefix ("+390200000").
        telefono = "".join(impostazioni["telefono_contatto"].split())
        contatto.telephone_number = [md.TelephoneNumber(text=telefono)]
    descrittore.contact_person = [contatto]
    _firmato, xml = sign_entity_descriptor(
        descrittore,
        None,
        security_context(conf),
        sign_alg=SIG_RSA_SHA256,
        digest_alg=DIGEST_SHA256,
    )
    return xml


def gestori(tipo: str) -> list[tuple[str, str]]:
    """``(entity id, name)`` of the identity providers in the ``spid`` or ``cie`` metadata,
    by name; read again only when a file changes."""
    if not saml_attivo():
        return []
    file = tuple((f, Path(f).stat().st_mtime) for f in settings.QUARTIERE_SAML.get(tipo, []))
    return _gestori(file) if file else []


@functools.lru_cache(maxsize=8)
def _gestori(file: tuple[tuple[str, float], ...]) -> list[tuple[str, str]]:
    sp = SPConfig()
    sp.load(dizionario(solo=[f for f, _ in file]))
    trovati = {}
    for metadati in sp.metadata.metadata.values():
        trovati.update(metadati.any("idpsso_descriptor", "single_sign_on_service"))
    return sorted(
        ((idp, sp.metadata.name(idp, "it") or idp) for idp in trovati),
        key=lambda coppia: coppia[1].lower(),
    )


def metodo_del_gestore(entity_id: str) -> str:
    from quartiere.identita.models import MetodoAccesso

    if any(idp == entity_id for idp, _ in gestori("cie")):
        return MetodoAccesso.CIE
    return MetodoAccesso.SPID
