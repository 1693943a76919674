"""Small text helpers shared by every app."""

from __future__ import annotations

import unicodedata


def normalizza_ricerca(testo: str) -> str:
    """Lower-case ``testo`` and strip accents, for accent-insensitive matching.

    The embedded PostgreSQL has no ``unaccent`` extension, so searchable models keep
    a normalised copy of their text and queries are normalised the same way.
    """
    decomposto = unicodedata.normalize("NFKD", testo or "")
    senza_accenti = "".join(c for c in decomposto if not unicodedata.combining(c))
    return " ".join(senza_accenti.casefold().split())
