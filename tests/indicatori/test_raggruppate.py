"""The grouped figures (per quartiere, per slice of a trend) equal the one-by-one calls.

``calcola_per_quartiere`` and ``calcola_andamento`` are optimisations: the PDF's
per-quartiere table and the dashboard's trend call them once instead of once per
quartiere or per slice. They must give exactly what ``calcola`` gives, in a number of
queries that depends neither on the quartieri nor on the slices.
"""

from __future__ import annotations

import datetime
import importlib

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from quartiere.relazioni.figure import SEZIONI, modulo_indicatori, suddividi
from quartiere.relazioni.relazione import SERIE_ANDAMENTO, figure_per_quartiere, prepara
from quartiere.territorio.models import Quartiere
from tests.dati_di_modulo import transazione_di_modulo
from tests.factories import quattro_quartieri
from tests.indicatori.conftest import (
    AL,
    DAL,
    _c_e,
    popola,
    popola_abitare,
    popola_laboratori,
    popola_mediazione,
    popola_patti,
    popola_segnalazioni,
)

pytestmark = pytest.mark.django_db

QUERY_PER_SEZIONE = {"abitare": 8}

PERIODI = [
    (DAL, AL),
    (datetime.date(2024, 1, 1), datetime.date(2025, 12, 31)),
    (datetime.date(2025, 3, 1), datetime.date(2025, 3, 31)),
    (datetime.date(2023, 1, 1), datetime.date(2023, 12, 31)),  # nothing in it
]


def moduli_con(funzione: str) -> list[str]:
    return [
        s
        for s in SEZIONI
        if (m := modulo_indicatori(f"{s}.indicators")) is not None and hasattr(m, funzione)
    ]


@pytest.fixture(scope="module")
def dati_vari(django_db_setup, django_db_blocker):
    """The hand-computed dataset in San Siro, a different amount in Gratosoglio (so that
    quartieri differ), one lab in Lorenteggio, Ponte Lambro empty. Built once for the
    module: its tests only read it."""
    with transazione_di_modulo(django_db_blocker):
        quartieri = quattro_quartieri()
        popola(quartieri)
        gratosoglio, lorenteggio = quartieri["gratosoglio"], quartieri["lorenteggio"]
        if _c_e("laboratori.models"):
            popola_laboratori(gratosoglio, lorenteggio, copie=2)
        if _c_e("patti.models"):
            popola_patti(gratosoglio, copie=2)
        if _c_e("mediazione.models"):
            popola_mediazione(gratosoglio, copie=1)
        if _c_e("segnalazioni.models"):
            popola_segnalazioni(gratosoglio, copie=2)
        if _c_e("abitare.models"):
            popola_abitare(gratosoglio, copie=2)  # Lorenteggio has one copy (popola)
        yield quartieri


def conta(funzione) -> int:
    with CaptureQueriesContext(connection) as catturate:
        funzione()
    return len(catturate.captured_queries)


def test_ogni_app_ha_le_funzioni_raggruppate():
    # Without them the PDF and the dashboard fall back to one call per quartiere/slice.
    presenti = [s for s in SEZIONI if modulo_indicatori(f"{s}.indicators") is not None]
    assert moduli_con("calcola_per_quartiere") == presenti
    assert moduli_con("calcola_andamento") == [s for s in presenti if s in SERIE_ANDAMENTO]


@pytest.mark.parametrize("sezione", moduli_con("calcola_per_quartiere"))
@pytest.mark.parametrize(("dal", "al"), PERIODI)
def test_per_quartiere_uguale_alle_chiamate_singole(dati_vari, sezione, dal, al):
    modulo = modulo_indicatori(f"{sezione}.indicators")
    quartieri = list(Quartiere.objects.order_by("codice"))
    raggruppate = modulo.calcola_per_quartiere(dal, al, quartieri)
    singole = {q.pk: modulo.calcola(dal, al, [q]) for q in quartieri}
    assert raggruppate == singole
    # Key order too: the JSON and the tables print the keys in this order.
    for pk, figure in singole.items():
        assert list(raggruppate[pk]) == list(figure)


def test_per_quartiere_i_dati_distinguono_i_quartieri(dati_vari):
    # Guard for the test above: equal answers must not come from identical quartieri.
    modulo = importlib.import_module("segnalazioni.indicators")
    quartieri = list(Quartiere.objects.order_by("codice"))
    raggruppate = modulo.calcola_per_quartiere(DAL, AL, quartieri)
    ricevute = {q.codice: raggruppate[q.pk]["ricevute"] for q in quartieri}
    # The housing problems forwarded to the gestore are reports too: 3 per copy.
    assert ricevute == {"gratosoglio": 12, "lorenteggio": 3, "ponte-lambro": 0, "san-siro": 3}


