"""Exports of the filtered worklist: CSV, XLSX and GeoJSON.

They go through the same filter set and scope as the list, so they contain exactly what
the user sees. No personal data and no tracking codes: the files travel (to the planning
office's GIS, to spreadsheets) beyond the staff who may read the reports.
"""

from __future__ import annotations

import csv
import json

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import StreamingHttpResponse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from quartiere.lib import xlsx
from segnalazioni.models import Segnalazione
from segnalazioni.views.lavoro import segnalazioni_filtrate

BLOCCO = 500


def _righe(request):
    if not request.user.has_perm("segnalazioni.export_segnalazione"):
        raise PermissionDenied
    filtro = segnalazioni_filtrate(request)
    return filtro.qs.order_by("-creata_il", "-pk").iterator(chunk_size=BLOCCO)


def _intestazioni() -> list[str]:
    return [
        _("id"),
        _("ricevuta il"),
        _("tipo"),
        _("categoria"),
        _("quartiere"),
        _("oggetto"),
        _("indirizzo"),
        _("latitudine"),
        _("longitudine"),
        _("canale"),
        _("stato"),
        _("esito"),
        _("termine di risposta"),
        _("oltre il termine"),
        _("chiusa il"),
    ]


def _etichette() -> dict[str, dict]:
    """The labels of the choice fields in the active language, worked out once per export:
    ``get_FOO_display()`` per row rebuilt a hashable copy of the choices and translated
    the label again, which was most of the time of a 200,000-row export."""
    etichette = {
        campo: {
            valore: str(etichetta)
            for valore, etichetta in Segnalazione._meta.get_field(campo).flatchoices
        }
        for campo in ("tipo", "canale", "stato", "esito")
    }
    etichette["esito"][""] = ""
    etichette["oltre"] = {True: _("sì"), False: _("no")}
    return etichette


def _valori(s, oggi, etichette) -> list:
    return [
        s.pk,
        timezone.localtime(s.creata_il).strftime("%Y-%m-%d %H:%M"),
        etichette["tipo"].get(s.tipo, s.tipo),
        s.categoria.nome,
        s.quartiere.nome,
        s.oggetto,
        s.indirizzo,
        s.lat,
        s.lon,
        etichette["canale"].get(s.canale, s.canale),
        etichette["stato"].get(s.stato, s.stato),
        etichette["esito"].get(s.esito, s.esito),
        s.scadenza.isoformat(),
        etichette["oltre"][bool(s.aperta and s.scadenza < oggi)],
        timezone.localtime(s.chiusa_il).strftime("%Y-%m-%d %H:%M") if s.chiusa_il else "",
    ]


def _nome_file(estensione: str) -> str:
    return f"segnalazioni-{timezone.localdate():%Y%m%d}.{estensione}"


class _Eco:
    def write(self, valore):
        return valore


def _sicuro(valore):
    # A cell starting with = + - @ would run as a formula in a spreadsheet.
    if isinstance(valore, str) and valore[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + valore
    return valore


@login_required
def csv_export(request):
    righe = _righe(request)
    oggi = timezone.localdate()
    lingua = translation.get_language()

    def genera():
        with translation.override(lingua):
            scrittore = csv.writer(_Eco(), delimiter=";")
            etichette = _etichette()
            yield "\ufeff" + scrittore.writerow(_intestazioni())
            for s in righe:
                yield scrittore.writerow([_sicuro(v) for v in _valori(s, oggi, etichette)])

    risposta = StreamingHttpResponse(genera(), content_type="text/csv; charset=utf-8")
    risposta["Content-Disposition"] = f'attachment; filename="{_nome_file("csv")}"'
    risposta["X-Content-Type-Options"] = "nosniff"
    return risposta


@login_required
def xlsx_export(request):
    righe = _righe(request)
    oggi = timezone.localdate()
    lingua = translation.get_language()

    def genera():
        with translation.override(lingua):
            etichette = _etichette()
            yield from xlsx.genera(
                _("Segnalazioni"),
                _intestazioni(),
                # No _sicuro() here: an inline string is text, never a formula, so the
                # subject "- lampione rotto" stays as the citizen wrote it.
                (_valori(s, oggi, etichette) for s in righe),
                troncato=_("Troppe righe per un foglio di calcolo: scarica il CSV."),
            )

    # Streamed like the CSV (docs/performance.md, 4.11): the first byte leaves at once.
    risposta = StreamingHttpResponse(genera(), content_type=xlsx.CONTENT_TYPE)
    risposta["Content-Disposition"] = f'attachment; filename="{_nome_file("xlsx")}"'
    risposta["X-Content-Type-Options"] = "nosniff"
    return risposta


@login_required
def geojson_export(request):
    righe = _righe(request)
    oggi = timezone.localdate()
    lingua = translation.get_language()

    def genera():
        with translation.override(lingua):
            yield '{"type": "FeatureCollection", "features": ['
            etichette = _etichette()
            primo = True
            for s in righe:
                if s.lat is None or s.lon is None:
                    continue
                elemento = {
                    "type": "Feature",
                    "id": s.pk,
                    "geometry": {"type": "Point", "coordinates": [s.lon, s.lat]},
                    "properties": {
                        "id": s.pk,
                        "ricevuta_il": timezone.localtime(s.creata_il).isoformat(),
                        "tipo": s.tipo,
                        "tipo_etichetta": etichette["tipo"].get(s.tipo, s.tipo),
                        "categoria": s.categoria.codice,
                        "categoria_nome": s.categoria.nome,
                        "quartiere": s.quartiere.nome,
                        "oggetto": s.oggetto,
                        "indirizzo": s.indirizzo,
                        "canale": s.canale,
                        "stato": s.stato,
                        "stato_etichetta": etichette["stato"].get(s.stato, s.stato),
                        "esito": s.esito,
                        "scadenza": s.scadenza.isoformat(),
                        "oltre_il_termine": s.aperta and s.scadenza < oggi,
                        "url": s.get_absolute_url(),
                    },
                }
                yield ("" if primo else ",") + json.dumps(elemento, ensure_ascii=False)
                primo = False
            yield "]}"

    risposta = StreamingHttpResponse(genera(), content_type="application/geo+json")
    risposta["Content-Disposition"] = f'attachment; filename="{_nome_file("geojson")}"'
    risposta["X-Content-Type-Options"] = "nosniff"
    return risposta
