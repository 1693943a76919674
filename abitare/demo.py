"""Demo housing: a renovated building in Lorenteggio ("Abitare in borgo") with 40 flats on
two staircases, three ground-floor spaces with their services, and 30 households at every
step of their assignment.

Runs after ``quartiere.sviluppo.demo`` (persons of the registry). Idempotent and
deterministic: the building is matched by its ``codice`` and left alone when it exists.
The steps go through ``abitare.services``, so each assignment has its dated history.
"""

from __future__ import annotations

import datetime

from django.contrib.auth import get_user_model
from django.utils import timezone

from abitare import services
from abitare.models import (
    Adesione,
    Alloggio,
    AzioneComunicazione,
    Componente,
    Contatto,
    FunzioneSpazio,
    GruppoAutogestione,
    GruppoTarget,
    Immobile,
    Misura,
    Nucleo,
    Obiettivo,
    Percorso,
    Regolamento,
    Spazio,
    StatoLavori,
    Turno,
)
from quartiere.accesso import policy
from quartiere.registro.models import Organizzazione, Persona, TipoOrganizzazione
from quartiere.territorio.models import Quartiere
from segnalazioni import services as servizi_segnalazioni
from segnalazioni.models import Categoria, Ufficio

CODICE = "DEMO-IMM-01"
INIZIO = datetime.date(2026, 1, 12)
GRUPPI = [
    GruppoTarget.ANZIANI,
    GruppoTarget.GIOVANI_COPPIE,
    GruppoTarget.FAMIGLIE_MONOGENITORIALI,
    GruppoTarget.PERSONE_CON_DISABILITA,
    GruppoTarget.STUDENTI,
]


def popola(stdout=None) -> None:
    quartiere = Quartiere.objects.filter(codice="lorenteggio").first()
    persone = list(Persona.objects.filter(codice__startswith="DEMO-P").order_by("codice"))
    if quartiere is None or Immobile.objects.filter(codice=CODICE).exists() or len(persone) < 30:
        return
    gestore, _creato = Organizzazione.objects.get_or_create(
        codice="ORG-ALER",
        defaults={
            "nome": "ALER Milano",
            "tipo": TipoOrganizzazione.ENTE_PUBBLICO,
            "email": "org-aler@example.org",
        },
    )
    immobile = Immobile.objects.create(
        codice=CODICE,
        nome="Borgo Lorenteggio",
        indirizzo="Via Lorenteggio 181",
        quartiere=quartiere,
        gestore=gestore,
        programma="PON Metro MI3.1.1.a — Abitare in borgo",
        stato_lavori=StatoLavori.ULTIMATI,
        fine_lavori=datetime.date(2025, 12, 15),
    )
    # The assignment plan: the 36 flats out of works, by target group.
    for gruppo, n in zip(GRUPPI, (8, 8, 8, 6, 6), strict=True):
        Obiettivo.objects.create(immobile=immobile, gruppo_target=gruppo, alloggi=n)
    associazione = (
        Organizzazione.objects.filter(codice__startswith="ORG-0").order_by("codice").first()
    )
    for nome, funzione, orari in (
        (
            "Sala del cortile",
            FunzioneSpazio.SALA_INCONTRI,
            "su prenotazione, sera e fine settimana",
        ),
        ("Doposcuola Il Borgo", FunzioneSpazio.DOPO_SCUOLA, "da lunedì a venerdì 15–18"),
        ("Sportello del gestore", FunzioneSpazio.SPORTELLO, "martedì 9–12"),
    ):
        Spazio.objects.create(
            immobile=immobile,
            nome=nome,
            funzione=funzione,
            orari=orari,
            gestito_da=gestore if funzione == FunzioneSpazio.SPORTELLO else associazione,
        )
    alloggi = []
    for scala in ("A", "B"):
        for piano in range(5):
            for numero in range(1, 5):
                alloggi.append(
                    Alloggio.objects.create(
                        immobile=immobile,
                        codice=f"{scala}-{piano}-{numero}",
                        scala=scala,
                        piano=piano,
                        locali=2 + (numero % 3),
                        superficie=45 + 12 * (numero % 3),
                        accessibile=piano == 0,
                        # Four flats of staircase B still in works; the rest ready.
                        stato=Alloggio.Stato.IN_RISTRUTTURAZIONE
                        if scala == "B" and piano == 4
                        else Alloggio.Stato.DISPONIBILE,
                    )
                )
    liberi = [a for a in alloggi if a.stato == Alloggio.Stato.DISPONIBILE]
    for i in range(30):
        persona = persone[i]
        nucleo = Nucleo.objects.create(
            nome=f"Nucleo {persona.cognome} {persona.nome[:1]}.",
            quartiere=quartiere,
            gruppo_target=GRUPPI[i % len(GRUPPI)],
            lingua="arabo; serve un mediatore linguistico" if i % 7 == 3 else "",
            telefono=persona.telefono,
        )
        Componente.objects.create(nucleo=nucleo, persona=persona, intestatario=True)
        if i >= 26:
            continue  # four households still waiting for a flat
        giorno = INIZIO + datetime.timedelta(days=i)
        assegnazione = services.pre_assegna(liberi[i], nucleo, il=giorno)
        if i < 18:
            assegnazione = services.avanza(
                assegnazione, "assegna", il=giorno + datetime.timedelta(days=14)
            )
        if i < 10:
            assegnazione = services.avanza(
                assegnazione, "ingresso", il=giorno + datetime.timedelta(days=30)
            )
        if i == 9:
            services.avanza(assegnazione, "uscita", il=giorno + datetime.timedelta(days=60))
    immobile.categoria_problemi = _categoria_del_gestore()
    immobile.save(update_fields=["categoria_problemi"])
    _accompagnamento(Nucleo.objects.filter(quartiere=quartiere).order_by("pk")[:12], immobile)
    _regole_e_gruppi(immobile)
    _comunicazione(immobile)
    if stdout:
        stdout.write("  abitare: un immobile con 40 alloggi e 30 nuclei")


