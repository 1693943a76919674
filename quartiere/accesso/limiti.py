"""The per-IP rate limit of every public form: a fixed window counter per action and
address, in a small table of its own (``LimiteFrequenza``) shared by every app server.

An office behind one address (a desk tablet, a school's network) would exhaust a limit
meant for one person. ``QUARTIERE_LIMITI_RETI`` names such networks with a factor: an
address in one of them may do the action ``factor`` times the ordinary limit, and each
browser in it (told apart by its CSRF cookie, which every form POST carries) is still held
to the ordinary limit of its own, so one client cannot use the whole office's share.

Counting is one statement — ``INSERT … ON CONFLICT DO UPDATE … RETURNING`` — and one
commit: the database cache it replaced took eleven statements per request, two of them
``COUNT(*)`` of the whole cache table (docs/performance.md, 4.7)."""

from __future__ import annotations

import hashlib
import ipaddress
import random
from datetime import timedelta
from functools import lru_cache

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.utils import timezone

# The share of new windows that also delete the expired ones (with the index on scade_il
# the delete reads only those): the table holds about one row per address and action seen
# in the last window, whatever the traffic.
PULIZIA_PROBABILITA = 0.02

_CONTA = """
INSERT INTO quartiere_limitefrequenza AS l (chiave, conteggio, scade_il)
VALUES (%(chiave)s, 1, %(scade)s)
ON CONFLICT (chiave) DO UPDATE SET
    conteggio = CASE WHEN l.scade_il <= %(adesso)s THEN 1 ELSE l.conteggio + 1 END,
    scade_il = CASE WHEN l.scade_il <= %(adesso)s THEN EXCLUDED.scade_il ELSE l.scade_il END
RETURNING conteggio
"""


def ip_cliente(request) -> str:
    """The client's address. Behind a proxy, set SEGNALAZIONI_PROXY_FIDATI to the number
    of trusted proxies so the address is read from X-Forwarded-For."""
    fidati = getattr(settings, "SEGNALAZIONI_PROXY_FIDATI", 0)
    if fidati:
        catena = [p.strip() for p in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        catena = [p for p in catena if p]
        if len(catena) >= fidati:
            return catena[-fidati]
    return request.META.get("REMOTE_ADDR", "")


def conta(chiave: str, finestra_secondi: int) -> int:
    """Count one attempt under ``chiave``; the attempts in its current window, this one
    included (a window that has ended starts again at 1)."""
    adesso = timezone.now()
    with connection.cursor() as cursore:
        cursore.execute(
            _CONTA,
            {
                "chiave": chiave,
                "adesso": adesso,
                "scade": adesso + timedelta(seconds=finestra_secondi),
            },
        )
        conteggio = cursore.fetchone()[0]
    if conteggio == 1 and random.random() < PULIZIA_PROBABILITA:  # noqa: S311 - not security
        pulisci(adesso)
    return conteggio


def pulisci(adesso=None) -> int:
    """Delete the windows that have ended; how many."""
    from quartiere.accesso.models import LimiteFrequenza

    conteggio, _ = LimiteFrequenza.objects.filter(scade_il__lte=adesso or timezone.now()).delete()
    return conteggio


def _impronta(testo: str) -> str:
    return hashlib.sha256(testo.encode()).hexdigest()[:32]


@lru_cache(maxsize=8)
def _reti(voci: tuple[tuple[str, int], ...]):
    # The most specific network first: a host inside a configured block takes its own factor.
    reti = [(ipaddress.ip_network(rete), fattore) for rete, fattore in voci]
    return sorted(reti, key=lambda voce: -voce[0].prefixlen)


def fattore_rete(indirizzo: str) -> int | None:
    """The factor of the configured network holding ``indirizzo``, or None."""
    try:
        ip = ipaddress.ip_address(indirizzo)
    except ValueError:
        return None
    for rete, fattore in _reti(tuple(getattr(settings, "QUARTIERE_LIMITI_RETI", ()))):
        if ip.version == rete.version and ip in rete:
            return fattore
    return None


def _chiavi(request, azione: str, massimo: int) -> list[tuple[str, int]]:
    """The counters an attempt goes to, each with its limit: the address's; in a shared
    network, with the network's factor, and the browser's own at the ordinary limit."""
    indirizzo = ip_cliente(request)
    fattore = fattore_rete(indirizzo)
    if fattore is None:
        return [(f"{azione}:{_impronta(indirizzo)}", massimo)]
    chiavi = [(f"{azione}:{_impronta(indirizzo)}", massimo * fattore)]
    cliente = request.COOKIES.get(settings.CSRF_COOKIE_NAME, "")
    if cliente:
        chiavi.append((f"{azione}:c:{_impronta(indirizzo + ' ' + cliente)}", massimo))
    return chiavi


def _positivo(massimo: int) -> None:
    if massimo <= 0:
        raise ImproperlyConfigured("Il limite deve essere positivo.")


def superato(request, azione: str, massimo: int, finestra_secondi: int) -> bool:
    """Count one attempt of ``azione`` from this client; True once over ``massimo``."""
    _positivo(massimo)
    # Every counter counts the attempt (a list, not a short-circuiting generator).
    oltre = [
        conta(chiave, finestra_secondi) > limite
        for chiave, limite in _chiavi(request, azione, massimo)
    ]
    return any(oltre)


def raggiunto(request, azione: str, massimo: int) -> bool:
    """True when this client already did ``azione`` ``massimo`` times in the current
    window. Counts nothing: for a limit on what succeeds, check with this first and count
    with :func:`registra` once the action is done (a refused form costs the citizen no
    attempt)."""
    _positivo(massimo)
    from quartiere.accesso.models import LimiteFrequenza

    chiavi = dict(_chiavi(request, azione, massimo))
    contati = LimiteFrequenza.objects.filter(chiave__in=chiavi, scade_il__gt=timezone.now())
    return any(
        conteggio >= chiavi[chiave]
        for chiave, conteggio in contati.values_list("chiave", "conteggio")
    )


def registra(request, azione: str, finestra_secondi: int) -> int:
    """Count one done ``azione`` from this client; the highest count in the current window
    of the counters it went to."""
    return max(conta(chiave, finestra_secondi) for chiave, _limite in _chiavi(request, azione, 1))
