"""The Comune's boundary and the quartieri's, kept as GeoJSON in the database and read with
shapely (the embedded PostgreSQL has no PostGIS).

They decide where a reported point is: outside the Comune is a clear error, and inside it
the quartiere whose polygon holds the point is the report's quartiere. Without a boundary
nothing is refused and the quartiere is the one chosen. Boundaries change a few times a
year: a process keeps the parsed shapes for ``QUARTIERE_SCELTE_MEMO_SECONDI``
(quartiere/lib/memo.py), so a report costs no query for them most of the time.

shapely (with numpy) is imported by the functions that read a shape, not with the models:
a process that never validates a boundary or a point never loads it (docs/performance.md).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from quartiere.lib.memo import memorizzato

if TYPE_CHECKING:
    from shapely.geometry.base import BaseGeometry

TIPI = ("Polygon", "MultiPolygon")


def geometria(valore) -> BaseGeometry:
    """The shape of a GeoJSON Polygon or MultiPolygon (also wrapped in a Feature), in
    longitude/latitude; ValidationError for anything else, or for a ring that crosses
    itself."""
    import shapely
    from shapely.geometry import shape

    if isinstance(valore, dict) and valore.get("type") == "Feature":
        valore = valore.get("geometry")
    if not isinstance(valore, dict) or valore.get("type") not in TIPI:
        raise ValidationError(
            _("Serve un poligono GeoJSON (Polygon o MultiPolygon)."), code="tipo_confine"
        )
    try:
        forma = shape(valore)
    except (ValueError, TypeError, KeyError, IndexError, AttributeError) as exc:
        raise ValidationError(
            _("Il GeoJSON del confine non è leggibile: %(e)s"), code="confine", params={"e": exc}
        ) from exc
    if forma.is_empty or not forma.is_valid:
        raise ValidationError(
            _("Il poligono del confine non è valido: %(motivo)s"),
            code="confine_non_valido",
            params={"motivo": shapely.is_valid_reason(forma)},
        )
    ovest, sud, est, nord = forma.bounds
    if not (-180 <= ovest <= est <= 180 and -90 <= sud <= nord <= 90):
        raise ValidationError(
            _("Le coordinate del confine vanno date come longitudine, latitudine in gradi."),
            code="confine_coordinate",
        )
    return forma


def valida_confine(valore) -> None:
    """Model field validator: the value must be a boundary :func:`geometria` accepts."""
    if valore is not None:
        geometria(valore)


@dataclass(frozen=True)
class Confini:
    comune: BaseGeometry | None
    quartieri: tuple[tuple[int, str, BaseGeometry], ...]  # (pk, nome, shape)


def _carica() -> Confini:
    import shapely

    from quartiere.territorio.models import ConfineComune, Quartiere

    comune = ConfineComune.objects.values_list("confine", flat=True).first()
    quartieri = []
    for pk, nome, confine in (
        Quartiere.objects.exclude(confine=None).order_by("pk").values_list("pk", "nome", "confine")
    ):
        forma = geometria(confine)
        shapely.prepare(forma)
        quartieri.append((pk, nome, forma))
    forma_comune = None
    if comune is not None:
        forma_comune = geometria(comune)
        shapely.prepare(forma_comune)
    return Confini(forma_comune, tuple(quartieri))


def confini() -> Confini:
    return memorizzato(("confini",), _carica)


@dataclass(frozen=True)
class Luogo:
    fuori_dal_comune: bool
    quartiere_id: int | None = None
    quartiere_nome: str = ""


def localizza(lat: float, lon: float) -> Luogo:
    """Where a point is: outside the Comune's boundary (when there is one), and the
    quartiere whose polygon covers it (the first by id, should two overlap)."""
    from shapely.geometry import Point

    c = confini()
    punto = Point(lon, lat)
    if c.comune is not None and not c.comune.covers(punto):
        return Luogo(fuori_dal_comune=True)
    for pk, nome, forma in c.quartieri:
        if forma.covers(punto):
            return Luogo(False, pk, nome)
    return Luogo(False)
