"""Shared machinery of the load-data generator: the COPY writer, the calendar with its
seasonal skew, the weighted choice of a quartiere and the word lists."""

from __future__ import annotations

import bisect
import itertools
import random
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from time import monotonic as time_monotonic
from zoneinfo import ZoneInfo

from django.apps import apps
from django.db import models

from quartiere.estensioni import Punto

ROMA = ZoneInfo("Europe/Rome")
ANNI = 5

# Month and weekday weights: reports peak in late spring and autumn (green, heat, leaves,
# the return from holidays), fall in August and over Christmas; the desk is closed at
# weekends and online reports drop.
PESO_MESE = {
    1: 0.80,
    2: 0.85,
    3: 1.00,
    4: 1.10,
    5: 1.30,
    6: 1.35,
    7: 1.15,
    8: 0.55,
    9: 1.15,
    10: 1.25,
    11: 1.05,
    12: 0.70,
}
PESO_GIORNO = (1.05, 1.0, 1.0, 1.0, 0.95, 0.40, 0.20)
PESO_ORA = {
    8: 3,
    9: 8,
    10: 10,
    11: 10,
    12: 7,
    13: 4,
    14: 6,
    15: 8,
    16: 8,
    17: 7,
    18: 5,
    19: 3,
    20: 3,
    21: 3,
    22: 2,
    23: 1,
    0: 0.5,
    6: 0.5,
    7: 1.5,
}


def rng(seme: int, nome: str) -> random.Random:
    """One independent stream per table, so that adding a table shifts nothing else."""
    return random.Random(f"quartiere-carico:{seme}:{nome}")  # noqa: S311 - not security


def modello(app_label: str, nome: str) -> type[models.Model] | None:
    """The model, or ``None`` while its app has not landed it yet."""
    try:
        return apps.get_model(app_label, nome)
    except LookupError:
        return None


class Calendario:
    """Days of the five years before ``fine`` with weights for the seasonal skew and a
    slow growth (the service is used more every year)."""

    def __init__(self, fine: date):
        self.fine = fine
        self.inizio = fine.replace(year=fine.year - ANNI) + timedelta(days=1)
        self.giorni: list[date] = []
        pesi = []
        totale = (self.fine - self.inizio).days + 1
        for i in range(totale):
            giorno = self.inizio + timedelta(days=i)
            self.giorni.append(giorno)
            crescita = 0.7 + 0.6 * i / totale
            pesi.append(PESO_MESE[giorno.month] * PESO_GIORNO[giorno.weekday()] * crescita)
        self._cumulati = list(itertools.accumulate(pesi))
        ore = sorted(PESO_ORA)
        self._ore = ore
        self._ore_cumulate = list(itertools.accumulate(PESO_ORA[o] for o in ore))
        self.adesso = datetime.combine(fine, time(18, 0), tzinfo=ROMA)

    def giorni_casuali(self, r: random.Random, k: int) -> list[date]:
        return r.choices(self.giorni, cum_weights=self._cumulati, k=k)

    def giorno_tra(self, r: random.Random, dal: date, al: date) -> date:
        """A weighted day in [dal, al] (clamped to the calendar)."""
        i = max(0, (dal - self.inizio).days)
        j = min(len(self.giorni) - 1, (al - self.inizio).days)
        if j <= i:
            return self.giorni[max(0, min(i, len(self.giorni) - 1))]
        base = self._cumulati[i - 1] if i else 0.0
        x = base + r.random() * (self._cumulati[j] - base)
        return self.giorni[min(j, bisect.bisect_left(self._cumulati, x, i, j + 1))]

    def istante(self, r: random.Random, giorno: date) -> datetime:
        ora = r.choices(self._ore, cum_weights=self._ore_cumulate)[0]
        return datetime.combine(giorno, time(ora, r.randrange(60), r.randrange(60)), tzinfo=ROMA)


