"""The director's PDF as a council reads it: nothing outside the page, no half-empty pages.

The checks read the word boxes of every page (pdfplumber): every character of a page after
the cover lies inside the text area (a chart label cut at the margin would start left of
it), a page that a section continues from is filled, header cells never run together, and
no page ends with a table's header.
"""

from __future__ import annotations

import datetime
import io
import re

import pdfplumber
import pytest
from django.db import transaction

from quartiere.relazioni.pdf import pdf_relazione
from quartiere.territorio.models import Quartiere
from tests.indicatori.conftest import AL, DAL, alle

# Marked so that pytest-django sets the test database up even when this module runs alone;
# the document itself is printed once, by the module's fixture.
pytestmark = pytest.mark.django_db

MM = 72 / 25.4
# The @page margins of quartiere/templates/quartiere/pdf/relazione.html.
SOPRA, DESTRA, SOTTO, SINISTRA = 24 * MM, 18 * MM, 20 * MM, 18 * MM
# A section's title (h2, 16 pt) near the top of a page: that page starts a section.
CORPO_TITOLO = 15
# A page that a section continues from is filled at least this much.
RIEMPIMENTO_MINIMO = 0.6
INTESTAZIONI = {"Voce", "Indicatore", "Periodo", "Confronto", "Variazione"}
ETICHETTA_LUNGA = (
    "Manutenzione straordinaria di marciapiedi, attraversamenti pedonali e percorsi "
    "accessibili alle persone con disabilità"
)


def pagine(contenuto: bytes) -> list[dict]:
    """Per page: the characters of the text area, whether it starts a section, its words."""
    risultato = []
    with pdfplumber.open(io.BytesIO(contenuto)) as pdf:
        for pagina in pdf.pages:
            caratteri = list(pagina.chars)
            corpo = [
                c for c in caratteri if c["top"] >= SOPRA and c["bottom"] <= pagina.height - SOTTO
            ]
            parole = pagina.extract_words()
            risultato.append(
                {
                    "larghezza": pagina.width,
                    "altezza": pagina.height,
                    "caratteri": caratteri,
                    "corpo": corpo,
                    "parole": parole,
                    "sezione": any(
                        c["size"] >= CORPO_TITOLO and c["top"] < SOPRA + 30 * MM for c in corpo
                    ),
                }
            )
    return risultato


@pytest.fixture(scope="module")
def lette(documento) -> list[dict]:
    """The document's pages as pdfplumber reads them, once for the module."""
    return pagine(documento)


def riempimento(pagina: dict) -> float:
    fondo = max((c["bottom"] for c in pagina["corpo"]), default=SOPRA)
    return (fondo - SOPRA) / (pagina["altezza"] - SOPRA - SOTTO)


def ultima_riga(pagina: dict) -> set[str]:
    if not pagina["parole"]:
        return set()
    corpo = [p for p in pagina["parole"] if p["bottom"] <= pagina["altezza"] - SOTTO]
    if not corpo:
        return set()
    fondo = max(p["bottom"] for p in corpo)
    return {p["text"] for p in corpo if abs(p["bottom"] - fondo) < 2}


@pytest.fixture(scope="module")
def documento(django_db_setup, django_db_blocker):
    """The report of the hand-computed dataset, printed once for the module (a print costs
    seconds): built in a transaction that is rolled back, so no test sees its rows."""
    from tests.factories import quattro_quartieri
    from tests.indicatori.conftest import popola
    from tests.segnalazioni.factories import CategoriaFactory, SegnalazioneFactory

    with django_db_blocker.unblock(), transaction.atomic():
        quartieri = quattro_quartieri()
        popola(quartieri)
        # A category whose name is longer than any chart has room for.
        lunga = CategoriaFactory(nome=ETICHETTA_LUNGA)
        SegnalazioneFactory(
            quartiere=quartieri["san-siro"],
            categoria=lunga,
            creata_il=alle(datetime.date(2025, 5, 2)),
        )
        contenuto = pdf_relazione(DAL, AL, list(Quartiere.objects.order_by("codice")))
        transaction.set_rollback(True)
    return contenuto


def test_nessun_testo_fuori_dall_area_di_stampa(lette):
    fuori = []
    for numero, pagina in enumerate(lette[1:], start=2):
        for c in pagina["caratteri"]:
            if c["x0"] < SINISTRA - 1 or c["x1"] > pagina["larghezza"] - DESTRA + 1:
                fuori.append((numero, c["text"], round(c["x0"])))
            elif c["top"] < 0 or c["bottom"] > pagina["altezza"]:
                fuori.append((numero, c["text"], round(c["top"])))
    assert fuori == []