def _comunicazione(immobile) -> None:
    """A communication plan: what was done at pre-assignment and entry, and the next public
    appointments of the building (shown on Lorenteggio's page)."""
    oggi = timezone.localdate()
    for fase, destinatari, canale, titolo, giorni, stato, pubblica in (
        (
            "pre_assegnazione",
            "abitanti",
            "incontro",
            "Presentazione del Borgo ai nuclei",
            -300,
            "svolta",
            False,
        ),
        (
            "ingresso",
            "abitanti",
            "volantino",
            "Guida all'ingresso: chiavi, utenze, regole",
            -280,
            "svolta",
            False,
        ),
        (
            "gestione",
            "quartiere",
            "incontro",
            "Festa del cortile aperta al quartiere",
            12,
            "programmata",
            True,
        ),
        (
            "gestione",
            "abitanti",
            "bacheca",
            "Assemblea sulle nuove regole condivise",
            20,
            "programmata",
            True,
        ),
        (
            "gestione",
            "citta",
            "sito",
            "Il Borgo un anno dopo: racconto e fotografie",
            60,
            "programmata",
            False,
        ),
    ):
        AzioneComunicazione.objects.create(
            immobile=immobile,
            fase=fase,
            destinatari=destinatari,
            canale=canale,
            titolo=titolo,
            data=oggi + datetime.timedelta(days=giorni),
            stato=stato,
            pubblica=pubblica,
        )


def _regole_e_gruppi(immobile) -> None:
    """The shared rules in force (with a draft of the next version), the adhesion of half
    the households living there, and a group looking after the courtyard in turns."""
    oggi = timezone.localdate()
    regole = Regolamento.objects.create(
        immobile=immobile,
        numero=1,
        titolo="Regole condivise del Borgo",
        testo=REGOLE,
        in_vigore_dal=INIZIO + datetime.timedelta(days=45),
        discusso_in="Assemblee degli abitanti del 12 e del 19 febbraio; incontri di scala A e B.",
    )
    Regolamento.objects.create(
        immobile=immobile,
        numero=2,
        titolo="Regole condivise del Borgo",
        testo=REGOLE + "\n\n5. Le biciclette si lasciano nel deposito del cortile.",
        discusso_in="In discussione agli incontri di scala.",
    )
    abitanti = list(
        Nucleo.objects.filter(
            assegnazioni__alloggio__immobile=immobile, assegnazioni__stato="abitata"
        ).order_by("pk")
    )
    for nucleo in abitanti[::2]:
        Adesione.objects.create(regolamento=regole, nucleo=nucleo, il=regole.in_vigore_dal)
    gruppo = GruppoAutogestione.objects.create(
        immobile=immobile, servizio=GruppoAutogestione.Servizio.VERDE, nome="Gruppo del cortile"
    )
    gruppo.nuclei.add(*abitanti[:4])
    lunedi = oggi - datetime.timedelta(days=oggi.weekday())
    for i, nucleo in enumerate(abitanti[:4]):
        dal = lunedi + datetime.timedelta(weeks=i)
        Turno.objects.create(
            gruppo=gruppo, nucleo=nucleo, dal=dal, al=dal + datetime.timedelta(days=6)
        )


REGOLE = """1. Il silenzio si rispetta dalle 22 alle 7 e dalle 14 alle 16.
2. La sala del cortile si prenota allo sportello; chi la usa la lascia in ordine.
3. La raccolta differenziata si porta ai contenitori del cortile entro le 21.
4. I guasti si segnalano allo sportello del gestore o al Laboratorio di Quartiere."""


