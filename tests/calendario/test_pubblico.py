"""The public site: home, quartiere pages, the calendar, the sitemap. No page shows a
person's data or a private booking, and none costs more queries with more rows."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.calendario.factories import PrenotazioneFactory, alle, domani
from tests.factories import OrganizzazioneFactory, PersonaFactory, UserFactory

pytestmark = pytest.mark.django_db

SEGRETI = [
    "Annalisa",
    "Verdimonti",
    "annalisa.verdimonti@example.org",
    "+393339998877",
    "Sarafina",
    "Bianchetti",
    "Riunione riservata",
    "Da confermare",
]


@pytest.fixture
def dati(sala, ufficio_san_siro, laboratorio, san_siro):
    from laboratori.models import Incontro

    giorno = domani()
    staff = UserFactory(username="sara", first_name="Sarafina", last_name="Bianchetti")
    referente = PersonaFactory(nome="Annalisa", cognome="Verdimonti", quartiere=san_siro)
    associazione = OrganizzazioneFactory(
        nome="Associazione Inquilini", referente=referente, quartiere=san_siro
    )
    PrenotazioneFactory(
        sede=sala,
        titolo="Assemblea pubblica sul parco",
        organizzazione=associazione,
        richiedente_nome="Annalisa Verdimonti",
        richiedente_email="annalisa.verdimonti@example.org",
        richiedente_telefono="+393339998877",
        inizio=alle(giorno, 18),
        fine=alle(giorno, 20),
    )
    PrenotazioneFactory(
        sede=ufficio_san_siro,
        titolo="Cineforum di cortile",
        organizzatore=staff,
        inizio=alle(giorno, 21),
        fine=alle(giorno, 23),
    )
    PrenotazioneFactory(
        sede=sala,
        titolo="Riunione riservata",
        pubblico=False,
        organizzatore=staff,
        inizio=alle(giorno, 10),
        fine=alle(giorno, 12),
    )
    PrenotazioneFactory(
        sede=sala, titolo="Da confermare", stato="richiesta", richiedente_nome="Annalisa Verdimonti"
    )
    Incontro.objects.create(
        laboratorio=laboratorio,
        titolo="Mappa del cortile",
        sede=ufficio_san_siro,
        inizio=alle(giorno + timedelta(days=1), 17),
    )
    return {"sala": sala, "ufficio": ufficio_san_siro}


def _pagine(dati):
    sala, ufficio = dati["sala"], dati["ufficio"]
    return [
        "/",
        "/quartieri/",
        "/quartieri/san-siro/",
        "/calendario/",
        f"/calendario/sedi/{sala.pk}/",
        f"/calendario/sedi/{sala.pk}/?vista=settimana",
        f"/calendario/sedi/{sala.pk}/?vista=elenco",
        f"/calendario/sedi/{ufficio.pk}/?vista=elenco",
        f"/calendario/sedi/{sala.pk}/eventi.ics",
        "/quartieri/san-siro/eventi.ics",
        "/prenota-la-sala/",
        "/sitemap.xml",
    ]


def test_nessuna_pagina_pubblica_mostra_dati_personali_o_privati(client, dati):
    for url in _pagine(dati):
        risposta = client.get(url)
        assert risposta.status_code == 200, url
        testo = risposta.content.decode()
        for segreto in SEGRETI:
            assert segreto not in testo, (url, segreto)


def test_home_mostra_servizio_uffici_orari_ed_eventi(client, dati):
    from quartiere.territorio.models import OrarioApertura

    OrarioApertura.objects.create(
        sede=dati["sala"], giorno=1, apre="09:00", chiude="13:00", nota="sportello di ascolto"
    )
    testo = client.get("/").content.decode()
    assert "Prossimi eventi pubblici" in testo
    assert "Assemblea pubblica sul parco" in testo
    assert "Mappa del cortile" in testo  # public lab meeting
    assert "Sala della Città condivisa" in testo
    assert "09:00–13:00 (sportello di ascolto)" in testo
    assert '<meta name="description"' in testo


def test_pagina_quartiere_laboratori_incontri_eventi(client, dati):
    testo = client.get("/quartieri/san-siro/").content.decode()
    assert "Il cortile di via Abbiati" in testo
    assert "Mappa del cortile" in testo
    assert "Cineforum di cortile" in testo
    assert "/quartieri/san-siro/eventi.ics" in testo
    assert "Assemblea pubblica sul parco" not in testo  # the Latina hall is not in San Siro


def test_calendario_mese_e_una_tabella_accessibile(client, dati):
    testo = client.get(f"/calendario/sedi/{dati['sala'].pk}/").content.decode()
    assert "<caption>" in testo
    assert '<th scope="col"><abbr title="lunedì">' in testo
    assert "Assemblea pubblica sul parco" in testo
    assert "Riunione riservata" not in testo


def test_calendario_staff_mostra_anche_privati_e_richieste(client_di, coordinatore, dati):
    testo = (
        client_di(coordinatore)
        .get(f"/lavoro/calendario/?sede={dati['sala'].pk}&vista=elenco")
        .content.decode()
    )
    assert "Riunione riservata" in testo
    assert "Da confermare" in testo


def test_sitemap_elenca_le_pagine_pubbliche(client, dati):
    testo = client.get("/sitemap.xml").content.decode()
    assert "<urlset" in testo
    assert "/quartieri/san-siro/" in testo
    assert f"/calendario/sedi/{dati['sala'].pk}/" in testo
    assert "/prenota-la-sala/" in testo
    assert "/lavoro/" not in testo


def test_robots_indica_la_sitemap(client, db):
    assert "Sitemap:" in client.get("/robots.txt").content.decode()


def test_titoli_e_descrizioni(client, dati):
    for url in [
        "/",
        "/quartieri/san-siro/",
        "/calendario/",
        f"/calendario/sedi/{dati['sala'].pk}/",
        "/prenota-la-sala/",
    ]:
        testo = client.get(url).content.decode()
        assert "<title>" in testo and "<title> ·" not in testo, url
        assert '<meta name="description" content="' in testo, url


def _riempi(n, sala, ufficio, laboratorio, *, primo=0):
    """``n`` bookings in each Sede and meetings in the office, from the ``primo``-th on: the
    slots (day i % 20, hour i % 12) are all different for i < 60, as a hall requires."""
    from laboratori.models import Incontro

    giorno = domani()
    for i in range(primo, primo + n):
        g = giorno + timedelta(days=i % 20)
        PrenotazioneFactory(sede=sala, inizio=alle(g, 8 + i % 12), fine=alle(g, 9 + i % 12))
        PrenotazioneFactory(sede=ufficio, inizio=alle(g, 8 + i % 12), fine=alle(g, 9 + i % 12))
        Incontro.objects.create(laboratorio=laboratorio, sede=ufficio, inizio=alle(g, 20))


def _conta(client, url):
    # A hall's calendar is cached for a minute: count the queries of a miss, the work
    # that could grow with the data (the hit is pinned below).
    cache.clear()
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_calendario_della_sede_in_cache_per_periodo_e_lingua(
    client, sala, ufficio_san_siro, laboratorio
):
    """A minute's cache (docs/performance.md, 4.8): the same page again without the
    events' queries; another view of the period or language is its own entry."""
    import re

    from django.urls import reverse

    def senza_token(html: bytes) -> bytes:  # the CSRF token is masked anew every time
        return re.sub(rb'name="csrfmiddlewaretoken" value="[^"]+"', b"", html)

    _riempi(5, sala, ufficio_san_siro, laboratorio)
    url = reverse("quartiere:calendario_sede", args=[sala.pk])
    cache.clear()
    prima = client.get(url).content
    with CaptureQueriesContext(connection) as ctx:
        seconda = client.get(url).content
    assert senza_token(seconda) == senza_token(prima)
    assert not any("quartiere_prenotazione" in q["sql"] for q in ctx.captured_queries)
    assert not any("laboratori_incontro" in q["sql"] for q in ctx.captured_queries)
    with CaptureQueriesContext(connection) as ctx:
        client.get(url, {"vista": "elenco"})
    assert any("quartiere_prenotazione" in q["sql"] for q in ctx.captured_queries)
    with CaptureQueriesContext(connection) as ctx:
        client.get(url, HTTP_ACCEPT_LANGUAGE="en", HTTP_COOKIE="django_language=en")
    assert any("quartiere_prenotazione" in q["sql"] for q in ctx.captured_queries)


