"""Demo housing: a renovated building in Lorenteggio ("Abitare in borgo") with 40 flats on
two staircases, three ground-floor spaces with their services, and 30 households at every
step of their assignment.

Runs after ``quartiere.sviluppo.demo`` (persons of the registry). Idempotent and
deterministic: the building is matched by its ``codice`` and left alone when it exists.
The steps go through ``abitare.services``, so each assignment has its dated history.
"""

from __future__ import annotations

import datetime

from abitare import services
from abitare.models import (
    Alloggio,
    Componente,
    FunzioneSpazio,
    GruppoTarget,
    Immobile,
    Nucleo,
    Spazio,
    StatoLavori,
)
from quartiere.registro.models import Organizzazione, Persona, TipoOrganizzazione
from quartiere.territorio.models import Quartiere

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
    if stdout:
        stdout.write("  abitare: un immobile con 40 alloggi e 30 nuclei")
