"""The iCalendar feeds, read back with ``icalendar``."""

from __future__ import annotations

from datetime import timedelta

import pytest
from icalendar import Calendar

from tests.calendario.factories import PrenotazioneFactory, alle, domani

pytestmark = pytest.mark.django_db


def _leggi(risposta):
    assert risposta.status_code == 200
    assert risposta["Content-Type"].startswith("text/calendar")
    return Calendar.from_ical(risposta.content)


def test_feed_della_sede_solo_eventi_pubblici_confermati(client, sala, laboratorio):
    from laboratori.models import Incontro

    giorno = domani()
    pubblica = PrenotazioneFactory(
        sede=sala,
        titolo="Assemblea di quartiere",
        descrizione="Ingresso libero",
        inizio=alle(giorno, 18),
        fine=alle(giorno, 20),
        richiedente_nome="Anna Verdi",
        richiedente_email="anna@example.org",
    )
    PrenotazioneFactory(
        sede=sala, titolo="Riservata", pubblico=False, inizio=alle(giorno, 9), fine=alle(giorno, 11)
    )
    PrenotazioneFactory(sede=sala, titolo="Da confermare", stato="richiesta")
    PrenotazioneFactory(sede=sala, titolo="Annullata", stato="annullata")
    Incontro.objects.create(
        laboratorio=laboratorio,
        titolo="Mappa del cortile",
        sede=sala,
        inizio=alle(giorno + timedelta(days=1), 17),
        pubblico=True,
    )
    Incontro.objects.create(
        laboratorio=laboratorio,
        titolo="Incontro riservato",
        sede=sala,
        inizio=alle(giorno + timedelta(days=2), 17),
        pubblico=False,
    )

    risposta = client.get(f"/calendario/sedi/{sala.pk}/eventi.ics")
    cal = _leggi(risposta)
    assert str(cal["version"]) == "2.0" and cal["prodid"]
    eventi = {str(e["summary"]): e for e in cal.walk("VEVENT")}
    assert set(eventi) == {"Assemblea di quartiere", "Mappa del cortile"}
    assemblea = eventi["Assemblea di quartiere"]
    assert assemblea.decoded("dtstart") == pubblica.inizio
    assert assemblea.decoded("dtend") == pubblica.fine
    assert "Viale XVIII Dicembre 124" in str(assemblea["location"])
    assert str(assemblea["uid"]) == f"prenotazione-{pubblica.pk}@quartiere"
    assert "dtstamp" in assemblea
    incontro = eventi["Mappa del cortile"]
    assert incontro.decoded("dtend") - incontro.decoded("dtstart") == timedelta(hours=2)
    testo = risposta.content.decode()
    assert "Anna" not in testo and "anna@example.org" not in testo
    # Lines folded at 75 octets, CRLF endings (RFC 5545 §3.1).
    assert "\r\n" in testo
    assert all(len(riga.encode()) <= 75 for riga in testo.split("\r\n"))


def test_feed_del_quartiere(client, san_siro, ufficio_san_siro, ufficio_gratosoglio):
    PrenotazioneFactory(sede=ufficio_san_siro, titolo="Cineforum di cortile")
    PrenotazioneFactory(sede=ufficio_gratosoglio, titolo="Torneo di scacchi")
    cal = _leggi(client.get("/quartieri/san-siro/eventi.ics"))
    assert [str(e["summary"]) for e in cal.walk("VEVENT")] == ["Cineforum di cortile"]
    assert "San Siro" in str(cal["x-wr-calname"])


def test_feed_sconosciuti_404(client, db):
    assert client.get("/quartieri/nessuno/eventi.ics").status_code == 404
    assert client.get("/calendario/sedi/999999/eventi.ics").status_code == 404
