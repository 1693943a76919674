"""factory_boy factories for the core models; each app's tests add their own here."""

from __future__ import annotations

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from quartiere.registro.models import Organizzazione, Persona
from quartiere.territorio.models import ProfiloStaff, Quartiere, Sede


class QuartiereFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Quartiere
        django_get_or_create = ("codice",)

    codice = factory.Sequence(lambda n: f"q{n}")
    nome = factory.Sequence(lambda n: f"Quartiere {n}")
    municipio = "Municipio 1"
    abitanti = 1000


class SedeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Sede

    nome = factory.Sequence(lambda n: f"Sede {n}")
    indirizzo = factory.Sequence(lambda n: f"Via Roma {n}")
    quartiere = factory.SubFactory(QuartiereFactory)
    citta = "Milano"


class PersonaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Persona

    nome = factory.Faker("first_name", locale="it_IT")
    cognome = factory.Faker("last_name", locale="it_IT")
    email = factory.Sequence(lambda n: f"persona{n}@example.org")
    quartiere = factory.SubFactory(QuartiereFactory)


class OrganizzazioneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organizzazione

    nome = factory.Sequence(lambda n: f"Associazione {n}")
    tipo = Organizzazione.Tipo.ASSOCIAZIONE
    quartiere = factory.SubFactory(QuartiereFactory)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"utente{n}")
    first_name = "Nome"
    last_name = "Cognome"
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.django.Password("quartiere-demo")


def utente(gruppo: str, username: str, *quartieri, **extra):
    """A staff user in ``gruppo`` working in ``quartieri``."""
    user = UserFactory(username=username, **extra)
    # get_or_create: transactional (browser) tests flush the groups the migration made.
    user.groups.add(Group.objects.get_or_create(name=gruppo)[0])
    profilo, _ = ProfiloStaff.objects.get_or_create(utente=user)
    if quartieri:
        profilo.quartieri.add(*quartieri)
    return user


def quattro_quartieri() -> dict[str, Quartiere]:
    """The four quartieri most tests use (the ``quartieri`` fixture), by codice."""
    return {
        "san-siro": QuartiereFactory(codice="san-siro", nome="San Siro"),
        "lorenteggio": QuartiereFactory(codice="lorenteggio", nome="Lorenteggio"),
        "gratosoglio": QuartiereFactory(codice="gratosoglio", nome="Gratosoglio"),
        "ponte-lambro": QuartiereFactory(codice="ponte-lambro", nome="Ponte Lambro"),
    }


# The cast of users per role: (group, username, codici of their quartieri, extra fields).
RUOLI = {
    "operatore": ("operatore", "operatore.sansiro", ("san-siro", "lorenteggio"), {}),
    "operatore_altro": (
        "operatore",
        "operatore.gratosoglio",
        ("gratosoglio", "ponte-lambro"),
        {},
    ),
    "mediatore": ("mediatore", "mediatore", (), {}),
    "coordinatore": ("coordinatore", "coordinatore", (), {"is_staff": True}),
    "dirigente": ("dirigente", "dirigente", (), {}),
    "amministratore": ("amministratore", "admin", (), {"is_staff": True, "is_superuser": True}),
}


def membro(ruolo: str, quartieri: dict[str, Quartiere]):
    """The user of ``ruolo`` in :data:`RUOLI`, working in their quartieri."""
    gruppo, username, codici, extra = RUOLI[ruolo]
    return utente(gruppo, username, *(quartieri[c] for c in codici), **extra)


def cast_completo(quartieri: dict[str, Quartiere]) -> dict:
    """Every role, by name; ``None`` is the anonymous visitor (the ``cast`` fixture)."""
    return {"anonimo": None, **{ruolo: membro(ruolo, quartieri) for ruolo in RUOLI}}
