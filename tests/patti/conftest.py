"""Fixtures of the pacts' tests: factories and a small signed pact with every kind of party."""

from __future__ import annotations

import datetime

import pytest
from pytest_factoryboy import register

from tests.patti import factories as f

register(f.PattoFactory)
register(f.PattoFirmatoFactory)
register(f.FirmatarioComuneFactory)
register(f.FirmatarioOrganizzazioneFactory)
register(f.FirmatarioVolontarioFactory)
register(f.ImpegnoFactory)
register(f.ProgettoFactory)
register(f.IndicatoreFactory)


@pytest.fixture
def patto_san_siro(san_siro):
    """A signed San Siro pact: the Comune, an association and a volunteer who did not
    consent to publication."""
    from tests.factories import OrganizzazioneFactory, PersonaFactory

    patto = f.PattoFirmatoFactory(quartiere=san_siro, titolo="Orti del cortile di via Abbiati")
    f.FirmatarioComuneFactory(patto=patto)
    associazione = OrganizzazioneFactory(nome="Associazione Inquilini San Siro", quartiere=san_siro)
    firmatario = f.FirmatarioOrganizzazioneFactory(patto=patto, organizzazione=associazione)
    f.ImpegnoFactory(firmatario=firmatario, descrizione="Aprire l'orto il sabato mattina")
    volontaria = PersonaFactory(nome="Giuseppina", cognome="Riservatissima", quartiere=san_siro)
    f.FirmatarioVolontarioFactory(patto=patto, persona=volontaria)
    f.ProgettoFactory(patto=patto, titolo="Orto didattico", budget="2500.00")
    return patto


@pytest.fixture
def patto_gratosoglio(gratosoglio):
    patto = f.PattoFirmatoFactory(quartiere=gratosoglio, titolo="Murales del sottopasso")
    f.FirmatarioComuneFactory(patto=patto)
    f.FirmatarioOrganizzazioneFactory(patto=patto, organizzazione__quartiere=gratosoglio)
    return patto


@pytest.fixture
def sigillato(patto_san_siro, coordinatore):
    """The San Siro pact taken through approval and signature by the workflow."""
    from patti import services
    from patti.models import Patto
    from patti.models import StatoPatto as S

    Patto.objects.filter(pk=patto_san_siro.pk).update(
        stato=S.APPROVATO,
        data_firma=None,
        atto_tipo="determina",
        atto_numero="DD 12",
        atto_data=datetime.date(2026, 3, 1),
    )
    patto_san_siro.refresh_from_db()
    return services.cambia_stato(
        patto_san_siro, S.FIRMATO, da=coordinatore, data_firma=datetime.date(2026, 3, 10)
    )
