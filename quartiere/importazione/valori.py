"""Reading one cell of an imported sheet: dates, date-times, amounts and whole numbers as an
Italian office writes them. Each reader raises :class:`ValoreNonValido` with the message the
import shows next to the file, line and column."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal, InvalidOperation

from django.core.validators import validate_email
from django.utils import timezone
from django.utils.translation import gettext as _

from quartiere.lib.validators import normalizza_email


class ValoreNonValido(ValueError):
    pass


_DATA_ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_DATA_IT = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
_ORA = re.compile(r"^(\d{1,2})[:.](\d{2})$")


def leggi_data(testo: str) -> datetime.date:
    """``YYYY-MM-DD`` or ``DD/MM/YYYY``."""
    if m := _DATA_ISO.match(testo):
        anno, mese, giorno = (int(x) for x in m.groups())
    elif m := _DATA_IT.match(testo):
        giorno, mese, anno = (int(x) for x in m.groups())
    else:
        raise ValoreNonValido(_("«%(v)s» non è una data (AAAA-MM-GG o GG/MM/AAAA)") % {"v": testo})
    try:
        return datetime.date(anno, mese, giorno)
    except ValueError as exc:
        raise ValoreNonValido(_("«%(v)s» non è una data esistente") % {"v": testo}) from exc


def leggi_data_ora(testo: str) -> datetime.datetime:
    """A date, optionally followed by a time ``HH:MM``; without one, midnight (local time)."""
    parti = testo.split()
    if len(parti) > 2 or not parti:
        raise ValoreNonValido(_("«%(v)s» non è una data (con ora facoltativa)") % {"v": testo})
    giorno = leggi_data(parti[0])
    ora = datetime.time(0, 0)
    if len(parti) == 2:
        m = _ORA.match(parti[1])
        if not m or int(m.group(1)) > 23 or int(m.group(2)) > 59:
            raise ValoreNonValido(_("«%(v)s» non è un orario HH:MM") % {"v": parti[1]})
        ora = datetime.time(int(m.group(1)), int(m.group(2)))
    return timezone.make_aware(datetime.datetime.combine(giorno, ora))


def leggi_decimale(testo: str) -> Decimal:
    """A number with ``.`` or ``,`` as decimal separator (the other, if both appear, groups
    thousands): ``1234.5``, ``1234,5``, ``1.234,50``, ``1,234.50``."""
    valore = testo.replace(" ", "").replace("\u00a0", "").replace("€", "")
    if "," in valore and "." in valore:
        migliaia, decimale = (".", ",") if valore.rfind(",") > valore.rfind(".") else (",", ".")
        valore = valore.replace(migliaia, "").replace(decimale, ".")
    else:
        valore = valore.replace(",", ".")
    if not re.fullmatch(r"-?\d+(\.\d+)?", valore):
        raise ValoreNonValido(_("«%(v)s» non è un numero") % {"v": testo})
    try:
        numero = Decimal(valore)
    except InvalidOperation as exc:  # pragma: no cover - excluded by the pattern
        raise ValoreNonValido(_("«%(v)s» non è un numero") % {"v": testo}) from exc
    if numero != numero.quantize(Decimal("0.01")):
        raise ValoreNonValido(_("«%(v)s» ha più di due decimali") % {"v": testo})
    return numero


def leggi_intero(testo: str) -> int:
    """A whole number, optionally with ``.`` grouping thousands (``6.647``)."""
    valore = testo.replace(" ", "")
    if re.fullmatch(r"\d{1,3}(\.\d{3})+", valore):
        valore = valore.replace(".", "")
    if not valore.isdigit():
        raise ValoreNonValido(_("«%(v)s» non è un numero intero non negativo") % {"v": testo})
    return int(valore)


def leggi_email(testo: str) -> str:
    """An e-mail address, normalised as the registry keeps it (``ValidationError`` if not
    one)."""
    testo = normalizza_email(testo)
    validate_email(testo)
    return testo


SI = {"sì", "si", "s", "x", "1", "vero", "true", "yes", "y"}
NO = {"no", "n", "0", "falso", "false"}


def leggi_si_no(testo: str) -> bool:
    """A yes or no as offices write it: sì/si/x/1/vero, no/0/falso (any case)."""
    valore = testo.strip().lower()
    if valore in SI:
        return True
    if valore in NO:
        return False
    raise ValoreNonValido(_("«%(v)s» non è né «sì» né «no»") % {"v": testo})
