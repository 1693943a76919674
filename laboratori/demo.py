"""Demo data of the labs: one or two labs per demo quartiere, with meetings held (with
attendance and minutes), cancelled and scheduled, and proposals in every status.

Runs after ``quartiere.demo``. Idempotent: labs are matched by ``codice`` and a lab
that exists is left alone. Deterministic: each lab draws from its own
``random.Random`` seeded with its code; dates are relative to the day of the first run
so that the calendar always has upcoming meetings.
"""

from __future__ import annotations

import random
from datetime import datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from laboratori import services
from laboratori.models import Incontro, Laboratorio, Proposta
from quartiere.calendario.services import trova_conflitto
from quartiere.registro.models import Organizzazione, Persona
from quartiere.territorio.models import Quartiere, Sede

SEME = 2026
SALA = "Sala della Città condivisa"

# codice, titolo, quartiere, tema, fase, stato, months since start, facilitator
LABORATORI = [
    (
        "DEMO-LAB-SS1",
        "Cortili di San Siro",
        "san-siro",
        "Cura dei cortili e degli spazi comuni delle case popolari",
        "progettazione",
        "attivo",
        7,
        "operatore.sansiro",
    ),
    (
        "DEMO-LAB-SS2",
        "Piazza Selinunte bene comune",
        "san-siro",
        "Animazione e cura della piazza",
        "realizzazione",
        "attivo",
        14,
        "operatore.sansiro",
    ),
    (
        "DEMO-LAB-LO1",
        "Il giardino condiviso del Lorenteggio",
        "lorenteggio",
        "Un giardino di quartiere nell'area verde dei nuovi alloggi",
        "ascolto",
        "attivo",
        3,
        "operatore.sansiro",
    ),
    (
        "DEMO-LAB-GR1",
        "Torri di Gratosoglio: spazi per i giovani",
        "gratosoglio",
        "Spazi di studio e di incontro per ragazze e ragazzi",
        "progettazione",
        "attivo",
        9,
        "operatore.gratosoglio",
    ),
    (
        "DEMO-LAB-PL1",
        "Il parco e la scuola di Ponte Lambro",
        "ponte-lambro",
        "Percorsi sicuri casa-scuola e cura del parco",
        "ascolto",
        "attivo",
        4,
        "operatore.gratosoglio",
    ),
    (
        "DEMO-LAB-MC1",
        "Calvairate: mercato e vicinato",
        "molise-calvairate",
        "Il mercato comunale come luogo di comunità",
        "realizzazione",
        "concluso",
        20,
        "coordinatore",
    ),
    (
        "DEMO-LAB-MZ1",
        "Orti e cortili Mazzini",
        "mazzini",
        "Orti condivisi e manutenzione leggera del verde",
        "ascolto",
        "sospeso",
        5,
        "coordinatore",
    ),
]

LUOGHI_LIBERI = [
    "Cortile interno, scala B",
    "Giardino della scuola primaria",
    "Sotto i portici della piazza",
    "Sala parrocchiale",
    "Biblioteca di condominio",
]

ARGOMENTI = [
    "mappatura dei luoghi da curare",
    "calendario delle giornate di pulizia",
    "proposte per l'illuminazione dei passaggi",
    "uso degli spazi comuni al piano terra",
    "attività estive per bambini e ragazzi",
    "raccolta differenziata nei cortili",
    "regole condivise per il giardino",
    "bozza di patto di collaborazione",
]

PROPOSTE = [
    ("Giornata mensile di cura del cortile", "Una mattina al mese, attrezzi forniti dal Comune."),
    ("Bacheca di quartiere", "Una bacheca all'ingresso per avvisi e iniziative del laboratorio."),
    ("Aula studio aperta il sabato", "Apertura di uno spazio al piano terra con volontari."),
    ("Nuove panchine e fioriere", "Sistemazione dell'area verde davanti alla scuola."),
    ("Piedibus casa-scuola", "Accompagnamento a piedi dei bambini con genitori volontari."),
    ("Festa di vicinato", "Una festa all'aperto per presentare il laboratorio a tutti."),
]
STATI_PROPOSTA = ["accolta", "in_valutazione", "raccolta", "non_accolta", "accolta"]


def _alle_18(giorno):
    return timezone.make_aware(datetime.combine(giorno, time(18, 0)))


def _giorno_libero(sede, giorno):
    """``giorno``, or the first day after it when ``sede`` is free from 18 to 20: a hall is
    never taken twice (the database refuses it), so a meeting that would fall on a
    booking or on another lab's meeting moves to the next free evening."""
    if sede is None:
        return giorno
    while trova_conflitto(sede.pk, _alle_18(giorno), _alle_18(giorno) + timedelta(hours=2)):
        giorno += timedelta(days=1)
    return giorno


