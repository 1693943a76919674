"""What the public sees of a report (issue 28): only what staff marked publishable, once
taken in charge, never a "mai pubblica" category; the street without the house number and
a point moved to the centre of a ~50 m cell. The reporter still follows it by code."""

from __future__ import annotations

import json
import math

import pytest
from django.urls import reverse

from segnalazioni.models import Evento, Segnalazione, Stato
from segnalazioni.visibilita import PASSO_M, punto_approssimato, via_senza_civico
from tests.segnalazioni.factories import CategoriaFactory, SegnalazioneFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("indirizzo", "via"),
    [
        ("Viale Omero 63", "Viale Omero"),
        ("Via Roma, 12/A, Milano", "Via Roma"),
        ("Via Roma n. 5", "Via Roma"),
        ("Via Roma civico 7", "Via Roma"),
        ("Corso XXII Marzo 12 bis", "Corso XXII Marzo"),
        ("Via dei Mille 1-3", "Via dei Mille"),
        ("Via 25 Aprile 3 scala B", "Via 25 Aprile"),
        ("Via 25 Aprile", "Via 25 Aprile"),
        ("Piazza Selinunte", "Piazza Selinunte"),
        ("", ""),
    ],
)
def test_la_via_senza_numero_civico(indirizzo, via):
    assert via_senza_civico(indirizzo) == via


def _metri(a, b) -> float:
    (lat1, lon1), (lat2, lon2) = a, b
    return math.hypot(
        (lat1 - lat2) * 111_320, (lon1 - lon2) * 111_320 * math.cos(math.radians(lat1))
    )


@pytest.mark.parametrize("punto", [(45.4681, 9.1382), (45.46016, 9.19), (41.9, 12.5)])
def test_il_punto_va_al_centro_della_sua_cella(punto):
    centro = punto_approssimato(*punto)
    assert centro != punto
    # Within half the cell's diagonal, and the same centre for a point a few metres away.
    assert _metri(punto, centro) <= PASSO_M * math.sqrt(2) / 2 + 0.5
    vicino = (centro[0] + 0.00001, centro[1] - 0.00001)
    assert punto_approssimato(*vicino) == centro
    assert punto_approssimato(None, None) is None


@pytest.fixture
def conflitti(db):
    return CategoriaFactory(codice="convivenza", nome="Convivenza", mai_pubblica=True)


def _ids(client, **parametri) -> set[int]:
    r = client.get("/open311/v2/requests.json", parametri)
    assert r.status_code == 200
    return {int(x["service_request_id"]) for x in r.json()}


def test_open311_mostra_solo_le_segnalazioni_pubblicabili_prese_in_carico(
    client, san_siro, categoria, conflitti
):
    def crea(**campi):
        s = SegnalazioneFactory(quartiere=san_siro, categoria=campi.pop("c", categoria))
        Segnalazione.objects.filter(pk=s.pk).update(**campi)
        return s

    sportello = crea(canale="sportello", stato=Stato.IN_LAVORAZIONE)
    nuova = crea(pubblicabile=True)
    vicini = crea(c=conflitti, pubblicabile=True, stato=Stato.PRESA_IN_CARICO)
    pubblica = crea(
        pubblicabile=True,
        stato=Stato.PRESA_IN_CARICO,
        oggetto="Musica alta la sera",
        indirizzo="Viale Omero 63",
        lat=45.4681,
        lon=9.1382,
    )
    assert _ids(client) == {pubblica.pk}
    for nascosta in (sportello, nuova, vicini):
        r = client.get(f"/open311/v2/requests/{nascosta.pk}.json")
        assert r.status_code == 404
    [letta] = client.get(f"/open311/v2/requests/{pubblica.pk}.json").json()
    assert letta["address"] == "Viale Omero"
    assert (letta["lat"], letta["long"]) == punto_approssimato(45.4681, 9.1382)
    testo = json.dumps(letta)
    assert "63" not in testo.replace(str(pubblica.pk), "")
    assert "45.4681," not in testo and "9.1382," not in testo
    # The same in XML.
    xml = client.get(f"/open311/v2/requests/{pubblica.pk}.xml").content.decode()
    assert "<address>Viale Omero</address>" in xml and "Omero 63" not in xml


def test_il_segnalante_segue_la_sua_segnalazione_anche_se_non_pubblica(client, san_siro, categoria):
    s = SegnalazioneFactory(quartiere=san_siro, categoria=categoria, oggetto="Cortile")
    assert not Segnalazione.objects.pubbliche().filter(pk=s.pk).exists()
    r = client.get(reverse("segnalazioni:segui", args=[s.codice]))
    assert r.status_code == 200 and "Cortile" in r.content.decode()


def test_lo_staff_la_segna_pubblicabile_e_resta_scritto_chi(
    client_di, operatore, san_siro, categoria
):
    s = SegnalazioneFactory(quartiere=san_siro, categoria=categoria, indirizzo="Via Abbiati 4")
    Segnalazione.objects.filter(pk=s.pk).update(stato=Stato.PRESA_IN_CARICO)
    c = client_di(operatore)
    pagina = c.get(reverse("segnalazioni:dettaglio", args=[s.pk])).content.decode()
    assert "Non compare negli elenchi pubblici." in pagina
    modifica = c.get(reverse("segnalazioni:modifica", args=[s.pk]))
    dati = {k: v for k, v in modifica.context["form"].initial.items() if v is not None}
    dati.update(
        categoria=categoria.pk,
        quartiere=san_siro.pk,
        pubblicabile="on",
        versione_letta=s.versione,
    )
    r = c.post(reverse("segnalazioni:modifica", args=[s.pk]), dati)
    assert r.status_code == 302, r.context["form"].errors if r.context else r
    s.refresh_from_db()
    assert s.pubblicabile
    evento = s.eventi.filter(tipo=Evento.Tipo.MODIFICA).latest("creato_il")
    assert evento.autore == operatore and "Pubblicabile" in evento.testo
    assert s.history.latest().history_user == operatore
    pagina = c.get(reverse("segnalazioni:dettaglio", args=[s.pk])).content.decode()
    assert "come «Via Abbiati»" in pagina
    assert _ids(c) == {s.pk}


def test_una_categoria_mai_pubblica_prevale(client_di, operatore, san_siro, conflitti):
    s = SegnalazioneFactory(quartiere=san_siro, categoria=conflitti)
    Segnalazione.objects.filter(pk=s.pk).update(pubblicabile=True, stato=Stato.IN_LAVORAZIONE)
    pagina = client_di(operatore).get(reverse("segnalazioni:dettaglio", args=[s.pk]))
    assert "la categoria non lo consente" in pagina.content.decode()
    assert not Segnalazione.objects.pubbliche().exists()
