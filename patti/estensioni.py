"""What the pacts add to the core: a signatory's rows in a person's access export (art. 15),
and their part in whether a person is still active (retention)."""

from __future__ import annotations

from django.db.models import Q
from django.utils.translation import gettext as _

from quartiere.privacy.accesso_dati import SERIALIZZATORI, Relazione, Voce, campo
from quartiere.privacy.conservazione import ATTIVITA_PERSONA


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


@ATTIVITA_PERSONA.registra("patti.firmatario")
def _attivita_nei_patti(limite):
    """A signatory of a pact that is in force, or ended after the threshold."""
    # isnull across a LEFT JOIN: require the row to exist, or nobody would ever qualify.
    return Q(firme_patti__patto__data_fine__gte=limite.date()) | Q(
        firme_patti__isnull=False, firme_patti__patto__data_fine__isnull=True
    )
