"""Fixtures of the labs: one lab with a meeting in San Siro, one in Gratosoglio."""

from __future__ import annotations

import pytest
from pytest_factoryboy import register

from tests.factories import OrganizzazioneFactory, PersonaFactory
from tests.laboratori import factories

register(factories.LaboratorioFactory)
register(factories.IncontroFactory)
register(factories.PresenzaFactory)
register(factories.PropostaFactory)


@pytest.fixture
def lab_san_siro(san_siro, operatore):
    lab = factories.LaboratorioFactory(titolo="Cortili di San Siro", quartiere=san_siro)
    lab.facilitatori.add(operatore)
    return lab


@pytest.fixture
def lab_gratosoglio(gratosoglio, operatore_gratosoglio):
    lab = factories.LaboratorioFactory(titolo="Torri di Gratosoglio", quartiere=gratosoglio)
    lab.facilitatori.add(operatore_gratosoglio)
    return lab


@pytest.fixture
def incontro_san_siro(lab_san_siro):
    return factories.IncontroFactory(
        laboratorio=lab_san_siro,
        titolo="Primo incontro",
        ordine_del_giorno="1. Presentazioni",
        verbale="Si discute dei cortili.",
    )


@pytest.fixture
def incontro_gratosoglio(lab_gratosoglio):
    return factories.IncontroFactory(laboratorio=lab_gratosoglio, titolo="Incontro alle torri")


@pytest.fixture
def residente(san_siro):
    return PersonaFactory(nome="Giulia", cognome="Rossi", quartiere=san_siro)


@pytest.fixture
def associazione(san_siro):
    return OrganizzazioneFactory(nome="Associazione Inquilini San Siro", quartiere=san_siro)