def test_la_copertina_sta_nella_pagina(lette):
    copertina = lette[0]
    for c in copertina["caratteri"]:
        assert c["x0"] >= 0 and c["x1"] <= copertina["larghezza"], c["text"]


def test_nessuna_pagina_mezza_vuota_dentro_una_sezione(lette):
    elenco = lette
    vuote = []
    for numero, (pagina, seguente) in enumerate(zip(elenco[1:], elenco[2:], strict=False), 2):
        if seguente["sezione"]:
            continue  # the last page of a section may end anywhere
        if riempimento(pagina) < RIEMPIMENTO_MINIMO:
            vuote.append((numero, round(riempimento(pagina), 2)))
    assert vuote == []


def test_le_intestazioni_non_si_toccano(lette):
    attaccate = re.compile(
        r"(Periodo|precedente|Confronto|Variazione)(Periodo|Confronto|Variazione)"
    )
    unite = [p["text"] for pagina in lette for p in pagina["parole"] if attaccate.search(p["text"])]
    assert unite == []


def test_nessuna_pagina_finisce_con_l_intestazione_di_una_tabella(lette):
    elenco = lette
    finali = [
        (numero, sorted(riga))
        for numero, pagina in enumerate(elenco[1:], start=2)
        if (riga := ultima_riga(pagina)) and riga <= INTESTAZIONI
    ]
    assert finali == []


def test_l_etichetta_lunga_e_nella_tabella_e_nel_grafico(lette):
    # The table wraps it, the chart cuts it on its second line: both start with it.
    parole = [p["text"] for pagina in lette for p in pagina["parole"]]
    assert parole.count("Manutenzione") == 2


def test_piccoli_multipli_dei_quartieri_e_degli_andamenti(lette):
    testo = " ".join(p["text"] for pagina in lette for p in pagina["parole"])
    # Every headline figure, quartiere by quartiere, against the comparison period.
    assert "I quartieri a confronto" in testo
    # Each trend as a small chart: the period and, dashed, the comparison's same months.
    assert "Segnalazioni: andamento nel periodo" in testo
    assert testo.count("confronto") >= 3


def _pagine_png(contenuto: bytes, cartella) -> list:
    """Every page rendered by pdftoppm (50 dpi), as the printer would put ink on it."""
    import subprocess

    from PIL import Image

    pdf = cartella / "relazione.pdf"
    pdf.write_bytes(contenuto)
    subprocess.run(["pdftoppm", "-png", "-r", "50", str(pdf), str(cartella / "p")], check=True)
    return [Image.open(p).convert("L") for p in sorted(cartella.glob("p-*.png"))]


def test_le_pagine_stampate_sono_piene_e_l_inchiostro_resta_nei_margini(documento, tmp_path, lette):
    """The same two rules on the rendered pages, charts included: ink only inside the
    margins (the running header and footer sit in the top and bottom margins), and no
    page a section continues from under the fill threshold."""
    immagini = _pagine_png(documento, tmp_path)
    elenco = lette
    assert len(immagini) == len(elenco)
    vuote, fuori = [], []
    for numero, (img, pagina) in enumerate(zip(immagini, elenco, strict=True), 1):
        if numero == 1:
            continue  # the cover is drawn edge to edge
        scala = img.width / pagina["larghezza"]
        sx, dx = int((SINISTRA - 2) * scala), int((pagina["larghezza"] - DESTRA + 2) * scala)
        nero = img.point(lambda v: 255 if v < 200 else 0)
        margini = [nero.crop((0, 0, sx, img.height)), nero.crop((dx, 0, img.width, img.height))]
        if any(m.getbbox() for m in margini):
            fuori.append(numero)
        sopra, sotto = int(SOPRA * scala), int((pagina["altezza"] - SOTTO) * scala)
        corpo = nero.crop((sx, sopra, dx, sotto)).getbbox()
        pieno = 0 if corpo is None else corpo[3] / (sotto - sopra)
        ultima_della_sezione = numero == len(elenco) or elenco[numero]["sezione"]
        if not ultima_della_sezione and pieno < RIEMPIMENTO_MINIMO:
            vuote.append((numero, round(pieno, 2)))
    assert fuori == []
    assert vuote == []
