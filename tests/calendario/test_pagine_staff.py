"""The staff calendar pages: requests waiting, conflicts explained, bookings entered."""

from __future__ import annotations

from datetime import timedelta

import pytest

from quartiere.calendario.models import Prenotazione
from quartiere.calendario.services import richiedi_sala
from tests.calendario.factories import PrenotazioneFactory, alle, domani

pytestmark = pytest.mark.django_db


def _serie(sala, settimane):
    giorno = domani()
    return richiedi_sala(
        sede=sala,
        titolo="Teatro per ragazzi",
        descrizione="",
        richiedente_ente="Compagnia di Cortile",
        richiedente_nome="Marco Ricci",
        richiedente_email="marco@example.org",
        richiedente_telefono="",
        inizio=alle(giorno, 16),
        fine=alle(giorno, 18),
        pubblico=True,
        ripeti_fino_al=giorno + timedelta(weeks=settimane - 1),
    )


def test_una_serie_in_attesa_e_una_riga_sola(client_di, operatore, sala):
    _serie(sala, 6)
    risposta = client_di(operatore).get("/lavoro/calendario/")
    [riga] = risposta.context["in_attesa"]
    assert riga.date_serie == 6
    assert "6 date in attesa" in risposta.content.decode()


def test_il_dettaglio_spiega_il_conflitto(client_di, operatore, sala):
    giorno = domani()
    PrenotazioneFactory(sede=sala, titolo="Coro", inizio=alle(giorno, 17), fine=alle(giorno, 19))
    # A request made before "Coro" was confirmed.
    richiesta = PrenotazioneFactory(
        sede=sala, stato="richiesta", inizio=alle(giorno, 16), fine=alle(giorno, 18)
    )
    testo = client_di(operatore).get(f"/lavoro/calendario/{richiesta.pk}/").content.decode()
    assert "già occupata" in testo and "«Coro»" in testo
    risposta = client_di(operatore).post(
        f"/lavoro/calendario/{richiesta.pk}/conferma/", follow=True
    )
    assert "«Coro»" in risposta.content.decode()
    richiesta.refresh_from_db()
    assert richiesta.stato == "richiesta"


def test_conferma_di_tutta_la_serie_dalla_pagina(
    client_di, operatore, sala, mailoutbox, django_capture_on_commit_callbacks
):
    righe = _serie(sala, 3)
    with django_capture_on_commit_callbacks(execute=True):
        risposta = client_di(operatore).post(
            f"/lavoro/calendario/{righe[0].pk}/conferma/", {"tutta_la_serie": "on"}, follow=True
        )
    assert "Prenotazione confermata (3 date)." in risposta.content.decode()
    assert Prenotazione.objects.filter(stato="confermata").count() == 3
    assert len(mailoutbox) == 1  # one message for the whole series
    assert mailoutbox[0].body.count("16:00–18:00") == 3


def test_nuova_prenotazione_dello_staff(client_di, operatore, sala):
    giorno = domani()
    dati = {
        "sede": sala.pk,
        "titolo": "Riunione di rete",
        "data": giorno.isoformat(),
        "ora_inizio": "10:00",
        "ora_fine": "12:00",
        "conferma": "on",
    }
    risposta = client_di(operatore).post("/lavoro/calendario/nuova/", dati)
    assert risposta.status_code == 302
    p = Prenotazione.objects.get()
    assert p.stato == "confermata" and p.organizzatore == operatore and not p.pubblico
    # The same slot again: refused, with the booking in the way.
    risposta = client_di(operatore).post("/lavoro/calendario/nuova/", dati)
    assert risposta.status_code == 200
    assert "«Riunione di rete»" in risposta.content.decode()


def test_operatore_non_prenota_una_sede_fuori_dai_suoi_quartieri(
    client_di, operatore, ufficio_gratosoglio
):
    giorno = domani()
    risposta = client_di(operatore).post(
        "/lavoro/calendario/nuova/",
        {
            "sede": ufficio_gratosoglio.pk,
            "titolo": "X",
            "data": giorno.isoformat(),
            "ora_inizio": "10:00",
            "ora_fine": "11:00",
        },
    )
    assert "sede" in risposta.context["form"].errors
    assert not Prenotazione.objects.exists()
