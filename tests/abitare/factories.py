"""Factories of the housing records."""

from __future__ import annotations

import factory

from abitare.models import Alloggio, Immobile, Nucleo
from tests.factories import QuartiereFactory


class ImmobileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Immobile

    nome = factory.Sequence(lambda n: f"Borgo di via Lorenteggio {n}")
    indirizzo = factory.Sequence(lambda n: f"Via Lorenteggio {180 + n}")
    quartiere = factory.SubFactory(QuartiereFactory)
    programma = "PON Metro MI3.1.1.a — Abitare in borgo"


class AlloggioFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Alloggio

    immobile = factory.SubFactory(ImmobileFactory)
    codice = factory.Sequence(lambda n: f"A{n}")
    scala = "A"
    piano = 1
    locali = 3
    stato = Alloggio.Stato.DISPONIBILE


class NucleoFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Nucleo

    nome = factory.Sequence(lambda n: f"Nucleo {n}")
    quartiere = factory.SubFactory(QuartiereFactory)
    gruppo_target = "anziani"
