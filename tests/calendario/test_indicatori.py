"""The diary's and the calendar's figures against hand-computed data."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from quartiere.diario.models import AttivitaDiario
from quartiere.indicators import calcola
from tests.calendario.factories import AttivitaDiarioFactory, PrenotazioneFactory, alle

pytestmark = pytest.mark.django_db

# Monday 2 and Monday 9 November 2026.
L1, L2 = date(2026, 11, 2), date(2026, 11, 9)


@pytest.fixture
def diario(operatore, operatore_gratosoglio, san_siro, gratosoglio):
    voci = [
        # operator, day, quartiere, type, hours
        (operatore, L1, san_siro, "front_office", "3.5"),
        (operatore, L1, san_siro, "back_office", "2"),  # same day: one operator-day
        (operatore, date(2026, 11, 4), san_siro, "laboratorio", "2.5"),
        (operatore, date(2026, 11, 4), None, "formazione", "4"),
        (operatore_gratosoglio, L1, gratosoglio, "sopralluogo", "1.25"),
        (operatore_gratosoglio, date(2026, 11, 10), gratosoglio, "front_office", "6"),
        (operatore, date(2026, 11, 13), san_siro, "evento", "2"),
        # outside the period
        (operatore, date(2026, 10, 30), san_siro, "front_office", "8"),
        (operatore, date(2026, 11, 16), san_siro, "front_office", "8"),
    ]
    for op, giorno, q, tipo, ore in voci:
        AttivitaDiarioFactory(operatore=op, data=giorno, quartiere=q, tipo=tipo, ore=Decimal(ore))


def test_cifre_del_diario_tutti_i_quartieri(diario, san_siro, gratosoglio):
    r = calcola(date(2026, 11, 1), date(2026, 11, 15), None)
    assert r["ore_totali"] == "21.25"
    assert r["ore_per_tipo"] == {
        "front_office": "9.50",
        "back_office": "2.00",
        "ascolto_territorio": "0.00",
        "laboratorio": "2.50",
        "tavolo_tecnico": "0.00",
        "riunione_rete": "0.00",
        "formazione": "4.00",
        "evento": "2.00",
        "sopralluogo": "1.25",
    }
    assert set(r["ore_per_tipo"]) == set(AttivitaDiario.Tipo.values)
    per_q = {x["quartiere"]: x["ore"] for x in r["ore_per_quartiere"]}
    assert per_q == {"San Siro": "10.00", "Gratosoglio": "7.25", "—": "4.00"}
    # Distinct days: 2, 4 (week 1); 10, 13 (week 2). Operator-days: op 2/11, op 4/11,
    # luca 2/11 (week 1); luca 10/11, op 13/11 (week 2).
    assert r["giorni_presenza"] == 4
    assert r["giorni_persona"] == 5
    assert r["operatori"] == 2
    assert r["presenza_per_settimana"] == [
        {"settimana": L1, "giorni": 2, "giorni_persona": 3, "operatori": 2},
        {"settimana": L2, "giorni": 2, "giorni_persona": 2, "operatori": 2},
    ]


def test_cifre_del_diario_per_quartiere(diario, san_siro):
    r = calcola(date(2026, 11, 1), date(2026, 11, 15), [san_siro])
    assert r["ore_totali"] == "10.00"
    assert r["ore_per_tipo"]["formazione"] == "0.00"  # no quartiere: not San Siro's
    assert r["presenza_per_settimana"] == [
        {"settimana": L1, "giorni": 2, "giorni_persona": 2, "operatori": 1},
        {"settimana": L2, "giorni": 1, "giorni_persona": 1, "operatori": 1},
    ]
    assert calcola(date(2026, 11, 1), date(2026, 11, 15), [san_siro.pk])["ore_totali"] == "10.00"


def test_periodo_vuoto_zeri(db):
    r = calcola(date(2020, 1, 1), date(2020, 1, 31), None)
    assert r["ore_totali"] == "0.00"
    assert all(v == "0.00" for v in r["ore_per_tipo"].values())
    assert r["presenza_per_settimana"] == [] and r["giorni_presenza"] == 0
    assert r["prenotazioni_confermate"] == 0


def test_cifre_del_calendario(sala, ufficio_san_siro, san_siro):
    PrenotazioneFactory(sede=sala, inizio=alle(L1, 18), fine=alle(L1, 20))
    PrenotazioneFactory(
        sede=ufficio_san_siro, inizio=alle(L1, 18), fine=alle(L1, 20), pubblico=False
    )
    PrenotazioneFactory(sede=ufficio_san_siro, inizio=alle(L1, 20), fine=alle(L1, 21))
    PrenotazioneFactory(
        sede=ufficio_san_siro, stato="richiesta", inizio=alle(L1, 8), fine=alle(L1, 9)
    )
    r = calcola(L1, L1, None)
    assert (r["prenotazioni_confermate"], r["eventi_pubblici"]) == (3, 2)
    r = calcola(L1, L1, [san_siro])
    assert (r["prenotazioni_confermate"], r["eventi_pubblici"]) == (2, 1)


def test_numero_di_query_fisso(operatore, san_siro):
    def conta():
        with CaptureQueriesContext(connection) as ctx:
            calcola(date(2026, 1, 1), date(2026, 12, 31), [san_siro])
        return len(ctx.captured_queries)

    for i in range(5):
        AttivitaDiarioFactory(operatore=operatore, quartiere=san_siro, data=date(2026, 3, 1 + i))
    poche = conta()
    for i in range(50):
        AttivitaDiarioFactory(
            operatore=operatore, quartiere=san_siro, data=date(2026, 5, 1 + i % 28)
        )
    assert conta() == poche == 4
