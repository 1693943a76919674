"""Open311 GeoReport v2: the GET side through the ``georeport`` client against a live
server, the POST by plain HTTP as the specification writes it."""

import json
import urllib.error
import urllib.parse
import urllib.request
from xml.etree import ElementTree as ET

import pytest
from georeport import GeoReport

from segnalazioni.models import Esito, Segnalazione, Stato
from segnalazioni.visibilita import punto_approssimato
from tests.segnalazioni.factories import chiave_api

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def mondo(san_siro, gratosoglio, categoria):
    san_siro.lat, san_siro.lon = 45.468, 9.138
    san_siro.save()
    gratosoglio.lat, gratosoglio.lon = 45.409, 9.172
    gratosoglio.save()
    chiave_api("chiave-buona")
    chiave_api("chiave-revocata", attiva=False)
    return categoria


def _post(live_server, dati, formato="json"):
    corpo = urllib.parse.urlencode(dati).encode()
    richiesta = urllib.request.Request(
        f"{live_server.url}/open311/v2/requests.{formato}",
        data=corpo,
        headers={"Content-Type": "application/x-www-form-urlencoded"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(richiesta, timeout=10) as r:  # noqa: S310
            return r.status, r.read()
    except urllib.error.HTTPError as errore:
        return errore.code, errore.read()


def test_georeport_servizi_e_definizione(live_server, mondo):
    client = GeoReport(f"{live_server.url}/open311/v2")
    servizi = client.get_service_list()
    assert {s["service_code"] for s in servizi} == {"illuminazione"}
    assert servizi[0]["service_name"] == "Illuminazione" and servizi[0]["metadata"] is True
    definizione = client.get_service_definition("illuminazione")
    assert definizione["service_code"] == "illuminazione"
    assert {a["code"] for a in definizione["attributes"]} == {"tipo", "quartiere", "oggetto"}
    xml = GeoReport(f"{live_server.url}/open311/v2", output_format="xml")
    assert xml.get_service_list()["service_code"] == "illuminazione"
    assert xml.get_service_definition("illuminazione")["service_code"] == "illuminazione"


def test_post_crea_e_georeport_la_rilegge(live_server, mondo):
    stato, corpo = _post(
        live_server,
        {
            "api_key": "chiave-buona",
            "service_code": "illuminazione",
            "lat": "45.4685",
            "long": "9.1390",
            "description": "Lampione spento davanti al civico 4",
            "email": "Anna@Example.org",
            "attribute[tipo]": "problema",
        },
    )
    assert stato == 200, corpo
    risposta = json.loads(corpo)
    pk = risposta[0]["service_request_id"]
    s = Segnalazione.objects.get(pk=pk)
    assert (s.canale, s.quartiere.codice, s.email_segnalante) == (
        "online",
        "san-siro",
        "anna@example.org",
    )
    assert s.chiave_api.nome == "App di prova"
    assert s.codice in risposta[0]["service_notice"]
    client = GeoReport(f"{live_server.url}/open311/v2")
    # Not public until staff mark it publishable and take it in charge.
    assert client.get_service_requests(service_code="illuminazione") == []
    Segnalazione.objects.filter(pk=pk).update(pubblicabile=True, stato=Stato.PRESA_IN_CARICO)

    letta = client.get_service_request(pk)
    assert letta["service_request_id"] == pk and letta["status"] == "open"
    assert letta["service_code"] == "illuminazione"
    # The point moved to the centre of its ~50 m cell.
    assert (letta["lat"], letta["long"]) == punto_approssimato(45.4685, 9.1390)
    assert (letta["lat"], letta["long"]) != (45.4685, 9.139)
    # No personal data and no tracking code in the public feed.
    testo = json.dumps(letta)
    assert "anna@example.org" not in testo and s.codice not in testo
    assert [
        r["service_request_id"] for r in client.get_service_requests(service_code="illuminazione")
    ] == [pk]
    xml = GeoReport(f"{live_server.url}/open311/v2", output_format="xml").get_service_request(pk)
    assert xml["service_request_id"] == pk


def test_georeport_filtri_delle_richieste(live_server, mondo, san_siro, segnalazione_factory):
    aperta = segnalazione_factory(quartiere=san_siro, categoria=mondo)
    chiusa = segnalazione_factory(quartiere=san_siro, categoria=mondo)
    Segnalazione.objects.filter(pk=chiusa.pk).update(
        stato=Stato.CHIUSA, esito=Esito.RISOLTA, chiusa_il="2026-01-02T00:00:00Z"
    )
    vecchia = segnalazione_factory(quartiere=san_siro, categoria=mondo)
    Segnalazione.objects.filter(pk=vecchia.pk).update(creata_il="2020-01-01T10:00:00Z")
    Segnalazione.objects.filter(stato=Stato.NUOVA).update(stato=Stato.PRESA_IN_CARICO)
    Segnalazione.objects.update(pubblicabile=True)
    client = GeoReport(f"{live_server.url}/open311/v2")

    def ids(**parametri):
        return {int(r["service_request_id"]) for r in client.get_service_requests(**parametri)}

    assert ids() == {aperta.pk, chiusa.pk}  # the default window is the last 90 days
    assert ids(status="open") == {aperta.pk}
    assert ids(status="closed") == {chiusa.pk}
    assert ids(start_date="2019-12-01T00:00:00Z", end_date="2020-02-01T00:00:00Z") == {vecchia.pk}
    assert ids(service_request_id=f"{aperta.pk},{vecchia.pk}") == {aperta.pk, vecchia.pk}
    assert ids(service_code="altro") == set()


@pytest.mark.parametrize(
    ("dati", "codice"),
    [
        ({"api_key": "sbagliata"}, 403),
        ({"api_key": "chiave-revocata"}, 403),
        ({}, 403),
        ({"api_key": "chiave-buona", "lat": "45.4", "long": "9.1", "description": "x"}, 400),
        (
            {
                "api_key": "chiave-buona",
                "service_code": "nessuno",
                "lat": "45",
                "long": "9",
                "description": "x",
            },
            404,
        ),
        ({"api_key": "chiave-buona", "service_code": "illuminazione", "description": "x"}, 400),
        (
            {
                "api_key": "chiave-buona",
                "service_code": "illuminazione",
                "lat": "45",
                "description": "x",
            },
            400,
        ),
        (
            {
                "api_key": "chiave-buona",
                "service_code": "illuminazione",
                "lat": "95",
                "long": "9",
                "description": "x",
            },
            400,
        ),
        (
            {
                "api_key": "chiave-buona",
                "service_code": "illuminazione",
                "lat": "abc",
                "long": "9",
                "description": "x",
            },
            400,
        ),
        (
            {"api_key": "chiave-buona", "service_code": "illuminazione", "lat": "45", "long": "9"},
            400,
        ),
        (
            {
                "api_key": "chiave-buona",
                "service_code": "illuminazione",
                "address_string": "Via X 1",
                "description": "x",
            },
            400,
        ),
        (
            {
                "api_key": "chiave-buona",
                "service_code": "illuminazione",
                "lat": "45",
                "long": "9",
                "description": "x",
                "attribute[tipo]": "boh",
            },
            400,
        ),
        (
            # Over the one cap of every way in: refused, never cut.
            {
                "api_key": "chiave-buona",
                "service_code": "illuminazione",
                "lat": "45.4685",
                "long": "9.1390",
                "description": "x" * 10_001,
            },
            400,
        ),
    ],
)
def test_post_errori_nel_formato_della_specifica(live_server, mondo, dati, codice):
    stato, corpo = _post(live_server, dati)
    assert stato == codice
    errori = json.loads(corpo)
    assert errori[0]["code"] == codice and errori[0]["description"]
    assert Segnalazione.objects.count() == 0


def test_post_con_indirizzo_e_quartiere_in_xml(live_server, mondo):
    stato, corpo = _post(
        live_server,
        {
            "api_key": "chiave-buona",
            "service_code": "illuminazione",
            "address_string": "Via Saponaro 20",
            "attribute[quartiere]": "gratosoglio",
            "description": "Via al buio",
        },
        formato="xml",
    )
    assert stato == 200
    radice = ET.fromstring(corpo)
    assert radice.tag == "service_requests"
    pk = radice.find("request/service_request_id").text
    assert Segnalazione.objects.get(pk=pk).quartiere.codice == "gratosoglio"


def test_errori_get(client, mondo):
    r = client.get("/open311/v2/services/inesistente.json")
    assert r.status_code == 404 and r.json()[0]["code"] == 404
    r = client.get("/open311/v2/requests/999999.xml")
    assert r.status_code == 404 and b"<errors><error><code>404</code>" in r.content
    assert client.get("/open311/v2/requests.json", {"status": "boh"}).status_code == 400
    assert client.get("/open311/v2/requests.json", {"start_date": "ieri"}).status_code == 400
    r = client.get(
        "/open311/v2/requests.json",
        {"start_date": "2020-01-01T00:00:00Z", "end_date": "2021-01-01T00:00:00Z"},
    )
    assert r.status_code == 400


def test_discovery(client, mondo):
    r = client.get("/open311/v2/discovery.json")
    assert r.status_code == 200
    assert r.json()["endpoints"][0]["specification"] == "http://wiki.open311.org/GeoReport_v2"
    assert client.get("/open311/v2/discovery.xml").status_code == 200