@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/quartieri/san-siro/",
        "/calendario/",
        "/calendario/sedi/{sala}/",
        "/calendario/sedi/{sala}/?vista=settimana",
        "/calendario/sedi/{ufficio}/?vista=elenco",
        "/calendario/sedi/{sala}/eventi.ics",
        "/quartieri/san-siro/eventi.ics",
        "/sitemap.xml",
    ],
)
def test_query_costanti_pagine_pubbliche(client, sala, ufficio_san_siro, laboratorio, url):
    url = url.format(sala=sala.pk, ufficio=ufficio_san_siro.pk)
    _riempi(5, sala, ufficio_san_siro, laboratorio)
    poche = _conta(client, url)
    _riempi(45, sala, ufficio_san_siro, laboratorio, primo=5)
    assert _conta(client, url) == poche


@pytest.mark.parametrize(
    "url",
    [
        "/lavoro/calendario/?sede={sala}",
        "/lavoro/calendario/?sede={ufficio}&vista=settimana",
        "/lavoro/calendario/?sede={ufficio}&vista=elenco",
        "/lavoro/diario/",
        "/lavoro/diario/?operatore={operatore}",
    ],
)
def test_query_costanti_pagine_staff(
    client_di, coordinatore, operatore, sala, ufficio_san_siro, laboratorio, url
):
    from tests.calendario.factories import AttivitaDiarioFactory

    c = client_di(coordinatore)
    url = url.format(sala=sala.pk, ufficio=ufficio_san_siro.pk, operatore=operatore.pk)

    def riempi(n, primo=0):
        _riempi(n, sala, ufficio_san_siro, laboratorio, primo=primo)
        for _ in range(n):
            AttivitaDiarioFactory(operatore=operatore, quartiere=ufficio_san_siro.quartiere)
        for _ in range(n):
            PrenotazioneFactory(
                sede=sala,
                stato="richiesta",
                inizio=alle(domani() + timedelta(days=40), 8),
                fine=alle(domani() + timedelta(days=40), 9),
            )

    riempi(5)
    poche = _conta(c, url)
    riempi(45, primo=5)
    assert _conta(c, url) == poche


