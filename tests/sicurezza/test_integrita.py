"""A failure halfway through a multi-step write leaves nothing half-written (issue 9).

Each case breaks the last step of a service (the timeline entry of a new report, the
status history of a pact, the access log of a new dossier) with a database error and
checks that the earlier steps were rolled back with it. The failed e-mail that must not
lose the report is tests/segnalazioni/test_lavoro.py::test_email_fallita_visibile_e_reinviabile.
"""

from __future__ import annotations

import datetime

import pytest
from django.db import DatabaseError

from mediazione import services as servizi_mediazione
from mediazione.models import ContatoreDossier, Dossier
from patti import services as servizi_patti
from patti.models import PassaggioStato, Patto, StatoPatto
from segnalazioni import services as servizi_segnalazioni
from segnalazioni.models import Evento, Segnalazione
from tests.patti import factories as f
from tests.segnalazioni.factories import CategoriaFactory

pytestmark = pytest.mark.django_db


def _guasto(*args, **kwargs):
    raise DatabaseError("guasto simulato")


def _dati_segnalazione(san_siro) -> dict:
    return dict(
        categoria=CategoriaFactory(),
        quartiere=san_siro,
        oggetto="Buca",
        descrizione="In via Abbiati",
        indirizzo="via Abbiati 4",
        consenso_privacy=True,
    )


@pytest.mark.django_db(transaction=True)
def test_una_segnalazione_senza_la_sua_prima_voce_non_resta(monkeypatch, san_siro):
    # The timeline entry is the last row saved when a report is filed: a type its CHECK
    # constraint refuses breaks it. Outside a test transaction, as in production, where
    # rows saved one by one would each commit without the service's atomic().
    originale = servizi_segnalazioni._nuovo_evento

    def evento_rifiutato(*args, **kwargs):
        evento = originale(*args, **kwargs)
        evento.tipo = "sconosciuto"
        return evento

    monkeypatch.setattr(servizi_segnalazioni, "_nuovo_evento", evento_rifiutato)
    with pytest.raises(DatabaseError):
        servizi_segnalazioni.crea_segnalazione(dati=_dati_segnalazione(san_siro))
    assert not Segnalazione.objects.exists()
    assert not Segnalazione.history.exists()
    assert not Evento.objects.exists()


def test_una_segnalazione_senza_il_suo_allegato_non_resta(monkeypatch, san_siro):
    monkeypatch.setattr(servizi_segnalazioni.gestione_allegati, "crea_allegato", _guasto)
    with pytest.raises(DatabaseError):
        servizi_segnalazioni.crea_segnalazione(
            dati=_dati_segnalazione(san_siro), allegati=[object()]
        )
    assert not Segnalazione.objects.exists()
    assert not Segnalazione.history.exists()
    assert not Evento.objects.exists()


def test_un_cambio_di_stato_del_patto_senza_storia_non_resta(monkeypatch, san_siro, coordinatore):
    patto = f.PattoFactory(quartiere=san_siro, stato=StatoPatto.PROPOSTA)
    prima = (patto.stato, patto.versione, patto.history.count())
    monkeypatch.setattr(PassaggioStato.objects, "create", _guasto)
    with pytest.raises(DatabaseError):
        servizi_patti.cambia_stato(patto, StatoPatto.ISTRUTTORIA, da=coordinatore)
    salvato = Patto.objects.get(pk=patto.pk)
    assert (salvato.stato, salvato.versione, salvato.history.count()) == prima


def test_un_dossier_senza_registro_degli_accessi_non_resta(monkeypatch, san_siro, mediatore):
    monkeypatch.setattr(servizi_mediazione, "registra_accesso", _guasto)
    with pytest.raises(DatabaseError):
        servizi_mediazione.apri_dossier(
            da=mediatore,
            quartiere=san_siro,
            tipo_conflitto="animali",
            canale_arrivo="polizia_locale",
            mediatori=[],
            aperto_il=datetime.date(2026, 3, 1),
        )
    assert not Dossier.objects.exists()
    # The yearly counter was not advanced: the next dossier takes number 1.
    assert not ContatoreDossier.objects.filter(anno=2026, ultimo__gt=0).exists()
