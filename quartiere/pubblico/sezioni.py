"""The sections the apps add to the public home and to a quartiere's public page.

The core names no app: each app registers, in its ``estensioni.py``, a function that
returns a :class:`Sezione` (or None to show nothing) at :data:`SEZIONI_HOME` (called with
no argument) or :data:`SEZIONI_QUARTIERE` (called with the quartiere). A section costs a
constant number of queries and shows no person's data, like the pages it goes into.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from quartiere.estensioni import Punto

# Where the core's list of upcoming events sits among the sections, by ``ordine``.
ORDINE_EVENTI = 50


@dataclass
class Sezione:
    """``template`` is the app's include; it reads ``dati`` (this ``contesto``).
    ``cifre`` are (label, value) rows for the quartiere's "in cifre" table; ``ordine``
    places the section before (< ORDINE_EVENTI) or after the upcoming events."""

    template: str
    contesto: dict = field(default_factory=dict)
    cifre: list[tuple[str, object]] = field(default_factory=list)
    ordine: int = 100

    @property
    def prima_degli_eventi(self) -> bool:
        return self.ordine < ORDINE_EVENTI


SEZIONI_HOME = Punto("sezioni della home pubblica")
SEZIONI_QUARTIERE = Punto("sezioni della pagina pubblica di un quartiere")


def sezioni_home() -> list[Sezione]:
    return _ordinate(funzione() for funzione in SEZIONI_HOME.values())


def sezioni_quartiere(quartiere) -> list[Sezione]:
    # The core's own section (the funded programmes' works), then the apps'.
    from quartiere.programmi.sezioni import sezione_cantieri

    return _ordinate(
        [
            sezione_cantieri(quartiere),
            *(funzione(quartiere) for funzione in SEZIONI_QUARTIERE.values()),
        ]
    )


def _ordinate(sezioni) -> list[Sezione]:
    return sorted((s for s in sezioni if s is not None), key=lambda s: s.ordine)
