"""A lab meeting takes a bookable hall like a confirmed booking: it cannot be put where
the hall is already taken, from the staff pages or the admin, and a meeting and a
booking confirmed at the same moment cannot both take the same slot."""

from __future__ import annotations

import threading
import time

import pytest
from django.db import connection
from django.urls import reverse

from laboratori.models import Incontro, Laboratorio
from quartiere.calendario import services as services_calendario
from quartiere.calendario.models import Prenotazione
from quartiere.calendario.services import ConflittoPrenotazione, conferma_prenotazione
from quartiere.lib.errori import ErroreDominio
from tests.calendario.factories import PrenotazioneFactory, SalaFactory, alle, domani
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _dati(sede, inizio, fine, **extra):
    dati = {
        "titolo": "Mappa del cortile",
        "inizio": inizio.strftime("%Y-%m-%dT%H:%M"),
        "fine": fine.strftime("%Y-%m-%dT%H:%M"),
        "sede": sede.pk,
        "luogo": "",
        "ordine_del_giorno": "",
        "verbale": "",
    }
    dati.update(extra)
    return dati


@pytest.fixture
def giorno():
    return domani()


@pytest.fixture
def coro(sala, giorno):
    return PrenotazioneFactory(sede=sala, titolo="Coro", inizio=alle(giorno, 18))


def _nuovo(client_di, operatore, laboratorio, dati):
    url = reverse("laboratori:incontro_nuovo", args=[laboratorio.pk])
    return client_di(operatore).post(url, dati)


def test_un_incontro_sopra_una_prenotazione_confermata_e_rifiutato(
    client_di, operatore, laboratorio, sala, coro, giorno
):
    dati = _dati(sala, alle(giorno, 19), alle(giorno, 21))
    risposta = _nuovo(client_di, operatore, laboratorio, dati)
    assert risposta.status_code == 200
    testo = risposta.content.decode()
    assert "La sala è già occupata" in testo
    assert "«Coro»" in testo
    assert not Incontro.objects.exists()


def test_due_incontri_nella_stessa_sala_alla_stessa_ora(
    client_di, operatore, laboratorio, sala, giorno
):
    Incontro.objects.create(
        laboratorio=laboratorio, titolo="Primo", sede=sala, inizio=alle(giorno, 17)
    )  # no end: two hours by default
    risposta = _nuovo(
        client_di, operatore, laboratorio, _dati(sala, alle(giorno, 18), alle(giorno, 20))
    )
    assert "dall&#x27;incontro «Primo»" in risposta.content.decode()
    assert Incontro.objects.count() == 1
    # From 19:00 the hall is free again.
    risposta = _nuovo(
        client_di, operatore, laboratorio, _dati(sala, alle(giorno, 19), alle(giorno, 20))
    )
    assert risposta.status_code == 302
    assert Incontro.objects.count() == 2


def test_un_ufficio_non_prenotabile_non_si_controlla(
    client_di, operatore, laboratorio, ufficio_san_siro, giorno
):
    PrenotazioneFactory(sede=ufficio_san_siro, inizio=alle(giorno, 18))
    dati = _dati(ufficio_san_siro, alle(giorno, 18), alle(giorno, 20))
    assert _nuovo(client_di, operatore, laboratorio, dati).status_code == 302


def test_spostare_un_incontro_sopra_una_prenotazione_e_rifiutato_scrivere_il_verbale_no(
    client_di, operatore, laboratorio, sala, giorno
):
    incontro = Incontro.objects.create(
        laboratorio=laboratorio,
        titolo="Mappa del cortile",
        sede=sala,
        inizio=alle(giorno, 10),
        fine=alle(giorno, 12),
    )
    PrenotazioneFactory(sede=sala, titolo="Coro", inizio=alle(giorno, 12))
    url = reverse("laboratori:incontro_modifica", args=[incontro.pk])
    client = client_di(operatore)
    # The minutes of a meeting whose slot does not change are always saved.
    dati = _dati(sala, alle(giorno, 10), alle(giorno, 12), verbale="Presenti in 12.")
    risposta = client.post(url, {**dati, "versione_letta": incontro.versione})
    assert risposta.status_code == 302
    incontro.refresh_from_db()
    assert incontro.verbale == "Presenti in 12."
    # Moving it onto the booking is refused, and nothing changes.
    dati = _dati(sala, alle(giorno, 12, 30), alle(giorno, 13, 30))
    risposta = client.post(url, {**dati, "versione_letta": incontro.versione})
    assert "«Coro»" in risposta.content.decode()
    incontro.refresh_from_db()
    assert incontro.inizio == alle(giorno, 10)