def _crea_laboratorio(riga, *, oggi, quartieri, utenti, sala, sedi, persone, organizzazioni):
    codice, titolo, q, tema, fase, stato, mesi, facilitatore = riga
    rng = random.Random(f"{SEME}-{codice}")
    quartiere = quartieri[q]
    inizio = oggi - timedelta(days=30 * mesi)
    fine = oggi - timedelta(days=20) if stato == "concluso" else None
    lab = Laboratorio.objects.create(
        codice=codice,
        titolo=titolo,
        quartiere=quartiere,
        tema=tema,
        descrizione=(
            f"Laboratorio di cittadinanza aperto a residenti, associazioni e attività di "
            f"{quartiere.nome}: {tema.lower()}."
        ),
        fase=fase,
        stato=stato,
        data_inizio=inizio,
        data_fine=fine,
    )
    if facilitatore in utenti:
        lab.facilitatori.add(utenti[facilitatore])
    autore = utenti.get(facilitatore)

    locali = [p for p in persone if p.quartiere_id == quartiere.pk]
    altri = [p for p in persone if p.quartiere_id != quartiere.pk]
    org_locali = [o for o in organizzazioni if o.quartiere_id in {quartiere.pk, None}]

    # Held meetings every three weeks from the start up to the end (or today).
    giorno = inizio + timedelta(days=7)
    ultimo = fine or oggi - timedelta(days=1)
    numero = 0
    svolti = []
    while giorno <= ultimo:
        numero += 1
        annullato = numero % 5 == 4
        scelta = numero % 3
        sede = sala if scelta == 0 else sedi.get(q) if scelta == 1 else None
        il_giorno = giorno if annullato else _giorno_libero(sede, giorno)
        inc = Incontro.objects.create(
            codice=f"{codice}-I{numero:02d}",
            laboratorio=lab,
            titolo=f"Incontro {numero}: {rng.choice(ARGOMENTI)}",
            inizio=_alle_18(il_giorno),
            fine=_alle_18(il_giorno) + timedelta(hours=2),
            sede=sede,
            luogo="" if scelta in (0, 1) else rng.choice(LUOGHI_LIBERI),
            ordine_del_giorno="\n".join(
                f"{i}. {a}" for i, a in enumerate(rng.sample(ARGOMENTI, 3), start=1)
            ),
            stato="annullato" if annullato else "svolto",
            verbale=""
            if annullato
            else (
                f"L'incontro si apre alle 18:00. Si discute di {rng.choice(ARGOMENTI)}. "
                f"Emergono proposte su {rng.choice(ARGOMENTI)}; si concorda di riprendere il "
                f"tema al prossimo incontro. L'incontro si chiude alle 20:00."
            ),
        )
        if not annullato:
            svolti.append(inc)
            presenti = rng.sample(locali, min(len(locali), rng.randint(4, 8)))
            presenti += rng.sample(altri, min(len(altri), rng.randint(1, 4)))
            for persona in presenti:
                org = rng.choice(org_locali) if org_locali and rng.random() < 0.25 else None
                services.registra_presenza(inc, persona=persona, organizzazione=org, da=autore)
            if org_locali and rng.random() < 0.5:
                org = rng.choice(org_locali)
                services.registra_presenza(inc, organizzazione=org, da=autore)
        giorno += timedelta(days=21)

    if stato == "attivo":
        for k in (1, 2):
            sede = sala if k == 1 else sedi.get(q)
            giorno = _giorno_libero(sede, oggi + timedelta(days=10 * k + rng.randint(0, 4)))
            Incontro.objects.create(
                codice=f"{codice}-P{k}",
                laboratorio=lab,
                titolo=f"Prossimo incontro: {rng.choice(ARGOMENTI)}",
                inizio=_alle_18(giorno),
                fine=_alle_18(giorno) + timedelta(hours=2),
                sede=sede,
                ordine_del_giorno="\n".join(
                    f"{i}. {a}" for i, a in enumerate(rng.sample(ARGOMENTI, 3), start=1)
                ),
                stato="programmato",
            )

    for i, (titolo_p, descrizione) in enumerate(rng.sample(PROPOSTE, min(4, len(svolti) + 1))):
        origine = svolti[i % len(svolti)] if svolti else None
        # Creation order, so that the same seed picks the same proponent.
        presenze = (
            list(origine.presenze.select_related("persona").order_by("pk")) if origine else []
        )
        proponente = rng.choice(presenze) if presenze else None
        stato_p = STATI_PROPOSTA[i % len(STATI_PROPOSTA)]
        Proposta.objects.create(
            laboratorio=lab,
            incontro=origine,
            titolo=titolo_p,
            descrizione=descrizione,
            proponente_persona=proponente.persona if proponente else None,
            proponente_organizzazione=proponente.organizzazione if proponente else None,
            stato=stato_p,
            esito="Accolta dalla giunta di quartiere: parte con il prossimo patto."
            if stato_p == "accolta"
            else "",
        )
    return lab


