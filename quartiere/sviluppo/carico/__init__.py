"""Deterministic load data for the benchmark (``manage.py generate_load_data``).

Everything goes in through COPY with explicit primary keys, in one transaction; the
derived columns that models compute in ``save()`` (the normalised search text) are
computed with the same helpers, and the database computes its generated columns (the
Italian tsvector of the reports). The same seed, scale and end date give the same rows.

A table ``carico_generazioni`` (outside Django's models: it belongs to this tool) records
each run with its row count, so that a later run knows the database holds generated data
only and may replace it.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from datetime import date

from django.apps import apps
from django.core.management.color import no_style
from django.db import connection, transaction

# calendario and programmi register the core's own phases (the diary, the bookings, the
# funded programmes and what they pay for).
from quartiere.sviluppo.carico import base, calendario, programmi, registro  # noqa: F401
from quartiere.sviluppo.carico.base import GENERATORI

VERSIONE = 6  # bump when the generated data changes shape: the bench rebuilds its database

# The registry's figures at --scale 1 (the figures); each phase registered at
# GENERATORI (the core's in calendario.py, each app's in <app>/carico.py) adds its own.
BASE_REGISTRO = {"quartieri": 30, "persone": 50_000, "organizzazioni": 5_000}
MODELLI_REGISTRO = {
    "quartieri": "quartiere.Quartiere",
    "persone": "quartiere.Persona",
    "organizzazioni": "quartiere.Organizzazione",
}


def fasi_registrate() -> list[tuple[str, base.Generatore]]:
    """The registered phases, in the order they run."""
    return sorted(GENERATORI.items(), key=lambda voce: (voce[1].ordine, voce[0]))


def base_conteggi() -> dict[str, int]:
    """Row counts at --scale 1, per figure, in the order the phases write them."""
    risultato = dict(BASE_REGISTRO)
    for _nome, generatore in fasi_registrate():
        risultato.update(generatore.conteggi)
    return risultato


def modelli() -> dict[str, str]:
    """Which model each figure counts (for the summary and the tests)."""
    risultato = dict(MODELLI_REGISTRO)
    for _nome, generatore in fasi_registrate():
        risultato.update(generatore.modelli)
    return risultato


def app_dominio() -> set[str]:
    """The apps whose tables hold the product's data: the core and every phase's."""
    return {"quartiere"} | {etichetta.split(".")[0] for etichetta in modelli().values()}


# Not the product's data: the privacy notice and the records of processing, which a
# migration seeds and the Comune edits (a published notice may never be deleted), and
# the public forms' rate-limit counters. The generator neither counts nor empties them.
MODELLI_NON_DOMINIO = {
    "quartiere.informativa",
    "quartiere.historicalinformativa",
    "quartiere.trattamento",
    "quartiere.historicaltrattamento",
    "quartiere.limitefrequenza",
}
TABELLA_REGISTRO = "carico_generazioni"


class DatiNonGenerati(Exception):
    """The database holds rows that this tool did not write."""


def conteggi(scala: float) -> dict[str, int]:
    return {chiave: max(1, round(valore * scala)) for chiave, valore in base_conteggi().items()}


def tabelle_dominio() -> list[str]:
    """The tables whose rows are the product's data (the users included)."""
    from django.contrib.auth import get_user_model

    tabelle = set()
    dominio = app_dominio()
    for config in apps.get_app_configs():
        if config.label in dominio:
            for model in config.get_models(include_auto_created=True):
                if (
                    not model._meta.proxy
                    and model._meta.managed
                    and model._meta.label_lower not in MODELLI_NON_DOMINIO
                ):
                    tabelle.add(model._meta.db_table)
    User = get_user_model()
    tabelle |= {User._meta.db_table, User.groups.through._meta.db_table}
    tabelle |= {User.user_permissions.through._meta.db_table}
    esistenti = set(connection.introspection.table_names())
    return sorted(tabelle & esistenti)


def righe_dominio(cursore) -> int:
    totale = 0
    for tabella in tabelle_dominio():
        cursore.execute(f'SELECT count(*) FROM "{tabella}"')  # noqa: S608 - table names
        totale += cursore.fetchone()[0]
    return totale


def ultima_generazione(cursore) -> dict | None:
    """The last recorded run, or ``None`` when this database never held generated data."""
    if TABELLA_REGISTRO not in connection.introspection.table_names(cursore):
        return None
    colonne = "seme, scala, fino_al, versione, righe, durata_s, conteggi, eseguita_il"
    sql = f"SELECT {colonne} FROM {TABELLA_REGISTRO} ORDER BY id DESC LIMIT 1"  # noqa: S608
    cursore.execute(sql)
    riga = cursore.fetchone()
    if riga is None:
        return None
    chiavi = (
        "seme",
        "scala",
        "fino_al",
        "versione",
        "righe",
        "durata_s",
        "conteggi",
        "eseguita_il",
    )
    dati = dict(zip(chiavi, riga, strict=True))
    if isinstance(dati["conteggi"], str):
        dati["conteggi"] = json.loads(dati["conteggi"])
    return dati


