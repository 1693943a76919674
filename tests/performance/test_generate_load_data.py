"""``generate_load_data`` (issue 8): its counts at --scale 0.01, the constraints its rows
respect, its determinism and its refusal of a database that holds other data."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.management import call_command, execute_from_command_line
from django.db import connection

from quartiere.lib.text import normalizza_ricerca
from quartiere.sviluppo import carico

FINO_AL = "2026-06-30"


def _genera(seme=7, scala="0.01"):
    call_command("generate_load_data", scale=scala, seed=seme, fino_al=FINO_AL, verbosity=0)


def _svuota_tutto():
    """What a fresh database looks like: no domain rows, no record of earlier runs."""
    with connection.cursor() as c:
        carico._svuota(c.cursor)
        c.execute(f"DROP TABLE IF EXISTS {carico.TABELLA_REGISTRO}")


@pytest.fixture(autouse=True)
def _registro_pulito(django_db_blocker):
    # The run record is not a Django model: no flush removes it between tests.
    with django_db_blocker.unblock(), connection.cursor() as c:
        c.execute(f"DROP TABLE IF EXISTS {carico.TABELLA_REGISTRO}")
    yield


def _conta(label: str) -> int:
    from django.apps import apps

    return apps.get_model(label).objects.count()


def _scalare(sql: str):
    with connection.cursor() as c:
        c.execute(sql)
        return c.fetchone()[0]


@pytest.mark.django_db
def test_scala_001_conteggi_vincoli_e_determinismo():
    _genera()
    attesi = carico.conteggi(0.01)
    assert attesi["segnalazioni"] == 2_000 and attesi["eventi"] == 10_000
    for chiave, label in carico.modelli().items():
        assert _conta(label) == attesi[chiave], chiave

    # Derived columns computed as the models' save() would.
    from quartiere.registro.models import Persona
    from segnalazioni.models import Segnalazione

    for p in Persona.objects.order_by("pk")[:50]:
        campi = [p.nome, p.cognome, p.email, p.telefono, p.codice_fiscale, p.codice or ""]
        assert p.ricerca == normalizza_ricerca(" ".join(campi))
    s = Segnalazione.objects.order_by("pk").first()
    assert s.ricerca == normalizza_ricerca(
        " ".join([s.oggetto, s.descrizione, s.indirizzo, s.codice])
    )
    assert Segnalazione.objects.cerca(s.oggetto).exists()  # the generated tsvector works

    # Confirmed bookings of a hall never overlap.
    assert (
        _scalare(
            """SELECT count(*) FROM quartiere_prenotazione a JOIN quartiere_prenotazione b
               ON a.sede_id = b.sede_id AND a.id < b.id AND a.inizio < b.fine AND b.inizio < a.fine
               WHERE a.stato = 'confermata' AND b.stato = 'confermata'"""
        )
        == 0
    )
    # Dossier numbers run 1..n in each year, and the counters know the last one.
    assert (
        _scalare(
            """SELECT count(*) FROM (SELECT anno, max(progressivo) m, count(*) n
               FROM mediazione_dossier GROUP BY anno) x WHERE m <> n"""
        )
        == 0
    )
    assert (
        _scalare(
            """SELECT count(*) FROM mediazione_contatoredossier c
               WHERE c.ultimo <> (SELECT max(progressivo) FROM mediazione_dossier d
                                  WHERE d.anno = c.anno)"""
        )
        == 0
    )
    # A share of the activities of every kind is paid by a programme's axis, each by the
    # rule the forms apply (a programme running that day for that quartiere).
    from django.apps import apps

    from quartiere.sviluppo.carico.programmi import ATTIVITA

    for voce in ATTIVITA:
        attribuite = apps.get_model(voce.app, voce.nome).objects.filter(asse__isnull=False)
        assert attribuite.exists(), voce.nome
        for attivita in attribuite.order_by("pk")[:20]:
            assert attivita.errore_di_attribuzione() is None, (voce.nome, attivita.pk)
    # The five years end on --fino-al, with a skew towards the busiest quartieri.
    ultima = Segnalazione.objects.order_by("-creata_il").first().creata_il
    assert ultima.date() <= date.fromisoformat(FINO_AL)
    impronta = carico.impronta()

    # A fresh database and the same seed: the same rows, ids included.
    _svuota_tutto()
    _genera()
    assert carico.impronta() == impronta

    # A second run over generated data is allowed and replaces it; another seed differs.
    _genera(seme=8)
    assert carico.impronta() != impronta


@pytest.mark.django_db(transaction=True)
def test_rifiuta_un_database_con_dati_non_generati(capsys):
    from quartiere.territorio.models import Quartiere

    Quartiere.objects.create(codice="vero", nome="Un quartiere vero")
    with pytest.raises(SystemExit) as uscita:
        execute_from_command_line(["manage.py", "generate_load_data", "--scale", "0.01"])
    assert uscita.value.code == 2
    errore = capsys.readouterr().err.strip()
    assert len(errore.splitlines()) == 1
    assert "non generate" in errore
    assert Quartiere.objects.filter(codice="vero").exists()  # nothing was emptied


@pytest.mark.django_db
def test_scala_non_valida():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError) as errore:
        call_command("generate_load_data", scale="zero")
    assert errore.value.returncode == 2