@pytest.mark.parametrize("sezione", moduli_con("calcola_per_quartiere"))
def test_per_quartiere_query_costanti(dati_vari, sezione):
    modulo = modulo_indicatori(f"{sezione}.indicators")
    tutti = list(Quartiere.objects.order_by("codice"))
    uno = conta(lambda: modulo.calcola_per_quartiere(DAL, AL, tutti[:1]))
    assert conta(lambda: modulo.calcola_per_quartiere(DAL, AL, tutti)) == uno
    # One aggregate per table the section reads (housing reads eight), never per quartiere.
    assert uno <= QUERY_PER_SEZIONE.get(sezione, 3)


@pytest.mark.parametrize("sezione", moduli_con("calcola_andamento"))
@pytest.mark.parametrize(
    ("dal", "al"),
    [
        (DAL, AL),  # 12 months
        (datetime.date(2024, 1, 1), datetime.date(2025, 12, 31)),  # 8 quarters
        (datetime.date(2025, 3, 1), datetime.date(2025, 4, 30)),  # 9 weeks
        (datetime.date(2025, 3, 5), datetime.date(2025, 3, 12)),  # 8 days
    ],
)
@pytest.mark.parametrize("codici", [None, ["san-siro"], ["gratosoglio", "lorenteggio"]])
def test_andamento_uguale_alle_chiamate_per_fetta(dati_vari, sezione, dal, al, codici):
    modulo = modulo_indicatori(f"{sezione}.indicators")
    quartieri = None if codici is None else list(Quartiere.objects.filter(codice__in=codici))
    fette = suddividi(dal, al)
    punti = modulo.calcola_andamento([(f.dal, f.al) for f in fette], quartieri)
    attesi = [
        {k: modulo.calcola(f.dal, f.al, quartieri)[k] for k in SERIE_ANDAMENTO[sezione]}
        for f in fette
    ]
    assert [{k: p[k] for k in SERIE_ANDAMENTO[sezione]} for p in punti] == attesi


def test_andamento_i_dati_cambiano_da_un_mese_all_altro(dati_vari):
    # Guard for the test above: the months of 2025 are not all equal.
    modulo = importlib.import_module("segnalazioni.indicators")
    fette = suddividi(DAL, AL)
    ricevute = [p["ricevute"] for p in modulo.calcola_andamento([(f.dal, f.al) for f in fette])]
    # San Siro's reports, and the housing problems of March, May and June (3 copies).
    assert ricevute == [0, 3, 6, 3, 3, 3, 0, 0, 0, 0, 0, 0]


@pytest.mark.parametrize("sezione", moduli_con("calcola_andamento"))
def test_andamento_query_costanti_con_il_numero_di_fette(dati_vari, sezione):
    modulo = modulo_indicatori(f"{sezione}.indicators")
    due = [(f.dal, f.al) for f in suddividi(DAL, datetime.date(2025, 1, 2))]
    dodici = [(f.dal, f.al) for f in suddividi(DAL, AL)]
    assert len(due) == 2 and len(dodici) == 12
    assert conta(lambda: modulo.calcola_andamento(dodici)) == conta(
        lambda: modulo.calcola_andamento(due)
    )


def test_tabella_per_quartiere_uguale_alle_chiamate_singole(dati_vari):
    from quartiere.relazioni.figure import componi, sezioni_disponibili

    moduli = sezioni_disponibili()
    quartieri = list(Quartiere.objects.order_by("codice"))
    per_q = figure_per_quartiere(DAL, AL, quartieri, moduli)
    assert [q for q, _f in per_q] == quartieri
    for q, figure in per_q:
        attese = componi(DAL, AL, [q], moduli, tutti=False)
        assert figure == attese
        for sezione in SEZIONI:
            if attese[sezione] is not None:
                assert list(figure[sezione]) == list(attese[sezione])


def test_relazione_query_costanti_con_il_numero_di_quartieri(dati_vari):
    tutti = list(Quartiere.objects.order_by("codice"))

    def relazione(quartieri):
        return lambda: prepara(DAL, AL, quartieri, per_stampa=True)

    assert conta(relazione(tutti[:2])) == conta(relazione(tutti))


def test_andamento_dei_laboratori_rifiuta_fette_sovrapposte(dati_vari):
    # Each meeting is grouped under one slice: overlapping slices would lose counts.
    modulo = importlib.import_module("laboratori.indicators")
    with pytest.raises(ValueError, match="overlap"):
        modulo.calcola_andamento(
            [(DAL, datetime.date(2025, 6, 30)), (datetime.date(2025, 6, 1), AL)]
        )