def test_nell_admin_come_nelle_pagine_di_lavoro(
    client_di, coordinatore, laboratorio, sala, coro, giorno
):
    incontro = Incontro.objects.create(
        laboratorio=laboratorio, titolo="Mappa", sede=sala, inizio=alle(giorno, 10)
    )
    client = client_di(coordinatore)
    url = reverse("admin:laboratori_incontro_change", args=[incontro.pk])
    pagina = client.get(url)
    assert pagina.status_code == 200
    dati = {
        "laboratorio": laboratorio.pk,
        "titolo": "Mappa",
        "inizio_0": giorno.strftime("%d/%m/%Y"),
        "inizio_1": "18:30",
        "fine_0": "",
        "fine_1": "",
        "sede": sala.pk,
        "luogo": "",
        "pubblico": "",
        "ordine_del_giorno": "",
        "verbale": "",
        "versione_letta": incontro.versione,
        "presenze-TOTAL_FORMS": "0",
        "presenze-INITIAL_FORMS": "0",
        "presenze-MIN_NUM_FORMS": "0",
        "presenze-MAX_NUM_FORMS": "1000",
    }
    risposta = client.post(url, dati)
    assert risposta.status_code == 200, risposta
    assert "«Coro»" in risposta.content.decode()
    incontro.refresh_from_db()
    assert incontro.inizio == alle(giorno, 10)


def test_un_servizio_solo_controlla_gli_incontri_salvati_dal_modulo(
    laboratorio, sala, coro, giorno
):
    from laboratori.services import controlla_sala

    with pytest.raises(ErroreDominio, match="Coro"):
        controlla_sala(Incontro(laboratorio=laboratorio, sede=sala, inizio=alle(giorno, 17)))
    annullato = Incontro(
        laboratorio=laboratorio, sede=sala, inizio=alle(giorno, 18), stato="annullato"
    )
    controlla_sala(annullato)  # a cancelled meeting takes no hall


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_un_incontro_e_una_conferma_simultanei_uno_solo_prende_la_sala(monkeypatch):
    from laboratori import services as servizi_laboratori
    from laboratori.forms import IncontroForm
    from quartiere.territorio.models import Quartiere

    sala = SalaFactory()
    giorno = domani()
    quartiere = Quartiere.objects.create(nome="Quartiere della gara", codice="gara")
    laboratorio = Laboratorio.objects.create(titolo="Lab", quartiere=quartiere, data_inizio=giorno)
    richiesta = PrenotazioneFactory(
        sede=sala, stato="richiesta", inizio=alle(giorno, 18), fine=alle(giorno, 20)
    )
    operatore = UserFactory(username="op.gara")

    # Widen the window between "look for overlaps" and "save": without the lock on the
    # hall both transactions would find it free.
    originale = services_calendario.trova_conflitto

    def lenta(*args, **kwargs):
        risultato = originale(*args, **kwargs)
        time.sleep(0.5)
        return risultato

    monkeypatch.setattr(services_calendario, "trova_conflitto", lenta)
    partenza = threading.Barrier(2)
    esiti: dict[str, str] = {}

    def incontro():
        try:
            form = IncontroForm(
                _dati(sala, alle(giorno, 19), alle(giorno, 21)),
                laboratorio=laboratorio,
                instance=Incontro(laboratorio=laboratorio),
            )
            assert form.is_valid(), form.errors
            partenza.wait(timeout=10)
            servizi_laboratori.salva_incontro(form)
            esiti["incontro"] = "salvato"
        except ErroreDominio:
            esiti["incontro"] = "conflitto"
        except Exception as exc:  # noqa: BLE001 - reported by the assertion below
            esiti["incontro"] = repr(exc)
        finally:
            connection.close()

    def conferma():
        try:
            partenza.wait(timeout=10)
            conferma_prenotazione(Prenotazione.objects.get(pk=richiesta.pk), da=operatore)
            esiti["prenotazione"] = "confermata"
        except ConflittoPrenotazione:
            esiti["prenotazione"] = "conflitto"
        except Exception as exc:  # noqa: BLE001 - reported by the assertion below
            esiti["prenotazione"] = repr(exc)
        finally:
            connection.close()

    fili = [threading.Thread(target=incontro), threading.Thread(target=conferma)]
    for filo in fili:
        filo.start()
    for filo in fili:
        filo.join(timeout=30)
    assert set(esiti.values()) in ({"salvato", "conflitto"}, {"confermata", "conflitto"}), esiti
    occupanti = (
        Incontro.objects.filter(sede=sala).count()
        + Prenotazione.objects.filter(sede=sala, stato="confermata").count()
    )
    assert occupanti == 1
