"""Privacy notices for tests: ``pubblica("2026-07")`` puts a new version in force today."""

from __future__ import annotations

import datetime

from django.utils import timezone

from quartiere.privacy.models import Informativa


def pubblica(versione: str, *, testo: str = "", giorno: datetime.date | None = None, **extra):
    """A published notice in force from ``giorno`` (today by default)."""
    return Informativa.objects.create(
        codice=versione,
        titolo=extra.pop("titolo", f"Informativa {versione}"),
        testo=testo or f"## Titolare\n\nTesto della versione {versione}.",
        in_vigore_dal=giorno or timezone.localdate(),
        pubblicata=True,
        **extra,
    )
