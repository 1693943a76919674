"""Reference data a process keeps for a few seconds: the quartieri and categories a public
form has validated, the privacy notice in force. Each of them was a query of every public
report (docs/performance.md, 4.7), and they change a few times a year.

``QUARTIERE_SCELTE_MEMO_SECONDI`` (default 30, 0 turns it off) is how long a process may
answer from memory, so how long a change takes to reach every app server: the same
trade-off as the staff pages' cached choices (4.1). Only what the database returned is
kept, so the memo is bounded by the reference tables, whatever clients send.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Hashable
from typing import TypeVar

from django.conf import settings

T = TypeVar("T")

# key -> (expiry on the monotonic clock, value)
_MEMO: dict[Hashable, tuple[float, object]] = {}


def durata() -> int:
    return getattr(settings, "QUARTIERE_SCELTE_MEMO_SECONDI", 0)


def svuota() -> None:
    _MEMO.clear()


def memorizzato(chiave: Hashable, calcola: Callable[[], T]) -> T:
    """``calcola()``, or what it returned under ``chiave`` in the last :func:`durata`
    seconds. An exception is not kept: the next call computes again."""
    secondi = durata()
    if secondi <= 0:
        return calcola()
    adesso = time.monotonic()
    trovato = _MEMO.get(chiave)
    if trovato is not None and trovato[0] > adesso:
        return trovato[1]  # type: ignore[return-value]
    valore = calcola()
    _MEMO[chiave] = (adesso + secondi, valore)
    return valore
