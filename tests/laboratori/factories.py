"""Factories of the labs' models."""

from __future__ import annotations

from datetime import date, timedelta

import factory
from django.utils import timezone

from laboratori.models import Incontro, Laboratorio, Presenza, Proposta
from tests.factories import PersonaFactory, QuartiereFactory


class LaboratorioFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Laboratorio

    titolo = factory.Sequence(lambda n: f"Laboratorio {n}")
    quartiere = factory.SubFactory(QuartiereFactory)
    tema = "Cura dei cortili"
    data_inizio = date(2025, 1, 1)


class IncontroFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Incontro

    laboratorio = factory.SubFactory(LaboratorioFactory)
    titolo = factory.Sequence(lambda n: f"Incontro {n}")
    inizio = factory.LazyFunction(lambda: timezone.now() - timedelta(days=1))
    luogo = "Cortile di via Abbiati 4"
    stato = Incontro.Stato.SVOLTO


class PresenzaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Presenza

    incontro = factory.SubFactory(IncontroFactory)
    persona = factory.SubFactory(PersonaFactory)


class PropostaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Proposta

    laboratorio = factory.SubFactory(LaboratorioFactory)
    titolo = factory.Sequence(lambda n: f"Proposta {n}")
