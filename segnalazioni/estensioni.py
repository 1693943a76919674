"""What the reports add to the core: their rows in a person's access export (art. 15), and
their retention class."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db.models import F, Prefetch, Q, Value
from django.db.models.functions import Concat, Lower
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from quartiere.identita.area import SEZIONI_AREA_PERSONALE
from quartiere.indicators import inizio_giorno
from quartiere.lib.text import normalizza_ricerca
from quartiere.privacy.accesso_dati import SERIALIZZATORI, Relazione, Voce, campi
from quartiere.privacy.conservazione import (
    ANONIMO,
    ATTIVITA_PERSONA,
    CLASSI,
    COPIE_TEMPORANEE,
    Classe,
)
from quartiere.programmi.cifre import FONTI_PER_ASSE, Fonte, conteggi_per_asse
from quartiere.pubblico.sezioni import Sezione
from segnalazioni.models import (
    Allegato,
    BozzaSegnalazione,
    Evento,
    InvioEmail,
    Ricevuta,
    Segnalazione,
    Stato,
)


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


# What the receipt snapshot keeps of a report that was anonymised: the rest is replaced.
_RICEVUTA_SENZA_PERSONA = {"oggetto": ANONIMO, "descrizione": ANONIMO, "cittadino": ""}


def _anonimizza_segnalazioni(righe) -> int:
    """Every copy of a report's personal data: the report and its history, the search
    text, the timeline, the receipts' snapshots, the e-mail outbox, the attachments (rows
    and files). The figures (state, outcome, dates, category, quartiere) are kept."""
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
    Segnalazione.objects.filter(pk__in=ids).update(
        **campi,
        # The search text (not in the history) held the subject and the description; the
        # code still finds the report.
        ricerca=Concat(Value(normalizza_ricerca(ANONIMO) + " "), Lower("codice")),
        versione=F("versione") + 1,
    )
    Segnalazione.history.filter(id__in=ids).update(**campi)
    Evento.objects.filter(segnalazione__in=ids).exclude(testo="").update(testo=ANONIMO)
    ricevute = list(Ricevuta.objects.filter(segnalazione__in=ids))
    for ricevuta in ricevute:
        ricevuta.dati = {**ricevuta.dati, **_RICEVUTA_SENZA_PERSONA}
    Ricevuta.objects.bulk_update(ricevute, ["dati"])
    InvioEmail.objects.filter(segnalazione__in=ids).update(
        destinatario="", oggetto=ANONIMO, corpo=ANONIMO, ultimo_errore=""
    )
    allegati = Allegato.objects.filter(segnalazione__in=ids)
    for allegato in allegati:
        # The file goes from storage too; a row without its file would only mislead.
        allegato.file.delete(save=False)
    allegati.delete()
    return len(ids)


CLASSI.registra("segnalazioni", Classe(_segnalazioni, _anonimizza_segnalazioni, ordine=0))


@ATTIVITA_PERSONA.registra("segnalazioni.segnalazione")
def _attivita_nelle_segnalazioni(limite):
    """A report filed since the threshold, or one still open, keeps its person."""
    return Q(segnalazioni__creata_il__gte=limite) | Q(
        segnalazioni__stato__in=[s for s in Stato.values if s != Stato.CHIUSA]
    )


@COPIE_TEMPORANEE.registra("allegati di segnalazioni non inviate")
def _allegati_in_attesa() -> int:
    """The files of the step-by-step form wait in a folder until the report is sent; a
    form abandoned leaves them. Gone after a day: longer than any session that pointed at
    them (it expired with its typed data)."""
    from django.utils import timezone

    from segnalazioni.allegati import archivio_temporaneo

    archivio = archivio_temporaneo()
    try:
        _cartelle, nomi = archivio.listdir("")
    except FileNotFoundError:  # on disk, before the first upload
        return 0
    limite = timezone.now() - timedelta(seconds=max(settings.SESSION_COOKIE_AGE, 24 * 3600))
    tolti = 0
    for nome in nomi:
        if archivio.get_modified_time(nome) < limite:
            archivio.delete(nome)
            tolti += 1
    return tolti


@COPIE_TEMPORANEE.registra("bozze di segnalazione abbandonate")
def _bozze_abbandonate() -> int:
    """A draft a citizen saved and never sent: gone after ``SEGNALAZIONI_BOZZE_GIORNI``
    days untouched (its attachments were never kept)."""
    from django.utils import timezone

    limite = timezone.now() - timedelta(days=settings.SEGNALAZIONI_BOZZE_GIORNI)
    tolte, _dettaglio = BozzaSegnalazione.objects.filter(aggiornata_il__lt=limite).delete()
    return tolte


# --- The citizen's personal area (issue 17) ---------------------------------------------------


@SEZIONI_AREA_PERSONALE.registra("segnalazioni")
def _area_personale(persona):
    """The citizen's reports, newest first, each with the office's public replies (the
    area's "messaggi"), and their saved draft. Three queries."""
    risposte = Prefetch(
        "eventi",
        queryset=Evento.objects.filter(tipo=Evento.Tipo.RISPOSTA_PUBBLICA).only(
            "segnalazione_id", "creato_il", "testo"
        ),
        to_attr="risposte",
    )
    segnalazioni = list(
        Segnalazione.objects.filter(persona=persona)
        .select_related("categoria", "quartiere")
        .prefetch_related(risposte)
        .order_by("-creata_il", "-pk")[:100]
    )
    return Sezione(
        "segnalazioni/pubblico/area_personale.html",
        {
            "titolo": _("Le mie segnalazioni"),
            "ancora": "segnalazioni",
            "segnalazioni": segnalazioni,
            "bozza": BozzaSegnalazione.objects.filter(account__persona=persona).first(),
        },
        ordine=10,
    )


# --- Programmes: the reports received, attributed to an axis (quartiere/programmi/cifre.py) ---


def _ricevute(dal, al):
    return Segnalazione.objects.filter(
        creata_il__gte=inizio_giorno(dal), creata_il__lt=inizio_giorno(al + timedelta(days=1))
    )


FONTI_PER_ASSE.registra(
    "segnalazioni.segnalazione",
    Fonte(
        etichetta=gettext_lazy("Segnalazioni ricevute"),
        unita=gettext_lazy("segnalazioni"),
        conta=lambda assi, dal, al: conteggi_per_asse(_ricevute(dal, al).filter(asse__in=assi)),
        persone=lambda asse, dal, al: (
            _ricevute(dal, al).filter(asse=asse, persona__isnull=False).values("persona_id")
        ),
    ),
)
