"""factory_boy factories of the pacts."""

from __future__ import annotations

import datetime
from decimal import Decimal

import factory

from patti.models import Firmatario, Impegno, Indicatore, Patto, Progetto
from tests.factories import OrganizzazioneFactory, PersonaFactory, QuartiereFactory


class PattoFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Patto

    numero = factory.Sequence(lambda n: f"T/{n:04d}")
    titolo = factory.Sequence(lambda n: f"Cura del giardino {n}")
    quartiere = factory.SubFactory(QuartiereFactory)
    luogo = "Giardino di via Abbiati"
    finalita = "Cura del verde e animazione del cortile."
    stato = Patto.Stato.PROPOSTA


class PattoFirmatoFactory(PattoFactory):
    stato = Patto.Stato.FIRMATO
    data_firma = datetime.date(2025, 3, 15)
    data_inizio = datetime.date(2025, 3, 15)
    data_fine = datetime.date(2026, 3, 14)


class FirmatarioComuneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Firmatario

    patto = factory.SubFactory(PattoFactory)
    tipo = Firmatario.Tipo.COMUNE
    ufficio = "Direzione Quartieri"


class FirmatarioOrganizzazioneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Firmatario

    patto = factory.SubFactory(PattoFactory)
    tipo = Firmatario.Tipo.ASSOCIAZIONE
    organizzazione = factory.SubFactory(OrganizzazioneFactory)


class FirmatarioVolontarioFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Firmatario

    patto = factory.SubFactory(PattoFactory)
    tipo = Firmatario.Tipo.VOLONTARIO
    persona = factory.SubFactory(PersonaFactory)


class ImpegnoFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Impegno

    firmatario = factory.SubFactory(FirmatarioOrganizzazioneFactory)
    descrizione = factory.Sequence(lambda n: f"Impegno numero {n}")


class ProgettoFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Progetto

    patto = factory.SubFactory(PattoFactory)
    titolo = factory.Sequence(lambda n: f"Progetto {n}")
    ambito = Progetto.Ambito.CURA_CITTA
    budget = Decimal("1000.00")


class IndicatoreFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Indicatore

    patto = factory.SubFactory(PattoFactory)
    nome = factory.Sequence(lambda n: f"Indicatore {n}")
    unita = "persone"
    obiettivo = Decimal("50")
