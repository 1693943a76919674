"""One rule for a hall, held by the database (quartiere.calendario.models.Occupazione):
whatever writes the rows — a service, the ORM, a queryset update, plain SQL, two
transactions at once — a bookable Sede is never taken twice at the same time."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from django.db import IntegrityError, connection, transaction

from laboratori.models import Incontro, Laboratorio
from quartiere.calendario.models import Occupazione, Prenotazione
from quartiere.calendario.services import ConflittoPrenotazione, sala_libera
from tests.calendario.factories import PrenotazioneFactory, SalaFactory, alle, domani
from tests.factories import SedeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def giorno():
    return domani() + timedelta(days=3)


def _rifiutata():
    return pytest.raises(IntegrityError, match="sala occupata")


def test_due_prenotazioni_confermate_sovrapposte_rifiutate_anche_senza_servizi(sala, giorno):
    PrenotazioneFactory(sede=sala, inizio=alle(giorno, 18), fine=alle(giorno, 20))
    with _rifiutata(), transaction.atomic():
        PrenotazioneFactory(sede=sala, inizio=alle(giorno, 19), fine=alle(giorno, 21))
    # Back to back is not an overlap; a request or a refusal takes no hall.
    PrenotazioneFactory(sede=sala, inizio=alle(giorno, 20), fine=alle(giorno, 22))
    PrenotazioneFactory(sede=sala, stato="richiesta", inizio=alle(giorno, 18))
    PrenotazioneFactory(sede=sala, stato="rifiutata", inizio=alle(giorno, 18))


def test_un_incontro_sopra_una_prenotazione_rifiutato_dall_orm_e_dall_sql(
    sala, laboratorio, giorno
):
    PrenotazioneFactory(sede=sala, inizio=alle(giorno, 18), fine=alle(giorno, 20))
    with _rifiutata(), transaction.atomic():
        Incontro.objects.create(laboratorio=laboratorio, sede=sala, inizio=alle(giorno, 17))
    libero = Incontro.objects.create(laboratorio=laboratorio, sede=sala, inizio=alle(giorno, 8))
    # A queryset update skips save() and the forms: the database still refuses it.
    with _rifiutata(), transaction.atomic():
        Incontro.objects.filter(pk=libero.pk).update(inizio=alle(giorno, 19))
    with _rifiutata(), transaction.atomic(), connection.cursor() as cur:
        cur.execute(
            "UPDATE laboratori_incontro SET inizio = %s, fine = NULL WHERE id = %s",
            [alle(giorno, 17), libero.pk],
        )
    libero.refresh_from_db()
    assert libero.inizio == alle(giorno, 8)


def test_senza_fine_un_incontro_tiene_la_sala_due_ore(sala, laboratorio, giorno):
    Incontro.objects.create(laboratorio=laboratorio, sede=sala, inizio=alle(giorno, 10))
    with _rifiutata(), transaction.atomic():
        PrenotazioneFactory(sede=sala, inizio=alle(giorno, 11, 30), fine=alle(giorno, 13))
    PrenotazioneFactory(sede=sala, inizio=alle(giorno, 12), fine=alle(giorno, 13))


def test_annullare_spostare_o_cancellare_libera_la_sala(sala, laboratorio, giorno):
    incontro = Incontro.objects.create(
        laboratorio=laboratorio, sede=sala, inizio=alle(giorno, 10), fine=alle(giorno, 12)
    )
    assert Occupazione.objects.filter(origine="laboratori.incontro").count() == 1
    Incontro.objects.filter(pk=incontro.pk).update(stato="annullato")
    assert not Occupazione.objects.exists()
    # Scheduled again: it takes the hall back, and keeps it from a booking.
    Incontro.objects.filter(pk=incontro.pk).update(stato="programmato")
    with _rifiutata(), transaction.atomic():
        PrenotazioneFactory(sede=sala, inizio=alle(giorno, 11))
    altra = SalaFactory(nome="Sala piccola")
    Incontro.objects.filter(pk=incontro.pk).update(sede=altra)
    prenotazione = PrenotazioneFactory(sede=sala, inizio=alle(giorno, 11))
    Incontro.objects.filter(pk=incontro.pk).delete()
    prenotazione.delete()
    assert not Occupazione.objects.exists()


def test_una_sede_non_prenotabile_non_e_controllata(laboratorio, giorno):
    ufficio = SedeFactory(nome="Ufficio", prenotabile=False)
    Incontro.objects.create(laboratorio=laboratorio, sede=ufficio, inizio=alle(giorno, 10))
    Incontro.objects.create(laboratorio=laboratorio, sede=ufficio, inizio=alle(giorno, 10))
    assert Occupazione.objects.filter(sede=ufficio).count() == 2


def test_il_rifiuto_del_database_nomina_cosa_occupa_la_sala(sala, laboratorio, giorno):
    Incontro.objects.create(
        laboratorio=laboratorio,
        titolo="Mappa del cortile",
        sede=sala,
        inizio=alle(giorno, 18),
        fine=alle(giorno, 20),
    )
    with pytest.raises(ConflittoPrenotazione, match="«Mappa del cortile»"), sala_libera():
        PrenotazioneFactory(sede=sala, inizio=alle(giorno, 19))
    assert not Prenotazione.objects.exists()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_due_transazioni_che_prendono_la_stessa_ora_una_sola_riesce():
    """No service, no lock taken by the code: two transactions write overlapping rows at
    the same moment and hold them open; the second waits on the first and then fails."""
    from quartiere.territorio.models import Quartiere

    sala = SalaFactory()
    giorno = domani() + timedelta(days=5)
    quartiere = Quartiere.objects.create(nome="Quartiere della gara", codice="gara-db")
    laboratorio = Laboratorio.objects.create(titolo="Lab", quartiere=quartiere, data_inizio=giorno)
    partenza = threading.Barrier(2)
    esiti: dict[str, str] = {}

    def scrivi(nome, crea):
        try:
            partenza.wait(timeout=10)
            with transaction.atomic():
                crea()
                # Keep the transaction open while the other one tries.
                with connection.cursor() as cur:
                    cur.execute("SELECT pg_sleep(0.5)")
            esiti[nome] = "scritto"
        except IntegrityError:
            esiti[nome] = "rifiutato"
        except Exception as exc:  # noqa: BLE001 - reported by the assertion below
            esiti[nome] = repr(exc)
        finally:
            connection.close()

    fili = [
        threading.Thread(
            target=scrivi,
            args=(
                "prenotazione",
                lambda: PrenotazioneFactory(
                    sede=sala, inizio=alle(giorno, 18), fine=alle(giorno, 20)
                ),
            ),
        ),
        threading.Thread(
            target=scrivi,
            args=(
                "incontro",
                lambda: Incontro.objects.create(
                    laboratorio=laboratorio, sede=sala, inizio=alle(giorno, 19)
                ),
            ),
        ),
    ]
    for filo in fili:
        filo.start()
    for filo in fili:
        filo.join(timeout=30)
    assert sorted(esiti.values()) == ["rifiutato", "scritto"], esiti
    assert Occupazione.objects.filter(sede=sala).count() == 1
