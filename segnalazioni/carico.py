"""Reports with their timelines and attachments' metadata (no files on disk)."""

from __future__ import annotations

import math
from datetime import timedelta

from quartiere.lib.text import normalizza_ricerca
from quartiere.sviluppo.carico.base import (
    GENERATORI,
    ROMA,
    Generatore,
    Scrittore,
    indirizzo,
    modello,
    rng,
)

UFFICI = [
    "Manutenzione strade",
    "Illuminazione pubblica",
    "Igiene urbana",
    "Verde pubblico",
    "Mobilità e segnaletica",
    "Edilizia residenziale pubblica",
    "Polizia locale",
    "Servizi sociali territoriali",
]
# codice, nome, ufficio, giorni, weight, subjects
CATEGORIE = [
    (
        "strade",
        "Strade e marciapiedi",
        0,
        30,
        16,
        ["Buca sul marciapiede", "Asfalto dissestato", "Tombino sollevato", "Marciapiede rotto"],
    ),
    (
        "illuminazione",
        "Illuminazione pubblica",
        1,
        15,
        12,
        ["Lampione spento", "Illuminazione insufficiente", "Palo della luce danneggiato"],
    ),
    (
        "rifiuti",
        "Rifiuti e pulizia",
        2,
        10,
        18,
        ["Rifiuti abbandonati", "Cestino pieno", "Ingombranti in strada", "Siringhe nel parco"],
    ),
    (
        "verde",
        "Verde pubblico",
        3,
        30,
        12,
        ["Erba alta nel giardino", "Albero pericolante", "Rami caduti", "Siepe da potare"],
    ),
    (
        "giochi",
        "Aree gioco e arredo urbano",
        3,
        30,
        6,
        ["Gioco rotto nel parco", "Panchina danneggiata", "Fontanella guasta"],
    ),
    (
        "segnaletica",
        "Segnaletica e viabilità",
        4,
        30,
        6,
        ["Cartello divelto", "Strisce pedonali sbiadite", "Semaforo guasto"],
    ),
    (
        "barriere",
        "Barriere architettoniche",
        4,
        45,
        3,
        ["Scivolo mancante", "Marciapiede non accessibile"],
    ),
    (
        "erp",
        "Alloggi di edilizia pubblica",
        5,
        30,
        9,
        [
            "Ascensore fermo",
            "Infiltrazioni in cantina",
            "Portone rotto",
            "Alloggio sfitto occupato",
        ],
    ),
    (
        "degrado",
        "Degrado e abbandono",
        6,
        30,
        5,
        ["Auto abbandonata", "Edificio abbandonato", "Scritte sui muri"],
    ),
    ("rumore", "Rumore e convivenza", 6, 30, 4, ["Musica alta di notte", "Schiamazzi nel cortile"]),
    (
        "animali",
        "Animali",
        2,
        20,
        3,
        ["Topi nel cortile", "Colonia felina da censire", "Cani senza guinzaglio"],
    ),
    (
        "acqua",
        "Acqua e fognature",
        0,
        15,
        3,
        ["Perdita d'acqua in strada", "Tombino intasato", "Allagamento del sottopasso"],
    ),
    (
        "sociale",
        "Fragilità e isolamento",
        7,
        30,
        2,
        ["Anziano solo in difficoltà", "Famiglia senza riscaldamento"],
    ),
    (
        "proposte",
        "Proposte per il quartiere",
        7,
        60,
        1,
        ["Proposta di orto condiviso", "Idea per la piazza", "Corso per i ragazzi del cortile"],
    ),
]
FRASI = [
    "La situazione si ripete da settimane e nessuno è ancora intervenuto.",
    "È pericoloso soprattutto per gli anziani e per i bambini che vanno a scuola.",
    "Lo segnalo anche a nome dei vicini del caseggiato.",
    "Di sera la zona è buia e si rischia di inciampare.",
    "Allego una foto scattata questa mattina.",
    "Chiediamo un sopralluogo al più presto.",
    "Il problema peggiora quando piove.",
    "Ho già chiamato il numero verde senza risultato.",
    "Davanti al civico c'è anche la fermata dell'autobus.",
    "Nel cortile giocano molti bambini del quartiere.",
]
PESO_TIPO = [
    ("problema", 70),
    ("proposta", 6),
    ("reclamo", 12),
    ("richiesta_informazioni", 8),
    ("suggerimento", 4),
]
PESO_CANALE = [
    ("online", 45),
    ("sportello", 25),
    ("telefono", 12),
    ("email", 10),
    ("laboratorio", 4),
    ("territorio", 4),
]
ESITI = [
    ("risolta", 62),
    ("affidata", 18),
    ("non_di_competenza", 9),
    ("respinta", 5),
    ("duplicata", 6),
]
NOTE = [
    "Contattato l'ufficio competente per i tempi dell'intervento.",
    "Sopralluogo fatto: confermato il problema.",
    "Il cittadino ha richiamato per un aggiornamento.",
    "In attesa del preventivo del fornitore.",
    "Segnalato anche al gestore dello stabile.",
    "Verificato con la polizia locale.",
]
RISPOSTE = [
    "Gentile cittadino, la segnalazione è stata inoltrata all'ufficio competente.",
    "L'intervento è programmato nelle prossime settimane.",
    "Grazie della segnalazione: il problema è stato risolto.",
    "L'area è di proprietà privata: abbiamo informato l'amministratore.",
]
ALFABETO = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"


