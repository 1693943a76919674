"""Citizenship labs: meetings over the lab's life and the attendance of its regulars."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from quartiere.sviluppo.carico.base import (
    GENERATORI,
    ROMA,
    TEMI_LAB,
    Generatore,
    Scrittore,
    modello,
    ripartisci,
    rng,
)
from quartiere.sviluppo.carico.calendario import FASCE

# The evening slots of FASCE a meeting in a hall can take.
SERA = [i for i, (da, _a) in enumerate(FASCE) if da >= 16]


def genera(s: Scrittore, seme: int, n: dict[str, int], cal, reg) -> dict | None:
    Laboratorio = modello("laboratori", "Laboratorio")
    if Laboratorio is None:
        s.nota("laboratori: modello non disponibile, saltato")
        return None
    from laboratori.models import Incontro, Presenza, Proposta

    r = rng(seme, "laboratori")
    oggi = cal.fine
    adesso = cal.adesso
    labs, facilitatori, info = [], [], []
    for i in range(n["laboratori"]):
        pk = i + 1
        q = reg.pesi_quartieri.scegli(r)
        inizio = cal.giorno_tra(r, cal.inizio, oggi - timedelta(days=30))
        durata = r.randint(90, 720)
        fine = inizio + timedelta(days=durata)
        concluso = fine < oggi
        tema = r.choice(TEMI_LAB)
        fase = (
            "realizzazione" if concluso else r.choice(["ascolto", "progettazione", "realizzazione"])
        )
        labs.append(
            (
                pk,
                None,
                f"Laboratorio {tema} {pk}",
                q,
                tema,
                "Percorso di partecipazione (dati generati).",
                fase,
                "concluso" if concluso else r.choice(["attivo", "attivo", "attivo", "sospeso"]),
                inizio,
                fine if concluso else None,
                datetime.combine(inizio, time(9), tzinfo=ROMA),
                1,
            )
        )
        ops = reg.operatori.get(q) or reg.tutti_operatori
        for op in ops[: r.randint(1, len(ops))]:
            facilitatori.append((len(facilitatori) + 1, pk, op))
        info.append((pk, q, inizio, min(fine, oggi + timedelta(days=60))))
    s.copia(
        Laboratorio,
        [
            "id",
            "codice",
            "titolo",
            "quartiere",
            "tema",
            "descrizione",
            "fase",
            "stato",
            "data_inizio",
            "data_fine",
            "creato_il",
            "versione",
        ],
        labs,
    )
    s.copia(Laboratorio.facilitatori.through, ["id", "laboratorio_id", "user_id"], facilitatori)

    quote = ripartisci(r, n["incontri"], [1.0 + r.random() for _ in info])
    incontri, svolti = [], []  # svolti: (pk, lab index, inizio)
    pk = 0
    for idx, ((lab, q, dal, al), quanti) in enumerate(zip(info, quote, strict=True)):
        span = max(1, (al - dal).days)
        giorni = sorted(dal + timedelta(days=r.randrange(span)) for _ in range(quanti))
        for k, giorno in enumerate(giorni):
            pk += 1
            ora = time(r.choice([17, 18, 18, 20]), 30)
            sede = reg.uffici_sede[q] if r.random() < 0.7 else reg.sale[q]
            if sede == reg.sale[q]:
                # The hall takes a free evening slot of its own, or the meeting goes to
                # the office (not bookable: no rule there).
                libere = [f for f in SERA if (sede, giorno, f) not in reg.occupate]
                if libere:
                    fascia = r.choice(libere)
                    reg.occupate.add((sede, giorno, fascia))
                    ora = time(FASCE[fascia][0])
                else:
                    sede = reg.uffici_sede[q]
            inizio = datetime.combine(giorno, ora, tzinfo=ROMA)
            if inizio < adesso:
                stato = "annullato" if r.random() < 0.04 else "svolto"
            else:
                stato = "programmato"
            incontri.append(
                (
                    pk,
                    None,
                    lab,
                    f"Incontro {k + 1}",
                    inizio,
                    inizio + timedelta(hours=2),
                    sede,
                    "",
                    "1. Benvenuto 2. Lavoro a gruppi 3. Prossimi passi",
                    "Verbale dell'incontro (dati generati)." if stato == "svolto" else "",
                    stato,
                    r.random() < 0.9,
                    1,
                )
            )
            if stato == "svolto":
                svolti.append((pk, idx, inizio))
    s.copia(
        Incontro,
        [
            "id",
            "codice",
            "laboratorio",
            "titolo",
            "inizio",
            "fine",
            "sede",
            "luogo",
            "ordine_del_giorno",
            "verbale",
            "stato",
            "pubblico",
            "versione",
        ],
        incontri,
    )

    # Each lab has a community of regulars from its quartiere; a meeting draws from it.
    comunita = {}
    for idx, (_, q, _, _) in enumerate(info):
        pool = reg.persone.get(q) or reg.tutte_persone
        orgs = reg.organizzazioni.get(q) or reg.tutte_organizzazioni
        comunita[idx] = (
            r.sample(pool, min(len(pool), r.randint(25, 80))),
            r.sample(orgs, min(len(orgs), r.randint(2, 8))),
        )
    bersaglio = svolti or [(p[0], 0, p[4]) for p in incontri]
    capienze = [len(comunita[idx][0]) + len(comunita[idx][1]) for _, idx, _ in bersaglio]
    quote_p = ripartisci(r, n["presenze"], [1.0 + r.random() for _ in bersaglio], capienze)
    mancanti = n["presenze"] - sum(quote_p)
    if mancanti:
        s.nota(f"laboratori: {mancanti} presenze non generate (comunità troppo piccole)")

    def presenze():
        pk = 0
        for (incontro, idx, inizio), quante in zip(bersaglio, quote_p, strict=True):
            persone, orgs = comunita[idx]
            n_org = min(len(orgs), quante // 12)
            n_pers = quante - n_org
            if n_pers > len(persone):  # the capacity guarantees the organisations suffice
                n_pers, n_org = len(persone), quante - len(persone)
            for persona in r.sample(persone, n_pers):
                pk += 1
                yield (pk, incontro, persona, None, inizio, None)
            for org in r.sample(orgs, n_org):
                pk += 1
                yield (pk, incontro, None, org, inizio, None)

    s.copia(
        Presenza,
        ["id", "incontro", "persona", "organizzazione", "registrata_il", "registrata_da"],
        presenze(),
        grande=True,
    )

    proposte = []
    for idx, (lab, _, dal, _) in enumerate(info):
        persone, _ = comunita[idx]
        for _ in range(3):
            proposte.append(
                (
                    len(proposte) + 1,
                    lab,
                    None,
                    f"Proposta {len(proposte) + 1}",
                    "Proposta emersa dal laboratorio.",
                    r.choice(persone) if persone else None,
                    None,
                    r.choice(["raccolta", "in_valutazione", "accolta", "non_accolta"]),
                    "",
                    datetime.combine(dal, time(19), tzinfo=ROMA),
                    1,
                )
            )
    s.copia(
        Proposta,
        [
            "id",
            "laboratorio",
            "incontro",
            "titolo",
            "descrizione",
            "proponente_persona",
            "proponente_organizzazione",
            "stato",
            "esito",
            "creata_il",
            "versione",
        ],
        proposte,
    )
    return {"laboratori": [(lab, q) for lab, q, _, _ in info]}


def _fase(s, seme, n, cal, reg, risultati):
    return genera(s, seme, n, cal, reg)


GENERATORI.registra(
    "laboratori",
    Generatore(
        _fase,
        ordine=30,
        conteggi={"laboratori": 1_000, "incontri": 20_000, "presenze": 300_000},
        modelli={
            "laboratori": "laboratori.Laboratorio",
            "incontri": "laboratori.Incontro",
            "presenze": "laboratori.Presenza",
        },
    ),
)