def test_patti_firmati_in_home_e_nel_quartiere(client, san_siro, gratosoglio):
    from tests.patti.factories import PattoFactory, PattoFirmatoFactory

    PattoFirmatoFactory(titolo="Cura del giardino di via Abbiati", quartiere=san_siro)
    PattoFirmatoFactory(titolo="Orti di Gratosoglio", quartiere=gratosoglio)
    PattoFactory(titolo="Patto ancora in bozza", quartiere=san_siro)
    home = client.get("/").content.decode()
    assert "Cura del giardino di via Abbiati" in home and "Orti di Gratosoglio" in home
    assert "Patto ancora in bozza" not in home
    pagina = client.get("/quartieri/san-siro/").content.decode()
    assert "Cura del giardino di via Abbiati" in pagina
    assert "Orti di Gratosoglio" not in pagina and "Patto ancora in bozza" not in pagina


@pytest.mark.parametrize(
    "parametri",
    [
        "?mese=abc",
        "?mese=2026-13",
        "?mese=99999-01",
        "?vista=settimana&giorno=ieri",
        "?vista=elenco&dal=2026-02-30",
        "?vista=boh",
        "?sede=x",
    ],
)
def test_parametri_sbagliati_non_rompono_il_calendario(client, sala, parametri):
    assert client.get(f"/calendario/sedi/{sala.pk}/{parametri}").status_code == 200


def test_mese_precedente_e_successivo(client, sala):
    PrenotazioneFactory(
        sede=sala,
        titolo="Festa di gennaio",
        inizio=alle(domani().replace(year=2027, month=1, day=15), 18),
        fine=alle(domani().replace(year=2027, month=1, day=15), 20),
    )
    testo = client.get(f"/calendario/sedi/{sala.pk}/?mese=2027-01").content.decode()
    assert "Festa di gennaio" in testo
    assert "mese=2026-12" in testo and "mese=2027-02" in testo


def test_la_mappa_del_sito_indica_la_scheda_del_servizio(client):
    """The sitemap names the report service by its card (the page the steps' canonical
    link points to), not the one-page form."""
    testo = client.get("/sitemap.xml").content.decode()
    assert "/segnalazioni/</loc>" in testo and "/segnalazioni/elenco/</loc>" in testo
    assert "/segnalazioni/nuova/" not in testo
