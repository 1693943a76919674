"""What the reports add to the core: their rows in a person's access export (art. 15), and
their retention class."""

from __future__ import annotations

from django.db.models import F, Q
from django.utils.translation import gettext as _

from quartiere.privacy.accesso_dati import SERIALIZZATORI, Relazione, Voce, campi
from quartiere.privacy.conservazione import ANONIMO, ATTIVITA_PERSONA, CLASSI, Classe
from segnalazioni.models import Evento, Segnalazione, Stato


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


# --- Retention (quartiere.privacy.conservazione) ----------------------------------------------


def _segnalazioni(limite):
    return Segnalazione.objects.filter(stato="chiusa", chiusa_il__lt=limite).exclude(
        oggetto=ANONIMO
    )


def _anonimizza_segnalazioni(righe) -> int:
    campi = {
        "oggetto": ANONIMO,
        "descrizione": ANONIMO,
        "nome_segnalante": "",
        "email_segnalante": "",
        "telefono_segnalante": "",
        "valutazione_motivo": "",
        "persona": None,
    }
    ids = list(righe.values_list("pk", flat=True))
    # The place (address or point) is kept: a report must have one (a database constraint)
    # and it is what the map of reports counts; it names a street, not a person.
    # Bumping the version refuses any edit form still open on the personal data.
    Segnalazione.objects.filter(pk__in=ids).update(**campi, versione=F("versione") + 1)
    Segnalazione.history.filter(id__in=ids).update(**campi)
    Evento.objects.filter(segnalazione__in=ids).exclude(testo="").update(testo=ANONIMO)
    return len(ids)


CLASSI.registra("segnalazioni", Classe(_segnalazioni, _anonimizza_segnalazioni, ordine=0))


@ATTIVITA_PERSONA.registra("segnalazioni.segnalazione")
def _attivita_nelle_segnalazioni(limite):
    """A report filed since the threshold, or one still open, keeps its person."""
    return Q(segnalazioni__creata_il__gte=limite) | Q(
        segnalazioni__stato__in=[s for s in Stato.values if s != Stato.CHIUSA]
    )
