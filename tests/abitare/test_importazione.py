"""The housing sheets of ``import_data``: buildings, flats, households, assignments, all or
nothing (issue 18; docs/import.md)."""

from __future__ import annotations

import shutil
from decimal import Decimal
from pathlib import Path

import pytest

from abitare.models import Alloggio, Assegnazione, Immobile, Nucleo
from quartiere.importazione import importa

pytestmark = pytest.mark.django_db

PULITO = Path(__file__).resolve().parents[1] / "patti" / "dati_import" / "pulito"


@pytest.fixture
def cartella(tmp_path):
    destinazione = tmp_path / "fogli"
    shutil.copytree(PULITO, destinazione)
    return destinazione


def _conteggi():
    return [m.objects.count() for m in (Immobile, Alloggio, Nucleo, Assegnazione)]


def test_il_campione_si_importa_e_gli_alloggi_prendono_lo_stato(cartella):
    esito = importa(cartella)
    assert esito.ok, [str(e) for e in esito.errori]
    assert _conteggi() == [2, 4, 3, 3]
    stati = dict(Alloggio.objects.values_list("codice", "stato"))
    # Lived in, assigned, left at the end of 2025, and one never mentioned by an assignment.
    assert stati == {
        "A-0-1": "occupato",
        "A-1-1": "assegnato",
        "A-1-2": "sfitto",
        "1": "in_ristrutturazione",
    }
    terra = Alloggio.objects.get(codice="A-0-1")
    assert terra.superficie == Decimal("62.50") and terra.accessibile and terra.piano == 0
    assert Alloggio.objects.get(codice="1").piano == -1
    volontari = Nucleo.objects.get(codice="IMP-NUC-1")
    assert volontari.componenti.get().persona.codice == "IMP-P-2"
    assert volontari.componenti.get().intestatario
    assert set(Assegnazione.objects.values_list("stato", flat=True)) == {
        "abitata",
        "assegnata",
        "conclusa",
    }
    assert Immobile.objects.get(codice="IMP-IMM-1").gestore.codice == "IMP-ORG-1"
    assert (
        Assegnazione.objects.first()
        .history.first()
        .history_change_reason.startswith("Importato da")
    )
    # Again: nothing new, nothing changed.
    esito = importa(cartella)
    assert esito.ok and _conteggi() == [2, 4, 3, 3]
    assert esito.conteggi["assegnazioni.csv"] == {"creati": 0, "aggiornati": 0, "invariati": 3}


def test_ogni_errore_e_detto_e_nulla_e_scritto(cartella):
    (cartella / "alloggi.csv").write_text(
        "immobile,alloggio,piano,locali,scala,superficie,accessibile,stato\n"
        "IMP-IMM-1,A-0-1,0,3,A,,,\n"
        "IMP-IMM-1,A-0-1,1,2,A,,,\n"  # the same flat twice
        "IMP-IMM-1,B-1,1a,0,B,-3,forse,\n",  # a floor, no rooms, a negative area, a maybe
        encoding="utf-8",
    )
    (cartella / "assegnazioni.csv").write_text(
        "nucleo,immobile,alloggio,pre_assegnata_il,assegnata_il,ingresso_il,uscita_il\n"
        "IMP-NUC-1,IMP-IMM-1,A-0-1,2026-01-10,,,\n"
        "IMP-NUC-2,IMP-IMM-1,A-0-1,2026-01-11,,,\n"  # a second current assignment of A-0-1
        "IMP-NUC-3,IMP-IMM-1,Z-9,2026-01-10,,2026-01-05,\n",  # no such flat; entry w/o step
        encoding="utf-8",
    )
    esito = importa(cartella)
    assert not esito.ok
    messaggi = {(e.file, e.riga, e.colonna) for e in esito.errori}
    assert {
        ("alloggi.csv", 3, "alloggio"),
        ("alloggi.csv", 4, "piano"),
        ("alloggi.csv", 4, "locali"),
        ("alloggi.csv", 4, "superficie"),
        ("alloggi.csv", 4, "accessibile"),
        ("assegnazioni.csv", 3, "alloggio"),
        ("assegnazioni.csv", 4, "alloggio"),
        ("assegnazioni.csv", 4, "assegnata_il"),
    } <= messaggi, sorted(messaggi)
    assert _conteggi() == [0, 0, 0, 0]  # not even the sheets without errors


def test_un_alloggio_gia_assegnato_nel_database(cartella):
    assert importa(cartella).ok
    (cartella / "assegnazioni.csv").write_text(
        "nucleo,immobile,alloggio,pre_assegnata_il\nIMP-NUC-3,IMP-IMM-1,A-0-1,2026-03-01\n",
        encoding="utf-8",
    )
    esito = importa(cartella)
    assert [(e.file, e.colonna) for e in esito.errori] == [("assegnazioni.csv", "alloggio")]
    assert "già un'assegnazione in corso" in str(esito.errori[0])
