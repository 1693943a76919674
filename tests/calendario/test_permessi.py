"""Every role against every page of the calendar and the diary (pretix-style matrix).

An operator of San Siro neither sees nor can act on a Gratosoglio office's bookings (404);
the Latina hall, which belongs to no quartiere, is shared by every operator.
"""

from __future__ import annotations

import pytest

from tests import factories as core
from tests.calendario.factories import AttivitaDiarioFactory, PrenotazioneFactory, SalaFactory
from tests.dati_di_modulo import transazione_di_modulo

pytestmark = pytest.mark.django_db

RUOLI = [
    "anonimo",
    "operatore",
    "operatore_altro",
    "mediatore",
    "coordinatore",
    "dirigente",
    "amministratore",
]


@pytest.fixture(scope="module")
def _modulo(django_db_setup, django_db_blocker):
    """The cast, the halls and the bookings, built once for the module: each test only
    reads them or changes them inside its own rolled-back transaction."""
    with transazione_di_modulo(django_db_blocker):
        quartieri = core.quattro_quartieri()
        cast = core.cast_completo(quartieri)
        sala = SalaFactory(nome="Sala della Città condivisa", indirizzo="Viale XVIII Dicembre 124")
        ufficio_san_siro = core.SedeFactory(
            nome="Laboratorio di Quartiere San Siro", quartiere=quartieri["san-siro"]
        )
        ufficio_gratosoglio = core.SedeFactory(
            nome="Laboratorio di Quartiere Gratosoglio", quartiere=quartieri["gratosoglio"]
        )
        mondo = {
            "sala": PrenotazioneFactory(sede=sala, stato="richiesta"),
            "san_siro": PrenotazioneFactory(
                sede=ufficio_san_siro, stato="richiesta", pubblico=False
            ),
            "gratosoglio": PrenotazioneFactory(sede=ufficio_gratosoglio, stato="richiesta"),
            "diario_operatore": AttivitaDiarioFactory(
                operatore=cast["operatore"], quartiere=quartieri["san-siro"]
            ),
            "diario_altro": AttivitaDiarioFactory(
                operatore=cast["operatore_altro"], quartiere=quartieri["gratosoglio"]
            ),
            "sede_gratosoglio": ufficio_gratosoglio,
        }
        yield {"cast": cast, "mondo": mondo, "sala": sala}


@pytest.fixture
def cast(_modulo):
    return _modulo["cast"]


@pytest.fixture
def mondo(_modulo):
    return _modulo["mondo"]


@pytest.fixture
def sala(_modulo):
    return _modulo["sala"]


def _url(nome, mondo):
    return {
        "calendario": "/lavoro/calendario/",
        "calendario_gratosoglio": f"/lavoro/calendario/?sede={mondo['sede_gratosoglio'].pk}",
        "calendario_settimana": "/lavoro/calendario/?vista=settimana",
        "calendario_elenco": "/lavoro/calendario/?vista=elenco",
        "nuova": "/lavoro/calendario/nuova/",
        "dettaglio_sala": f"/lavoro/calendario/{mondo['sala'].pk}/",
        "dettaglio_san_siro": f"/lavoro/calendario/{mondo['san_siro'].pk}/",
        "dettaglio_gratosoglio": f"/lavoro/calendario/{mondo['gratosoglio'].pk}/",
        "diario": "/lavoro/diario/",
        "diario_nuova": "/lavoro/diario/nuova/",
        "diario_modifica_operatore": f"/lavoro/diario/{mondo['diario_operatore'].pk}/modifica/",
        "diario_modifica_altro": f"/lavoro/diario/{mondo['diario_altro'].pk}/modifica/",
        "pubblico_calendario": "/calendario/",
        "pubblico_sede": f"/calendario/sedi/{mondo['sede_gratosoglio'].pk}/",
        "richiesta_sala": "/prenota-la-sala/",
        "home": "/",
        "quartiere": "/quartieri/san-siro/",
        "sitemap": "/sitemap.xml",
    }[nome]


L = 302  # to the login page
# page: (anonimo, operatore, operatore_altro, mediatore, coordinatore, dirigente, amministratore)
ATTESI = {
    "calendario": (L, 200, 200, 200, 200, 200, 200),
    "calendario_gratosoglio": (L, 404, 200, 404, 200, 200, 200),
    "calendario_settimana": (L, 200, 200, 200, 200, 200, 200),
    "calendario_elenco": (L, 200, 200, 200, 200, 200, 200),
    "nuova": (L, 200, 200, 403, 200, 403, 200),
    "dettaglio_sala": (L, 200, 200, 200, 200, 200, 200),
    "dettaglio_san_siro": (L, 200, 404, 404, 200, 200, 200),
    "dettaglio_gratosoglio": (L, 404, 200, 404, 200, 200, 200),
    "diario": (L, 200, 200, 403, 200, 200, 200),
    "diario_nuova": (L, 200, 200, 403, 200, 403, 200),
    "diario_modifica_operatore": (L, 200, 404, 403, 200, 403, 200),
    "diario_modifica_altro": (L, 404, 200, 403, 200, 403, 200),
    "pubblico_calendario": (200,) * 7,
    "pubblico_sede": (200,) * 7,
    "richiesta_sala": (200,) * 7,
    "home": (200,) * 7,
    "quartiere": (200,) * 7,
    "sitemap": (200,) * 7,
}


