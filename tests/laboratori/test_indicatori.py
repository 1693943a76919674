"""The labs' indicators against a dataset computed by hand (see docs/indicatori.md)."""

from datetime import date, datetime

import pytest
from django.utils import timezone

from laboratori.indicators import calcola, calcola_andamento
from laboratori.models import Presenza
from quartiere.territorio.models import Quartiere
from tests.factories import OrganizzazioneFactory, PersonaFactory
from tests.laboratori.factories import IncontroFactory, LaboratorioFactory

pytestmark = pytest.mark.django_db

DAL, AL = date(2025, 3, 1), date(2025, 3, 31)


def _alle(anno, mese, giorno, ora=18, minuti=0):
    return timezone.make_aware(datetime(anno, mese, giorno, ora, minuti))


@pytest.fixture
def dati(san_siro, gratosoglio):
    p = {i: PersonaFactory(quartiere=san_siro) for i in range(1, 9)}
    o1 = OrganizzazioneFactory(quartiere=san_siro)
    o2 = OrganizzazioneFactory(quartiere=gratosoglio)

    a = LaboratorioFactory(quartiere=san_siro, data_inizio=date(2025, 1, 1))
    # Ended before the period.
    LaboratorioFactory(
        quartiere=gratosoglio, data_inizio=date(2025, 2, 1), data_fine=date(2025, 2, 28)
    )
    # Suspended, nothing held in the period: not active.
    c = LaboratorioFactory(quartiere=san_siro, data_inizio=date(2025, 1, 1), stato="sospeso")
    # Suspended but a meeting held in the period: active.
    d = LaboratorioFactory(quartiere=gratosoglio, data_inizio=date(2025, 1, 1), stato="sospeso")
    # Starts after the period.
    LaboratorioFactory(quartiere=san_siro, data_inizio=date(2025, 4, 1))
    # Concluded on the first day of the period: it was active then.
    f = LaboratorioFactory(
        quartiere=san_siro,
        data_inizio=date(2024, 1, 1),
        data_fine=date(2025, 3, 1),
        stato="concluso",
    )

    def incontro(lab, quando, stato="svolto", presenti=()):
        inc = IncontroFactory(laboratorio=lab, inizio=quando, stato=stato)
        for persona, org in presenti:
            # Written directly: the indicators must not trust the services to filter.
            Presenza.objects.create(incontro=inc, persona=persona, organizzazione=org)
        return inc

    incontro(a, _alle(2025, 3, 5), presenti=[(p[1], None), (p[2], None), (p[3], o1), (None, o2)])
    incontro(a, _alle(2025, 3, 20), presenti=[(p[1], None), (p[2], o1)])
    incontro(a, _alle(2025, 3, 25), stato="annullato", presenti=[(p[4], None)])
    incontro(a, _alle(2025, 4, 2), presenti=[(p[1], None), (p[5], None)])
    incontro(a, _alle(2025, 3, 28), stato="programmato", presenti=[(p[6], None)])
    incontro(d, _alle(2025, 3, 10), presenti=[(p[1], None), (p[7], None)])
    # Local-day boundaries (Europe/Rome): in on the last evening and the first night,
    # out on the night before the period.
    incontro(a, _alle(2025, 3, 31, 23, 30))
    incontro(a, _alle(2025, 3, 1, 0, 30), presenti=[(p[8], None)])
    incontro(a, _alle(2025, 2, 28, 23, 30), presenti=[(p[5], o2)])
    incontro(c, _alle(2025, 2, 10), presenti=[(p[5], None)])
    return {"f": f}


def test_tutti_i_quartieri(dati):
    assert calcola(DAL, AL, None) == {
        "laboratori_attivi": 3,  # a, d, f
        "incontri_svolti": 5,
        "presenze": 9,
        "partecipanti_unici": 5,  # p1, p2, p3, p7, p8
        "organizzazioni_coinvolte": 2,
        "gruppi_pilota_attivi": 0,
        "aderenti_gruppi": 0,
    }


def test_un_quartiere(dati, san_siro, gratosoglio):
    assert calcola(DAL, AL, [san_siro]) == {
        "laboratori_attivi": 2,
        "incontri_svolti": 4,
        "presenze": 7,
        "partecipanti_unici": 4,
        "organizzazioni_coinvolte": 2,
        "gruppi_pilota_attivi": 0,
        "aderenti_gruppi": 0,
    }
    assert calcola(DAL, AL, [gratosoglio.pk]) == {
        "laboratori_attivi": 1,
        "incontri_svolti": 1,
        "presenze": 2,
        "partecipanti_unici": 2,
        "organizzazioni_coinvolte": 0,
        "gruppi_pilota_attivi": 0,
        "aderenti_gruppi": 0,
    }


def test_quartieri_come_queryset_e_insieme_vuoto(dati, san_siro):
    tutti = calcola(DAL, AL, Quartiere.objects.all())
    assert tutti == calcola(DAL, AL, None)
    assert set(calcola(DAL, AL, []).values()) == {0}


def test_un_giorno_solo(dati):
    cifre = calcola(date(2025, 3, 5), date(2025, 3, 5), None)
    assert cifre["incontri_svolti"] == 1
    assert cifre["presenze"] == 4
    assert cifre["partecipanti_unici"] == 3
    # a is open; d is suspended with nothing held that day; f ended on 1 March.
    assert cifre["laboratori_attivi"] == 1


def test_numero_di_query_fisso(dati, django_assert_num_queries):
    with django_assert_num_queries(2):
        calcola(DAL, AL, None)
    with django_assert_num_queries(2):
        calcola(DAL, AL, Quartiere.objects.filter(codice="san-siro"))


def test_andamento_rispetta_i_confini_del_giorno_locale(dati):
    # 1 March 00:30 in Rome is still 28 February in UTC; 31 March 23:30 is 31 March.
    fette = [
        (date(2025, 2, 1), date(2025, 2, 28)),
        (DAL, AL),
        (date(2025, 4, 1), date(2025, 4, 30)),
    ]
    punti = calcola_andamento(fette)
    assert [p["incontri_svolti"] for p in punti] == [2, 5, 1]
    serie = ("incontri_svolti", "presenze", "partecipanti_unici")
    assert punti == [{k: calcola(dal, al)[k] for k in serie} for dal, al in fette]
