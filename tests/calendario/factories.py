"""Factories of the hall calendar and the diary."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from decimal import Decimal

import factory
from django.utils import timezone

from quartiere.calendario.models import Prenotazione
from quartiere.diario.models import AttivitaDiario
from tests.factories import QuartiereFactory, SedeFactory


def alle(giorno, ore, minuti=0):
    return timezone.make_aware(datetime.combine(giorno, time(ore, minuti)))


def domani():
    return timezone.localdate() + timedelta(days=1)


class SalaFactory(SedeFactory):
    nome = factory.Sequence(lambda n: f"Sala civica {n}")
    tipo = "sala"
    prenotabile = True
    quartiere = None
    citta = "Latina"


class PrenotazioneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Prenotazione

    sede = factory.SubFactory(SalaFactory)
    titolo = factory.Sequence(lambda n: f"Incontro {n}")
    inizio = factory.LazyFunction(lambda: alle(domani(), 18))
    fine = factory.LazyAttribute(lambda p: p.inizio + timedelta(hours=2))
    stato = Prenotazione.Stato.CONFERMATA
    pubblico = True


class AttivitaDiarioFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AttivitaDiario

    data = factory.LazyFunction(timezone.localdate)
    quartiere = factory.SubFactory(QuartiereFactory)
    tipo = AttivitaDiario.Tipo.FRONT_OFFICE
    ore = Decimal("2")