def verifica_database(cursore) -> None:
    """Raise :class:`DatiNonGenerati` unless the domain tables are empty or hold exactly
    what the last generated run wrote."""
    righe = righe_dominio(cursore)
    if righe == 0:
        return
    ultima = ultima_generazione(cursore)
    if ultima is None:
        raise DatiNonGenerati(
            f"il database contiene {righe} righe non generate da generate_load_data"
        )
    if ultima["righe"] != righe:
        raise DatiNonGenerati(
            f"il database contiene {righe} righe, la generazione precedente ne aveva scritte "
            f"{ultima['righe']}: altri dati sono stati aggiunti o tolti"
        )


def genera(
    *,
    scala: float,
    seme: int = 1,
    fino_al: date,
    forza: bool = False,
    nota: Callable[[str], None] = print,
) -> dict:
    """Empty the domain tables and fill them with generated data.

    Raises :class:`DatiNonGenerati` when they hold other data and ``forza`` is false.
    Returns a summary: counts per figure and per table, the seconds taken.
    """
    n = conteggi(scala)
    inizio = time.monotonic()
    with transaction.atomic(), connection.cursor() as django_cursor:
        cursore = django_cursor.cursor  # psycopg 3: COPY lives here
        if not forza:
            verifica_database(cursore)
        _svuota(cursore)
        # Foreign keys are checked at each COPY's end (parents are written first), so that
        # no trigger event is pending when an index is rebuilt.
        cursore.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cal = base.Calendario(fino_al)
        s = base.Scrittore(cursore=cursore, adesso=cal.adesso, nota=nota)
        fasi = []

        def fase(nome, funzione, *args):
            t = time.monotonic()
            risultato = funzione(*args)
            fasi.append((nome, round(time.monotonic() - t, 1)))
            nota(f"{nome}: {fasi[-1][1]} s")
            return risultato

        reg = fase("anagrafe", registro.genera, s, seme, n, cal)
        risultati: dict = {}
        for nome, generatore in fasi_registrate():
            risultati[nome] = fase(nome, generatore.genera, s, seme, n, cal, reg, risultati)
        t = time.monotonic()
        for sql in connection.ops.sequence_reset_sql(no_style(), s.modelli):
            cursore.execute(sql)
        fasi.append(("sequenze", round(time.monotonic() - t, 1)))
        righe = righe_dominio(cursore)
        durata = round(time.monotonic() - inizio, 1)
        _registra(cursore, seme, scala, fino_al, righe, durata, s.conteggi)
    t = time.monotonic()
    with connection.cursor() as c:
        c.execute("ANALYZE")  # fresh statistics, as autovacuum would give a real database
    fasi.append(("analyze", round(time.monotonic() - t, 1)))
    return {
        "conteggi": {k: s.conteggi.get(modello, 0) for k, modello in modelli().items()},
        "tabelle": dict(s.conteggi),
        "righe": righe,
        "secondi": round(time.monotonic() - inizio, 1),
        "fasi": fasi,
    }


def _svuota(cursore) -> None:
    tabelle = ", ".join(f'"{t}"' for t in tabelle_dominio())
    cursore.execute(f"TRUNCATE {tabelle} RESTART IDENTITY CASCADE")
    cursore.execute("DELETE FROM django_session")


def _registra(cursore, seme, scala, fino_al, righe, durata, tabelle) -> None:
    cursore.execute(
        f"""CREATE TABLE IF NOT EXISTS {TABELLA_REGISTRO} (
            id serial PRIMARY KEY,
            eseguita_il timestamptz NOT NULL DEFAULT now(),
            seme bigint NOT NULL,
            scala double precision NOT NULL,
            fino_al date NOT NULL,
            versione integer NOT NULL,
            righe bigint NOT NULL,
            durata_s double precision NOT NULL,
            conteggi jsonb NOT NULL
        )"""
    )
    cursore.execute(
        f"INSERT INTO {TABELLA_REGISTRO} (seme, scala, fino_al, versione, righe, durata_s, "  # noqa: S608
        "conteggi) VALUES (%s, %s, %s, %s, %s, %s, %s)",
        [seme, scala, fino_al, VERSIONE, righe, durata, json.dumps(tabelle, sort_keys=True)],
    )


def impronta(cursore=None) -> dict[str, str]:
    """An md5 of every domain table's rows in primary-key order (for the determinism test)."""
    risultato = {}
    with connection.cursor() as c:
        for tabella in tabelle_dominio():
            c.execute(
                f"SELECT md5(coalesce(string_agg(md5(t::text), '' ORDER BY t::text), '')) "  # noqa: S608
                f'FROM "{tabella}" t'
            )
            risultato[tabella] = c.fetchone()[0]
    return risultato
