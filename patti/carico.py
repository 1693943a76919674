"""Collaboration pacts: status history, signatories with commitments, projects and a
monitoring indicator."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from decimal import Decimal

from quartiere.sviluppo.carico.base import (
    GENERATORI,
    ROMA,
    Generatore,
    Scrittore,
    modello,
    ripartisci,
    rng,
)

STATI = [
    ("proposta", 6),
    ("istruttoria", 6),
    ("co_progettazione", 4),
    ("approvato", 4),
    ("firmato", 10),
    ("in_attuazione", 30),
    ("concluso", 30),
    ("sospeso", 2),
    ("revocato", 2),
    ("respinto", 6),
]
PERCORSO = ["proposta", "istruttoria", "co_progettazione", "approvato", "firmato", "in_attuazione"]
CON_FIRMA = {"firmato", "in_attuazione", "concluso"}
LIVELLI = ["cura_occasionale", "cura_costante", "gestione_condivisa", "rigenerazione"]
OGGETTI = [
    "Cura del giardino di",
    "Portineria sociale di",
    "Orto condiviso in",
    "Biblioteca di cortile in",
    "Pulizia partecipata di",
    "Murales nel sottopasso di",
    "Doposcuola nel centro civico di",
    "Aiuola della piazza di",
]


def genera(s: Scrittore, seme: int, n: dict[str, int], cal, reg, labs) -> None:
    Patto = modello("patti", "Patto")
    if Patto is None:
        s.nota("patti: modello non disponibile, saltato")
        return
    from patti.models import (
        Firmatario,
        Impegno,
        Indicatore,
        Misurazione,
        PassaggioStato,
        Progetto,
    )
    from patti.services import sigilla_firmati

    r = rng(seme, "patti")
    oggi = cal.fine
    labs_per_q: dict[int, list[int]] = {}
    for lab, q in (labs or {}).get("laboratori", []):
        labs_per_q.setdefault(q, []).append(lab)
    giorni = sorted(cal.giorni_casuali(r, n["patti"]))
    numeri: dict[int, int] = {}
    patti, passaggi, info = [], [], []
    conclusi: list[tuple[int, int]] = []  # (pk, quartiere) that may be renewed
    nomi_quartiere = {}
    for i in range(n["patti"]):
        pk = i + 1
        creato = giorni[i]
        q = reg.pesi_quartieri.scegli(r)
        nomi_quartiere[pk] = q
        stato = r.choices([c for c, _ in STATI], weights=[p for _, p in STATI])[0]
        anno = creato.year
        numeri[anno] = numeri.get(anno, 0) + 1
        approvato = creato + timedelta(days=r.randint(20, 90))
        firma = approvato + timedelta(days=r.randint(5, 40))
        if stato in CON_FIRMA and firma > oggi:
            stato = "approvato" if approvato <= oggi else "istruttoria"
        data_firma = firma if stato in CON_FIRMA else None
        inizio = data_firma
        fine = inizio + timedelta(days=365 * r.choice([1, 2, 3])) if inizio else None
        atto = stato in CON_FIRMA or stato in ("approvato", "sospeso", "revocato")
        rinnova = None
        if conclusi and r.random() < 0.1:
            candidati = [p for p, qq in conclusi[-200:] if qq == q]
            if candidati:
                rinnova = r.choice(candidati)
                conclusi = [c for c in conclusi if c[0] != rinnova]
        lab = None
        if labs_per_q.get(q) and r.random() < 0.3:
            lab = r.choice(labs_per_q[q])
        creato_il = datetime.combine(creato, time(11), tzinfo=ROMA)
        patti.append(
            (
                pk,
                None,
                f"{anno}/{numeri[anno]:03d}",
                f"{r.choice(OGGETTI)} via {pk}",
                q,
                lab,
                "complesso" if r.random() < 0.15 else "ordinario",
                r.choice(LIVELLI),
                r.random() < 0.8,
                r.random() < 0.4,
                r.random() < 0.05,
                "Area verde e spazi comuni.",
                f"Area {pk}",
                None,
                None,
                "Migliorare la cura e la socialità del luogo.",
                r.random() < 0.6,
                r.random() < 0.3,
                r.random() < 0.2,
                r.random() < 0.1,
                r.random() < 0.7,
                r.random() < 0.1,
                "",
                "Polizza del Comune per i volontari attivi." if atto else "",
                "determina" if atto else "",
                f"DD {pk}/{anno}" if atto else "",
                approvato if atto else None,
                data_firma,
                inizio,
                fine,
                rinnova,
                stato,
                "Relazione finale (dati generati)." if stato == "concluso" else "",
                fine if stato == "concluso" and fine and fine <= oggi else None,
                None,
                creato_il,
                creato_il,
                1,
            )
        )
        if stato == "concluso":
            conclusi.append((pk, q))
        # The status history up to the final state.
        if stato in PERCORSO:
            percorso = PERCORSO[: PERCORSO.index(stato) + 1]
        elif stato == "concluso":
            percorso = [*PERCORSO, "concluso"]
        else:
            percorso = ["proposta", "istruttoria", stato]
        precedente = ""
        for k, a in enumerate(percorso):
            passaggi.append(
                (
                    len(passaggi) + 1,
                    pk,
                    precedente,
                    a,
                    creato_il + timedelta(days=7 * k),
                    r.choice(reg.coordinatori),
                    "",
                )
            )
            precedente = a
        info.append((pk, q, data_firma or creato))
    s.copia(
        Patto,
        [
            "id",
            "codice",
            "numero",
            "titolo",
            "quartiere",
            "laboratorio",
            "tipo",
            "livello",
            "bene_materiale",
            "bene_immateriale",
            "bene_digitale",
            "beni_descrizione",
            "luogo",
            "lat",
            "lon",
            "finalita",
            "sostegno_materiali",
            "sostegno_spazi",
            "sostegno_formazione",
            "sostegno_rimborsi",
            "sostegno_assicurazione",
            "sostegno_esenzioni",
            "sostegno_note",
            "copertura_assicurativa",
            "atto_tipo",
            "atto_numero",
            "atto_data",
            "data_firma",
            "data_inizio",
            "data_fine",
            "rinnova",
            "stato",
            "rendicontazione",
            "rendicontazione_data",
            "documento_firmato",
            "creato_il",
            "modificato_il",
            "versione",
        ],
        patti,
    )
    s.copia(PassaggioStato, ["id", "patto", "da_stato", "a_stato", "il", "da", "nota"], passaggi)

    # Signatories: the Comune first, then volunteers and organisations of the quartiere.
    quote = ripartisci(r, n["firmatari"], [1.0 + r.random() for _ in info])
    firmatari, per_impegni = [], []
    for (pk, q, _), quanti in zip(info, quote, strict=True):
        if quanti == 0:
            continue
        persone = reg.persone.get(q) or reg.tutte_persone
        orgs = reg.organizzazioni.get(q) or reg.tutte_organizzazioni
        righe = [("comune", None, None, "Municipio", "Il dirigente del settore")]
        n_org = min(len(orgs), (quanti - 1) // 2)
        n_pers = min(len(persone), quanti - 1 - n_org)
        for org in r.sample(orgs, n_org):
            tipo = r.choice(["associazione", "associazione", "attivita_economica", "scuola"])
            righe.append((tipo, None, org, "", "Il legale rappresentante"))
        for persona in r.sample(persone, n_pers):
            righe.append(("volontario", persona, None, "", ""))
        for ordine, (tipo, persona, org, ufficio, rappr) in enumerate(righe):
            fk = len(firmatari) + 1
            firmatari.append((fk, pk, tipo, persona, org, ufficio, rappr, ordine))
            per_impegni.append(fk)
    s.copia(
        Firmatario,
        ["id", "patto", "tipo", "persona", "organizzazione", "ufficio", "rappresentante", "ordine"],
        firmatari,
    )
    if len(firmatari) < n["firmatari"]:
        s.nota(
            f"patti: {n['firmatari'] - len(firmatari)} firmatari non generati (anagrafe piccola)"
        )

    def impegni():
        for pk in range(1, n["impegni"] + 1):
            scadenza = oggi + timedelta(days=r.randint(-700, 300)) if r.random() < 0.7 else None
            yield (
                pk,
                r.choice(per_impegni),
                "Cura settimanale dell'area e segnalazione dei guasti.",
                scadenza,
                bool(scadenza and scadenza < oggi and r.random() < 0.8),
            )

    if per_impegni:
        s.copia(Impegno, ["id", "firmatario", "descrizione", "scadenza", "svolto"], impegni())

    def progetti():
        for pk in range(1, n["progetti"] + 1):
            patto = r.randint(1, len(info))
            budget = Decimal(r.randrange(500, 60000)) if r.random() < 0.8 else None
            cofin = (budget * Decimal("0.2")).quantize(Decimal("0.01")) if budget else None
            yield (
                pk,
                None,
                patto,
                f"Progetto {pk}",
                "Attività del patto (dati generati).",
                r.choice(["cura_citta", "cura_comunita"]),
                budget,
                cofin,
                r.randrange(0, 101),
            )

    s.copia(
        Progetto,
        [
            "id",
            "codice",
            "patto",
            "titolo",
            "descrizione",
            "ambito",
            "budget",
            "cofinanziamento",
            "avanzamento",
        ],
        progetti(),
    )
    indicatori, misurazioni = [], []
    for pk, _, dal in info:
        indicatori.append((pk, pk, "Volontari attivi", "persone", Decimal(20)))
        for k in range(4):
            giorno = dal + timedelta(days=90 * k)
            if giorno <= oggi:
                misurazioni.append(
                    (len(misurazioni) + 1, pk, giorno, Decimal(r.randint(2, 30)), "")
                )
    s.copia(Indicatore, ["id", "patto", "nome", "unita", "obiettivo"], indicatori)
    s.copia(Misurazione, ["id", "indicatore", "data", "valore", "nota"], misurazioni)
    # Signed pacts are sealed as a signature seals them: their document frozen, their
    # content refused any change by the database from now on.
    sigilla_firmati()


def _fase(s, seme, n, cal, reg, risultati):
    return genera(s, seme, n, cal, reg, risultati["laboratori"])


GENERATORI.registra(
    "patti",
    Generatore(
        _fase,
        ordine=40,
        conteggi={"patti": 2_000, "firmatari": 20_000, "impegni": 15_000, "progetti": 8_000},
        modelli={
            "patti": "patti.Patto",
            "firmatari": "patti.Firmatario",
            "impegni": "patti.Impegno",
            "progetti": "patti.Progetto",
        },
    ),
)
