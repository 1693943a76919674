"""The public register: what it shows, what it never shows, filters and query counts."""

from __future__ import annotations

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import OrganizzazioneFactory, PersonaFactory
from tests.patti import factories as f

pytestmark = pytest.mark.django_db


def test_il_registro_mostra_solo_patti_firmati_attivi_o_conclusi(client, san_siro):
    visibili = {
        stato: f.PattoFactory(
            quartiere=san_siro, stato=stato, titolo=f"Patto {stato}", data_firma="2025-01-10"
        )
        for stato in ("firmato", "in_attuazione", "concluso")
    }
    nascosti = {
        stato: f.PattoFactory(
            quartiere=san_siro,
            stato=stato,
            titolo=f"Patto {stato}",
            data_firma="2025-01-10" if stato in ("sospeso", "revocato") else None,
        )
        for stato in (
            "proposta",
            "istruttoria",
            "co_progettazione",
            "approvato",
            "sospeso",
            "revocato",
            "respinto",
        )
    }
    testo = client.get(reverse("patti:registro")).content.decode()
    for patto in visibili.values():
        assert patto.titolo in testo
    for patto in nascosti.values():
        assert patto.titolo not in testo
        url = reverse("patti:registro_dettaglio", args=[patto.pk])
        assert client.get(url).status_code == 404


def test_la_pagina_pubblica_non_nomina_mai_un_privato_senza_consenso(client, patto_san_siro):
    consenziente = PersonaFactory(
        nome="Pubblicabile", cognome="Volentieri", consenso_pubblicazione=True
    )
    f.FirmatarioVolontarioFactory(patto=patto_san_siro, persona=consenziente)
    portavoce = PersonaFactory(nome="Portavoce", cognome="Nascosto")
    patto_san_siro.firmatari.create(tipo="gruppo_informale", persona=portavoce)
    risposta = client.get(reverse("patti:registro_dettaglio", args=[patto_san_siro.pk]))
    testo = risposta.content.decode()
    assert "Associazione Inquilini San Siro" in testo
    assert "Giuseppina" not in testo and "Riservatissima" not in testo
    assert "Portavoce" not in testo and "Nascosto" not in testo
    assert "Omissis" in testo
    assert "Pubblicabile Volentieri" in testo
    assert risposta.context["n_volontari"] == 2
    assert "Al patto partecipano 2 volontari singoli." in testo
    # Nor does the list.
    elenco = client.get(reverse("patti:registro")).content.decode()
    assert "Riservatissima" not in elenco and "Nascosto" not in elenco


def test_filtri_quartiere_anno_livello_ambito(client, san_siro, gratosoglio):
    a = f.PattoFactory(
        quartiere=san_siro, stato="firmato", data_firma="2024-05-01", livello="rigenerazione"
    )
    f.ProgettoFactory(patto=a, ambito="cura_citta")
    b = f.PattoFactory(quartiere=gratosoglio, stato="concluso", data_firma="2025-05-01")
    f.ProgettoFactory(patto=b, ambito="cura_comunita")

    def trovati(**parametri):
        risposta = client.get(reverse("patti:registro"), parametri)
        return {p.pk for p in risposta.context["object_list"]}

    assert trovati() == {a.pk, b.pk}
    assert trovati(quartiere=san_siro.pk) == {a.pk}
    assert trovati(anno="2025") == {b.pk}
    assert trovati(livello="rigenerazione") == {a.pk}
    assert trovati(ambito="cura_comunita") == {b.pk}
    assert trovati(ambito="cura_citta", anno="2025") == set()


def test_il_registro_funziona_senza_javascript(client, san_siro):
    san_siro.lat, san_siro.lon = 45.468, 9.138
    san_siro.save()
    patto = f.PattoFactory(quartiere=san_siro, stato="firmato", data_firma="2025-01-01")
    testo = client.get(reverse("patti:registro")).content.decode()
    # The list carries everything; the map is hidden until the script shows it.
    assert f'href="{reverse("patti:registro_dettaglio", args=[patto.pk])}"' in testo
    assert re.search(r'<div id="mappa-patti"[^>]* hidden[ >]', testo)
    assert 'data-lat="45.468000"' in testo
    assert "leaflet/leaflet.js" in testo and "<script>" not in testo
    assert "style=" not in testo


