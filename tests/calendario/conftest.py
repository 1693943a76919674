"""Fixtures of the calendar and diary tests: a bookable hall without quartiere (like the
Latina one), an office per quartiere of the cast, factories as fixtures."""

from __future__ import annotations

import pytest
from pytest_factoryboy import register

from tests.calendario import factories
from tests.factories import SedeFactory

register(factories.PrenotazioneFactory)
register(factories.AttivitaDiarioFactory)


@pytest.fixture
def sala(db):
    return factories.SalaFactory(
        nome="Sala della Città condivisa", indirizzo="Viale XVIII Dicembre 124"
    )


@pytest.fixture
def ufficio_san_siro(san_siro):
    return SedeFactory(nome="Laboratorio di Quartiere San Siro", quartiere=san_siro)


@pytest.fixture
def ufficio_gratosoglio(gratosoglio):
    return SedeFactory(nome="Laboratorio di Quartiere Gratosoglio", quartiere=gratosoglio)


@pytest.fixture
def laboratorio(san_siro):
    from datetime import date

    from laboratori.models import Laboratorio

    return Laboratorio.objects.create(
        titolo="Il cortile di via Abbiati", quartiere=san_siro, data_inizio=date(2026, 1, 1)
    )
