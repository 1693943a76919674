"""What the pacts add to the core: a signatory's rows in a person's access export (art. 15)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from quartiere.privacy.accesso_dati import SERIALIZZATORI, Relazione, Voce, campo


def _firmatario(f) -> list[Voce]:
    patto = f.patto
    impegni = [
        {"descrizione": i.descrizione, "scadenza": i.scadenza, "svolto": i.svolto}
        for i in f.impegni.all()
    ]
    return [
        Voce("patto", _("patto"), f"{patto.numero} — {patto.titolo}"),
        Voce("stato_patto", _("stato del patto"), patto.get_stato_display()),
        Voce("data_firma", _("data della firma"), patto.data_firma),
        campo(f, "tipo", _("firma come")),
        Voce("impegni", _("impegni"), impegni),
    ]


SERIALIZZATORI.registra(
    "patti.Firmatario",
    Relazione(lambda: _("Firme dei patti di collaborazione"), _firmatario, relazioni=("patto",)),
)
