"""The one way a citizen's login becomes a Django user, whatever the identity provider."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from quartiere.identita.models import AccountCittadino
from quartiere.lib.text import normalizza_ricerca
from quartiere.lib.validators import normalizza_codice_fiscale
from quartiere.registro.models import Persona

logger = logging.getLogger(__name__)

# SPID sends the tax code as "TINIT-<codice fiscale>" (AgID, Regole tecniche, attributes).
_PREFISSI_CF = ("TINIT-", "TINIT")


@dataclass(frozen=True)
class Identita:
    """What an identity provider asserts about the citizen."""

    codice_fiscale: str
    nome: str
    cognome: str
    email: str
    metodo: str
    fornitore: str = ""


def codice_fiscale(valore: str | None) -> str:
    """The bare, validated codice fiscale of an identity provider's value, or ``""``."""
    valore = (valore or "").strip().upper()
    for prefisso in _PREFISSI_CF:
        if valore.startswith(prefisso):
            valore = valore[len(prefisso) :]
            break
    try:
        return normalizza_codice_fiscale(valore)
    except ValidationError:
        return ""


def stesso_nome(persona: Persona, identita: Identita) -> bool:
    """Same family name and same first given name, ignoring case, accents and spaces."""
    nomi = normalizza_ricerca(persona.nome).split()[:1]
    return (
        normalizza_ricerca(persona.cognome) == normalizza_ricerca(identita.cognome)
        and nomi == normalizza_ricerca(identita.nome).split()[:1]
    )


def accedi(identita: Identita):
    """The active user of the citizen ``identita`` names, created on the first login; ``None``
    when the assertion carries no valid codice fiscale or the account was switched off."""
    cf = codice_fiscale(identita.codice_fiscale)
    if not cf:
        logger.warning(
            "Accesso rifiutato: codice fiscale mancante o non valido (%s)", identita.metodo
        )
        return None
    try:
        with transaction.atomic():
            account = _account(cf, identita)
    except IntegrityError:
        # Two first logins of one person at once: the other one created the account.
        with transaction.atomic():
            account = _account(cf, identita)
    utente = account.utente
    return utente if utente.is_active else None


def _account(cf: str, identita: Identita) -> AccountCittadino:
    adesso = timezone.now()
    account = (
        AccountCittadino.objects.select_for_update()
        .select_related("utente")
        .filter(codice_fiscale=cf)
        .first()
    )
    if account is None:
        utente = get_user_model()(username=f"cittadino-{cf.lower()}")
        utente.set_unusable_password()
        _aggiorna_utente(utente, identita)
        utente.save()
        persona, da_verificare = _persona(cf, identita)
        return AccountCittadino.objects.create(
            utente=utente,
            codice_fiscale=cf,
            persona=persona,
            da_verificare=da_verificare,
            metodo=identita.metodo,
            fornitore=identita.fornitore[:300],
            ultimo_accesso=adesso,
        )
    _aggiorna_utente(account.utente, identita)
    account.utente.save(update_fields=["first_name", "last_name", "email"])
    account.metodo = identita.metodo
    account.fornitore = identita.fornitore[:300]
    account.ultimo_accesso = adesso
    account.save(update_fields=["metodo", "fornitore", "ultimo_accesso"])
    return account


def _aggiorna_utente(utente, identita: Identita) -> None:
    utente.first_name = identita.nome[:150]
    utente.last_name = identita.cognome[:150]
    # CIE asserts no e-mail: a login with it keeps the address SPID or the broker gave.
    if identita.email:
        utente.email = identita.email[:254]


def _persona(cf: str, identita: Identita) -> tuple[Persona | None, bool]:
    """The registry's row for the citizen, and whether a coordinator must check it."""
    persona = Persona.objects.select_for_update().filter(codice_fiscale=cf).first()
    if persona is None:
        persona = Persona(
            nome=identita.nome[:80],
            cognome=identita.cognome[:80],
            codice_fiscale=cf,
            email=identita.email[:254],
        )
        persona.save()
        return persona, False
    if AccountCittadino.objects.filter(persona=persona).exists() or not stesso_nome(
        persona, identita
    ):
        logger.warning("Accesso di %s: il registro ha questo codice fiscale con un altro nome", cf)
        return None, True
    if not persona.email and identita.email:
        persona.email = identita.email[:254]
        persona.save(update_fields=["email"])
    return persona, False


def account_di(request) -> AccountCittadino | None:
    """The logged-in citizen's account (with its Persona), once per request; None for the
    anonymous visitor and for the staff."""
    if not request.user.is_authenticated:
        return None
    if not hasattr(request, "_account_cittadino"):
        request._account_cittadino = (
            AccountCittadino.objects.select_related("persona").filter(utente=request.user).first()
        )
    return request._account_cittadino
