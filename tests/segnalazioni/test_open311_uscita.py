"""Open311 ``requests.json``/``.xml``: the exact output (a public contract: keys, order,
formats) and one query whatever the number of reports."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from segnalazioni.models import Esito, Segnalazione, Stato
from tests.segnalazioni.factories import SegnalazioneFactory

pytestmark = pytest.mark.django_db

RICEVUTA = datetime(2026, 3, 2, 9, 30, 15, tzinfo=UTC)
MODIFICATA = datetime(2026, 3, 5, 17, 0, 0, tzinfo=UTC)


def _fissa(s: Segnalazione, **campi) -> Segnalazione:
    """Dates set in the database, past ``auto_now`` and ``save()``'s derived fields; the
    report marked publishable and taken in charge, so that the public list shows it."""
    campi = {"pubblicabile": True, "stato": Stato.PRESA_IN_CARICO, **campi}
    Segnalazione.objects.filter(pk=s.pk).update(
        creata_il=RICEVUTA, modificata_il=MODIFICATA, **campi
    )
    return s


@pytest.fixture
def due(san_siro, categoria):
    aperta = _fissa(
        SegnalazioneFactory(
            quartiere=san_siro,
            categoria=categoria,
            oggetto='Lampione "spento" & buio',
            indirizzo="Via Abbiati 4",
            lat=45.4681,
            lon=9.1382,
        ),
        scadenza=date(2026, 3, 17),
        stato=Stato.IN_LAVORAZIONE,
    )
    chiusa = _fissa(
        SegnalazioneFactory(
            quartiere=san_siro, categoria=categoria, oggetto="Buca", indirizzo="Piazza Selinunte"
        ),
        scadenza=date(2026, 3, 17),
        stato=Stato.CHIUSA,
        esito=Esito.RISOLTA,
        chiusa_il=MODIFICATA,
    )
    return aperta, chiusa


def _attesa(s, stato, note, scadenza, lat, lon, descrizione, indirizzo):
    return {
        "service_request_id": str(s.pk),
        "status": stato,
        "status_notes": note,
        "service_name": "Illuminazione",
        "service_code": "illuminazione",
        "description": descrizione,
        "agency_responsible": "Illuminazione pubblica",
        "service_notice": "",
        "requested_datetime": "2026-03-02T10:30:15+01:00",
        "updated_datetime": "2026-03-05T18:00:00+01:00",
        "expected_datetime": scadenza,
        "address": indirizzo,
        "address_id": "",
        "zipcode": "",
        "lat": lat,
        "long": lon,
        "media_url": "",
    }


INTERVALLO = {"start_date": "2026-03-01T00:00:00Z", "end_date": "2026-03-03T00:00:00Z"}


def test_requests_json_esatto(client, due):
    aperta, chiusa = due
    r = client.get("/open311/v2/requests.json", INTERVALLO)
    attese = [
        _attesa(chiusa, "closed", "risolta", None, None, None, "Buca", "Piazza Selinunte"),
        _attesa(
            aperta,
            "open",
            "in lavorazione",
            "2026-03-17T23:59:59",
            # The centre of its ~50 m cell, the street without the house number.
            45.468245,
            9.138365,
            'Lampione "spento" & buio',
            "Via Abbiati",
        ),
    ]
    # The newest first; the same pk order breaks the tie of the equal dates.
    assert r.status_code == 200
    assert r.content == json.dumps(attese, ensure_ascii=False).encode()
    singola = client.get(f"/open311/v2/requests/{aperta.pk}.json")
    assert singola.content == json.dumps(attese[1:], ensure_ascii=False).encode()


def test_requests_xml_esatto(client, due):
    aperta, chiusa = due
    r = client.get("/open311/v2/requests.xml", {**INTERVALLO, "status": "closed"})
    assert (
        r.content
        == (
            '<?xml version="1.0" encoding="utf-8"?><service_requests><request>'
            f"<service_request_id>{chiusa.pk}</service_request_id><status>closed</status>"
            "<status_notes>risolta</status_notes><service_name>Illuminazione</service_name>"
            "<service_code>illuminazione</service_code><description>Buca</description>"
            "<agency_responsible>Illuminazione pubblica</agency_responsible><service_notice />"
            "<requested_datetime>2026-03-02T10:30:15+01:00</requested_datetime>"
            "<updated_datetime>2026-03-05T18:00:00+01:00</updated_datetime>"
            "<expected_datetime /><address>Piazza Selinunte</address><address_id /><zipcode />"
            "<lat /><long /><media_url /></request></service_requests>"
        ).encode()
    )


def test_le_note_seguono_la_lingua_attiva(rf, due):
    """The labels are translated per response, not once for the process."""
    from django.utils import translation

    from segnalazioni.views.open311 import richieste

    for lingua, attese in (
        ("en", {"closed": "resolved", "open": "in progress"}),
        ("it", {"closed": "risolta", "open": "in lavorazione"}),
    ):
        with translation.override(lingua):
            r = richieste(rf.get("/", INTERVALLO), "json")
        assert {x["status"]: x["status_notes"] for x in json.loads(r.content)} == attese


def _query(client) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get("/open311/v2/requests.json", INTERVALLO).status_code == 200
    return len(ctx.captured_queries)


def test_requests_una_query_con_5_e_50_segnalazioni(client, san_siro, categoria):
    for n in (5, 45):
        for s in SegnalazioneFactory.create_batch(n, quartiere=san_siro, categoria=categoria):
            _fissa(s)
        assert _query(client) == 1
    assert len(client.get("/open311/v2/requests.json", INTERVALLO).json()) == 50
