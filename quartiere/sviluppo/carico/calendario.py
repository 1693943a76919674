"""The operators' diary and the hall bookings (confirmed bookings never overlap)."""

from __future__ import annotations

import uuid
from datetime import datetime, time, timedelta
from decimal import Decimal

from quartiere.sviluppo.carico.base import GENERATORI, ROMA, Generatore, Scrittore, modello, rng

TIPI_DIARIO = [
    ("front_office", 30),
    ("back_office", 25),
    ("ascolto_territorio", 10),
    ("laboratorio", 10),
    ("tavolo_tecnico", 6),
    ("riunione_rete", 8),
    ("formazione", 4),
    ("evento", 4),
    ("sopralluogo", 3),
]
FASCE = [(9, 11), (11, 13), (14, 16), (16, 18), (18, 20), (20, 22)]
EVENTI = [
    "Assemblea degli inquilini",
    "Corso di italiano",
    "Riunione del comitato",
    "Festa di cortile",
    "Incontro con il Municipio",
    "Laboratorio per ragazzi",
    "Prove del coro",
]


def genera_diario(s: Scrittore, seme: int, n: dict[str, int], cal, reg) -> None:
    AttivitaDiario = modello("quartiere", "AttivitaDiario")
    if AttivitaDiario is None:
        s.nota("diario: modello non disponibile, saltato")
        return
    r = rng(seme, "diario")
    giorni = sorted(g for g in cal.giorni_casuali(r, n["diario"]))
    operatori = [(op, q) for q, ops in reg.operatori.items() for op in ops]
    tipi = [t for t, _ in TIPI_DIARIO]
    pesi = [p for _, p in TIPI_DIARIO]

    def righe():
        for i, giorno in enumerate(giorni):
            op, q = r.choice(operatori)
            tipo = r.choices(tipi, weights=pesi)[0]
            yield (
                i + 1,
                op,
                giorno,
                None if tipo == "formazione" else q,
                tipo,
                Decimal(r.choice([50, 100, 150, 200, 300, 400])) / 100,
                "",
                datetime.combine(giorno, time(18), tzinfo=ROMA),
            )

    s.copia(
        AttivitaDiario,
        ["id", "operatore", "data", "quartiere", "tipo", "ore", "nota", "creata_il"],
        righe(),
    )


def genera_prenotazioni(s: Scrittore, seme: int, n: dict[str, int], cal, reg) -> None:
    Prenotazione = modello("quartiere", "Prenotazione")
    if Prenotazione is None:
        s.nota("prenotazioni: modello non disponibile, saltato")
        return
    r = rng(seme, "prenotazioni")
    sale = [reg.sale[q] for q in reg.quartieri]
    pesi_sale = [1 / (i + 1) ** 0.6 for i in range(len(sale))]
    adesso = cal.adesso
    fino = cal.fine + timedelta(days=120)  # bookings reach a few months ahead

    def righe():
        pk = 0
        tentativi = 0
        while pk < n["prenotazioni"] and tentativi < n["prenotazioni"] * 20:
            tentativi += 1
            sala = r.choices(sale, weights=pesi_sale)[0]
            giorno = cal.giorno_tra(r, cal.inizio, cal.fine)
            if r.random() < 0.08:
                giorno = cal.fine + timedelta(days=r.randint(1, (fino - cal.fine).days))
            fascia = r.randrange(len(FASCE))
            # One booking or meeting per hall and time slot: they cannot overlap.
            if (sala, giorno, fascia) in reg.occupate:
                continue
            reg.occupate.add((sala, giorno, fascia))
            pk += 1
            da, a = FASCE[fascia]
            inizio = datetime.combine(giorno, time(da), tzinfo=ROMA)
            creata = inizio - timedelta(days=r.randint(3, 40))
            futura = inizio > adesso
            x = r.random()
            if futura and x < 0.25:
                stato = "richiesta"
            elif x < 0.85:
                stato = "confermata"
            elif x < 0.93:
                stato = "rifiutata"
            else:
                stato = "annullata"
            esterna = r.random() < 0.6
            org = (
                r.choice(reg.tutte_organizzazioni) if esterna and reg.tutte_organizzazioni else None
            )
            gestita = stato != "richiesta"
            coord = r.choice(reg.coordinatori)
            yield (
                pk,
                sala,
                r.choice(EVENTI),
                "Evento aperto al quartiere.",
                org,
                None if esterna else coord,
                "",
                "",
                "",
                "",
                False,
                "",
                inizio,
                datetime.combine(giorno, time(a), tzinfo=ROMA),
                r.random() < 0.5,
                stato,
                uuid.UUID(int=r.getrandbits(128)) if r.random() < 0.1 else None,
                None,
                "Sala già impegnata." if stato in ("rifiutata", "annullata") else "",
                min(creata, adesso),
                coord,
                min(creata + timedelta(days=2), adesso) if gestita else None,
                coord if gestita else None,
                1,
            )

    s.copia(
        Prenotazione,
        [
            "id",
            "sede",
            "titolo",
            "descrizione",
            "organizzazione",
            "organizzatore",
            "richiedente_ente",
            "richiedente_nome",
            "richiedente_email",
            "richiedente_telefono",
            "consenso_privacy",
            "informativa_versione",
            "inizio",
            "fine",
            "pubblico",
            "stato",
            "serie",
            "ripeti_fino_al",
            "motivo",
            "creata_il",
            "creata_da",
            "gestita_il",
            "gestita_da",
            "versione",
        ],
        righe(),
    )


GENERATORI.registra(
    "diario",
    Generatore(
        lambda s, seme, n, cal, reg, risultati: genera_diario(s, seme, n, cal, reg),
        ordine=50,
        conteggi={"diario": 50_000},
        modelli={"diario": "quartiere.AttivitaDiario"},
    ),
)
GENERATORI.registra(
    "prenotazioni",
    Generatore(
        lambda s, seme, n, cal, reg, risultati: genera_prenotazioni(s, seme, n, cal, reg),
        ordine=60,
        conteggi={"prenotazioni": 10_000},
        modelli={"prenotazioni": "quartiere.Prenotazione"},
    ),
)
