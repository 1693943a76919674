"""The streamed XLSX writer behind the worklist export (quartiere/lib/xlsx.py)."""

import io
import zipfile
from decimal import Decimal

from openpyxl import load_workbook

from quartiere.lib import xlsx


def _libro(parti):
    return load_workbook(io.BytesIO(b"".join(parti)))


def test_il_foglio_si_rilegge_con_i_suoi_valori_e_tipi():
    righe = [
        [1, "Lampione <spento> & rotto", 45.46, None, "  spazi  "],
        [2, "=HYPERLINK(1)", -9.5, "città è ok", "a\x0bb\x00c"],
        [Decimal("12.50"), True, float("nan"), 1e-05, None],
    ]
    libro = _libro(xlsx.genera("Segnalazioni", ["id", "oggetto", "lat", "x", "y"], righe))
    foglio = libro.active
    assert foglio.title == "Segnalazioni"
    valori = list(foglio.iter_rows(values_only=True))
    assert valori == [
        ("id", "oggetto", "lat", "x", "y"),
        (1, "Lampione <spento> & rotto", 45.46, None, "  spazi  "),
        (2, "=HYPERLINK(1)", -9.5, "città è ok", "abc"),
        (12.5, "True", "nan", 1e-05, None),
    ]
    # Text is text: a subject that looks like a formula is not one.
    assert foglio["B3"].data_type == "s"
    assert foglio["A1"].font.b and not foglio["A2"].font.b
    assert foglio.freeze_panes == "A2"


def test_lo_zip_e_valido_e_ha_solo_le_parti_necessarie():
    dati = b"".join(xlsx.genera("S", ["a"], [[i] for i in range(3000)]))
    with zipfile.ZipFile(io.BytesIO(dati)) as z:
        assert z.testzip() is None
        assert sorted(z.namelist()) == [
            "[Content_Types].xml",
            "_rels/.rels",
            "xl/_rels/workbook.xml.rels",
            "xl/styles.xml",
            "xl/workbook.xml",
            "xl/worksheets/sheet1.xml",
        ]


def test_il_primo_blocco_parte_prima_di_leggere_le_righe():
    lette = 0

    def righe():
        nonlocal lette
        for i in range(50_000):
            lette += 1
            yield [i, f"Segnalazione numero {i} con un oggetto di media lunghezza"]

    parti = xlsx.genera("S", ["id", "oggetto"], righe())
    primo = next(parti)
    assert primo.startswith(b"PK") and lette == 0
    # The rows are read a block at a time, not all before the next bytes leave.
    secondo = next(parti)
    assert 0 < lette < 50_000
    resto = list(parti)
    assert lette == 50_000
    assert all(resto) and max(len(p) for p in resto) < 4 * xlsx.BLOCCO
    foglio = _libro([primo, secondo, *resto]).active
    assert foglio.max_row == 50_001
    assert foglio["B50001"].value == "Segnalazione numero 49999 con un oggetto di media lunghezza"


def test_oltre_il_limite_di_excel_l_ultima_riga_lo_dice(monkeypatch):
    monkeypatch.setattr(xlsx, "MAX_RIGHE", 5)
    valori = list(
        _libro(
            xlsx.genera("S", ["n"], ([i] for i in range(10)), troncato="Usa il CSV")
        ).active.iter_rows(values_only=True)
    )
    assert valori == [("n",), (0,), (1,), (2,), ("Usa il CSV",)]
    # Exactly as many rows as fit: no note.
    valori = list(
        _libro(
            xlsx.genera("S", ["n"], ([i] for i in range(4)), troncato="Usa il CSV")
        ).active.iter_rows(values_only=True)
    )
    assert valori == [("n",), (0,), (1,), (2,), (3,)]


def test_lettere_delle_colonne_come_openpyxl():
    from openpyxl.utils import get_column_letter

    for n in (1, 26, 27, 52, 53, 702, 703, 16384):
        assert xlsx.lettera_colonna(n) == get_column_letter(n)


def test_nome_del_foglio_valido():
    assert xlsx.nome_foglio("Segnalazioni: 2026/11 [tutte]") == "Segnalazioni- 2026-11 -tutte-"
    assert len(xlsx.nome_foglio("x" * 40)) == 31
    assert xlsx.nome_foglio("") == "Foglio1"
    libro = _libro(xlsx.genera('Quartiere "Sud" & Nord', ["a"], []))
    assert libro.active.title == 'Quartiere "Sud" & Nord'


def test_il_foglio_e_scritto_in_zip64_e_si_rilegge():
    """The sheet's size is unknown until its end: it is written as zip64 from the start, so
    one over 2 GiB does not fail when it is closed. A small forced zip64 member is enough
    to show the format: its local header carries the zip64 extra field (id 0x0001), and
    zipfile and openpyxl read it."""
    import struct

    dati = b"".join(xlsx.genera("S", ["a", "b"], [[i, f"riga {i}"] for i in range(2000)]))
    with zipfile.ZipFile(io.BytesIO(dati)) as z:
        assert z.testzip() is None
        info = z.getinfo("xl/worksheets/sheet1.xml")
    intestazione = dati[info.header_offset : info.header_offset + 30]
    firma, *_resto = struct.unpack("<4s26s", intestazione)
    assert firma == b"PK\x03\x04"
    lungo_nome, lungo_extra = struct.unpack("<HH", intestazione[26:30])
    inizio_extra = info.header_offset + 30 + lungo_nome
    extra = dati[inizio_extra : inizio_extra + lungo_extra]
    assert struct.unpack("<H", extra[:2])[0] == 0x0001
    foglio = _libro([dati]).active
    assert foglio.max_row == 2001 and foglio["B2001"].value == "riga 1999"
