"""What mediation adds to the core: a party's rows in a person's access export (art. 15),
for coordinators only, without the description, the other parties or any note; and its
part in whether a person is still active (retention)."""

from __future__ import annotations

import io

from django.core.management import call_command
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mediazione.models import Dossier, Parte
from quartiere.privacy.accesso_dati import SERIALIZZATORI, Relazione, Voce, campi, campo
from quartiere.privacy.conservazione import ATTIVITA_PERSONA, CLASSI, Classe
from quartiere.programmi.cifre import FONTI_PER_ASSE, Fonte, conteggi_per_asse


def _parte(p) -> list[Voce]:
    d = p.dossier
    return [
        Voce("dossier", _("dossier"), d.numero),
        Voce("aperto_il", _("aperto il"), d.aperto_il),
        Voce("chiuso_il", _("chiuso il"), d.chiuso_il),
        Voce("fase", _("fase"), d.get_fase_display()),
        Voce("esito", _("esito"), d.get_esito_display() if d.esito else None),
        campo(p, "ruolo", _("ruolo della persona")),
        *campi(p, "consenso_mediazione", "consenso_data"),
    ]


SERIALIZZATORI.registra(
    "mediazione.Parte",
    Relazione(
        lambda: _("Mediazione dei conflitti"),
        _parte,
        solo_coordinatori=True,
        relazioni=("dossier",),
    ),
)


@ATTIVITA_PERSONA.registra("mediazione.parte")
def _attivita_in_mediazione(limite):
    """A party of a dossier still open, or closed after the threshold."""
    return Q(parti_mediazione__isnull=False, parti_mediazione__dossier__chiuso_il__isnull=True) | Q(
        parti_mediazione__dossier__chiuso_il__gte=limite.date()
    )


def _conserva_dossier(anni: int, anonimizza: bool) -> str:
    """``manage.py retention``'s class "mediazione": the dossiers closed more than ``anni``
    years ago go through ``manage.py mediazione_retention`` (docs/mediazione.md)."""
    uscita = io.StringIO()
    argomenti = ["--anni", str(anni), *(["--anonymize"] if anonimizza else [])]
    call_command("mediazione_retention", *argomenti, stdout=uscita)
    return uscita.getvalue()


CLASSI.registra("mediazione", Classe(esegui=_conserva_dossier, ordine=200))


# --- Programmes: the dossiers opened, attributed to an axis (quartiere/programmi/cifre.py) ----
# Counts only: nothing of a dossier's content leaves the app.


def _aperti(dal, al):
    return Dossier.objects.filter(aperto_il__gte=dal, aperto_il__lte=al)


FONTI_PER_ASSE.registra(
    "mediazione.dossier",
    Fonte(
        etichetta=gettext_lazy("Dossier di mediazione aperti"),
        unita=gettext_lazy("dossier"),
        conta=lambda assi, dal, al: conteggi_per_asse(_aperti(dal, al).filter(asse__in=assi)),
        persone=lambda asse, dal, al: Parte.objects.filter(
            dossier__in=_aperti(dal, al).filter(asse=asse), persona__isnull=False
        ).values("persona_id"),
    ),
)
