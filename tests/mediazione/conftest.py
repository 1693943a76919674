"""Fixtures of the mediation tests: a dossier assigned to the cast's ``mediatore``, with
parties, a confidential note and an agreement; another mediator's dossier."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone
from pytest_factoryboy import register

from mediazione import services
from mediazione.models import Accordo, Parte
from tests import factories as core
from tests.mediazione.factories import AttivitaFactory, DossierFactory, ParteFactory

register(DossierFactory)
register(ParteFactory)
register(AttivitaFactory)

NOTA_RISERVATA = "Confida una diagnosi di depressione: non dirlo al vicino."


@pytest.fixture
def altro_mediatore(quartieri):
    return core.utente("mediatore", "mediatore.due")


@pytest.fixture
def dossier(mediatore, san_siro):
    """An open dossier of San Siro assigned to ``mediatore``, with two parties, a separate
    session marked not to be shared and an agreement."""
    oggi = timezone.localdate()
    d = DossierFactory(
        creato_da=mediatore, quartiere=san_siro, aperto_il=oggi - datetime.timedelta(days=40)
    )
    richiedente = services.aggiungi_parte(
        d,
        da=mediatore,
        persona=core.PersonaFactory(nome="Giovanna", cognome="Segreti", quartiere=san_siro),
        ruolo=Parte.Ruolo.RICHIEDENTE,
        consenso_mediazione=True,
        consenso_data=d.aperto_il,
        note="Vive sola, 82 anni.",
    )
    controparte = services.aggiungi_parte(
        d,
        da=mediatore,
        persona=core.PersonaFactory(nome="Bruno", cognome="Rumorosi", quartiere=san_siro),
        ruolo=Parte.Ruolo.CONTROPARTE,
    )
    services.registra_attivita(
        d,
        da=mediatore,
        tipo="colloquio_individuale",
        data=d.aperto_il + datetime.timedelta(days=2),
        durata_minuti=45,
        partecipanti=[richiedente],
        note=NOTA_RISERVATA,
        non_condividere=True,
    )
    services.registra_attivita(
        d,
        da=mediatore,
        tipo="incontro_congiunto",
        data=d.aperto_il + datetime.timedelta(days=10),
        durata_minuti=90,
        partecipanti=[richiedente, controparte],
        note="Le parti si sono parlate.",
    )
    accordo = Accordo.objects.create(
        dossier=d,
        testo="Silenzio dopo le 22.",
        data=d.aperto_il + datetime.timedelta(days=10),
        data_verifica=oggi - datetime.timedelta(days=1),
    )
    accordo.parti_aderenti.set([richiedente, controparte])
    d.refresh_from_db()
    return d


@pytest.fixture
def dossier_altrui(altro_mediatore, gratosoglio):
    return DossierFactory(
        creato_da=altro_mediatore,
        quartiere=gratosoglio,
        descrizione="Caso riservato di un altro mediatore.",
    )


@pytest.fixture(autouse=True)
def _oggi_di_ogni_test(request, monkeypatch):
    """Modules that name today ``OGGI`` (and a year back ``DAL``) get it at each test, not at
    import: a run that crossed midnight in Europe/Rome compared the import's day with the
    day the services stamp (four tests failed at 23:00 UTC)."""
    modulo = request.module
    if hasattr(modulo, "OGGI"):
        oggi = timezone.localdate()
        monkeypatch.setattr(modulo, "OGGI", oggi)
        if hasattr(modulo, "DAL"):
            monkeypatch.setattr(modulo, "DAL", oggi - datetime.timedelta(days=365))
