"""The funded programmes and the activities they pay for.

A few programmes, each with the five axes of a Lorenteggio-like service over a group of
quartieri (the busiest first) and running over the whole calendar; then, once every app has
written its activities, a share of them is attributed to an axis of a programme running on
the activity's day for its quartiere: the rule of
:class:`quartiere.programmi.models.AttribuibileAProgramma`, applied here in SQL to the rows the
phases wrote with COPY (each activity says its day and quartiere as its
``giorno_e_quartiere()`` does). Activities of apps that are not installed are skipped.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from django.db import models

from quartiere.sviluppo.carico.base import GENERATORI, Generatore, Scrittore, modello, rng

STRUMENTI = ["pon_metro", "pnrr", "comunale", "periferie", "por_fse"]
# (axis code, title, which activities it pays for)
ASSI = [
    ("A", "Ascolto e presidio del territorio", ("diario", "prenotazioni")),
    ("B", "Segnalazioni e cura dei beni comuni", ("segnalazioni",)),
    ("C", "Mediazione dei conflitti", ("mediazione",)),
    ("D", "Laboratori e patti di collaborazione", ("laboratori", "patti")),
    ("E", "Accompagnamento all'abitare", ("abitare",)),
]
QUARTIERI_PER_PROGRAMMA = 4
# One activity in QUOTA is attributed (by id), if a programme covers its day and quartiere.
QUOTA = 3


@dataclass(frozen=True)
class Attivita:
    """Where an attributable model keeps its day and its quartiere."""

    tipo: str  # the axis's kind, in ASSI
    app: str
    nome: str
    giorno: str  # a date or datetime field
    quartiere: str  # "quartiere", or "<fk>__quartiere" through one foreign key


ATTIVITA = [
    Attivita("diario", "quartiere", "AttivitaDiario", "data", "quartiere"),
    Attivita("prenotazioni", "quartiere", "Prenotazione", "inizio", "sede__quartiere"),
    Attivita("segnalazioni", "segnalazioni", "Segnalazione", "creata_il", "quartiere"),
    Attivita("mediazione", "mediazione", "Dossier", "aperto_il", "quartiere"),
    Attivita("laboratori", "laboratori", "Incontro", "inizio", "laboratorio__quartiere"),
    Attivita("patti", "patti", "Patto", "data_firma", "quartiere"),
    Attivita("abitare", "abitare", "Percorso", "avviato_il", "nucleo__quartiere"),
]


def genera_programmi(s: Scrittore, seme: int, n: dict[str, int], cal, reg) -> dict:
    Programma = modello("quartiere", "Programma")
    Asse = modello("quartiere", "Asse")
    if Programma is None or Asse is None:
        s.nota("programmi: modelli non disponibili, saltato")
        return {}
    r = rng(seme, "programmi")
    quartieri = list(reg.quartieri)  # the busiest first (the registry's weights)
    inizio, fine = cal.inizio, cal.fine + timedelta(days=365)
    programmi, coperti, assi = [], [], []
    for i in range(n["programmi"]):
        pk = i + 1
        # Programme 1 covers the busiest quartieri, the next ones move along the list.
        primo = (i * QUARTIERI_PER_PROGRAMMA) % max(1, len(quartieri))
        scelti = [
            quartieri[(primo + k) % len(quartieri)]
            for k in range(min(QUARTIERI_PER_PROGRAMMA, len(quartieri)))
        ]
        programmi.append(
            (
                pk,
                f"programma-{pk}",
                f"Programma {pk} · quartieri in rete",
                r.choice(["Unione europea", "Ministero", "Regione", "Comune"]),
                STRUMENTI[i % len(STRUMENTI)],
                inizio,
                fine,
            )
        )
        coperti += [(pk, q) for q in dict.fromkeys(scelti)]
        for codice, titolo, _tipi in ASSI:
            assi.append(
                (
                    len(assi) + 1,
                    pk,
                    codice,
                    titolo,
                    Decimal(r.randrange(50, 400) * 1000),
                )
            )
    s.copia(
        Programma,
        ["id", "codice", "nome", "finanziatore", "strumento", "inizio", "fine"],
        programmi,
    )
    Quartieri = Programma.quartieri.through
    s.copia(
        Quartieri,
        ["id", "programma", "quartiere"],
        [(i + 1, p, q) for i, (p, q) in enumerate(coperti)],
    )
    s.copia(Asse, ["id", "programma", "codice", "titolo", "importo"], assi)
    return {"assi": len(assi)}


def _espressione(model: type[models.Model], percorso: str) -> tuple[str, str]:
    """The SQL of the quartiere's id for a row ``t`` of ``model``, and the join it needs."""
    if "__" not in percorso:
        return f't."{model._meta.get_field(percorso).column}"', ""
    fk, campo = percorso.split("__", 1)
    relazione = model._meta.get_field(fk)
    altro = relazione.related_model
    join = (
        f'JOIN "{altro._meta.db_table}" r ON r."{altro._meta.pk.column}" = t."{relazione.column}"'
    )
    return f'r."{altro._meta.get_field(campo).column}"', join


def attribuisci(s: Scrittore, seme: int) -> int:
    """One activity in QUOTA, of every kind, attributed to the axis of its kind of the first
    programme running on its day for its quartiere."""
    Asse = modello("quartiere", "Asse")
    Programma = modello("quartiere", "Programma")
    if Asse is None or Programma is None:
        return 0
    assi = Asse._meta.db_table
    programmi = Programma._meta.db_table
    coperti = Programma.quartieri.through._meta.db_table
    totale = 0
    for voce in ATTIVITA:
        model = modello(voce.app, voce.nome)
        if model is None:
            continue
        codice = next(c for c, _t, tipi in ASSI if voce.tipo in tipi)
        giorno = model._meta.get_field(voce.giorno)
        colonna = f't."{giorno.column}"'
        if isinstance(giorno, models.DateTimeField):
            colonna = f"({colonna} AT TIME ZONE 'Europe/Rome')::date"
        quartiere, join = _espressione(model, voce.quartiere)
        tabella = model._meta.db_table
        pk = model._meta.pk.column
        s.cursore.execute(
            f"""
            UPDATE "{tabella}" u SET asse_id = scelta.asse
            FROM (
                SELECT DISTINCT ON (t."{pk}") t."{pk}" AS id, a.id AS asse
                FROM "{tabella}" t {join}
                JOIN "{coperti}" c ON c.quartiere_id = {quartiere}
                JOIN "{programmi}" p ON p.id = c.programma_id
                    AND {colonna} BETWEEN p.inizio AND p.fine
                JOIN "{assi}" a ON a.programma_id = p.id AND a.codice = %s
                WHERE (t."{pk}" + %s) %% {QUOTA} = 0
                ORDER BY t."{pk}", p.id
            ) scelta
            WHERE u."{pk}" = scelta.id
            """,  # noqa: S608 - table and column names from the models
            [codice, seme],
        )
        totale += s.cursore.rowcount
    return totale


def _genera(s, seme, n, cal, reg, risultati):
    esito = genera_programmi(s, seme, n, cal, reg)
    if esito:
        esito["attribuite"] = attribuisci(s, seme)
        s.nota(f"programmi: {esito['attribuite']} attività attribuite a un asse")
    return esito


GENERATORI.registra(
    "programmi",
    Generatore(
        _genera,
        # After every phase that writes activities.
        ordine=90,
        conteggi={"programmi": 10},
        modelli={"programmi": "quartiere.Programma"},
    ),
)