class Pesi:
    """A weighted choice among ids (a few busy quartieri, a long quiet tail)."""

    def __init__(self, ids: Sequence[int], esponente: float = 0.9):
        self.ids = list(ids)
        self._cumulati = list(
            itertools.accumulate(1 / (i + 1) ** esponente for i in range(len(ids)))
        )

    def scegli(self, r: random.Random, k: int | None = None):
        if k is None:
            return r.choices(self.ids, cum_weights=self._cumulati)[0]
        return r.choices(self.ids, cum_weights=self._cumulati, k=k)


def ripartisci(r: random.Random, totale: int, pesi: Sequence[float], capienze=None) -> list[int]:
    """Split ``totale`` into integers proportional to ``pesi`` (exactly ``totale``), never
    above ``capienze[i]`` when given."""
    n = len(pesi)
    if n == 0:
        return []
    somma = sum(pesi) or 1.0
    quote = [int(totale * p / somma) for p in pesi]
    if capienze is not None:
        quote = [min(q, c) for q, c in zip(quote, capienze, strict=True)]
    resto = totale - sum(quote)
    ordine = list(range(n))
    giri = 0
    while resto > 0 and giri < 1000:
        r.shuffle(ordine)
        mosso = False
        for i in ordine:
            if resto == 0:
                break
            if capienze is None or quote[i] < capienze[i]:
                quote[i] += 1
                resto -= 1
                mosso = True
        giri += 1
        if not mosso:
            break
    return quote


@dataclass
class Scrittore:
    """Writes rows with COPY and remembers how many went into each table."""

    cursore: object  # a psycopg 3 cursor
    adesso: datetime
    nota: Callable[[str], None]
    conteggi: dict[str, int] = field(default_factory=dict)
    modelli: list[type[models.Model]] = field(default_factory=list)
    secondi: dict[str, float] = field(default_factory=dict)

    def copia(
        self,
        model: type[models.Model],
        campi: Sequence[str],
        righe: Iterable,
        *,
        grande: bool = False,
    ) -> int:
        """COPY ``righe`` (tuples in the order of ``campi``) into ``model``'s table.

        Fields the generator does not know yet (a model changed after it was written)
        get their default, so that a new column with a default does not break the run.
        """
        opts = model._meta
        colonne = [opts.get_field(c).column for c in campi]
        dati = set(colonne)
        extra_colonne, extra_valori = [], []
        for f in opts.concrete_fields:
            if f.column in dati or isinstance(f, models.GeneratedField):
                continue
            extra_colonne.append(f.column)
            extra_valori.append(self._predefinito(model, f))
        obbligatori = [
            f.column for f in opts.concrete_fields if f.column in extra_colonne and not f.null
        ]
        if obbligatori:
            self.nota(
                f"{opts.label}: campi non previsti riempiti col valore predefinito: "
                + ", ".join(obbligatori)
            )
        extra = tuple(extra_valori)
        elenco = ", ".join(f'"{c}"' for c in [*colonne, *extra_colonne])
        n = 0
        t0 = time_monotonic()
        indici = self._togli_indici(opts.db_table) if grande else []
        with self.cursore.copy(f'COPY "{opts.db_table}" ({elenco}) FROM STDIN') as copia:
            if extra:
                for riga in righe:
                    copia.write_row(riga + extra)
                    n += 1
            else:
                for riga in righe:
                    copia.write_row(riga)
                    n += 1
        for definizione in indici:
            self.cursore.execute(definizione)
        self.conteggi[opts.label] = self.conteggi.get(opts.label, 0) + n
        self.secondi[opts.label] = self.secondi.get(opts.label, 0.0) + time_monotonic() - t0
        if model not in self.modelli:
            self.modelli.append(model)
        return n

    def _togli_indici(self, tabella: str) -> list[str]:
        """Drop the plain indexes of ``tabella`` (not those behind a constraint) and return
        their definitions: building an index once after COPY is much faster than
        updating it row by row (the GIN index of the Italian full-text search above all).
        The whole run is one transaction, so the schema is never seen without them."""
        self.cursore.execute(
            """
            SELECT i.relname, pg_get_indexdef(x.indexrelid)
            FROM pg_index x
            JOIN pg_class i ON i.oid = x.indexrelid
            JOIN pg_class t ON t.oid = x.indrelid
            LEFT JOIN pg_constraint c ON c.conindid = x.indexrelid
            WHERE t.relname = %s AND c.oid IS NULL AND t.relnamespace = 'public'::regnamespace
            ORDER BY i.relname
            """,
            [tabella],
        )
        indici = self.cursore.fetchall()
        for nome, _ in indici:
            self.cursore.execute(f'DROP INDEX "{nome}"')
        return [definizione for _, definizione in indici]

    def _predefinito(self, model, f):
        if f.has_default():
            valore = f.get_default()
            if isinstance(valore, datetime):
                return self.adesso
            if isinstance(valore, date):
                return self.adesso.date()
            if f.null and valore is None:
                return None
            if not callable(f.default) or isinstance(valore, (str, int, float, bool)):
                return valore
        if f.null:
            return None
        if isinstance(f, models.DateTimeField):
            return self.adesso
        if isinstance(f, models.DateField):
            return self.adesso.date()
        if isinstance(f, (models.CharField, models.TextField)) and f.blank:
            return ""
        raise RuntimeError(
            f"{model._meta.label}.{f.name}: campo obbligatorio che il generatore non conosce"
        )


