"""CSV and XLSX of the figures.

The CSV is "long": one figure per row (``sezione,indicatore,voce,valore``), the same for
the command and the dashboard, so a spreadsheet or a script reads any period the same way.
The XLSX holds that sheet plus one sheet per figure table and the per-quartiere table.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from datetime import date
from decimal import Decimal

from django.utils.translation import gettext as _

from quartiere.relazioni.figure import SEZIONI
from quartiere.relazioni.tabelle import Tabella, TabellaQuartieri

INTESTAZIONE = ("sezione", "indicatore", "voce", "valore")


def testo(valore) -> str:
    """A figure as it is written in CSV: like the JSON, ``null`` as an empty cell."""
    if valore is None:
        return ""
    if isinstance(valore, Decimal):
        return f"{valore:.2f}"
    if isinstance(valore, date):
        return valore.isoformat()
    if isinstance(valore, float):
        return repr(valore)
    return str(valore)


def righe(figure: dict, tabella: str | None = None) -> Iterator[tuple]:
    """``(sezione, indicatore, voce, valore)`` for every figure (or one table's figures)."""
    if tabella is None:
        yield ("periodo", "dal", "", figure["periodo"]["dal"])
        yield ("periodo", "al", "", figure["periodo"]["al"])
        for codice in figure["quartieri"]:
            yield ("quartieri", "codice", "", codice)
    for sezione in SEZIONI:
        valori = figure.get(sezione)
        if valori is None:
            continue
        for indicatore, valore in valori.items():
            if isinstance(valore, dict):
                if tabella in (None, f"{sezione}-{indicatore}"):
                    for voce, n in valore.items():
                        yield (sezione, indicatore, str(voce), n)
            elif tabella in (None, sezione):
                yield (sezione, indicatore, "", valore)


def csv_testo(righe_: Iterable[tuple], intestazione=INTESTAZIONE) -> str:
    buffer = io.StringIO()
    scrittore = csv.writer(buffer, lineterminator="\n")
    scrittore.writerow(intestazione)
    for riga in righe_:
        scrittore.writerow([testo(v) for v in riga])
    return buffer.getvalue()


def csv_figure(figure: dict, tabella: str | None = None) -> str:
    return csv_testo(righe(figure, tabella))


def righe_quartieri(tabella: TabellaQuartieri) -> tuple[tuple, list[tuple]]:
    intestazione = ("quartiere", "nome", *(f"{s}.{c}" for s, c, _e in tabella.colonne))
    return intestazione, [(codice, nome, *valori) for codice, nome, valori in tabella.righe]


def csv_quartieri(tabella: TabellaQuartieri) -> str:
    intestazione, corpo = righe_quartieri(tabella)
    return csv_testo(corpo, intestazione)


def _cella(valore):
    if isinstance(valore, (int, float, Decimal)) and not isinstance(valore, bool):
        return valore
    return testo(valore)


def _nome_foglio(testo_: str, usati: set[str]) -> str:
    pulito = "".join("-" if c in "[]:*?/\\" else c for c in testo_)[:31]
    nome, n = pulito, 2
    while nome in usati:
        suffisso = f" {n}"
        nome, n = pulito[: 31 - len(suffisso)] + suffisso, n + 1
    usati.add(nome)
    return nome


def xlsx_figure(
    figure: dict,
    tabelle: list[Tabella],
    quartieri: TabellaQuartieri | None = None,
    solo: str | None = None,
) -> bytes:
    """A workbook of the figures: the long sheet, then a sheet per table.

    With ``solo`` (a table id) the workbook holds that table only.
    """
    from openpyxl import Workbook

    libro = Workbook(write_only=True)
    usati: set[str] = set()
    if solo is None:
        foglio = libro.create_sheet(_nome_foglio(_("Indicatori"), usati))
        foglio.append(list(INTESTAZIONE))
        for riga in righe(figure):
            foglio.append([_cella(v) for v in riga])
    for tabella in tabelle:
        if solo not in (None, tabella.id):
            continue
        foglio = libro.create_sheet(_nome_foglio(tabella.id, usati))
        foglio.append([tabella.titolo])
        foglio.append([_("Voce"), _("Chiave"), _("Valore")])
        for riga in tabella.righe:
            foglio.append([riga.etichetta, riga.chiave, _cella(riga.valore)])
    if quartieri is not None and solo in (None, quartieri.id):
        foglio = libro.create_sheet(_nome_foglio(quartieri.id, usati))
        intestazione, corpo = righe_quartieri(quartieri)
        foglio.append(list(intestazione))
        for riga in corpo:
            foglio.append([_cella(v) for v in riga])
    buffer = io.BytesIO()
    libro.save(buffer)
    return buffer.getvalue()
