"""The director's PDF report: its text says the same numbers as the JSON."""

from __future__ import annotations

import datetime
import importlib
import os
import re
import subprocess

import pytest

from quartiere.relazioni import indicatori
from quartiere.relazioni.pdf import pdf_relazione
from quartiere.relazioni.tabelle import formatta
from quartiere.territorio.models import Quartiere
from tests.indicatori.conftest import AL, DAL

pytestmark = pytest.mark.django_db


def estrai_testo(dati: bytes, tmp_path) -> str:
    percorso = tmp_path / "relazione.pdf"
    percorso.write_bytes(dati)
    if os.environ.get("QUARTIERE_PDF_DI_PROVA"):
        # Keep a copy to look at: pdftoppm -png $QUARTIERE_PDF_DI_PROVA pagina
        percorso_copia = os.environ["QUARTIERE_PDF_DI_PROVA"]
        with open(percorso_copia, "wb") as copia:
            copia.write(dati)
    return subprocess.run(
        ["pdftotext", "-layout", str(percorso), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout


def cifre_dopo(testo: str, etichetta: str) -> list[str]:
    """The first figure after ``etichetta`` on every table row that starts with it."""
    schema = re.compile(rf"^\s*{re.escape(etichetta)}\s{{2,}}([\d.,]+|<3|—)(\s|$)")
    return [m.group(1) for riga in testo.splitlines() if (m := schema.match(riga))]


@pytest.fixture
def relazione(dati, settings, tmp_path):
    settings.COMUNE_NOME = "Comune di Reggio nell'Emilia"
    quartieri = list(Quartiere.objects.filter(codice="san-siro"))
    return estrai_testo(pdf_relazione(DAL, AL, quartieri), tmp_path)


def test_intestazione_copertina_pagine_e_data_di_stampa(relazione):
    assert "Comune di Reggio nell'Emilia" in relazione
    assert "Relazione di andamento del servizio" in relazione
    assert "dal 1 gennaio 2025 al 31 dicembre 2025" in relazione
    assert "Stampata il" in relazione
    numeri = re.findall(r"Pagina (\d+) di (\d+)", relazione)
    assert numeri, "nessun numero di pagina"
    totale = int(numeri[0][1])
    assert totale >= 3
    assert [int(n) for n, _t in numeri] == list(range(2, totale + 1))  # the cover has none


def test_ogni_cifra_del_json_e_nel_pdf(relazione):
    figure = indicatori(DAL, AL, ["san-siro"])
    from quartiere.relazioni.tabelle import etichetta

    controllate = 0
    for sezione in ("segnalazioni", "mediazione", "laboratori", "patti", "abitare"):
        for chiave, valore in (figure[sezione] or {}).items():
            if isinstance(valore, dict):
                continue
            # Every row of that figure (summary and section) shows the period's value.
            trovate = cifre_dopo(relazione, str(etichetta(sezione, chiave)))
            assert trovate, (sezione, chiave)
            assert set(trovate) == {formatta(valore)}, (sezione, chiave, trovate)
            controllate += 1
    assert controllate


def test_patti_firmati_nel_periodo_elencati(relazione):
    assert "Patti firmati nel periodo" in relazione
    assert len(re.findall(r"T/\d{4}", relazione)) == 2  # the two 2025 pacts, not the 2024 one
    assert "1.500,50" in relazione


def test_sezione_mediazione_avverte_dell_arrotondamento(relazione):
    assert "arrotondati a multipli di 5" in " ".join(relazione.split())


def test_tabella_per_quartiere(relazione):
    assert "Indicatori principali per quartiere" in relazione
    assert "San Siro" in relazione


def test_attivita_degli_operatori_dal_diario(dati, operatore, settings, tmp_path):
    diario = importlib.import_module("quartiere.indicators")
    from decimal import Decimal

    from tests.calendario.factories import AttivitaDiarioFactory

    san_siro = dati["san-siro"]
    for giorno, tipo, ore in [
        (datetime.date(2025, 3, 3), "front_office", "3.5"),
        (datetime.date(2025, 3, 4), "sopralluogo", "2"),
        (datetime.date(2024, 3, 4), "sopralluogo", "9"),  # outside the period
    ]:
        AttivitaDiarioFactory(
            operatore=operatore, quartiere=san_siro, data=giorno, tipo=tipo, ore=Decimal(ore)
        )
    atteso = diario.calcola(DAL, AL, [san_siro])
    assert atteso["ore_totali"] == "5.50"
    testo = estrai_testo(pdf_relazione(DAL, AL, [san_siro]), tmp_path)
    assert "Attività degli operatori" in testo
    assert cifre_dopo(testo, "Ore di attività registrate") == ["5,50"]
    # In the table and beside the bar of the chart next to it.
    assert set(cifre_dopo(testo, "front-office")) == {"3,50"}
    assert set(cifre_dopo(testo, "sopralluogo")) == {"2,00"}
    # The week of 3 March 2025 had two days of presence out of the five required.
    assert "2 / 5 · sotto il minimo" in testo
    assert cifre_dopo(testo, "Giorni di presenza del servizio") == ["2"]
