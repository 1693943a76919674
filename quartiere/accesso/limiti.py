"""The per-IP rate limit of every public form: a fixed window counter per action and
address, in a small table of its own (``LimiteFrequenza``) shared by every app server.

Counting is one statement — ``INSERT … ON CONFLICT DO UPDATE … RETURNING`` — and one
commit: the database cache it replaced took eleven statements per request, two of them
``COUNT(*)`` of the whole cache table (docs/performance.md, 4.7)."""

from __future__ import annotations

import hashlib
import random
from datetime import timedelta

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


def _chiave(request, azione: str) -> str:
    impronta = hashlib.sha256(ip_cliente(request).encode()).hexdigest()[:32]
    return f"{azione}:{impronta}"


def superato(request, azione: str, massimo: int, finestra_secondi: int) -> bool:
    """Count one attempt of ``azione`` from this address; True once over ``massimo``."""
    if massimo <= 0:
        raise ImproperlyConfigured("Il limite deve essere positivo.")
    return conta(_chiave(request, azione), finestra_secondi) > massimo


def raggiunto(request, azione: str, massimo: int) -> bool:
    """True when this address already did ``azione`` ``massimo`` times in the current
    window. Counts nothing: for a limit on what succeeds, check with this first and count
    with :func:`registra` once the action is done (a refused form costs the citizen no
    attempt)."""
    if massimo <= 0:
        raise ImproperlyConfigured("Il limite deve essere positivo.")
    from quartiere.accesso.models import LimiteFrequenza

    conteggio = (
        LimiteFrequenza.objects.filter(chiave=_chiave(request, azione), scade_il__gt=timezone.now())
        .values_list("conteggio", flat=True)
        .first()
    )
    return (conteggio or 0) >= massimo


def registra(request, azione: str, finestra_secondi: int) -> int:
    """Count one done ``azione`` from this address; the count in the current window."""
    return conta(_chiave(request, azione), finestra_secondi)
