"""Importing the spreadsheets a Comune already keeps: ``manage.py import_data`` and the
admin's upload page (format: docs/import.md).

:mod:`~quartiere.importazione.motore` reads, validates and writes any registered sheet;
the core's sheets are in :mod:`~quartiere.importazione.nucleo`; each app registers its own
from its ``importazione.py`` (``laboratori/importazione.py``, ``patti/importazione.py``).
"""

from quartiere.importazione import nucleo  # noqa: F401  (registers the core's sheets)
from quartiere.importazione.motore import (
    FOGLI,
    Colonne,
    Errore,
    Esito,
    Foglio,
    Riga,
    Scrittore,
    Validatore,
    file_trovati,
    fogli,
    importa,
    nome_foglio,
)

__all__ = [
    "FOGLI",
    "Colonne",
    "Errore",
    "Esito",
    "Foglio",
    "Riga",
    "Scrittore",
    "Validatore",
    "file_trovati",
    "fogli",
    "importa",
    "nome_foglio",
]
