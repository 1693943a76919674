"""The public "Elenco segnalazioni" (issue 17): only what staff made public, with the street
and no house number, filters, a map, and a cost that does not grow with the rows."""

from __future__ import annotations

import datetime

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from segnalazioni.models import Esito, Segnalazione, Stato
from tests.accessibilita import assert_accessibile
from tests.segnalazioni.factories import CategoriaFactory, SegnalazioneFactory

URL = "/segnalazioni/elenco/"
GEOJSON = "/segnalazioni/elenco.geojson"


def pubblica(**campi) -> Segnalazione:
    campi = {
        "pubblicabile": True,
        "stato": Stato.PRESA_IN_CARICO,
        "indirizzo": "Via Abbiati 12/A",
        "lat": 45.4781,
        "lon": 9.1213,
        **campi,
    }
    return SegnalazioneFactory(**campi)


@pytest.mark.django_db
def test_solo_le_segnalazioni_pubbliche_e_senza_civico(client, san_siro, categoria):
    visibile = pubblica(quartiere=san_siro, categoria=categoria, oggetto="Buca visibile")
    pubblica(
        quartiere=san_siro, categoria=categoria, oggetto="Non pubblicabile", pubblicabile=False
    )
    pubblica(quartiere=san_siro, categoria=categoria, oggetto="Appena arrivata", stato=Stato.NUOVA)
    riservata = CategoriaFactory(nome="Convivenza", mai_pubblica=True)
    pubblica(quartiere=san_siro, categoria=riservata, oggetto="Lite tra vicini")

    html = client.get(URL).content.decode()
    assert "Buca visibile" in html
    for nascosta in ("Non pubblicabile", "Appena arrivata", "Lite tra vicini", "Convivenza"):
        assert nascosta not in html
    assert "Via Abbiati" in html and "12/A" not in html
    # The code is the reporter's key (tracking, rating): never in a public list.
    assert (
        visibile.codice not in html
        and reverse("segnalazioni:segui", args=[visibile.codice]) not in html
    )
    assert visibile.email_segnalante not in html or not visibile.email_segnalante

    dati = client.get(GEOJSON).json()
    (punto,) = dati["features"]
    assert punto["properties"]["via"] == "Via Abbiati"
    assert punto["properties"]["oggetto"] == "Buca visibile"
    lon, lat = punto["geometry"]["coordinates"]
    assert (lat, lon) != (45.4781, 9.1213)  # the ~50 m cell's centre, not the point
    assert abs(lat - 45.4781) < 0.001 and abs(lon - 9.1213) < 0.001
    assert visibile.codice not in str(dati) and "12/A" not in str(dati)


@pytest.mark.django_db
def test_filtri_per_tipo_quartiere_e_risolte_negli_ultimi_12_mesi(client, san_siro, gratosoglio):
    luce = CategoriaFactory(nome="Illuminazione")
    verde = CategoriaFactory(nome="Verde")
    adesso = timezone.now()
    pubblica(quartiere=san_siro, categoria=luce, oggetto="Lampione in corso")
    pubblica(quartiere=gratosoglio, categoria=verde, oggetto="Albero in corso")
    chiusa = {"stato": Stato.CHIUSA, "esito": Esito.RISOLTA}
    pubblica(
        quartiere=san_siro, categoria=verde, oggetto="Siepe risolta", chiusa_il=adesso, **chiusa
    )
    pubblica(
        quartiere=san_siro,
        categoria=verde,
        oggetto="Prato risolto due anni fa",
        chiusa_il=adesso - datetime.timedelta(days=400),
        **chiusa,
    )
    pubblica(
        quartiere=san_siro,
        categoria=verde,
        oggetto="Panchina respinta",
        stato=Stato.CHIUSA,
        esito=Esito.RESPINTA,
        chiusa_il=adesso,
    )

    def oggetti(**filtri) -> set[str]:
        risposta = client.get(URL, filtri)
        assert risposta.status_code == 200
        return {r["oggetto"] for r in risposta.context["righe"]}

    assert oggetti(categoria=luce.pk) == {"Lampione in corso"}
    assert oggetti(quartiere=gratosoglio.pk) == {"Albero in corso"}
    assert oggetti(situazione="in_corso") == {"Lampione in corso", "Albero in corso"}
    assert oggetti(situazione="risolte") == {"Siepe risolta"}
    assert oggetti(situazione="risolte", quartiere=gratosoglio.pk) == set()
    conteggi = client.get(URL, {"quartiere": san_siro.pk}).context["conteggi"]
    assert conteggi == {"in_corso": 1, "risolte": 1}
    html = client.get(URL).content.decode()
    assert "2 segnalazioni in corso" in html and "1 risolta negli ultimi 12 mesi" in html

    geo = client.get(GEOJSON, {"situazione": "risolte"}).json()
    assert [f["properties"]["oggetto"] for f in geo["features"]] == ["Siepe risolta"]
    assert geo["features"][0]["properties"]["stato_etichetta"] == "risolta"
    # A filter value that is not a choice: nothing, not an error.
    assert client.get(GEOJSON, {"categoria": "x"}).json()["features"] == []
    assert client.get(URL, {"situazione": "<script>"}).status_code == 200


