"""Works of the funded programmes and their notices to residents (issue 19): the database
keeps their states and dates coherent, and the quartiere's public page shows the works not
concluded with the notices in force, in a constant number of queries."""

from __future__ import annotations

import datetime

import pytest
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from quartiere.programmi.models import AvvisoIntervento, Intervento, Programma

pytestmark = pytest.mark.django_db

OGGI = datetime.date(2026, 12, 7)


@pytest.fixture
def programma(san_siro):
    oggi = timezone.localdate()
    return Programma.objects.create(
        codice="lorenteggio",
        nome="Laboratorio Sociale Lorenteggio",
        finanziatore="Regione Lombardia",
        strumento="por_fse",
        inizio=oggi - datetime.timedelta(days=300),
        fine=oggi + datetime.timedelta(days=300),
    )


def _intervento(programma, quartiere, **campi):
    oggi = timezone.localdate()
    valori = {
        "titolo": "Riqualificazione del cortile",
        "luogo": "Via Abbiati 4",
        "inizio_previsto": oggi - datetime.timedelta(days=10),
        "fine_prevista": oggi + datetime.timedelta(days=100),
        **campi,
    }
    return Intervento.objects.create(programma=programma, quartiere=quartiere, **valori)


@pytest.mark.parametrize(
    "campi",
    [
        {"stato": "demolito"},
        {"fine_prevista": datetime.date(2000, 1, 1)},
        {"stato": "concluso"},  # concluded without an actual end
        {"stato": "programmato", "inizio_effettivo": datetime.date(2026, 1, 1)},
        {
            "inizio_effettivo": datetime.date(2026, 5, 1),
            "fine_effettiva": datetime.date(2026, 4, 1),
        },
        {"fine_effettiva": datetime.date(2026, 4, 1)},  # an end without a start
    ],
)
def test_la_base_dati_rifiuta_stati_e_date_incoerenti(programma, san_siro, campi):
    with pytest.raises(IntegrityError), transaction.atomic():
        _intervento(programma, san_siro, **campi)


def test_un_avviso_non_finisce_prima_di_cominciare(programma, san_siro):
    intervento = _intervento(programma, san_siro)
    with pytest.raises(IntegrityError), transaction.atomic():
        intervento.avvisi.create(
            titolo="x", testo="y", dal=OGGI, al=OGGI - datetime.timedelta(days=1)
        )


def _pagina(client, quartiere) -> str:
    r = client.get(f"/quartieri/{quartiere.codice}/")
    assert r.status_code == 200
    return r.content.decode()


def test_la_pagina_del_quartiere_mostra_lavori_e_avvisi_in_corso(
    client, programma, san_siro, gratosoglio
):
    oggi = timezone.localdate()
    giorno = datetime.timedelta(days=1)
    cortile = _intervento(
        programma,
        san_siro,
        titolo="Riqualificazione del cortile di via Abbiati",
        stato="in_corso",
        inizio_effettivo=oggi - 5 * giorno,
    )
    cortile.avvisi.create(
        titolo="Acqua sospesa giovedì", testo="Dalle 8 alle 14.", dal=oggi - giorno, al=oggi
    )
    cortile.avvisi.create(
        titolo="Avviso scaduto", testo="x", dal=oggi - 9 * giorno, al=oggi - giorno
    )
    cortile.avvisi.create(titolo="Avviso futuro", testo="x", dal=oggi + giorno)
    cortile.avvisi.create(titolo="Finché dura il cantiere", testo="Si entra dal cortile.", dal=oggi)
    _intervento(
        programma,
        san_siro,
        titolo="Cantiere finito",
        stato="concluso",
        inizio_effettivo=oggi - 90 * giorno,
        fine_effettiva=oggi - 2 * giorno,
    )
    _intervento(programma, san_siro, titolo="Lavori interni non pubblici", pubblico=False)
    _intervento(programma, gratosoglio, titolo="Lavori a Gratosoglio")

    html = _pagina(client, san_siro)
    assert "Lavori e cantieri nel quartiere" in html
    assert "Riqualificazione del cortile di via Abbiati" in html and "in corso" in html
    assert "Finanziato da: Laboratorio Sociale Lorenteggio" in html
    assert "Acqua sospesa giovedì" in html and "Finché dura il cantiere" in html
    for assente in ("Avviso scaduto", "Avviso futuro", "Cantiere finito", "non pubblici"):
        assert assente not in html, assente
    assert "Lavori a Gratosoglio" not in html
    # The open-ended notice ends with its works.
    Intervento.objects.filter(pk=cortile.pk).update(stato="concluso", fine_effettiva=oggi)
    assert not AvvisoIntervento.objects.in_corso().filter(titolo__startswith="Finché").exists()


def test_le_query_della_sezione_non_crescono(client, programma, san_siro):
    oggi = timezone.localdate()
    _intervento(programma, san_siro).avvisi.create(titolo="a", testo="b", dal=oggi)
    with CaptureQueriesContext(connection) as poche:
        _pagina(client, san_siro)
    for n in range(5):
        i = _intervento(programma, san_siro, titolo=f"Lavori {n}")
        i.avvisi.create(titolo=f"Avviso {n}", testo="b", dal=oggi)
    with CaptureQueriesContext(connection) as molte:
        html = _pagina(client, san_siro)
    assert "Avviso 4" in html
    assert len(molte) == len(poche)


def test_senza_lavori_nessuna_sezione(client, san_siro):
    assert "Lavori e cantieri" not in _pagina(client, san_siro)
