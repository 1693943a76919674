"""The address search in step 2 of the report (issue 17): the Comune's street register on
this machine, searched by the button without JavaScript and as the citizen types with it;
choosing an address fills street, point and quartiere and keeps everything else typed."""

from __future__ import annotations

import pytest
from django.urls import reverse

from quartiere.territorio.models import Indirizzo
from tests.segnalazioni.test_procedura import _gestione, passo

pytestmark = pytest.mark.django_db

# formtools names the management form after the view class, in snake case.
PREFISSO = "procedura_segnalazione"


@pytest.fixture
def stradario(san_siro, gratosoglio):
    return {
        "abbiati_4": Indirizzo.objects.create(
            via="Via Luigi Abbiati", civico="4", lat=45.4682, lon=9.1391, quartiere=san_siro
        ),
        "abbiati_40": Indirizzo.objects.create(
            via="Via Luigi Abbiati", civico="40", lat=45.4690, lon=9.1400, quartiere=san_siro
        ),
        "saponaro": Indirizzo.objects.create(
            via="Via Salvatore Saponaro", civico="", lat=45.4145, lon=9.1720, quartiere=gratosoglio
        ),
    }


def test_indirizzi_json(client, stradario, django_assert_num_queries):
    url = reverse("quartiere:indirizzi_json")
    with django_assert_num_queries(1):
        dati = client.get(url, {"q": "abbiati 4"}).json()
    primo = dati["indirizzi"][0]
    assert primo == {
        "id": stradario["abbiati_4"].pk,
        "etichetta": "Via Luigi Abbiati 4",
        "via": "Via Luigi Abbiati",
        "civico": "4",
        "lat": 45.4682,
        "lon": 9.1391,
        "quartiere": stradario["abbiati_4"].quartiere_id,
        "quartiere_nome": "San Siro",
    }
    assert [i["etichetta"] for i in dati["indirizzi"]] == [
        "Via Luigi Abbiati 4",
        "Via Luigi Abbiati 40",
    ]
    for vuoto in ("", "x" * 5000, "<script>", "%_"):
        assert client.get(url, {"q": vuoto}).json() == {"indirizzi": []}
    assert client.post(url, {"q": "abbiati"}).status_code == 405


def _al_passo_dati(client):
    client.post(
        passo("informativa"),
        {**_gestione(PREFISSO, "informativa"), "informativa-consenso_privacy": "on"},
    )


def test_senza_javascript_cerca_e_sceglie(client, stradario, categoria, san_siro):
    _al_passo_dati(client)
    html = client.get(passo("dati")).content.decode()
    assert "Cerca l'indirizzo nello stradario" in html
    scritto = {
        **_gestione(PREFISSO, "dati"),
        "dati-tipo": "problema",
        "dati-categoria": categoria.pk,
        "dati-oggetto": "Lampione spento",
        "dati-descrizione": "",
        "dati-indirizzo": "abbiati 4",
        "dati-quartiere": "",
        "dati-lat": "",
        "dati-lon": "",
    }
    r = client.post(passo("dati"), {**scritto, "cerca_indirizzo": "1"})
    assert r.status_code == 302 and r.url == f"{passo('dati')}?cerca=1#dove"
    r = client.get(r.url.split("#")[0])
    html = r.content.decode()
    assert "2 indirizzi trovati per «abbiati 4»" in html
    assert f'name="usa_indirizzo" value="{stradario["abbiati_4"].pk}"' in html
    # What was typed is there, and no error shouts at fields the citizen has not reached.
    assert 'value="Lampione spento"' in html
    assert not r.context["form"].is_bound
    assert "obbligatorio" not in html

    r = client.post(passo("dati"), {**scritto, "usa_indirizzo": str(stradario["abbiati_4"].pk)})
    assert r.status_code == 302 and r.url == f"{passo('dati')}?scelto=1"
    r = client.get(r.url)
    html = r.content.decode()
    assert "Indirizzo scelto: Via Luigi Abbiati 4, quartiere San Siro." in html
    form = r.context["form"]
    assert form["indirizzo"].value() == "Via Luigi Abbiati 4"
    assert (form["lat"].value(), form["lon"].value()) == ("45.4682", "9.1391")
    assert str(form["quartiere"].value()) == str(san_siro.pk)
    assert 'value="Lampione spento"' in html

    # On to the summary with the address chosen.
    r = client.post(
        passo("dati"),
        {
            **scritto,
            "dati-descrizione": "Spento da una settimana.",
            "dati-indirizzo": "Via Luigi Abbiati 4",
            "dati-quartiere": san_siro.pk,
            "dati-lat": "45.4682",
            "dati-lon": "9.1391",
        },
    )
    assert r.status_code == 302 and r.url == passo("riepilogo")
    html = client.get(passo("riepilogo")).content.decode()
    assert "Via Luigi Abbiati 4 (45,46820, 9,13910)" in html


