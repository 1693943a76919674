"""Validation and normalisation of the personal data the registry keeps."""

from __future__ import annotations

import phonenumbers
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.it import codicefiscale


def normalizza_codice_fiscale(valore: str) -> str:
    """Return the tax code upper-cased and validated (check character and omocodia)."""
    valore = (valore or "").strip().upper().replace(" ", "")
    if not valore:
        return ""
    try:
        return codicefiscale.validate(valore)
    except StdnumError as exc:
        raise ValidationError(
            _("Il codice fiscale «%(valore)s» non è valido."),
            code="codice_fiscale",
            params={"valore": valore},
        ) from exc


def normalizza_telefono(valore: str) -> str:
    """Return the number in international E.164 form (Italy when no prefix is given)."""
    valore = (valore or "").strip()
    if not valore:
        return ""
    try:
        numero = phonenumbers.parse(valore, "IT")
    except phonenumbers.NumberParseException as exc:
        raise ValidationError(
            _("Il numero di telefono «%(valore)s» non è valido."),
            code="telefono",
            params={"valore": valore},
        ) from exc
    if not phonenumbers.is_possible_number(numero):
        raise ValidationError(
            _("Il numero di telefono «%(valore)s» non è valido."),
            code="telefono",
            params={"valore": valore},
        )
    return phonenumbers.format_number(numero, phonenumbers.PhoneNumberFormat.E164)


def normalizza_email(valore: str) -> str:
    """E-mail addresses are compared case-insensitively in practice: store them lower-case."""
    return (valore or "").strip().lower()
