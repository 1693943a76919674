"""Housing at scale: buildings of the programmes with their flats and spaces, households of
registry persons, one assignment per household at every step, the plan's targets, and the
accompaniment of the households with a flat: paths, contacts, measures (issue 18)."""

from __future__ import annotations

from datetime import timedelta

from quartiere.sviluppo.carico.base import (
    GENERATORI,
    Generatore,
    Scrittore,
    modello,
    ripartisci,
    rng,
)

GRUPPI = ["anziani", "giovani_coppie", "famiglie_monogenitoriali", "persone_con_disabilita"]
FUNZIONI = ["dopo_scuola", "sala_incontri", "mutuo_aiuto", "sportello", "attivita_economica"]
# Assignment state -> (weight, the flat's state it leaves).
PASSI = {
    "pre_assegnata": (15, "pre_assegnato"),
    "assegnata": (15, "assegnato"),
    "abitata": (55, "occupato"),
    "conclusa": (10, "sfitto"),
    "annullata": (5, "disponibile"),
}


def genera(s: Scrittore, seme: int, n: dict[str, int], cal, reg) -> None:
    Immobile = modello("abitare", "Immobile")
    if Immobile is None:
        s.nota("abitare: modello non disponibile, saltato")
        return
    from abitare.models import Alloggio, Assegnazione, Componente, Nucleo, Spazio

    r = rng(seme, "abitare")
    oggi = cal.fine
    adesso = cal.adesso
    n_immobili = max(1, n["immobili"])
    immobili = []
    for pk in range(1, n_immobili + 1):
        immobili.append(
            (
                pk,
                None,
                f"Borgo {pk}",
                f"Via del Borgo {pk}",
                reg.pesi_quartieri.scegli(r),
                None,
                "Abitare in borgo (dati generati)",
                r.choice(["in_corso", "ultimati", "ultimati", "ultimati"]),
                None,
                "",
                adesso,
                adesso,
                1,
            )
        )
    s.copia(
        Immobile,
        [
            "id",
            "codice",
            "nome",
            "indirizzo",
            "quartiere",
            "gestore",
            "programma",
            "stato_lavori",
            "fine_lavori",
            "note",
            "creato_il",
            "modificato_il",
            "versione",
        ],
        immobili,
    )
    spazi = []
    for immobile in immobili:
        for k in range(r.randint(1, 3)):
            spazi.append(
                (len(spazi) + 1, immobile[0], f"Spazio {k + 1}", r.choice(FUNZIONI), None)
                + ("lunedì e giovedì 16–19", "", True, 1)
            )
    s.copia(
        Spazio,
        [
            "id",
            "immobile",
            "nome",
            "funzione",
            "gestito_da",
            "orari",
            "descrizione",
            "pubblico",
            "versione",
        ],
        spazi,
    )

    # Flats: split among the buildings, on two staircases of six floors.
    quote = ripartisci(r, n["alloggi"], [1.0 + r.random() for _ in immobili])
    alloggi = []  # [pk, building, code, staircase, floor, rooms, area, accessible, state]
    for immobile, quanti in zip(immobili, quote, strict=True):
        for k in range(quanti):
            scala = "AB"[k % 2]
            piano = (k // 2) % 6
            alloggi.append(
                [
                    len(alloggi) + 1,
                    immobile[0],
                    f"{scala}-{piano}-{k}",
                    scala,
                    piano,
                    r.randint(1, 5),
                    r.randint(35, 110),
                    piano == 0,
                    "disponibile",
                ]
            )

    # Households: one to three members each, every person in one household at most.
    pool = list(reg.tutte_persone)
    r.shuffle(pool)
    nuclei, componenti = [], []
    for pk in range(1, n["nuclei"] + 1):
        if not pool:
            s.nota(f"abitare: {n['nuclei'] - pk + 1} nuclei non generati (anagrafe piccola)")
            break
        membri = [pool.pop() for _ in range(min(len(pool), r.randint(1, 3)))]
        nuclei.append(
            (
                pk,
                None,
                f"Nucleo {pk}",
                reg.pesi_quartieri.scegli(r),
                r.choice(GRUPPI),
                "",
                "",
                "",
                adesso,
                adesso,
                1,
            )
        )
        for i, persona in enumerate(membri):
            componenti.append((len(componenti) + 1, pk, persona, i == 0))
    s.copia(
        Nucleo,
        [
            "id",
            "codice",
            "nome",
            "quartiere",
            "gruppo_target",
            "lingua",
            "telefono",
            "email",
            "creato_il",
            "modificato_il",
            "versione",
        ],
        nuclei,
    )
    s.copia(Componente, ["id", "nucleo", "persona", "intestatario"], componenti)

    # One assignment per household and per flat, each at a step with its dates in order.
    # A tenth of the flats not assigned are still in works.
    liberi = list(alloggi)
    r.shuffle(liberi)
    for alloggio in liberi[n["assegnazioni"] :]:
        if r.random() < 0.1:
            alloggio[8] = "in_ristrutturazione"
    stati = list(PASSI)
    pesi = [PASSI[p][0] for p in stati]
    assegnazioni = []
    for nucleo, alloggio in zip(nuclei, liberi[: n["assegnazioni"]], strict=False):
        stato = r.choices(stati, weights=pesi)[0]
        pre = cal.giorno_tra(r, cal.inizio, oggi - timedelta(days=200))
        assegnata = pre + timedelta(days=14) if stato != "pre_assegnata" else None
        if stato == "annullata":
            assegnata = None
        ingresso = assegnata + timedelta(days=20) if stato in ("abitata", "conclusa") else None
        uscita = ingresso + timedelta(days=r.randint(30, 150)) if stato == "conclusa" else None
        assegnazioni.append(
            (len(assegnazioni) + 1, alloggio[0], nucleo[0], stato, pre, assegnata)
            + (ingresso, uscita, "", 1)
        )
        alloggio[8] = PASSI[stato][1]
    s.copia(
        Alloggio,
        [
            "id",
            "immobile",
            "codice",
            "scala",
            "piano",
            "locali",
            "superficie",
            "accessibile",
            "stato",
            "versione",
        ],
        (tuple(a) + (1,) for a in alloggi),
    )
    s.copia(
        Assegnazione,
        [
            "id",
            "alloggio",
            "nucleo",
            "stato",
            "pre_assegnata_il",
            "assegnata_il",
            "ingresso_il",
            "uscita_il",
            "note",
            "versione",
        ],
        assegnazioni,
    )
    _piano(s, r, immobili)
    _accompagnamento(s, r, n, cal, reg, nuclei, assegnazioni)


def _piano(s, r, immobili) -> None:
    """Targets of the assignment plan: four target groups per building."""
    Obiettivo = modello("abitare", "Obiettivo")
    righe = [
        (len(GRUPPI) * (immobile[0] - 1) + k + 1, immobile[0], gruppo, r.randint(5, 15), 1)
        for immobile in immobili
        for k, gruppo in enumerate(GRUPPI)
    ]
    s.copia(Obiettivo, ["id", "immobile", "gruppo_target", "alloggi", "versione"], righe)


TIPI_CONTATTO = ["visita", "colloquio", "telefonata", "incontro_scala"]
SERVIZI = ["servizi_sociali", "custodia_sociale", "cps", "sanitario", "lavoro", "scuola"]


def _accompagnamento(s, r, n, cal, reg, nuclei, assegnazioni) -> None:
    """The paths of the households living in a flat, the contacts of the operators of their
    quartiere over the period, and targeted measures for a tenth of them."""
    Percorso = modello("abitare", "Percorso")
    Contatto = modello("abitare", "Contatto")
    Misura = modello("abitare", "Misura")
    quartiere_di = {nucleo[0]: nucleo[3] for nucleo in nuclei}
    seguiti = [a[2] for a in assegnazioni if a[3] in ("abitata", "assegnata")]
    if not seguiti or not reg.tutti_operatori:
        s.nota("abitare: nessun nucleo da accompagnare o nessun operatore")
        return
    oggi = cal.fine
    percorsi, legami = [], []
    for pk, nucleo in enumerate(seguiti, start=1):
        mirato = r.random() < 0.15
        percorsi.append(
            (
                pk,
                nucleo,
                "mirato" if mirato else "ordinario",
                "",
                cal.giorno_tra(r, cal.inizio, oggi),
                1,
            )
        )
        operatori = reg.operatori.get(quartiere_di[nucleo]) or reg.tutti_operatori
        legami.append((pk, pk, r.choice(operatori)))
    s.copia(Percorso, ["id", "nucleo", "livello", "bisogni", "avviato_il", "versione"], percorsi)
    s.copia(Percorso.operatori.through, ["id", "percorso", "user"], legami)
    contatti = []
    for pk in range(1, n["contatti"] + 1):
        nucleo = r.choice(seguiti)
        operatori = reg.operatori.get(quartiere_di[nucleo]) or reg.tutti_operatori
        contatti.append(
            (pk, nucleo, r.choice(TIPI_CONTATTO), cal.giorno_tra(r, cal.inizio, oggi), None)
            + (r.choice(operatori), "", 1)
        )
    s.copia(
        Contatto,
        ["id", "nucleo", "tipo", "il", "alle", "operatore", "sintesi", "versione"],
        contatti,
        grande=True,
    )
    misure = []
    for pk, nucleo in enumerate(r.sample(seguiti, min(len(seguiti), n["misure"])), start=1):
        concordata = cal.giorno_tra(r, cal.inizio, oggi)
        verifica = concordata + timedelta(days=r.randint(14, 90))
        verificata = verifica if verifica < oggi and r.random() < 0.7 else None
        misure.append(
            (pk, nucleo, r.choice(SERVIZI), "Misura concordata", concordata, verifica)
            + (verificata, "Verificata" if verificata else "", 1)
        )
    s.copia(
        Misura,
        [
            "id",
            "nucleo",
            "servizio",
            "descrizione",
            "concordata_il",
            "verifica_il",
            "verificata_il",
            "esito",
            "versione",
        ],
        misure,
    )


def _fase(s, seme, n, cal, reg, risultati):
    return genera(s, seme, n, cal, reg)


GENERATORI.registra(
    "abitare",
    Generatore(
        _fase,
        ordine=50,
        conteggi={
            "immobili": 200,
            "alloggi": 10_000,
            "nuclei": 9_000,
            "assegnazioni": 8_000,
            "contatti": 150_000,
            "misure": 1_500,
        },
        modelli={
            "immobili": "abitare.Immobile",
            "alloggi": "abitare.Alloggio",
            "nuclei": "abitare.Nucleo",
            "assegnazioni": "abitare.Assegnazione",
            "contatti": "abitare.Contatto",
            "misure": "abitare.Misura",
        },
    ),
)
