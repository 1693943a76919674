"""The per-IP rate limit of every public form, on the cache (works with the database cache
shared by every app server): a fixed window counter per action and address."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured


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


def superato(request, azione: str, massimo: int, finestra_secondi: int) -> bool:
    """Count one attempt of ``azione`` from this address; True once over ``massimo``."""
    if massimo <= 0:
        raise ImproperlyConfigured("Il limite deve essere positivo.")
    impronta = hashlib.sha256(ip_cliente(request).encode()).hexdigest()[:32]
    chiave = f"limite:{azione}:{impronta}"
    if cache.add(chiave, 1, timeout=finestra_secondi):
        return False
    try:
        conteggio = cache.incr(chiave)
    except ValueError:  # expired between add() and incr()
        cache.add(chiave, 1, timeout=finestra_secondi)
        return False
    return conteggio > massimo