# --- Word lists --------------------------------------------------------------------------------

NOMI = [
    "Giuseppe",
    "Maria",
    "Giovanni",
    "Anna",
    "Antonio",
    "Giuseppina",
    "Mario",
    "Rosa",
    "Luigi",
    "Angela",
    "Francesco",
    "Giovanna",
    "Angelo",
    "Teresa",
    "Vincenzo",
    "Lucia",
    "Pietro",
    "Carmela",
    "Salvatore",
    "Caterina",
    "Carlo",
    "Francesca",
    "Franco",
    "Antonietta",
    "Domenico",
    "Carla",
    "Bruno",
    "Elena",
    "Paolo",
    "Concetta",
    "Michele",
    "Rita",
    "Giorgio",
    "Margherita",
    "Aldo",
    "Franca",
    "Sergio",
    "Paola",
    "Luciano",
    "Laura",
    "Alessandro",
    "Giulia",
    "Andrea",
    "Sara",
    "Marco",
    "Chiara",
    "Luca",
    "Martina",
    "Matteo",
    "Alessia",
    "Davide",
    "Federica",
    "Simone",
    "Valentina",
    "Lorenzo",
    "Silvia",
    "Nicola",
    "Ilaria",
    "Stefano",
    "Elisa",
    "Fabio",
    "Roberta",
    "Riccardo",
    "Beatrice",
    "Niccolò",
    "Noemi",
    "Mattia",
    "Aurora",
    "Gabriele",
    "Sofia",
    "Ahmed",
    "Fatima",
    "Mohamed",
    "Amina",
    "Wei",
    "Li",
    "Ion",
    "Elena",
    "Jorge",
    "Lucía",
    "Kofi",
    "Ama",
    "Rahul",
    "Priya",
    "Olena",
    "Dmytro",
    "Chidi",
    "Ngozi",
    "José",
    "Rosário",
]
COGNOMI = (
    (
        "Rossi Russo Ferrari Esposito Bianchi Romano Colombo Ricci Marino Greco Bruno Gallo Conti "
        "De_Luca Mancini Costa Giordano Rizzo Lombardi Moretti Barbieri Fontana Santoro Mariani "
        "Rinaldi Caruso Ferrara Galli Martini Leone Longo Gentile Martinelli Vitale Lombardo "
        "Serra Coppola De_Santis D'Angelo Marchetti Parisi Villa Conte Ferraro Ferri Fabbri "
        "Bianco Marini Grasso Valentini Messina Sala De_Angelis Gatti Pellegrini Palumbo Sanna "
        "Farina Rizzi Monti Cattaneo Morelli Amato Silvestri Mazza Testa Grassi Pellegrino "
        "Carbone Giuliani Benedetti Barone Rossetti Caputo Montanari Guerra Palmieri Bernardi "
        "Martino Fiore De_Rosa Ferretti Bellini Basile Riva Donati Piras Vitali Battaglia Sartori "
        "Neri Costantini Milani Pagano Ruggiero Sorrentino D'Amico Orlando Damico Negri Hossain "
        "El_Amrani Chen Popescu Rodríguez Mensah Singh Kovalenko Okafor Da_Silva Nguyen Haddad"
    )
    .replace("_", " ")
    .split()
)
VIE = [
    "via Paravia",
    "via Zamagna",
    "piazzale Selinunte",
    "via Mar Jonio",
    "via Ricciarelli",
    "via Civitali",
    "via Lorenteggio",
    "via Giambellino",
    "piazza Tirana",
    "via Odazio",
    "via dei Missaglia",
    "via Saponaro",
    "viale Ortles",
    "via Ponte Lambro",
    "via Rilke",
    "via Vittorini",
    "via Salomone",
    "via Molise",
    "viale Mazzini",
    "corso Lodi",
    "via Padova",
    "via Crespi",
    "viale Monza",
    "via Quarto Oggiaro",
    "via Pascarella",
    "via Satta",
    "via Val Bisagno",
    "via Cogne",
    "via Gallarate",
    "via Novara",
    "via Forze Armate",
    "via dei Cinquecento",
    "piazza Prealpi",
    "via Mecenate",
    "via Bovisasca",
    "via Sant'Elembardo",
    "via Bligny",
    "viale Puglie",
    "via Fabio Massimo",
    "via Chiesa Rossa",
    "via Barona",
    "via Giulio Natta",
]
PAROLE_ORG = [
    "Insieme",
    "Quartiere",
    "Solidale",
    "Aperta",
    "Comunità",
    "Giovani",
    "Anziani",
    "Verde",
    "Orti",
    "Cultura",
    "Sport",
    "Musica",
    "Teatro",
    "Mamme",
    "Genitori",
    "Scuola",
    "Inquilini",
    "Cortile",
    "Piazza",
    "Ponte",
    "Rete",
    "Nuova",
    "Futuro",
    "Ponti",
    "Radici",
    "Semi",
    "Colori",
    "Voci",
    "Mani",
    "Passi",
]
TEMI_LAB = [
    "cura del verde",
    "spazi comuni dei caseggiati",
    "giovani e sport",
    "anziani e socialità",
    "mobilità dolce",
    "orti condivisi",
    "cortili e portinerie",
    "scuola aperta",
    "memoria del quartiere",
    "arte pubblica",
    "commercio di vicinato",
    "sicurezza partecipata",
    "piazza e mercato",
    "biblioteca",
]


def nome_persona(r: random.Random) -> tuple[str, str]:
    return r.choice(NOMI), r.choice(COGNOMI)


def indirizzo(r: random.Random) -> str:
    return f"{r.choice(VIE)} {r.randint(1, 180)}"


def ascii_slug(testo: str) -> str:
    from quartiere.lib.text import normalizza_ricerca

    return "".join(c for c in normalizza_ricerca(testo) if c.isalnum())


# --- Where the apps plug in ------------------------------------------------------------------


@dataclass(frozen=True)
class Generatore:
    """One phase of the generation, registered by its app in ``<app>/carico.py``.

    ``genera(s, seme, n, cal, reg, risultati)`` writes the app's rows (``n``: the counts at
    this scale, ``reg``: the registry's Registro, ``risultati``: what the earlier phases
    returned, by name) and returns what a later phase needs. Phases run by ``ordine``.
    ``conteggi`` are the app's figures at scale 1 and ``modelli`` the model each counts.
    """

    genera: Callable
    ordine: int
    conteggi: dict[str, int]
    modelli: dict[str, str]


# Phase name -> Generatore. Discovered in the apps' ``carico`` modules, which only this
# development tool imports.
GENERATORI = Punto("generatori dei dati di carico", modulo="carico")