def _patti_pubblici(n, quartiere):
    for i in range(n):
        patto = f.PattoFactory(
            quartiere=quartiere,
            stato="firmato",
            data_firma=datetime.date(2020 + i % 5, 1, 1),
            rinnova=None,
        )
        f.FirmatarioComuneFactory(patto=patto)
        f.FirmatarioOrganizzazioneFactory(patto=patto, organizzazione__quartiere=quartiere)
        f.FirmatarioVolontarioFactory(patto=patto)
        f.ProgettoFactory(patto=patto)


def _query(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("nome", ["patti:registro", "patti:lista"])
def test_numero_di_query_costante_nelle_liste(nome, client_di, coordinatore, san_siro):
    c = client_di(coordinatore if nome == "patti:lista" else None)
    url = reverse(nome)
    _patti_pubblici(5, san_siro)
    c.get(url)  # warm up the session and caches
    cinque = _query(c, url)
    _patti_pubblici(45, san_siro)
    assert _query(c, url) == cinque


def test_numero_di_query_costante_nella_scheda(client_di, coordinatore, patto_san_siro):
    pubblica = reverse("patti:registro_dettaglio", args=[patto_san_siro.pk])
    interna = reverse("patti:dettaglio", args=[patto_san_siro.pk])
    c = client_di(coordinatore)
    # One of each kind of row first: empty relations skip their prefetch query.
    f.IndicatoreFactory(patto=patto_san_siro).misurazioni.create(data="2025-01-01", valore=1)
    c.get(interna)
    prima = (_query(c, pubblica), _query(c, interna))
    for _ in range(10):
        firmatario = f.FirmatarioOrganizzazioneFactory(patto=patto_san_siro)
        f.ImpegnoFactory(firmatario=firmatario)
        f.FirmatarioVolontarioFactory(patto=patto_san_siro)
        f.ProgettoFactory(patto=patto_san_siro)
        indicatore = f.IndicatoreFactory(patto=patto_san_siro)
        indicatore.misurazioni.create(data="2025-01-01", valore=3)
    assert (_query(c, pubblica), _query(c, interna)) == prima


def test_organizzazioni_firmatarie_elencate(client, patto_san_siro):
    f.FirmatarioOrganizzazioneFactory(
        patto=patto_san_siro,
        tipo="scuola",
        organizzazione=OrganizzazioneFactory(nome="Scuola Primaria Dante", tipo="scuola"),
    )
    risposta = client.get(reverse("patti:registro_dettaglio", args=[patto_san_siro.pk]))
    nomi = [o["nome"] for o in risposta.context["organizzazioni"]]
    assert nomi == ["Associazione Inquilini San Siro", "Scuola Primaria Dante"]


def test_il_registro_conta_organizzazioni_e_volontari_di_ogni_patto(client, san_siro):
    """The counts are subqueries per pact (docs/performance.md, 4.8): each pact its own,
    zero for a pact without signatories of that kind."""
    oggi = datetime.date(2026, 1, 1)
    tre = f.PattoFactory(
        quartiere=san_siro, stato="firmato", data_firma=oggi, titolo="Tre e uno", rinnova=None
    )
    f.FirmatarioComuneFactory(patto=tre)
    for _ in range(3):
        f.FirmatarioOrganizzazioneFactory(patto=tre, organizzazione__quartiere=san_siro)
    f.FirmatarioVolontarioFactory(patto=tre)
    vuoto = f.PattoFactory(
        quartiere=san_siro, stato="firmato", data_firma=oggi, titolo="Solo Comune", rinnova=None
    )
    f.FirmatarioComuneFactory(patto=vuoto)
    risposta = client.get(reverse("patti:registro"))
    conteggi = {
        p.titolo: (p.n_organizzazioni, p.n_volontari) for p in risposta.context["object_list"]
    }
    assert conteggi == {"Tre e uno": (3, 1), "Solo Comune": (0, 0)}
    testo = risposta.content.decode()
    assert "3 organizzazioni" in testo and "1 volontario" in testo and "0 volontari" in testo


def test_il_registro_conta_il_totale_una_volta_al_minuto(client, san_siro):
    """The total and the years of the filter count every pact of the register: once a minute
    (quartiere/lib/paginazione.py); the rows stay current."""
    from django.core.cache import cache

    _patti_pubblici(2, san_siro)
    url = reverse("patti:registro")
    assert client.get(url).context["paginator"].count == 2
    _patti_pubblici(1, san_siro)
    risposta = client.get(url)
    assert risposta.context["paginator"].count == 2
    assert len(risposta.context["object_list"]) == 3
    cache.clear()
    assert client.get(url).context["paginator"].count == 3
