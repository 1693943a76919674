"""Demo data of the reports: offices, categories, the Open311 demo key and a few hundred
reports spread over the demo quartieri, statuses and channels. Deterministic
(``random.Random``) and idempotent: categories are matched by code, the reports are
added only once (their codes start with ``DEMO``)."""

from __future__ import annotations

import random
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from quartiere.lib.text import normalizza_ricerca
from quartiere.privacy.models import Informativa
from quartiere.registro.models import Persona
from quartiere.territorio.models import Quartiere
from segnalazioni.models import (
    ALFABETO_CODICE,
    Canale,
    Categoria,
    ChiaveAPI,
    Esito,
    Evento,
    Segnalazione,
    Stato,
    Tipo,
    Ufficio,
)

# Documented in the README as a demo value: never issue it on a real installation.
CHIAVE_DEMO = "demo-open311-key"
# Two years of reports: the director's report compares this year with the same months
# of the last one, which the demo must fill.
QUANTE = 560
GIORNI = 720

CATEGORIE = [
    # code, name, office, office e-mail, days
    (
        "strade-marciapiedi",
        "Strade e marciapiedi",
        "Direzione Mobilità – Manutenzione strade",
        "strade@example.org",
        30,
    ),
    ("verde", "Verde", "Area Verde, Agricoltura e Arredo urbano", "verde@example.org", 30),
    ("illuminazione", "Illuminazione", "Illuminazione pubblica", "illuminazione@example.org", 15),
    ("rifiuti-decoro", "Rifiuti e decoro", "Igiene urbana", "rifiuti@example.org", 10),
    (
        "edifici-pubblici",
        "Edifici pubblici",
        "Direzione Casa – Edilizia residenziale pubblica",
        "casa@example.org",
        30,
    ),
    (
        "sicurezza-viabilita",
        "Sicurezza e viabilità",
        "Polizia locale – Comando di zona",
        "polizia.locale@example.org",
        20,
    ),
    ("animali", "Animali", "Ufficio tutela animali", "animali@example.org", 30),
    ("convivenza", "Convivenza", "Servizio di mediazione sociale", "mediazione@example.org", 30),
    ("altro", "Altro", "Laboratori di Quartiere – coordinamento", "laboratori@example.org", 30),
]

OGGETTI = {
    "strade-marciapiedi": [
        "Buca nel marciapiede",
        "Asfalto dissestato",
        "Tombino rotto",
        "Marciapiede sconnesso davanti alla scuola",
    ],
    "verde": [
        "Albero pericolante",
        "Erba alta nel giardino",
        "Panchina rotta nel parco",
        "Aiuola da curare",
    ],
    "illuminazione": ["Lampione spento", "Luce intermittente nel cortile", "Via al buio di sera"],
    "rifiuti-decoro": [
        "Rifiuti abbandonati",
        "Cestino pieno",
        "Scritte sui muri",
        "Ingombranti sul marciapiede",
    ],
    "edifici-pubblici": [
        "Infiltrazioni nel vano scala",
        "Ascensore fermo",
        "Portone che non si chiude",
        "Citofono guasto",
    ],
    "sicurezza-viabilita": [
        "Auto in sosta sulle strisce",
        "Semaforo guasto",
        "Attraversamento pericoloso",
    ],
    "animali": [
        "Colonia felina da censire",
        "Cani senza guinzaglio nel parco",
        "Piccioni nel sottotetto",
    ],
    "convivenza": [
        "Rumori notturni dal cortile",
        "Uso del cortile condominiale",
        "Musica alta la sera",
    ],
    "altro": [
        "Proposta di un mercato di quartiere",
        "Richiesta orari dello sportello",
        "Idea per una festa di via",
    ],
}
VIE = {
    "san-siro": [
        "Via Abbiati",
        "Piazzale Selinunte",
        "Via Zamagna",
        "Via Paravia",
        "Via Mar Jonio",
    ],
    "lorenteggio": ["Via Lorenteggio", "Via Giambellino", "Via Segneri", "Via Manzano"],
    "gratosoglio": ["Via Saponaro", "Via dei Missaglia", "Via Baroni", "Via Costantino Baroni"],
    "ponte-lambro": ["Via Ucelli di Nemi", "Via Rilke", "Via San Dionigi"],
    "molise-calvairate": ["Via Molise", "Via Calvairate", "Viale Molise", "Via Ciceri Visconti"],
    "mazzini": ["Via Mompiani", "Via Oglio", "Via Salomone", "Viale Omero"],
}
STATI_PESI = [
    (Stato.NUOVA, 12),
    (Stato.PRESA_IN_CARICO, 12),
    (Stato.INOLTRATA, 10),
    (Stato.IN_LAVORAZIONE, 12),
    (Stato.CHIUSA, 54),
]
ESITI = [
    Esito.RISOLTA,
    Esito.RISOLTA,
    Esito.RISOLTA,
    Esito.AFFIDATA,
    Esito.NON_DI_COMPETENZA,
    Esito.RESPINTA,
]
PERCORSO = [Stato.NUOVA, Stato.PRESA_IN_CARICO, Stato.INOLTRATA, Stato.IN_LAVORAZIONE, Stato.CHIUSA]


