"""The mediation figures against an attacker (issue 28): random data over three quartieri
and six months; every table is read as the dashboard, the PDF and `indicatori` read it
(the city and each quartiere, every subset of quartieri, the half-year and each month); the
attacker treats every published number as a rounded sum and propagates the intervals
through every relation (a table against its total, the city against its quartieri, the
year against its months, two subsets that differ by one quartiere). No small count is
pinned to its true value."""

from __future__ import annotations

import datetime
import itertools
import random

import pytest

from mediazione import indicators
from mediazione.models import Dossier, Esito, TipoConflitto
from tests import factories
from tests.dati_di_modulo import transazione_di_modulo
from tests.mediazione.factories import DossierFactory

pytestmark = pytest.mark.django_db

ANNO = 2025
# Six months and three quartieri: every relation the outputs have, at a test's size.
MESI = [datetime.date(ANNO, m, 1) for m in range(1, 7)]
TIPI = TipoConflitto.values[:4]


def _fine(mese: datetime.date) -> datetime.date:
    return indicators.mesi(mese, mese)[1]


@pytest.fixture(scope="module")
def mondo(django_db_setup, django_db_blocker):
    """About 140 dossiers, built once for the module (its tests only read them)."""
    with transazione_di_modulo(django_db_blocker):
        quartieri = dict(list(factories.quattro_quartieri().items())[:3])
        mediatore = factories.utente("mediatore", "mediatore")
        rng = random.Random(2812)
        veri: dict[tuple, int] = {}
        for q in quartieri.values():
            for mese in MESI:
                for tipo in TIPI:
                    # Mostly 0 to 3: the small counts a mask must protect.
                    n = rng.choice([0, 0, 0, 1, 1, 2, 2, 3, 4, 6])
                    veri[(q.pk, mese, tipo)] = n
                    for _ in range(n):
                        d = DossierFactory(creato_da=mediatore, quartiere=q, tipo_conflitto=tipo)
                        giorno = mese.replace(day=rng.randint(1, 28))
                        Dossier.objects.filter(pk=d.pk).update(aperto_il=giorno)
        yield quartieri, veri


def _pubblicati(quartieri) -> list[tuple[frozenset, int]]:
    """(the atoms a published number covers, the number), for the opened-by-type tables."""
    tutti = [q.pk for q in quartieri.values()]
    righe = []

    def leggi(dal, al, insieme, mesi_coperti):
        r = indicators.calcola(dal, al, list(insieme))
        for tipo in TIPI:
            atomi = frozenset((q, m, tipo) for q in insieme for m in mesi_coperti)
            righe.append((atomi, r["per_tipo_conflitto"][tipo]))
        atomi = frozenset((q, m, t) for q in insieme for m in mesi_coperti for t in TIPI)
        # "aperti" also counts the types left out of the attack: only the four used here.
        righe.append((atomi, sum(r["per_tipo_conflitto"][t] for t in TIPI)))

    for n in range(1, len(tutti) + 1):
        for insieme in itertools.combinations(tutti, n):
            leggi(MESI[0], _fine(MESI[-1]), insieme, MESI)  # the year
            for mese in MESI:
                leggi(mese, _fine(mese), insieme, [mese])  # each month
    return righe


def _attacco(vincoli, atomi) -> dict:
    """Interval propagation over ``(atoms, low, high)``: the true sum of the atoms lies in
    [low, high]; each atom starts within [0, 40]. Bounds are tightened until nothing
    changes."""
    basso = dict.fromkeys(atomi, 0)
    alto = dict.fromkeys(atomi, 40)
    vincoli = [(sorted(a), lo, hi) for a, lo, hi in vincoli]
    cambiato = True
    while cambiato:
        cambiato = False
        for insieme, lo, hi in vincoli:
            somma_bassi = sum(basso[a] for a in insieme)
            somma_alti = sum(alto[a] for a in insieme)
            for a in insieme:
                nuovo_basso = max(basso[a], lo - (somma_alti - alto[a]))
                nuovo_alto = min(alto[a], hi - (somma_bassi - basso[a]))
                if nuovo_basso > basso[a] or nuovo_alto < alto[a]:
                    basso[a], alto[a] = nuovo_basso, nuovo_alto
                    cambiato = True
    return {a: (basso[a], alto[a]) for a in atomi}


