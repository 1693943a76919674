"""What the reports add to the core: their rows in a person's access export (art. 15)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from quartiere.privacy.accesso_dati import SERIALIZZATORI, Relazione, Voce, campi
from segnalazioni.models import Evento


def _segnalazione(s) -> list[Voce]:
    voci = campi(
        s,
        "codice",
        "tipo",
        "categoria",
        "quartiere",
        "oggetto",
        "descrizione",
        "indirizzo",
        "canale",
        "stato",
        "esito",
        "nome_segnalante",
        "email_segnalante",
        "telefono_segnalante",
        "consenso_privacy",
        "consenso_il",
        "informativa_versione",
        "creata_il",
        "chiusa_il",
        "valutazione",
        "valutazione_motivo",
    )
    # What the citizen was told, not the staff's internal notes.
    risposte = [
        {"data": e.creato_il, "testo": e.testo}
        for e in s.eventi.filter(tipo=Evento.Tipo.RISPOSTA_PUBBLICA).order_by("creato_il")
    ]
    voci.append(Voce("risposte", _("risposte al cittadino"), risposte))
    return voci


SERIALIZZATORI.registra(
    "segnalazioni.Segnalazione", Relazione(lambda: _("Segnalazioni"), _segnalazione)
)