CATEGORIE_MAI_PUBBLICHE = {"convivenza"}


def _codice(rng: random.Random) -> str:
    grezzo = "".join(rng.choice(ALFABETO_CODICE) for _ in range(8))
    return f"DEMO-{grezzo[:4]}-{grezzo[4:]}"


def popola(stdout=None) -> None:
    categorie = {}
    for ordine, (codice, nome, ufficio_nome, email, giorni) in enumerate(CATEGORIE):
        ufficio, _ = Ufficio.objects.get_or_create(nome=ufficio_nome, defaults={"email": email})
        categorie[codice], _ = Categoria.objects.get_or_create(
            codice=codice,
            defaults=dict(
                nome=nome,
                ufficio=ufficio,
                giorni_risposta=giorni,
                ordine=ordine,
                # Conflicts between neighbours are about a neighbour: never in public lists.
                mai_pubblica=codice in CATEGORIE_MAI_PUBBLICHE,
            ),
        )
    if not ChiaveAPI.objects.filter(prefisso=CHIAVE_DEMO[:6], nome="Demo Open311").exists():
        chiave = ChiaveAPI(nome="Demo Open311", note="Chiave dimostrativa documentata nel README.")
        chiave.imposta_chiave(CHIAVE_DEMO)
        chiave.save()

    quartieri = {q.codice: q for q in Quartiere.objects.filter(codice__in=list(VIE))}
    if not quartieri or Segnalazione.objects.filter(codice__startswith="DEMO-").exists():
        if stdout:
            stdout.write("  segnalazioni: categorie e chiave Open311 già presenti")
        return
    rng = random.Random(311)
    User = get_user_model()
    operatori = {
        u.username: u
        for u in User.objects.filter(
            username__in=["operatore.sansiro", "operatore.gratosoglio", "coordinatore"]
        )
    }
    per_quartiere = {
        "san-siro": "operatore.sansiro",
        "lorenteggio": "operatore.sansiro",
        "gratosoglio": "operatore.gratosoglio",
        "ponte-lambro": "operatore.gratosoglio",
    }
    persone = list(Persona.objects.filter(codice__startswith="DEMO-P").order_by("codice"))
    ora = timezone.now()
    stati, pesi = zip(*STATI_PESI, strict=True)
    canali = list(Canale.values)
    pesi_canali = [45, 20, 12, 10, 6, 7]
    segnalazioni, eventi_per = [], []
    for i in range(QUANTE):
        codice_q = rng.choice(list(quartieri))
        q = quartieri[codice_q]
        cat_codice = rng.choice(list(categorie))
        cat = categorie[cat_codice]
        creata = ora - timedelta(
            days=rng.randint(0, GIORNI), hours=rng.randint(0, 23), minutes=rng.randint(0, 59)
        )
        stato = rng.choices(stati, pesi)[0]
        if creata > ora - timedelta(days=3):
            stato = Stato.NUOVA
        oggetto = rng.choice(OGGETTI[cat_codice])
        indirizzo = f"{rng.choice(VIE[codice_q])} {rng.randint(1, 180)}"
        con_punto = rng.random() < 0.8 and q.lat is not None
        lat = round(q.lat + rng.uniform(-0.006, 0.006), 6) if con_punto else None
        lon = round(q.lon + rng.uniform(-0.008, 0.008), 6) if con_punto else None
        canale = rng.choices(canali, pesi_canali)[0]
        persona = (
            rng.choice(persone)
            if persone and canale != Canale.ONLINE and rng.random() < 0.7
            else None
        )
        descrizione = f"{oggetto} in {indirizzo}. Segnalazione dimostrativa n. {i + 1}."
        chiusa_il = None
        esito = ""
        if stato == Stato.CHIUSA:
            chiusa_il = min(
                creata + timedelta(days=rng.randint(1, 60), hours=rng.randint(0, 8)), ora
            )
            esito = rng.choice(ESITI)
        assegnata = operatori.get(per_quartiere.get(codice_q, "coordinatore"))
        s = Segnalazione(
            codice=_codice(rng),
            tipo=rng.choices(Tipo.values, [60, 12, 10, 12, 6])[0],
            categoria=cat,
            quartiere=q,
            oggetto=oggetto,
            descrizione=descrizione,
            indirizzo=indirizzo,
            lat=lat,
            lon=lon,
            canale=canale,
            stato=stato,
            esito=esito,
            # What citizens filed online is shown in the public list once taken in charge;
            # desk and phone intakes stay off it.
            pubblicabile=canale == Canale.ONLINE,
            assegnata_a=assegnata if stato != Stato.NUOVA else None,
            persona=persona,
            nome_segnalante="" if persona else rng.choice(["", "", "Cittadino di esempio"]),
            email_segnalante="" if persona else rng.choice(["", f"cittadino{i}@example.org"]),
            consenso_privacy=True,
            consenso_il=creata,
            informativa_versione=Informativa.versione_corrente(),
            creata_il=creata,
            scadenza=(timezone.localtime(creata) + timedelta(days=cat.giorni_risposta)).date(),
            chiusa_il=chiusa_il,
            valutazione=rng.choice([None, None, 3, 4, 5, 2]) if stato == Stato.CHIUSA else None,
        )
        s.ricerca = normalizza_ricerca(" ".join([s.oggetto, s.descrizione, s.indirizzo, s.codice]))
        segnalazioni.append(s)
        eventi_per.append((s, creata, stato, esito, chiusa_il, assegnata))
    Segnalazione.objects.bulk_create(segnalazioni, batch_size=200)
    eventi = []
    for s, creata, stato, esito, chiusa_il, assegnata in eventi_per:
        eventi.append(
            Evento(
                segnalazione=s, tipo=Evento.Tipo.CREAZIONE, creato_il=creata, stato_a=Stato.NUOVA
            )
        )
        passi = PERCORSO[1 : PERCORSO.index(stato) + 1] if stato != Stato.NUOVA else []
        fine = chiusa_il or min(creata + timedelta(days=10), ora)
        for n, passo in enumerate(passi, start=1):
            quando = creata + (fine - creata) * n / max(len(passi), 1)
            eventi.append(
                Evento(
                    segnalazione=s,
                    tipo=Evento.Tipo.CAMBIO_STATO,
                    creato_il=quando,
                    autore=assegnata,
                    stato_da=PERCORSO[n - 1],
                    stato_a=passo,
                    esito=esito if passo == Stato.CHIUSA else "",
                )
            )
            if passo == Stato.CHIUSA:
                eventi.append(
                    Evento(
                        segnalazione=s,
                        tipo=Evento.Tipo.RISPOSTA_PUBBLICA,
                        creato_il=quando,
                        autore=assegnata,
                        testo="Grazie della segnalazione: l'intervento è stato completato.",
                    )
                )
    Evento.objects.bulk_create(eventi, batch_size=500)
    if stdout:
        stdout.write(
            f"  segnalazioni: {len(CATEGORIE)} categorie, {QUANTE} segnalazioni, chiave Open311"
        )
