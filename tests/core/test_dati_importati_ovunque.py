"""Imported data renders everywhere (issue 28): the documented sample set is imported
twice, once with its optional columns full and once with them empty, then every page a
coordinator, a quartiere's operator and a visitor can reach by following links from the
pages without arguments is opened — staff and public pages, the admin's lists and forms of
the imported records, PDFs — and none may answer 5xx or raise."""

from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path

import pytest
from django.test import Client

from quartiere.importazione import fogli, importa
from tests import factories
from tests.collegamenti import visita
from tests.dati_di_modulo import transazione_di_modulo

pytestmark = pytest.mark.django_db

PULITO = Path(__file__).resolve().parents[1] / "patti" / "dati_import" / "pulito"
# Optional columns some rows need all the same (a volunteer names a person, a signed pact
# its date): they stay; every other optional column is emptied.
TENUTE = {"persona", "organizzazione", "data_firma", "rinnova", "quartiere"}
MASSIMO_PAGINE = 900


def _senza_facoltative(sorgente: Path, destinazione: Path) -> None:
    """The sample set with other codici and names, and its optional columns empty."""
    destinazione.mkdir()
    for nome, foglio in fogli().items():
        testo = (sorgente / nome).read_text(encoding="utf-8-sig")
        testo = testo.replace("IMP-", "VUO-").replace("rivalta", "vuota")
        testo = testo.replace("Rivalta", "Vuota")
        righe = list(csv.DictReader(io.StringIO(testo)))
        intestazione = list(righe[0]) if righe else list(foglio.colonne.tutte)
        uscita = io.StringIO()
        scrittore = csv.DictWriter(uscita, intestazione, lineterminator="\n")
        scrittore.writeheader()
        for riga in righe:
            for colonna in foglio.colonne.facoltative:
                if colonna in riga and colonna not in TENUTE:
                    riga[colonna] = ""
            scrittore.writerow(riga)
        (destinazione / nome).write_text(uscita.getvalue(), encoding="utf-8")


@pytest.fixture(scope="module")
def importati(django_db_setup, django_db_blocker, tmp_path_factory):
    with transazione_di_modulo(django_db_blocker):
        cartella = tmp_path_factory.mktemp("fogli")
        shutil.copytree(PULITO, cartella / "pieni")
        _senza_facoltative(PULITO, cartella / "vuoti")
        for sotto in ("pieni", "vuoti"):
            esito = importa(cartella / sotto)
            assert esito.ok, [str(e) for e in esito.errori]
        from quartiere.territorio.models import Quartiere

        utenti = {
            "coordinatore": factories.utente("coordinatore", "coord-imp", is_staff=True),
            "operatore": factories.utente(
                "operatore", "oper-imp", *Quartiere.objects.filter(codice="rivalta")
            ),
        }
        sessioni = {}
        for ruolo, utente in [*utenti.items(), ("anonimo", None)]:
            client = Client()
            if utente is not None:
                client.force_login(utente, backend="django.contrib.auth.backends.ModelBackend")
            sessioni[ruolo] = client
        yield sessioni


@pytest.mark.parametrize("ruolo", ["coordinatore", "operatore", "anonimo"])
def test_ogni_pagina_raggiungibile_si_apre(importati, ruolo):
    guasti, viste = visita(importati[ruolo], MASSIMO_PAGINE)
    assert guasti == []
    assert len(viste) < MASSIMO_PAGINE  # the walk ended by itself: nothing left unvisited
    # It reached the imported records, not only the lists.
    from patti.models import Patto

    visibili = {
        "coordinatore": Patto.objects.all(),
        "operatore": Patto.objects.filter(quartiere__codice="rivalta"),  # their quartiere
        "anonimo": Patto.objects.none(),
    }[ruolo]
    assert visibili.exists() or ruolo == "anonimo"
    for patto in visibili:
        assert any(p.startswith(patto.get_absolute_url()) for p in viste), patto.codice