def test_nessun_conteggio_piccolo_si_ricava_dalle_cifre_pubblicate(mondo):
    quartieri, dati_casuali = mondo
    righe = _pubblicati(quartieri)
    # Everything published is a multiple of 5 and a sum of the same rounded atoms.
    assert all(p % 5 == 0 for _a, p in righe)
    # Each published number P read as the rounded true sum: within P ± 4.
    intervalli = _attacco([(a, max(0, p - 4), p + 4) for a, p in righe], dati_casuali)
    recuperati = [
        (a, v)
        for a, v in dati_casuali.items()
        if 0 < v < 3 and intervalli[a][0] == intervalli[a][1] == v
    ]
    assert recuperati == []
    # The attack is not blind: it does narrow what it can (each atom to at most 9 values).
    assert all(hi - lo <= 8 for lo, hi in intervalli.values() if lo <= hi)


def test_con_la_vecchia_maschera_l_attacco_riusciva(mondo):
    """Control: the same attacker on the old rule ("<3" for 1 and 2, exact otherwise, each
    published number computed on its own) recovers small counts; so the test above could
    fail."""
    quartieri, dati_casuali = mondo
    tutti = [q.pk for q in quartieri.values()]
    righe = []
    for n in range(1, len(tutti) + 1):
        for insieme in itertools.combinations(tutti, n):
            for mesi_coperti in [MESI, *([m] for m in MESI)]:
                for tipo in TIPI:
                    atomi = frozenset((q, m, tipo) for q in insieme for m in mesi_coperti)
                    vero = sum(dati_casuali[a] for a in atomi)
                    righe.append((atomi, vero))  # exact when 0 or ≥ 3
    # Exact when 0 or from 3 up; a "<3" cell is known to lie in 1..2.
    vincoli = [(a, v, v) if v == 0 or v >= 3 else (a, 1, 2) for a, v in righe]
    intervalli = _attacco(vincoli, dati_casuali)
    recuperati = [
        a for a, v in dati_casuali.items() if 0 < v < 3 and intervalli[a][0] == intervalli[a][1]
    ]
    assert recuperati, "the control attack should recover some small counts"
    assert Esito.values  # the enumeration the tables use is there


def test_la_durata_media_non_restituisce_quella_di_un_dossier():
    """Two published means over sets that differ by one dossier (the city and the one
    quartiere with ten closed, the other quartiere's single dossier hidden): even knowing
    every true count, the attacker pins that dossier's duration only within weeks. To one
    decimal of a day, as before, the same subtraction gave it to the day."""
    rng = random.Random(7)
    dieci = [rng.randint(5, 200) for _ in range(10)]
    nascosto = 37
    visibile = indicators.durata_pubblicata(sum(dieci), 10)
    citta = indicators.durata_pubblicata(sum(dieci) + nascosto, 11)
    assert indicators.durata_pubblicata(nascosto, 1) is None  # the quartiere alone: hidden

    def intervallo(m_citta, m_visibile, mezzo):
        # d = 11 * mean(city) - 10 * mean(visible quartiere), each mean known to ± mezzo.
        return (11 * (m_citta - mezzo) - 10 * (m_visibile + mezzo)), (
            11 * (m_citta + mezzo) - 10 * (m_visibile - mezzo)
        )

    basso, alto = intervallo(citta, visibile, indicators.PASSO_DURATA / 2)
    assert basso <= nascosto <= alto
    assert alto - basso >= 21 * indicators.PASSO_DURATA  # 147 days: a range of months
    # The control: the old rule (one decimal) pins it within a couple of days.
    vecchio = intervallo(round((sum(dieci) + nascosto) / 11, 1), round(sum(dieci) / 10, 1), 0.05)
    assert vecchio[0] <= nascosto <= vecchio[1] and vecchio[1] - vecchio[0] <= 2.2
