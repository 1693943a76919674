"""Factories of the reports app."""

from __future__ import annotations

import factory

from segnalazioni.models import Categoria, ChiaveAPI, Segnalazione, Ufficio
from tests.factories import QuartiereFactory


class UfficioFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Ufficio
        django_get_or_create = ("nome",)

    nome = factory.Sequence(lambda n: f"Ufficio {n}")
    email = factory.Sequence(lambda n: f"ufficio{n}@example.org")


class CategoriaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Categoria
        django_get_or_create = ("codice",)

    codice = factory.Sequence(lambda n: f"categoria-{n}")
    nome = factory.Sequence(lambda n: f"Categoria {n}")
    ufficio = factory.SubFactory(UfficioFactory)


class SegnalazioneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Segnalazione

    categoria = factory.SubFactory(CategoriaFactory)
    quartiere = factory.SubFactory(QuartiereFactory)
    oggetto = factory.Sequence(lambda n: f"Lampione spento numero {n}")
    descrizione = "Il lampione davanti al civico non si accende da una settimana."
    indirizzo = factory.Sequence(lambda n: f"Via Abbiati {n}")
    consenso_privacy = True
    informativa_versione = "2026-01"


def chiave_api(testo: str = "chiave-di-prova", **kwargs) -> ChiaveAPI:
    chiave = ChiaveAPI(nome=kwargs.pop("nome", "App di prova"), **kwargs)
    chiave.imposta_chiave(testo)
    chiave.save()
    return chiave
