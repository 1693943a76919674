"""Dossier numbers per year, without gaps or duplicates, even when several are opened
at the same moment from different connections."""

import datetime
import threading

import pytest
from django.db import connection, connections, transaction

from mediazione import services
from mediazione.models import Dossier
from tests import factories as core

ANNO = datetime.date.today().year


def _apri(utente, quartiere, risultati, errori, barriera):
    try:
        barriera.wait(timeout=10)
        for _ in range(5):
            d = services.apri_dossier(
                da=utente,
                quartiere=quartiere,
                tipo_conflitto="rumori",
                canale_arrivo="accesso_diretto",
            )
            risultati.append(d.numero)
    except Exception as exc:  # noqa: BLE001 - reported to the main thread
        errori.append(exc)
    finally:
        connections.close_all()


@pytest.mark.django_db(transaction=True)
def test_aperture_simultanee_senza_buchi_ne_doppioni():
    quartiere = core.QuartiereFactory(codice="san-siro", nome="San Siro")
    utente = core.utente("mediatore", "mediatore.concorrente")
    risultati, errori = [], []
    barriera = threading.Barrier(4)
    fili = [
        threading.Thread(target=_apri, args=(utente, quartiere, risultati, errori, barriera))
        for _ in range(4)
    ]
    for f in fili:
        f.start()
    for f in fili:
        f.join(timeout=60)
    assert not errori, errori
    attesi = [f"MED-{ANNO}-{n:04d}" for n in range(1, 21)]
    assert sorted(risultati) == attesi
    assert sorted(Dossier.objects.values_list("numero", flat=True)) == attesi


@pytest.mark.django_db(transaction=True)
def test_il_secondo_aspetta_il_primo_e_un_annullamento_non_lascia_buchi():
    """Connection A takes a number and holds the lock; B, on another connection, waits;
    A rolls back; B gets the number A gave back."""
    quartiere = core.QuartiereFactory(codice="gratosoglio", nome="Gratosoglio")
    utente = core.utente("mediatore", "mediatore.attesa")
    preso = threading.Event()
    rilascia = threading.Event()
    numeri = {}

    def primo():
        try:
            with transaction.atomic():
                numeri["a"] = services.apri_dossier(
                    da=utente,
                    quartiere=quartiere,
                    tipo_conflitto="odori",
                    canale_arrivo="altro_servizio",
                ).numero
                preso.set()
                rilascia.wait(timeout=10)
                raise RuntimeError("annullato")
        except RuntimeError:
            pass
        finally:
            connections.close_all()

    def secondo():
        try:
            preso.wait(timeout=10)
            numeri["b"] = services.apri_dossier(
                da=utente,
                quartiere=quartiere,
                tipo_conflitto="odori",
                canale_arrivo="altro_servizio",
            ).numero
        finally:
            connections.close_all()

    a, b = threading.Thread(target=primo), threading.Thread(target=secondo)
    a.start()
    b.start()
    preso.wait(timeout=10)
    b.join(timeout=1)
    assert b.is_alive(), "the second opening must wait for the lock"
    rilascia.set()
    a.join(timeout=10)
    b.join(timeout=10)
    assert numeri == {"a": f"MED-{ANNO}-0001", "b": f"MED-{ANNO}-0001"}
    assert list(Dossier.objects.values_list("numero", flat=True)) == [f"MED-{ANNO}-0001"]
    connection.close()
