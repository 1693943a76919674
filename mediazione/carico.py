"""Mediation dossiers: numbering per year, parties, dated activities, agreements, the
access log's opening entries and the yearly counters."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from quartiere.sviluppo.carico.base import (
    GENERATORI,
    ROMA,
    Generatore,
    Scrittore,
    modello,
    ripartisci,
    rng,
)

CONFLITTI = [
    ("rumori", 25),
    ("spazi_comuni", 15),
    ("animali", 8),
    ("giardini_verde", 4),
    ("odori", 3),
    ("parcheggi", 6),
    ("rifiuti_igiene", 8),
    ("giovani_spazio_pubblico", 6),
    ("convivenza_interculturale", 8),
    ("intergenerazionale", 5),
    ("condominiale", 10),
    ("altro", 2),
]
CANALI = ["accesso_diretto", "segnalazione", "servizi_sociali", "polizia_locale", "gestore_aler"]
FASI = [
    "accoglienza",
    "colloquio_richiedente",
    "invito_controparte",
    "colloqui_individuali",
    "incontro_congiunto",
    "accordo",
    "verifica",
]
ESITI = [
    ("accordo_raggiunto", 35),
    ("accordo_parziale", 15),
    ("nessun_accordo", 15),
    ("risolto_preliminare", 10),
    ("informazione_orientamento", 10),
    ("rinuncia", 10),
    ("inviato_altro_servizio", 5),
]
TIPI_ATTIVITA = [
    ("colloquio_individuale", 40),
    ("telefonata", 25),
    ("incontro_congiunto", 12),
    ("lettera", 8),
    ("sopralluogo", 8),
    ("verifica", 7),
]


def genera(s: Scrittore, seme: int, n: dict[str, int], cal, reg, segn) -> None:
    Dossier = modello("mediazione", "Dossier")
    if Dossier is None:
        s.nota("mediazione: modello non disponibile, saltato")
        return
    from mediazione.models import AccessoDossier, Accordo, Attivita, ContatoreDossier, Parte

    r = rng(seme, "mediazione")
    totale = n["dossier"]
    giorni = sorted(cal.giorni_casuali(r, totale))
    oggi = cal.fine
    progressivi: dict[int, int] = {}
    dossier, mediatori_m2m, parti, accordi, accessi = [], [], [], [], []
    info = []  # (pk, aperto, chiuso, fase finale, parti ids)
    n_segn = len(segn["creazione"]) if segn else 0
    for i in range(totale):
        pk = i + 1
        aperto = giorni[i]
        anno = aperto.year
        progressivi[anno] = progressivi.get(anno, 0) + 1
        q = reg.pesi_quartieri.scegli(r)
        durata = int(r.lognormvariate(4.0, 0.7))  # ~2 months median
        chiuso = aperto + timedelta(days=durata)
        fase_raggiunta = FASI[min(len(FASI) - 1, int(r.random() * len(FASI)))]
        if chiuso <= oggi and r.random() < 0.95:
            fase, esito, chiuso_il, alla_chiusura = (
                "chiuso",
                _pesato(r, ESITI),
                chiuso,
                fase_raggiunta,
            )
        else:
            fase, esito, chiuso_il, alla_chiusura = fase_raggiunta, "", None, ""
        mediatore = r.choice(reg.mediatori)
        creato = datetime.combine(aperto, time(10, r.randrange(60)), tzinfo=ROMA)
        segnalazione = r.randint(1, n_segn) if n_segn and r.random() < 0.1 else None
        dossier.append(
            (
                pk,
                f"MED-{anno}-{progressivi[anno]:04d}",
                anno,
                progressivi[anno],
                q,
                _pesato(r, CONFLITTI),
                r.choice(CANALI),
                "Conflitto tra vicini descritto durante l'accoglienza (dati generati).",
                segnalazione,
                fase,
                alla_chiusura,
                esito,
                aperto,
                chiuso_il,
                mediatore,
                creato,
                None,
                1,
            )
        )
        mediatori_m2m.append((len(mediatori_m2m) + 1, pk, mediatore))
        if len(reg.mediatori) > 1 and r.random() < 0.3:
            altro = r.choice([m for m in reg.mediatori if m != mediatore])
            mediatori_m2m.append((len(mediatori_m2m) + 1, pk, altro))
        pool = reg.persone.get(q) or reg.tutte_persone
        scelte = r.sample(pool, min(len(pool), r.choice([2, 2, 2, 3])))
        ids_parti = []
        for j, persona in enumerate(scelte):
            ruolo = ("richiedente", "controparte")[j] if j < 2 else "altro"
            parti.append(
                (len(parti) + 1, pk, persona, ruolo, True, aperto, "", 1),
            )
            ids_parti.append(len(parti))
        if esito in ("accordo_raggiunto", "accordo_parziale"):
            data = chiuso - timedelta(days=min(durata, r.randint(0, 20)))
            verifica = data + timedelta(days=60)
            accordi.append(
                (
                    len(accordi) + 1,
                    pk,
                    "Le parti si impegnano a rispettare gli orari di silenzio.",
                    data,
                    verifica,
                    verifica if verifica <= oggi else None,
                    1,
                )
            )
        accessi.append(
            (
                len(accessi) + 1,
                pk,
                mediatore,
                reg.nomi_utenti[mediatore],
                creato,
                "creazione",
                "",
                None,
            )
        )
        info.append((pk, aperto, chiuso_il or oggi, mediatore))
    campi_dossier = [
        "id",
        "numero",
        "anno",
        "progressivo",
        "quartiere",
        "tipo_conflitto",
        "canale_arrivo",
        "descrizione",
        "segnalazione",
        "fase",
        "fase_alla_chiusura",
        "esito",
        "aperto_il",
        "chiuso_il",
        "creato_da",
        "creato_il",
        "anonimizzato_il",
        "versione",
    ]
    s.copia(Dossier, campi_dossier, dossier)
    s.copia(Dossier.mediatori.through, ["id", "dossier_id", "user_id"], mediatori_m2m)
    s.copia(ContatoreDossier, ["anno", "ultimo"], sorted(progressivi.items()))
    s.copia(
        Parte,
        [
            "id",
            "dossier",
            "persona",
            "ruolo",
            "consenso_mediazione",
            "consenso_data",
            "note",
            "versione",
        ],
        parti,
    )
    s.copia(
        Accordo,
        ["id", "dossier", "testo", "data", "data_verifica", "verifica_svolta_il", "versione"],
        accordi,
    )
    s.copia(
        AccessoDossier,
        ["id", "dossier", "utente", "nome_utente", "quando", "azione", "dettaglio", "indirizzo_ip"],
        accessi,
    )

    quote = ripartisci(r, n["attivita_mediazione"], [1.0 + r.random() for _ in info])

    def attivita():
        pk = 0
        for (dossier_pk, aperto, fine, mediatore), quante in zip(info, quote, strict=True):
            span = max(0, (fine - aperto).days)
            date = sorted(aperto + timedelta(days=r.randint(0, span)) for _ in range(quante))
            for k, data in enumerate(date):
                pk += 1
                tipo = _pesato(r, TIPI_ATTIVITA)
                fase = FASI[min(len(FASI) - 1, k * len(FASI) // max(1, quante))]
                yield (
                    pk,
                    dossier_pk,
                    tipo,
                    data,
                    r.choice([None, 30, 45, 60, 90]),
                    fase,
                    "Resoconto sintetico dell'attività.",
                    tipo == "colloquio_individuale" and r.random() < 0.3,
                    mediatore,
                    datetime.combine(data, time(17, 0), tzinfo=ROMA),
                )

    s.copia(
        Attivita,
        [
            "id",
            "dossier",
            "tipo",
            "data",
            "durata_minuti",
            "fase",
            "note",
            "non_condividere",
            "registrata_da",
            "registrata_il",
        ],
        attivita(),
    )


def _pesato(r, coppie):
    return r.choices([c for c, _ in coppie], weights=[p for _, p in coppie])[0]


def _fase(s, seme, n, cal, reg, risultati):
    return genera(s, seme, n, cal, reg, risultati["segnalazioni"])


GENERATORI.registra(
    "mediazione",
    Generatore(
        _fase,
        ordine=20,
        conteggi={"dossier": 5_000, "attivita_mediazione": 40_000},
        modelli={"dossier": "mediazione.Dossier", "attivita_mediazione": "mediazione.Attivita"},
    ),
)