def _gruppo_pilota(quartiere, oggi, persone, organizzazioni) -> None:
    """Gratosoglio's pilot group (seed 003, issue 19): a public and a third-sector coordinator, the
    network of promoters, a mandate of vulnerabilities and priorities, a thematic group."""
    from django.contrib.auth import get_user_model

    from laboratori.models import Aderente

    if quartiere is None or Laboratorio.objects.filter(codice="DEMO-GP-GRATOSOGLIO").exists():
        return
    utenti = {
        u.username: u
        for u in get_user_model().objects.filter(
            username__in=["coordinatore", "operatore.gratosoglio"]
        )
    }
    inizio = oggi - timedelta(days=240)
    pilota = Laboratorio.objects.create(
        codice="DEMO-GP-GRATOSOGLIO",
        titolo="Gruppo pilota di Gratosoglio",
        quartiere=quartiere,
        tipo=Laboratorio.Tipo.GRUPPO_PILOTA,
        tema="Governance di quartiere",
        descrizione=(
            "L'agorà del quartiere: associazioni, parrocchia, cooperative, società sportive, "
            "commercianti e cittadini che osservano il territorio e orientano i progetti."
        ),
        fase=Laboratorio.Fase.PROGETTAZIONE,
        data_inizio=inizio,
        coordinatore_pubblico=utenti.get("coordinatore"),
        coordinatore_privato_sociale=utenti.get("operatore.gratosoglio"),
    )
    facilitatori = [u for u in utenti.values() if u.username == "operatore.gratosoglio"]
    pilota.facilitatori.set(facilitatori)
    for ordine, (tipo, testo) in enumerate(
        [
            ("vulnerabilita", "Anziani soli nei caseggiati popolari"),
            ("vulnerabilita", "Ragazzi senza spazi dopo la scuola"),
            ("vulnerabilita", "Conflitti di vicinato per rumori e spazi comuni"),
            ("priorita", "Cortili curati e vissuti"),
            ("priorita", "Un doposcuola con le associazioni del quartiere"),
        ],
        1,
    ):
        pilota.mandato.create(tipo=tipo, testo=testo, ordine=ordine)
    for i, org in enumerate(organizzazioni[:5]):
        Aderente.objects.create(
            laboratorio=pilota,
            organizzazione=org,
            ruolo=Aderente.Ruolo.PROMOTORE if i < 2 else Aderente.Ruolo.MEMBRO,
            dal=inizio,
        )
    for persona in persone[30:34]:
        Aderente.objects.create(laboratorio=pilota, persona=persona, dal=inizio)
    tematico = Laboratorio.objects.create(
        codice="DEMO-GT-GRATOSOGLIO-CORTILI",
        titolo="Gruppo tematico: cortili e spazi comuni",
        quartiere=quartiere,
        tipo=Laboratorio.Tipo.GRUPPO_TEMATICO,
        gruppo_pilota=pilota,
        tema="Cura dei cortili",
        data_inizio=inizio + timedelta(days=60),
    )
    tematico.facilitatori.set(facilitatori)
    for persona in persone[30:32]:
        Aderente.objects.create(laboratorio=tematico, persona=persona, dal=tematico.data_inizio)


def popola(stdout=None) -> None:
    oggi = timezone.localdate()
    quartieri = {q.codice: q for q in Quartiere.objects.all()}
    utenti = {
        u.username: u
        for u in get_user_model().objects.filter(username__in={riga[7] for riga in LABORATORI})
    }
    sala = Sede.objects.filter(nome=SALA).first()
    sedi = {
        s.quartiere.codice: s
        for s in Sede.objects.filter(quartiere__isnull=False)
        .select_related("quartiere")
        .exclude(nome=SALA)
    }
    persone = list(Persona.objects.filter(codice__startswith="DEMO-P").order_by("codice"))
    organizzazioni = list(
        Organizzazione.objects.filter(codice__startswith="ORG-0").order_by("codice")
    )
    creati = 0
    with transaction.atomic():
        for riga in LABORATORI:
            if riga[2] not in quartieri or Laboratorio.objects.filter(codice=riga[0]).exists():
                continue
            _crea_laboratorio(
                riga,
                oggi=oggi,
                quartieri=quartieri,
                utenti=utenti,
                sala=sala,
                sedi=sedi,
                persone=persone,
                organizzazioni=organizzazioni,
            )
            creati += 1
        _gruppo_pilota(quartieri.get("gratosoglio"), oggi, persone, organizzazioni)
    if stdout:
        stdout.write(f"  laboratori: {creati} laboratori dimostrativi creati")
