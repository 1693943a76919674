"""The cross-app figures: composition, exports, charts and the director's PDF report.

``indicatori(dal, al, quartieri_codici)`` is the one entry point the command, the
dashboard and the exports share (see docs/indicatori.md).
"""

from quartiere.relazioni.figure import (
    CHIAVI,
    SEZIONI,
    ErroreIndicatori,
    componi,
    in_json,
    indicatori,
    periodo_precedente,
    risolvi_quartieri,
)

__all__ = [
    "CHIAVI",
    "SEZIONI",
    "ErroreIndicatori",
    "componi",
    "in_json",
    "indicatori",
    "periodo_precedente",
    "risolvi_quartieri",
]
