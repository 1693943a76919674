"""The personal area's sections. The core names no app: each app registers, in its
``estensioni.py``, a function of the citizen's ``Persona`` at :data:`SEZIONI_AREA_PERSONALE`
that returns a :class:`~quartiere.pubblico.sezioni.Sezione` (None: nothing of that app for
this person). A section shows only what is the person's own, in a constant number of
queries."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from quartiere.calendario.models import Prenotazione
from quartiere.estensioni import Punto
from quartiere.pubblico.sezioni import Sezione

SEZIONI_AREA_PERSONALE = Punto("sezioni dell'area personale")


def sezioni(persona, utente) -> list[Sezione]:
    trovate = [funzione(persona) for funzione in SEZIONI_AREA_PERSONALE.values()]
    trovate.append(_prenotazioni(utente))
    return sorted((s for s in trovate if s is not None), key=lambda s: s.ordine)


def _prenotazioni(utente) -> Sezione | None:
    """Hall requests carry no Persona: they are the citizen's by the login's e-mail."""
    if not utente.email:
        return None
    richieste = list(
        Prenotazione.objects.filter(richiedente_email__iexact=utente.email)
        .select_related("sede")
        .order_by("-inizio")[:50]
    )
    return Sezione(
        "identita/sezione_prenotazioni.html",
        {"titolo": _("Le mie richieste di sale"), "ancora": "sale", "richieste": richieste},
        ordine=40,
    )
