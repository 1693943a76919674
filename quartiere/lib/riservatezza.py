"""Disclosure control for counts of confidential records (mediation dossiers, housing
notes): unbiased random rounding to a multiple of :data:`BASE`, the draw fixed by a keyed
hash of the count's "atom" (its quartiere, month, cell) and value, so the same atom always
reads the same and asking again averages nothing out. Every published figure is then a sum
of rounded atoms (mediazione/indicators.py says why)."""

from __future__ import annotations

import hashlib
import hmac

from django.conf import settings

BASE = 5


def _chiave(contesto: str) -> bytes:
    return hashlib.sha256(f"{contesto}:".encode() + settings.SECRET_KEY.encode()).digest()


def arrotonda(valore: int, atomo: tuple, *, contesto: str) -> int:
    """``valore`` rounded to a multiple of :data:`BASE`, up with probability
    ``remainder / BASE`` (so unbiased), the draw fixed by ``contesto``, ``atomo`` and
    ``valore``. Each kind of figure has its ``contesto``, so two tables never share draws."""
    resto = valore % BASE
    if valore <= 0 or resto == 0:
        return max(valore, 0)
    impronta = hmac.new(_chiave(contesto), repr((atomo, valore)).encode(), "sha256").digest()
    estratto = int.from_bytes(impronta[:8], "big") / 2**64
    return valore - resto + (BASE if estratto < resto / BASE else 0)
