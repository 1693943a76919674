"""What mediation adds to the core: a party's rows in a person's access export (art. 15),
for coordinators only, without the description, the other parties or any note."""

from __future__ import annotations

from django.utils.translation import gettext as _

from quartiere.privacy.accesso_dati import SERIALIZZATORI, Relazione, Voce, campi, campo


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
