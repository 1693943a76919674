"""Factories of the mediation app. Dossiers are opened through ``services.apri_dossier``,
so numbering and the access log behave as in production."""

from __future__ import annotations

import datetime

import factory
from django.utils import timezone

from mediazione import services
from mediazione.models import Attivita, Dossier, Parte
from tests.factories import PersonaFactory, QuartiereFactory, UserFactory


class DossierFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Dossier

    quartiere = factory.SubFactory(QuartiereFactory)
    tipo_conflitto = Dossier.TipoConflitto.RUMORI
    canale_arrivo = Dossier.CanaleArrivo.ACCESSO_DIRETTO
    descrizione = "Rumori notturni: la signora al secondo piano non dorme da settimane."
    aperto_il = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=30))
    creato_da = factory.SubFactory(UserFactory)

    @classmethod
    def _create(cls, model_class, *args, mediatori=(), **kwargs):
        creato_da = kwargs.pop("creato_da")
        return services.apri_dossier(
            da=creato_da,
            mediatori=list(mediatori) or [creato_da],
            **kwargs,
        )


class ParteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Parte

    dossier = factory.SubFactory(DossierFactory)
    persona = factory.SubFactory(PersonaFactory)
    ruolo = Parte.Ruolo.RICHIEDENTE
    note = "Riferisce di essere in cura per l'insonnia."


class AttivitaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Attivita

    dossier = factory.SubFactory(DossierFactory)
    tipo = Attivita.Tipo.COLLOQUIO_INDIVIDUALE
    data = factory.LazyAttribute(lambda a: a.dossier.aperto_il)
    fase = factory.LazyAttribute(lambda a: a.dossier.fase)
    note = "Nota del colloquio separato."
    registrata_da = factory.LazyAttribute(lambda a: a.dossier.creato_da)