@pytest.mark.parametrize("pagina", sorted(ATTESI))
@pytest.mark.parametrize("ruolo", RUOLI)
def test_ogni_ruolo_ogni_pagina(pagina, ruolo, cast, mondo, client_di):
    atteso = ATTESI[pagina][RUOLI.index(ruolo)]
    risposta = client_di(cast[ruolo]).get(_url(pagina, mondo))
    assert risposta.status_code == atteso, (pagina, ruolo, risposta.status_code)
    if atteso == L:
        assert risposta["Location"].startswith("/accounts/login/")


# Deciding: (anonimo, operatore, operatore_altro, mediatore, coordinatore, dirigente, admin)
DECISIONI = {
    "sala": (L, 302, 302, 403, 302, 403, 302),
    "san_siro": (L, 302, 404, 404, 302, 403, 302),
    "gratosoglio": (L, 404, 302, 404, 302, 403, 302),
}


@pytest.mark.parametrize("azione", ["conferma", "rifiuta", "annulla"])
@pytest.mark.parametrize("prenotazione", sorted(DECISIONI))
@pytest.mark.parametrize("ruolo", RUOLI)
def test_chi_decide_le_prenotazioni(azione, prenotazione, ruolo, cast, mondo, client_di):
    p = mondo[prenotazione]
    atteso = DECISIONI[prenotazione][RUOLI.index(ruolo)]
    risposta = client_di(cast[ruolo]).post(
        f"/lavoro/calendario/{p.pk}/{azione}/", {"motivo": "Sala in manutenzione"}
    )
    assert risposta.status_code == atteso
    p.refresh_from_db()
    cambiata = p.stato != "richiesta"
    assert cambiata == (atteso == 302 and ruolo != "anonimo")


def test_le_azioni_vogliono_post(cast, mondo, client_di):
    risposta = client_di(cast["coordinatore"]).get(
        f"/lavoro/calendario/{mondo['sala'].pk}/conferma/"
    )
    assert risposta.status_code == 405


def test_elimina_diario_solo_il_proprio(cast, mondo, client_di):
    altro = mondo["diario_altro"]
    assert (
        client_di(cast["operatore"]).post(f"/lavoro/diario/{altro.pk}/elimina/").status_code == 404
    )
    proprio = mondo["diario_operatore"]
    assert (
        client_di(cast["operatore"]).post(f"/lavoro/diario/{proprio.pk}/elimina/").status_code
        == 302
    )
    assert not type(proprio).objects.filter(pk=proprio.pk).exists()


def test_admin_applica_lo_stesso_ambito(cast, mondo, client_di):
    c = client_di(cast["coordinatore"])
    assert c.get("/admin/quartiere/prenotazione/").status_code == 200
    assert (
        c.get(f"/admin/quartiere/prenotazione/{mondo['gratosoglio'].pk}/change/").status_code == 200
    )
    assert c.get("/admin/quartiere/attivitadiario/").status_code == 200


def test_menu_mostra_calendario_e_diario_a_chi_puo(cast, client_di):
    testo = client_di(cast["operatore"]).get("/lavoro/").content.decode()
    assert "/lavoro/calendario/" in testo and "/lavoro/diario/" in testo
    testo = client_di(cast["mediatore"]).get("/lavoro/").content.decode()
    assert "/lavoro/calendario/" in testo and "/lavoro/diario/" not in testo


def test_admin_non_sposta_una_prenotazione(cast, mondo, client_di):
    p = mondo["sala"]
    risposta = client_di(cast["coordinatore"]).get(f"/admin/quartiere/prenotazione/{p.pk}/change/")
    testo = risposta.content.decode()
    assert 'name="inizio_0"' not in testo and 'name="sede"' not in testo
    assert 'name="titolo"' in testo


def test_admin_conferma_con_il_servizio(cast, mondo, client_di, sala):
    from tests.calendario.factories import PrenotazioneFactory

    p = mondo["sala"]
    PrenotazioneFactory(sede=sala, inizio=p.inizio, fine=p.fine, titolo="Già confermata")
    risposta = client_di(cast["coordinatore"]).post(
        "/admin/quartiere/prenotazione/",
        {"action": "conferma", "_selected_action": [p.pk]},
        follow=True,
    )
    assert "Già confermata" in risposta.content.decode()
    p.refresh_from_db()
    assert p.stato == "richiesta"
