"""What the public sees of a report.

A report is personal data about the reporter and often about someone else (a neighbour's
music, a car always parked in the same courtyard). The public lists (Open311 GET) show a
report only when staff mark it publishable, once it is taken in charge, and never for a
category marked "mai pubblica" (``Segnalazione.objects.pubbliche()``). What they show of its
place is the street without the house number and a point moved to the centre of a cell of
about 50 metres, the same cell for every point in it, so that repeated or nearby reports
give nothing finer away. Staff pages and the reporter's tracking page show the exact place.
"""

from __future__ import annotations

import math
import re

#: The side of the cells the public point is moved to, in metres.
PASSO_M = 50
_METRI_PER_GRADO = 111_320

# A house number: 63, 12/A, 5b, 7-9, "12 bis".
_CIVICO = re.compile(r"^\d+[a-zA-Z]?([/-]\w+)?$")
# Words that introduce or follow a house number and go with it.
_CONTORNO = {"n", "n.", "nr", "nr.", "n°", "num", "num.", "civico", "bis", "ter", "quater"}


def via_senza_civico(indirizzo: str) -> str:
    """The street of an address without the house number and what follows it.

    ``Viale Omero 63`` → ``Viale Omero``; ``Via Roma, 12/A, Milano`` → ``Via Roma``;
    ``Via 25 Aprile 3 scala B`` → ``Via 25 Aprile``. A number right after the first word
    is part of the street's name (``Via 25 Aprile``, ``Piazza 8 Novembre``) and stays.
    """
    via = (indirizzo or "").split(",")[0].split()
    numeri = [i for i, parola in enumerate(via) if i > 1 and _CIVICO.match(parola)]
    if numeri:
        via = via[: numeri[-1]]
    while via and via[-1].lower() in _CONTORNO:
        via.pop()
    return " ".join(via)


def punto_approssimato(lat: float | None, lon: float | None) -> tuple[float, float] | None:
    """The centre of the ~50 m cell holding the point (None without a point)."""
    if lat is None or lon is None:
        return None
    passo_lat = PASSO_M / _METRI_PER_GRADO
    centro_lat = (math.floor(lat / passo_lat) + 0.5) * passo_lat
    passo_lon = PASSO_M / (_METRI_PER_GRADO * max(math.cos(math.radians(centro_lat)), 0.01))
    centro_lon = (math.floor(lon / passo_lon) + 0.5) * passo_lon
    return round(centro_lat, 6), round(centro_lon, 6)


def descrivi(segnalazione) -> str:
    """Whether and how the public lists show the report, for the staff's page."""
    from django.utils.translation import gettext as _

    from segnalazioni.models import Stato

    if segnalazione.categoria.mai_pubblica:
        return _("Mai negli elenchi pubblici: la categoria non lo consente.")
    if not segnalazione.pubblicabile:
        return _("Non compare negli elenchi pubblici.")
    if segnalazione.stato == Stato.NUOVA:
        return _("Pubblicabile: comparirà negli elenchi pubblici quando sarà presa in carico.")
    via = via_senza_civico(segnalazione.indirizzo)
    if via:
        return _("Negli elenchi pubblici (Open311) come «%(via)s», con il punto approssimato.") % {
            "via": via
        }
    return _("Negli elenchi pubblici (Open311), senza indirizzo, con il punto approssimato.")