def test_nessun_risultato_e_scelta_inesistente(client, stradario, categoria):
    _al_passo_dati(client)
    base = {
        **_gestione(PREFISSO, "dati"),
        "dati-oggetto": "Buca",
        "dati-indirizzo": "via inesistente",
    }
    r = client.post(passo("dati"), {**base, "cerca_indirizzo": "1"})
    html = client.get(r.url.split("#")[0]).content.decode()
    assert "Nessun indirizzo dello stradario corrisponde a «via inesistente»" in html
    # A forged or stale choice changes nothing and just searches again.
    for falso in ("999999", "x", ""):
        r = client.post(passo("dati"), {**base, "usa_indirizzo": falso})
        assert r.url.startswith(f"{passo('dati')}?cerca=1")
    html = client.get(passo("dati")).content.decode()
    assert 'value="via inesistente"' in html


def test_senza_stradario_nessun_pulsante(client):
    _al_passo_dati(client)
    html = client.get(passo("dati")).content.decode()
    assert "stradario" not in html and "cerca_indirizzo.js" not in html


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_scrivendo_propone_gli_indirizzi(page, live_server, stradario, san_siro):
    from playwright.sync_api import expect

    page.goto(f"{live_server.url}{passo('informativa')}")
    page.get_by_label("Ho letto l'informativa sulla privacy").focus()
    page.keyboard.press("Space")
    page.get_by_role("button", name="Avanti").click()
    campo = page.get_by_role("combobox", name="Indirizzo")
    campo.press_sequentially("abbiati 4", delay=20)
    proposte = page.get_by_role("listbox", name="Indirizzi dello stradario")
    expect(proposte.get_by_role("option")).to_have_count(2)
    expect(campo).to_have_attribute("aria-expanded", "true")
    campo.press("ArrowDown")
    expect(proposte.get_by_role("option").first).to_have_attribute("aria-selected", "true")
    campo.press("Enter")
    expect(proposte).to_be_hidden()
    expect(campo).to_have_value("Via Luigi Abbiati 4")
    expect(page.get_by_label("Latitudine")).to_have_value("45.4682")
    expect(page.get_by_label("Longitudine")).to_have_value("9.1391")
    expect(page.get_by_label("Quartiere")).to_have_value(str(san_siro.pk))
    expect(page.get_by_role("status").filter(has_text="Indirizzo scelto")).to_have_count(1)
    # With the mouse, and Escape closes the list without choosing.
    campo.fill("")
    campo.press_sequentially("saponaro", delay=20)
    expect(proposte.get_by_role("option")).to_have_count(1)
    campo.press("Escape")
    expect(proposte).to_be_hidden()
    expect(campo).to_have_value("saponaro")


def test_allo_sportello_solo_i_suggerimenti(client_di, operatore, stradario):
    """At the desk the suggestions come as the operator types; the no-JavaScript button
    belongs to the report's steps, which know how to come back with the addresses found."""
    html = client_di(operatore).get(reverse("segnalazioni:sportello")).content.decode()
    assert "cerca_indirizzo.js" in html and 'class="cerca-indirizzo"' in html
    assert 'name="cerca_indirizzo"' not in html


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_allo_sportello_l_operatore_sceglie_l_indirizzo(
    page, live_server, operatore, stradario, san_siro
):
    from playwright.sync_api import expect

    from tests.accessibilita import accedi

    accedi(page, live_server, "operatore.sansiro")
    page.goto(f"{live_server.url}{reverse('segnalazioni:sportello')}")
    campo = page.get_by_role("combobox", name="Indirizzo")
    campo.press_sequentially("abbiati 40", delay=20)
    proposte = page.get_by_role("listbox", name="Indirizzi dello stradario")
    expect(proposte.get_by_role("option")).to_have_count(1)
    proposte.get_by_role("option").first.dispatch_event("mousedown")
    expect(campo).to_have_value("Via Luigi Abbiati 40")
    expect(page.get_by_label("Latitudine")).to_have_value("45.469")
    expect(page.get_by_label("Quartiere")).to_have_value(str(san_siro.pk))
