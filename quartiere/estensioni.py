"""Where the apps plug into the core, without the core ever importing an app.

The core offers named *points* (the hall calendar's occupations and events, the sections of
the public site, the privacy export, ...). Each app fills them from its own
``estensioni.py``, which the core imports through Django's ``autodiscover_modules`` the
first time a point is read, as the admin discovers ``admin.py``. The core names no app:
remove an app from ``INSTALLED_APPS`` and its entries are simply not there.

An app's ``estensioni.py``::

    from quartiere.calendario.eventi import FONTI_EVENTI

    @FONTI_EVENTI.registra("laboratori.incontro")
    def eventi_incontri(dal, al, *, pubblici, limite, **filtro_sede): ...
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any

from django.utils.module_loading import autodiscover_modules

MODULO = "estensioni"

_scoperti: set[str] = set()
_blocco = threading.Lock()


def scopri(modulo: str = MODULO) -> None:
    """Import every installed app's ``modulo`` module, once per process."""
    if modulo in _scoperti:
        return
    with _blocco:
        if modulo not in _scoperti:
            autodiscover_modules(modulo)
            _scoperti.add(modulo)


class Punto:
    """A named point the apps register entries at, keyed by a string of their choice.

    Reading a point (iteration, ``get``, ``[]``) first discovers the apps' modules named
    ``modulo`` (``estensioni`` unless a point of development tooling says otherwise, so
    production never imports it); the entries keep the order of ``INSTALLED_APPS``. A key
    registered twice is a bug.
    """

    def __init__(self, nome: str, *, modulo: str = MODULO):
        self.nome = nome
        self.modulo = modulo
        self._voci: dict[str, Any] = {}

    def registra(self, chiave: str, valore: Any = None) -> Any:
        """Register ``valore`` under ``chiave``; without a value, a decorator."""
        if valore is None:
            return lambda funzione: self.registra(chiave, funzione)
        if chiave in self._voci and self._voci[chiave] is not valore:
            raise ValueError(f"{self.nome}: «{chiave}» è già registrato")
        self._voci[chiave] = valore
        return valore

    def rimuovi(self, chiave: str) -> None:
        """Take an entry back (a test that registered one, an app switched off at run time)."""
        self._voci.pop(chiave, None)

    def voci(self) -> dict[str, Any]:
        scopri(self.modulo)
        return dict(self._voci)

    def get(self, chiave: str, predefinito: Any = None) -> Any:
        return self.voci().get(chiave, predefinito)

    def __getitem__(self, chiave: str) -> Any:
        return self.voci()[chiave]

    def __iter__(self) -> Iterator[str]:
        return iter(self.voci())

    def values(self):
        return self.voci().values()

    def items(self):
        return self.voci().items()

    def __repr__(self) -> str:
        return f"<Punto {self.nome}: {', '.join(self._voci) or 'vuoto'}>"