@pytest.mark.django_db
def test_costo_costante_al_crescere_delle_righe(client, san_siro, categoria):
    def query(vista: dict) -> int:
        cache.clear()  # the counts as computed, not as cached (the test below)
        with CaptureQueriesContext(connection) as catturate:
            assert client.get(URL, vista).status_code == 200
        return len(catturate)

    pubblica(quartiere=san_siro, categoria=categoria)
    poche = {v: query({"vista": v}) for v in ("elenco", "mappa")}
    for _ in range(30):
        pubblica(quartiere=san_siro, categoria=categoria)
    assert {v: query({"vista": v}) for v in ("elenco", "mappa")} == poche
    with CaptureQueriesContext(connection) as catturate:
        assert len(client.get(GEOJSON).json()["features"]) == 31
    assert len(catturate) == 1


@pytest.mark.django_db
def test_totale_e_cifre_contati_una_volta_al_minuto(client, san_siro, gratosoglio, categoria):
    """The total and the two figures count every public report of the filter: once a minute
    per filter, in the shared cache; the rows themselves are always current (a count over
    400,000 reports was nearly all of the page's time: docs/performance.md)."""
    for _ in range(2):
        pubblica(quartiere=san_siro, categoria=categoria)
    with CaptureQueriesContext(connection) as contate:
        primo = client.get(URL)
    assert primo.context["conteggi"]["in_corso"] == 2
    assert primo.context["paginator"].count == 2
    pubblica(quartiere=san_siro, categoria=categoria, oggetto="Appena pubblicata")
    with CaptureQueriesContext(connection) as lette:
        secondo = client.get(URL)
    assert secondo.context["conteggi"]["in_corso"] == 2
    assert secondo.context["paginator"].count == 2
    assert "Appena pubblicata" in {r["oggetto"] for r in secondo.context["righe"]}
    assert len(secondo.context["righe"]) == 3  # the page is not cut at the minute-old total
    assert len(lette) == len(contate) - 2
    # Each filter has its own figures; a minute later (the cache emptied) they are current.
    assert client.get(URL, {"quartiere": san_siro.pk}).context["conteggi"]["in_corso"] == 3
    assert client.get(URL, {"quartiere": gratosoglio.pk}).context["paginator"].count == 0
    cache.clear()
    assert client.get(URL).context["paginator"].count == 3


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_mappa_e_elenco_in_un_browser(page, live_server, san_siro, categoria):
    pubblica(quartiere=san_siro, categoria=categoria, oggetto="Buca in via Abbiati")
    pubblica(quartiere=san_siro, categoria=categoria, oggetto="Senza luogo", lat=None, lon=None)
    page.goto(f"{live_server.url}{URL}")
    expect(page.get_by_role("heading", name="Buca in via Abbiati")).to_be_visible()
    assert_accessibile(page)
    page.get_by_role("link", name="Mappa").click()
    expect(page.locator("#mappa-conteggio")).to_have_text("1 punto sulla mappa")
    assert_accessibile(page)
    page.locator(".leaflet-interactive").first.click()
    expect(page.locator(".leaflet-popup-content")).to_contain_text("Buca in via Abbiati")
