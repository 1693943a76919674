"""Two operators confirm overlapping requests at the same moment, each on its own
database connection: exactly one succeeds."""

from __future__ import annotations

import threading
import time

import pytest
from django.db import connection

from quartiere.calendario import services as services_calendario
from quartiere.calendario.models import Prenotazione
from quartiere.calendario.services import ConflittoPrenotazione, conferma_prenotazione
from tests.calendario.factories import PrenotazioneFactory, SalaFactory, alle, domani
from tests.factories import UserFactory


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_due_conferme_simultanee_una_sola_riesce(monkeypatch):
    sala = SalaFactory()
    giorno = domani()
    a = PrenotazioneFactory(
        sede=sala, stato="richiesta", inizio=alle(giorno, 18), fine=alle(giorno, 20)
    )
    b = PrenotazioneFactory(
        sede=sala, stato="richiesta", inizio=alle(giorno, 19), fine=alle(giorno, 21)
    )
    operatori = [UserFactory(username="op.uno"), UserFactory(username="op.due")]

    # Widen the window between "look for overlaps" and "save": without the lock on the
    # Sede both transactions would find the hall free and both would confirm.
    originale = services_calendario.trova_conflitto

    def lenta(*args, **kwargs):
        risultato = originale(*args, **kwargs)
        time.sleep(0.5)
        return risultato

    monkeypatch.setattr(services_calendario, "trova_conflitto", lenta)

    partenza = threading.Barrier(2)
    esiti: dict[int, str] = {}

    def conferma(pk: int, operatore):
        try:
            partenza.wait(timeout=10)
            conferma_prenotazione(Prenotazione.objects.get(pk=pk), da=operatore)
            esiti[pk] = "confermata"
        except ConflittoPrenotazione:
            esiti[pk] = "conflitto"
        except Exception as exc:  # noqa: BLE001 - reported by the assertion below
            esiti[pk] = repr(exc)
        finally:
            connection.close()

    fili = [
        threading.Thread(target=conferma, args=(a.pk, operatori[0])),
        threading.Thread(target=conferma, args=(b.pk, operatori[1])),
    ]
    for f in fili:
        f.start()
    for f in fili:
        f.join(timeout=30)

    assert sorted(esiti.values()) == ["confermata", "conflitto"], esiti
    assert Prenotazione.objects.filter(stato="confermata").count() == 1