def _categoria_del_gestore() -> Categoria:
    """The category through which the flats' problems reach ALER's maintenance office."""
    ufficio, _creato = Ufficio.objects.get_or_create(
        nome="ALER Milano — pronto intervento alloggi",
        defaults={"email": "manutenzione-aler@example.org"},
    )
    categoria, _creata = Categoria.objects.get_or_create(
        codice="alloggi-gestore",
        defaults={
            "nome": "Alloggi popolari: guasti e manutenzione (gestore)",
            "ufficio": ufficio,
            "giorni_risposta": 15,
            # About someone's home: never in the public lists.
            "mai_pubblica": True,
            "ordine": 90,
        },
    )
    return categoria


def _accompagnamento(nuclei, immobile) -> None:
    """The paths of the first households, with contacts over the last six weeks (so this
    week's view has some), measures to check soon and one overdue, and two households
    followed closely with a confidential note each, written by their operator."""
    utenti = get_user_model().objects.filter(is_active=True)
    operatore = utenti.filter(username="operatore.sansiro", groups__name=policy.OPERATORE).first()
    if operatore is None:
        return
    oggi = timezone.localdate()
    tipi = list(Contatto.Tipo)
    for i, nucleo in enumerate(nuclei):
        mirato = i in (2, 5)
        percorso = Percorso.objects.create(
            nucleo=nucleo,
            livello=Percorso.Livello.MIRATO if mirato else Percorso.Livello.ORDINARIO,
            avviato_il=INIZIO + datetime.timedelta(days=i + 30),
            bisogni=BISOGNI[i % len(BISOGNI)],
        )
        percorso.operatori.add(operatore)
        for k in range(3 if mirato else 1 + i % 2):
            Contatto.objects.create(
                nucleo=nucleo,
                tipo=tipi[(i + k) % len(tipi)],
                il=oggi - datetime.timedelta(days=(i * 3 + k * 9) % 42),
                alle=datetime.time(9 + (i + k) % 8, 30),
                operatore=operatore,
                sintesi=SINTESI[(i + k) % len(SINTESI)],
            )
        if mirato:
            servizio, descrizione = MISURE[i % len(MISURE)]
            concordata = oggi - datetime.timedelta(days=40)
            Misura.objects.create(
                nucleo=nucleo,
                servizio=servizio,
                descrizione=descrizione,
                concordata_il=concordata,
                # One measure overdue, one due next week.
                verifica_il=oggi + datetime.timedelta(days=-3 if i == 2 else 6),
            )
            services.scrivi_nota(
                nucleo,
                tipo="morosita" if i == 2 else "fragilita",
                testo=NOTE[i == 5],
                utente=operatore,
            )
    # Problems forwarded to the gestore: a boiler fixed, a window still open, a lift.
    abitanti = [n for n in nuclei if n.assegnazioni.filter(stato="abitata").exists()]
    for nucleo, ambito, oggetto, descrizione, chiuso in (
        (abitanti[0], "impianti", "Caldaia guasta", "Niente acqua calda da due giorni.", True),
        (
            abitanti[1],
            "dotazioni",
            "Finestra che non chiude",
            "Camera da letto, lato cortile.",
            False,
        ),
    ):
        problema = services.segnala_al_gestore(
            immobile,
            alloggio=nucleo.assegnazioni.get(stato="abitata").alloggio,
            nucleo=nucleo,
            ambito=ambito,
            oggetto=oggetto,
            descrizione=descrizione,
            canale="sportello",
            da=operatore,
        )
        if chiuso:
            servizi_segnalazioni.chiudi(
                problema.segnalazione,
                "risolta",
                da=operatore,
                nota="Caldaia sostituita dal gestore.",
            )
    services.segnala_al_gestore(
        immobile,
        ambito="parti_comuni",
        oggetto="Ascensore della scala A fermo",
        descrizione="Fermo dal mattino; segnalato da più inquilini all'incontro di scala.",
        canale="territorio",
        da=operatore,
    )


BISOGNI = [
    "Orientamento ai servizi del quartiere e alle regole del condominio.",
    "Conoscere i vicini di scala; interesse per la sala del cortile.",
    "Supporto nelle pratiche con il gestore (contratto, utenze).",
]
SINTESI = [
    "Consegnate le chiavi della sala comune e spiegati gli orari.",
    "Parlato del regolamento di scala e della raccolta differenziata.",
    "Presentato il doposcuola; iscrizione del figlio minore.",
    "Aggiornamento sulle utenze; nessuna richiesta nuova.",
]
MISURE = [
    (Misura.Servizio.SERVIZI_SOCIALI, "Colloquio con l'assistente sociale per un piano di rientro"),
    (Misura.Servizio.CUSTODIA_SOCIALE, "Visite settimanali del custode sociale"),
]
NOTE = {
    False: "Due mensilità di affitto non pagate: concordato un incontro con il gestore.",
    True: "Persona anziana sola, difficoltà a scendere le scale: da seguire con la custodia.",
}