def genera(s: Scrittore, seme: int, n: dict[str, int], cal, reg) -> dict | None:
    Segnalazione = modello("segnalazioni", "Segnalazione")
    if Segnalazione is None:
        s.nota("segnalazioni: modello non disponibile, saltato")
        return None
    from segnalazioni.models import Allegato, Categoria, Evento, Ufficio

    r = rng(seme, "segnalazioni")
    s.copia(
        Ufficio,
        ["id", "nome", "email", "telefono", "attivo"],
        [
            (i + 1, nome, f"ufficio{i + 1}@comune.example.it", "", True)
            for i, nome in enumerate(UFFICI)
        ],
    )
    s.copia(
        Categoria,
        ["id", "codice", "nome", "descrizione", "ufficio", "giorni_risposta", "attiva", "ordine"],
        [(i + 1, c[0], c[1], "", c[2] + 1, c[3], True, i) for i, c in enumerate(CATEGORIE)],
    )
    totale = n["segnalazioni"]
    categorie = r.choices(range(len(CATEGORIE)), weights=[c[4] for c in CATEGORIE], k=totale)
    quartieri = reg.pesi_quartieri.scegli(r, totale)
    istanti = sorted(cal.istante(r, g) for g in cal.giorni_casuali(r, totale))
    tipi = r.choices([t for t, _ in PESO_TIPO], weights=[p for _, p in PESO_TIPO], k=totale)
    canali = r.choices([c for c, _ in PESO_CANALE], weights=[p for _, p in PESO_CANALE], k=totale)
    adesso = cal.adesso

    # First pass: the life of each report (status path and its dates), so that the
    # timeline budget can be split before anything is written.
    vite = []
    codici = set()
    for i in range(totale):
        creata = istanti[i]
        # Days to each step; a few reports stay stuck (the backlog an office never clears).
        presa = creata + timedelta(hours=r.uniform(2, 96))
        inoltro = presa + timedelta(days=r.uniform(0.5, 10)) if r.random() < 0.6 else None
        base = inoltro or presa
        lavoro = base + timedelta(days=r.uniform(1, 20)) if inoltro and r.random() < 0.8 else None
        fine = (lavoro or base) + timedelta(days=r.lognormvariate(2.0, 1.0))
        bloccata = r.random() < 0.03
        passi = [("presa_in_carico", presa)]
        if inoltro:
            passi.append(("inoltrata", inoltro))
        if lavoro:
            passi.append(("in_lavorazione", lavoro))
        if not bloccata:
            passi.append(("chiusa", fine))
        passi = [(stato, quando) for stato, quando in passi if quando <= adesso]
        while True:
            codice = "".join(r.choice(ALFABETO) for _ in range(12))
            if codice not in codici:
                codici.add(codice)
                break
        vite.append((creata, passi, f"{codice[:4]}-{codice[4:8]}-{codice[8:]}"))

    minimi = [1 + len(passi) for _, passi, _ in vite]
    budget = n["eventi"] - sum(minimi)
    if budget < 0:  # tiny scales: drop steps until the timeline fits
        for i in range(totale - 1, -1, -1):
            while budget < 0 and vite[i][1]:
                vite[i][1].pop()
                minimi[i] -= 1
                budget += 1
    # A few reports with a long timeline (the detail page's worst case), the rest spread.
    lunghe = max(1, totale // 2000)
    pesi = [1.0 + len(p) for _, p, _ in vite]
    for i in r.sample(range(totale), lunghe):
        pesi[i] = 400.0
    extra = _ripartisci_veloce(r, budget, pesi)

    contatori = {"eventi": 0}

    def operatore(q):
        return r.choice(reg.operatori.get(q) or reg.tutti_operatori)

    righe_s = []
    ids_chiuse = []
    for i in range(totale):
        pk = i + 1
        creata, passi, codice = vite[i]
        c = CATEGORIE[categorie[i]]
        q = quartieri[i]
        stato = passi[-1][0] if passi else "nuova"
        oggetto = r.choice(c[5])
        via = indirizzo(r)
        descrizione = " ".join(r.sample(FRASI, 2))
        lat = lon = None
        if r.random() < 0.7:
            clat, clon = reg.centri[q]
            lat = round(clat + r.gauss(0, 0.004), 6)
            lon = round(clon + r.gauss(0, 0.006), 6)
        esito, chiusa_il = "", None
        if stato == "chiusa":
            chiusa_il = passi[-1][1]
            esito = r.choices([e for e, _ in ESITI], weights=[p for _, p in ESITI])[0]
            if esito == "duplicata" and not ids_chiuse:
                esito = "risolta"
        duplicato_di = r.choice(ids_chiuse[-500:]) if esito == "duplicata" else None
        if stato == "chiusa":
            ids_chiuse.append(pk)
        assegnata = operatore(q) if passi else None
        persona = None
        nome_s = email_s = tel_s = ""
        if r.random() < 0.35 and reg.tutte_persone:
            persona = r.choice(reg.persone.get(q) or reg.tutte_persone)
        elif canali[i] == "online":
            nome_s = f"Cittadino {pk}"
            email_s = f"cittadino{pk}@esempio.it" if r.random() < 0.8 else ""
        valutazione = motivo = valutata = None
        if stato == "chiusa" and r.random() < 0.2:
            valutazione = r.choices([1, 2, 3, 4, 5], weights=[8, 7, 15, 30, 40])[0]
            valutata = chiusa_il + timedelta(days=r.uniform(0.1, 5))
            motivo = "" if valutazione > 2 else "Tempi troppo lunghi."
        ultima = passi[-1][1] if passi else creata
        scadenza = (creata.astimezone(ROMA) + timedelta(days=c[3])).date()
        righe_s.append(
            (
                pk,
                codice,
                tipi[i],
                categorie[i] + 1,
                q,
                oggetto,
                descrizione,
                via,
                lat,
                lon,
                canali[i],
                stato,
                esito,
                assegnata,
                duplicato_di,
                persona,
                nome_s,
                email_s,
                tel_s,
                True,
                creata,
                "2026-01",
                creata,
                ultima,
                scadenza,
                chiusa_il,
                valutazione,
                motivo or "",
                valutata if valutazione else None,
                normalizza_ricerca(" ".join([oggetto, descrizione, via, codice])),
                1 + len(passi),
                # Online reports are public once taken in charge (Open311 GET), as in the demo.
                canali[i] == "online",
            )
        )
    s.copia(
        Segnalazione,
        [
            "id",
            "codice",
            "tipo",
            "categoria",
            "quartiere",
            "oggetto",
            "descrizione",
            "indirizzo",
            "lat",
            "lon",
            "canale",
            "stato",
            "esito",
            "assegnata_a",
            "duplicato_di",
            "persona",
            "nome_segnalante",
            "email_segnalante",
            "telefono_segnalante",
            "consenso_privacy",
            "consenso_il",
            "informativa_versione",
            "creata_il",
            "modificata_il",
            "scadenza",
            "chiusa_il",
            "valutazione",
            "valutazione_motivo",
            "valutata_il",
            "ricerca",
            "versione",
            "pubblicabile",
        ],
        righe_s,
        grande=True,
    )

    def eventi():
        pk = 0
        for i in range(totale):
            creata, passi, _ = vite[i]
            riga = righe_s[i]
            q, esito, assegnata = riga[4], riga[12], riga[13]
            pk += 1
            yield (pk, i + 1, "creazione", creata, None, "", "nuova", "", False, "")
            precedente = "nuova"
            fine = passi[-1][1] if passi else min(adesso, creata + timedelta(days=30))
            for stato, quando in passi:
                pk += 1
                autore = assegnata or operatore(q)
                tipo = "inoltro" if stato == "inoltrata" else "cambio_stato"
                yield (
                    pk,
                    i + 1,
                    tipo,
                    quando,
                    autore,
                    precedente,
                    stato,
                    esito if stato == "chiusa" else "",
                    False,
                    "",
                )
                precedente = stato
            if extra[i]:
                durata = max(60.0, (fine - creata).total_seconds())
                momenti = sorted(r.uniform(30, durata) for _ in range(extra[i]))
                for secondi in momenti:
                    pk += 1
                    x = r.random()
                    if x < 0.55:
                        tipo, testo = "nota_interna", r.choice(NOTE)
                    elif x < 0.8:
                        tipo, testo = "risposta_pubblica", r.choice(RISPOSTE)
                    elif x < 0.95:
                        tipo, testo = "assegnazione", ""
                    else:
                        tipo, testo = "modifica", "Corretto l'indirizzo."
                    yield (
                        pk,
                        i + 1,
                        tipo,
                        creata + timedelta(seconds=secondi),
                        assegnata or operatore(q),
                        "",
                        "",
                        "",
                        False,
                        testo,
                    )
        contatori["eventi"] = pk

    s.copia(
        Evento,
        [
            "id",
            "segnalazione",
            "tipo",
            "creato_il",
            "autore",
            "stato_da",
            "stato_a",
            "esito",
            "forzato",
            "testo",
        ],
        eventi(),
        grande=True,
    )

    def allegati():
        scelte = sorted(r.choices(range(totale), k=n["allegati"]))
        for pk, i in enumerate(scelte, start=1):
            creata = vite[i][0]
            mime, ext = r.choice(
                [
                    ("image/jpeg", "jpg"),
                    ("image/jpeg", "jpg"),
                    ("image/png", "png"),
                    ("application/pdf", "pdf"),
                ]
            )
            yield (
                pk,
                i + 1,
                f"segnalazioni/{creata:%Y/%m}/{r.getrandbits(128):032x}.{ext}",
                f"foto_{pk}.{ext}",
                mime,
                r.randint(40_000, 4_800_000),
                creata,
                None,
            )

    s.copia(
        Allegato,
        [
            "id",
            "segnalazione",
            "file",
            "nome_originale",
            "tipo_mime",
            "dimensione",
            "caricato_il",
            "caricato_da",
        ],
        allegati(),
    )
    return {"creazione": [v[0] for v in vite]}


def _ripartisci_veloce(r, totale: int, pesi: list[float]) -> list[int]:
    """Split ``totale`` proportionally to ``pesi`` with a random remainder (exact sum)."""
    if totale <= 0 or not pesi:
        return [0] * len(pesi)
    somma = sum(pesi)
    quote = [math.floor(totale * p / somma) for p in pesi]
    resto = totale - sum(quote)
    for i in r.choices(range(len(pesi)), weights=pesi, k=resto):
        quote[i] += 1
    return quote


def _fase(s, seme, n, cal, reg, risultati):
    return genera(s, seme, n, cal, reg)


GENERATORI.registra(
    "segnalazioni",
    Generatore(
        _fase,
        ordine=10,
        conteggi={"segnalazioni": 200_000, "eventi": 1_000_000, "allegati": 20_000},
        modelli={
            "segnalazioni": "segnalazioni.Segnalazione",
            "eventi": "segnalazioni.Evento",
            "allegati": "segnalazioni.Allegato",
        },
    ),
)
