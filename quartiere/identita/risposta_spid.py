"""AgID's rules for the Response of a SPID identity provider, beyond what pysaml2 checks.

pysaml2 verifies the signatures, the audience, the InResponseTo and the validity window;
spid-sp-test showed that it accepts responses AgID's technical rules (Regole tecniche SPID,
tables of the Response and the Assertion; spid-sp-test's response tests 19–97) require a
service provider to refuse: a missing Destination, an assertion issued before the request
or in the future, a NameID without its transient format and qualifier, a Recipient that is
not our ACS, no Conditions, and above all a level of assurance lower than the one asked.

:func:`verifica` raises :class:`RispostaNonConforme`; djangosaml2's ``custom_validation``
hook (quartiere/identita/saml_viste.py) turns it into a 400 and no login.
"""

from __future__ import annotations

import datetime

from defusedxml import ElementTree

NS = {
    "samlp": "urn:oasis:names:tc:SAML:2.0:protocol",
    "saml": "urn:oasis:names:tc:SAML:2.0:assertion",
}
ENTITY = "urn:oasis:names:tc:SAML:2.0:nameid-format:entity"
TRANSIENT = "urn:oasis:names:tc:SAML:2.0:nameid-format:transient"
LIVELLI = {f"https://www.spid.gov.it/SpidL{n}": n for n in (1, 2, 3)}


class RispostaNonConforme(ValueError):
    """The identity provider's response breaks one of AgID's rules."""


def _istante(valore: str | None, cosa: str) -> datetime.datetime:
    if not valore:
        raise RispostaNonConforme(f"{cosa} mancante")
    try:
        return datetime.datetime.fromisoformat(valore.strip().replace("Z", "+00:00"))
    except ValueError as e:
        raise RispostaNonConforme(f"{cosa} non valido: {valore!r}") from e


def _richiesto(elemento, attributo: str, cosa: str) -> str:
    valore = (elemento.get(attributo) or "").strip() if elemento is not None else ""
    if not valore:
        raise RispostaNonConforme(f"{cosa} mancante o vuoto")
    return valore


def verifica(
    xml: str | bytes,
    *,
    acs: str,
    livello: int,
    richiesta_emessa: datetime.datetime | None,
    adesso: datetime.datetime,
    tolleranza: datetime.timedelta,
) -> None:
    """Check ``xml`` (the Response) against the rules pysaml2 leaves out.

    ``acs``: our AssertionConsumerService URL; ``livello``: the SPID level asked (comparison
    ``minimum``); ``richiesta_emessa``: when our AuthnRequest was issued (None when the
    session lost it: then only the upper bound holds); ``tolleranza``: the clocks' skew
    accepted, the same pysaml2 uses (``accepted_time_diff``).
    """
    risposta = ElementTree.fromstring(xml)
    if _richiesto(risposta, "Destination", "Destination della Response") != acs:
        raise RispostaNonConforme("Destination della Response diversa dal nostro ACS")
    emittente = risposta.find("saml:Issuer", NS)
    if emittente is not None and emittente.get("Format") not in (None, ENTITY):
        raise RispostaNonConforme("Format dell'Issuer della Response non è entity")

    asserzione = risposta.find("saml:Assertion", NS)
    if asserzione is None:
        raise RispostaNonConforme("Assertion mancante")
    if asserzione.get("Version") != "2.0":
        raise RispostaNonConforme("Version dell'Assertion diversa da 2.0")
    emessa = _istante(asserzione.get("IssueInstant"), "IssueInstant dell'Assertion")
    if richiesta_emessa is not None and emessa < richiesta_emessa - tolleranza:
        raise RispostaNonConforme("Assertion emessa prima della richiesta")
    if emessa > adesso + tolleranza:
        raise RispostaNonConforme("Assertion emessa nel futuro")
    emittente = asserzione.find("saml:Issuer", NS)
    if _richiesto(emittente, "Format", "Format dell'Issuer dell'Assertion") != ENTITY:
        raise RispostaNonConforme("Format dell'Issuer dell'Assertion non è entity")

    nome = asserzione.find("saml:Subject/saml:NameID", NS)
    if nome is None or not (nome.text or "").strip():
        raise RispostaNonConforme("NameID mancante o vuoto")
    if _richiesto(nome, "Format", "Format del NameID") != TRANSIENT:
        raise RispostaNonConforme("Format del NameID non è transient")
    _richiesto(nome, "NameQualifier", "NameQualifier del NameID")
    conferma = asserzione.find(
        "saml:Subject/saml:SubjectConfirmation/saml:SubjectConfirmationData", NS
    )
    if _richiesto(conferma, "Recipient", "Recipient della SubjectConfirmationData") != acs:
        raise RispostaNonConforme("Recipient diverso dal nostro ACS")
    _istante(conferma.get("NotOnOrAfter"), "NotOnOrAfter della SubjectConfirmationData")

    condizioni = asserzione.find("saml:Conditions", NS)
    if condizioni is None or not len(condizioni):
        raise RispostaNonConforme("Conditions mancanti o vuote")
    _istante(condizioni.get("NotBefore"), "NotBefore delle Conditions")
    _istante(condizioni.get("NotOnOrAfter"), "NotOnOrAfter delle Conditions")

    classe = asserzione.find("saml:AuthnStatement/saml:AuthnContext/saml:AuthnContextClassRef", NS)
    valore = (classe.text or "").strip() if classe is not None else ""
    if valore not in LIVELLI:
        raise RispostaNonConforme(f"AuthnContextClassRef non SPID: {valore!r}")
    if LIVELLI[valore] < livello:
        raise RispostaNonConforme(f"livello SPID {LIVELLI[valore]} inferiore al {livello} chiesto")
