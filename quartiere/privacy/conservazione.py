"""The retention framework: which records hold personal data past their period, and how
their personal data are replaced. ``manage.py retention`` runs it (docs/privacy.md).

Each kind of record is a :class:`Classe` registered at :data:`CLASSI` under the name that
``settings.RETENTION`` gives its period: the core registers the hall bookings and the
persons, each app its own records in its ``estensioni.py``. A person is kept while any app
says they were active since the threshold: each app adds its part of that condition at
:data:`ATTIVITA_PERSONA`.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from functools import reduce
from operator import or_

from django.db.models import F, Q, QuerySet
from django.utils import timezone

from quartiere.calendario.models import Prenotazione
from quartiere.estensioni import Punto
from quartiere.registro.models import Persona

ANONIMO = "[anonimizzato]"


def soglia(anni: int) -> datetime.datetime:
    """The start of the day, ``anni`` years ago: a record older than this is past its period."""
    oggi = timezone.localdate()
    try:
        data = oggi.replace(year=oggi.year - anni)
    except ValueError:  # 29 February
        data = oggi.replace(year=oggi.year - anni, day=28)
    return timezone.make_aware(datetime.datetime.combine(data, datetime.time.min))


@dataclass(frozen=True)
class Classe:
    """``cerca(limite)``: the records past the threshold that still hold personal data;
    ``anonimizza(righe)``: replace them (names, contacts, free text; kind, category,
    quartiere, dates and states stay, so every figure is unchanged), return how many.
    Classes run by ``ordine``: persons last, since an anonymised record no longer keeps
    its person active.

    A class with a procedure of its own (mediation: its own anonymisation and run
    register) gives ``esegui(anni, anonimizza) -> str`` instead, its report; it runs after
    the others, outside their transaction."""

    cerca: Callable[[datetime.datetime], QuerySet] | None = None
    anonimizza: Callable[[QuerySet], int] | None = None
    ordine: int = 0
    esegui: Callable[[int, bool], str] | None = None


# Name in settings.RETENTION -> Classe.
CLASSI = Punto("classi di conservazione")
# Key -> ``f(limite)`` giving a Q over Persona: true for a person active since ``limite``.
ATTIVITA_PERSONA = Punto("attività recenti di una persona")


# Key -> ``f() -> int``: copies of personal data that only live for hours (a form being
# filled in, its uploads waiting in a folder). ``retention --anonymize`` removes those past
# their life and reports how many; the core's own are the expired sessions.
COPIE_TEMPORANEE = Punto("copie temporanee")


@COPIE_TEMPORANEE.registra("sessioni scadute")
def _sessioni_scadute() -> int:
    """Sessions past their age hold what an unfinished form had typed: removed by the
    session engine's own ``clear_expired`` (what ``clearsessions`` runs), counted first."""
    from importlib import import_module

    from django.conf import settings
    from django.contrib.sessions.backends.db import SessionStore as SessioniNelDatabase

    motore = import_module(settings.SESSION_ENGINE).SessionStore
    scadute = 0
    if issubclass(motore, SessioniNelDatabase):
        modello = motore.get_model_class()
        scadute = modello.objects.filter(expire_date__lt=timezone.now()).count()
    motore.clear_expired()
    return scadute


# --- The core's classes -----------------------------------------------------------------------


def _prenotazioni(limite):
    return Prenotazione.objects.filter(fine__lt=limite).exclude(
        richiedente_nome="", richiedente_email="", richiedente_telefono=""
    )


def _anonimizza_prenotazioni(righe) -> int:
    campi = {"richiedente_nome": "", "richiedente_email": "", "richiedente_telefono": ""}
    ids = list(righe.values_list("pk", flat=True))
    Prenotazione.objects.filter(pk__in=ids).update(**campi, versione=F("versione") + 1)
    Prenotazione.history.filter(id__in=ids).update(**campi)
    return len(ids)


@ATTIVITA_PERSONA.registra("quartiere.persona")
def _attivita_nel_registro(limite):
    return Q(modificata_il__gte=limite) | Q(organizzazioni_referente__isnull=False)


def _persone(limite):
    """Persons with no activity since ``limite`` anywhere in the service."""
    recenti = reduce(or_, (attivita(limite) for attivita in ATTIVITA_PERSONA.values()))
    attive = Persona.objects.filter(recenti).values("pk")
    return Persona.objects.filter(anonimizzata=False).exclude(pk__in=attive)


def _anonimizza_persone(righe) -> int:
    n = 0
    for persona in righe.only("pk"):
        campi = {
            "nome": ANONIMO,
            "cognome": f"#{persona.pk}",
            "codice": None,
            "codice_fiscale": "",
            "email": "",
            "telefono": "",
            "indirizzo": "",
            "note": "",
            "ricerca": "",
            "anonimizzata": True,
        }
        Persona.objects.filter(pk=persona.pk).update(**campi, versione=F("versione") + 1)
        campi.pop("ricerca")
        Persona.history.filter(id=persona.pk).update(**campi)
        n += 1
    return n


CLASSI.registra("prenotazioni", Classe(_prenotazioni, _anonimizza_prenotazioni, ordine=10))
CLASSI.registra("persone", Classe(_persone, _anonimizza_persone, ordine=100))


def _valutazioni(limite):
    from quartiere.pubblico.models import ValutazionePagina

    return ValutazionePagina.objects.filter(creata_il__lt=limite).exclude(dettagli="")


def _anonimizza_valutazioni(righe) -> int:
    """The free comment may name someone despite the hint; the stars and answer stay."""
    return righe.update(dettagli="")


CLASSI.registra("valutazioni", Classe(_valutazioni, _anonimizza_valutazioni, ordine=10))


@ATTIVITA_PERSONA.registra("quartiere.accountcittadino")
def _accessi_online(limite):
    return Q(account_cittadino__ultimo_accesso__gte=limite)


def _account(limite):
    from quartiere.identita.models import AccountCittadino

    return AccountCittadino.objects.filter(ultimo_accesso__lt=limite)


def _elimina_account(righe) -> int:
    """A citizen's account unused for the period goes with its user (names, e-mail) and its
    history; the registry's person stays, under the ``persone`` class. The next login opens
    a new account."""
    from django.contrib.auth import get_user_model

    from quartiere.identita.models import AccountCittadino

    account = list(righe.values_list("pk", "utente_id"))
    get_user_model().objects.filter(pk__in=[u for _pk, u in account]).delete()
    # After the deletion, which writes a last historical row of its own.
    AccountCittadino.history.filter(id__in=[pk for pk, _u in account]).delete()
    return len(account)


CLASSI.registra("account", Classe(_account, _elimina_account, ordine=20))
