"""A one-sheet XLSX workbook written as a stream, for exports of any size.

openpyxl (even in write-only mode) and XlsxWriter can only hand over a workbook once its
last row is written: for the 200,000 reports of a large Comune the first byte came after a
minute (docs/performance.md, 4.11). An XLSX file is a zip of a few XML parts, and the
standard library's ``zipfile`` writes a zip to a stream that cannot seek (each member's
sizes go in a data descriptor after its data). So the fixed parts are written first, the
sheet is deflated row by row into the same zip, and the bytes are handed on every
``BLOCCO`` bytes: constant memory, first byte at once.

Strings are inline (``t="inlineStr"``), so no shared-strings table has to be built before
the sheet; numbers are numbers; ``None`` is an empty cell. Characters that XML 1.0 cannot
carry are dropped, as openpyxl refuses them. The result opens in Excel and LibreOffice and
reads back with openpyxl (tests/core/test_xlsx.py).
"""

from __future__ import annotations

import math
import re
import zipfile
from collections.abc import Iterable, Iterator
from decimal import Decimal
from html import escape

CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
BLOCCO = 64 * 1024
# Excel opens at most this many rows; beyond it the sheet ends with a note (use the CSV).
MAX_RIGHE = 1_048_576
# The largest string a cell holds (Excel's limit); longer text is cut, not refused.
MAX_CELLA = 32767
# XML 1.0 forbids these control characters even as character references.
_ILLEGALI = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")

_TIPI = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">\
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>\
<Default Extension="xml" ContentType="application/xml"/>\
<Override PartName="/xl/workbook.xml" \
ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>\
<Override PartName="/xl/worksheets/sheet1.xml" \
ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>\
<Override PartName="/xl/styles.xml" \
ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>\
</Types>"""

_RELAZIONI = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
<Relationship Id="rId1" \
Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" \
Target="xl/workbook.xml"/></Relationships>"""

_LIBRO = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" \
xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">\
<sheets><sheet name="{nome}" sheetId="1" r:id="rId1"/></sheets></workbook>"""

_RELAZIONI_LIBRO = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
<Relationship Id="rId1" \
Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" \
Target="worksheets/sheet1.xml"/>\
<Relationship Id="rId2" \
Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" \
Target="styles.xml"/></Relationships>"""

# Style 0 is the default; style 1 is the bold header row.
_STILI = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">\
<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font>\
<font><b/><sz val="11"/><name val="Calibri"/></font></fonts>\
<fills count="2"><fill><patternFill patternType="none"/></fill>\
<fill><patternFill patternType="gray125"/></fill></fills>\
<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>\
<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>\
<cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>\
<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/></cellXfs>\
<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>\
</styleSheet>"""

_INIZIO_FOGLIO = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    '<sheetViews><sheetView workbookViewId="0">'
    '<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>'
    "</sheetView></sheetViews><sheetData>"
)
_FINE_FOGLIO = "</sheetData></worksheet>"


def lettera_colonna(numero: int) -> str:
    """The letters of the 1-based column ``numero``: 1 is A, 27 is AA. (openpyxl has the
    same helper, but importing it costs every process that loads the URLconf 0.1 s.)"""
    lettere = ""
    while numero:
        numero, resto = divmod(numero - 1, 26)
        lettere = chr(ord("A") + resto) + lettere
    return lettere


def nome_foglio(testo: str) -> str:
    """A valid sheet name: at most 31 characters, none of ``[]:*?/\\``."""
    pulito = "".join("-" if c in "[]:*?/\\" else c for c in _ILLEGALI.sub("", testo))
    return pulito[:31].strip("'") or "Foglio1"


def _cella(rif: str, valore, stile: str) -> str:
    if valore is None or valore == "":
        return ""
    if isinstance(valore, (int, float, Decimal)) and not isinstance(valore, bool):
        if math.isfinite(valore):
            return f'<c r="{rif}"{stile}><v>{valore}</v></c>'
        valore = str(valore)  # NaN and infinities are no numbers to a spreadsheet
    testo = _ILLEGALI.sub("", str(valore))[:MAX_CELLA]
    spazi = ' xml:space="preserve"' if testo != testo.strip() else ""
    return (
        f'<c r="{rif}"{stile} t="inlineStr"><is><t{spazi}>{escape(testo, quote=False)}</t></is></c>'
    )


def _riga(numero: int, colonne: list[str], valori: Iterable, stile: str = "") -> str:
    celle = "".join(
        _cella(f"{colonna}{numero}", valore, stile)
        for colonna, valore in zip(colonne, valori, strict=False)
    )
    return f'<row r="{numero}">{celle}</row>'


class _Raccolta:
    """The write end of the zip: keeps what was written until the stream takes it."""

    def __init__(self):
        self._parti: list[bytes] = []
        self.dimensione = 0

    def write(self, dati) -> int:
        self._parti.append(bytes(dati))
        self.dimensione += len(dati)
        return len(dati)

    def flush(self) -> None:
        pass

    def prendi(self) -> bytes:
        dati = b"".join(self._parti)
        self._parti.clear()
        self.dimensione = 0
        return dati


def genera(
    foglio: str, intestazioni: list[str], righe: Iterable[Iterable], *, troncato: str = ""
) -> Iterator[bytes]:
    """Yield the bytes of a workbook with one sheet called ``foglio``: a bold, frozen
    header row of ``intestazioni``, then one row per item of ``righe``, read lazily.

    Past Excel's :data:`MAX_RIGHE` the last row holds ``troncato`` (say where the rest
    is) instead of silently dropping what does not fit."""
    colonne = [lettera_colonna(i) for i in range(1, len(intestazioni) + 1)]
    uscita = _Raccolta()
    # Level 1: much faster than the default for a few per cent more bytes (docs/performance.md).
    with zipfile.ZipFile(uscita, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as z:
        z.writestr("[Content_Types].xml", _TIPI)
        z.writestr("_rels/.rels", _RELAZIONI)
        z.writestr("xl/workbook.xml", _LIBRO.format(nome=escape(nome_foglio(foglio))))
        z.writestr("xl/_rels/workbook.xml.rels", _RELAZIONI_LIBRO)
        z.writestr("xl/styles.xml", _STILI)
        # zip64 from the start: the sheet's size is unknown until its end, and a sheet over
        # 2 GiB would otherwise fail there ("File size too large"), the file cut short.
        with z.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as parte:
            parte.write((_INIZIO_FOGLIO + _riga(1, colonne, intestazioni, ' s="1"')).encode())
            yield uscita.prendi()
            testo: list[str] = []
            lunghezza = 0
            righe = iter(righe)
            for numero, valori in enumerate(righe, start=2):
                if numero == MAX_RIGHE and next(righe, None) is not None:
                    testo.append(_riga(numero, colonne, [troncato or "…"]))
                    break
                riga = _riga(numero, colonne, valori)
                testo.append(riga)
                lunghezza += len(riga)
                # Hand zlib large pieces: one call per row costs more than the rows.
                if lunghezza >= BLOCCO:
                    parte.write("".join(testo).encode())
                    testo.clear()
                    lunghezza = 0
                    if uscita.dimensione:
                        yield uscita.prendi()
            testo.append(_FINE_FOGLIO)
            parte.write("".join(testo).encode())
    yield uscita.prendi()
