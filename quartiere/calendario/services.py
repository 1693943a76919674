"""State changes of the hall calendar: requests, bookings, confirmations, refusals.

The rule the whole module exists for: nothing else takes a bookable hall while a confirmed
booking does — neither another booking nor a lab meeting. The database holds it (the
triggers behind :class:`~quartiere.calendario.models.Occupazione`); this module checks it
first, under the same lock on the Sede's row, to tell the operator what is in the way.
Two operators confirming at the same moment are serialised on that lock, and the second
one sees the first one's booking and is refused.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.conf import settings
from django.contrib.admin.models import ADDITION, CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django_tasks import task
from simple_history.utils import bulk_create_with_history

from quartiere.calendario.models import Occupazione, Prenotazione
from quartiere.estensioni import Punto
from quartiere.lib.errori import ErroreDominio
from quartiere.privacy.models import Informativa
from quartiere.registro.models import Organizzazione
from quartiere.territorio.models import Sede

# A weekly series stops at this many occurrences (about a year).
MAX_OCCORRENZE = 53


# What takes a hall besides the bookings: ``origine`` -> a function of the row's id that says
# what it is, for staff ("dall'incontro «X» del laboratorio «Y»").
OCCUPAZIONI = Punto("occupazioni delle sale")


class ConflittoPrenotazione(ErroreDominio):
    """The hall is taken. ``con`` is the booking or lab meeting it collides with."""

    def __init__(self, messaggio: str, con):
        super().__init__(messaggio)
        self.con = con


@dataclass(frozen=True)
class Occorrenza:
    inizio: datetime
    fine: datetime


# --- Helpers ---------------------------------------------------------------------------------


def _ora(valore: datetime) -> str:
    return formats.date_format(timezone.localtime(valore), "H:i")


def _giorno(valore: datetime) -> str:
    return formats.date_format(timezone.localtime(valore), "l j F Y")


def occorrenze(inizio: datetime, fine: datetime, ripeti_fino_al: date | None) -> list[Occorrenza]:
    """The dates of a booking repeated every week until ``ripeti_fino_al`` (inclusive).

    The local wall-clock time is kept across daylight-saving changes: a meeting at 18:00
    stays at 18:00 in winter and in summer.
    """
    if fine <= inizio:
        raise ErroreDominio(_("La fine deve essere successiva all'inizio."))
    if ripeti_fino_al is None:
        return [Occorrenza(inizio, fine)]
    if fine - inizio >= timedelta(days=7):
        raise ErroreDominio(
            _("Un evento che si ripete ogni settimana deve durare meno di 7 giorni.")
        )
    inizio_locale = timezone.localtime(inizio).replace(tzinfo=None)
    durata = fine - inizio
    if ripeti_fino_al < inizio_locale.date():
        raise ErroreDominio(_("La data di fine ripetizione è precedente al primo evento."))
    risultato = []
    corrente = inizio_locale
    while corrente.date() <= ripeti_fino_al:
        if len(risultato) >= MAX_OCCORRENZE:
            raise ErroreDominio(
                _("Una serie settimanale può avere al massimo %(n)s date.") % {"n": MAX_OCCORRENZE}
            )
        aware = timezone.make_aware(corrente)
        risultato.append(Occorrenza(aware, aware + durata))
        corrente += timedelta(days=7)
    return risultato


def trova_conflitto(
    sede_id: int,
    inizio: datetime,
    fine: datetime,
    *,
    escludi: Iterable[int] = (),
    escludi_occupazioni: Iterable[tuple[str, int]] = (),
):
    """The first confirmed booking, or other occupation of the hall, that overlaps
    [inizio, fine), or None.

    ``escludi`` leaves out bookings by primary key, ``escludi_occupazioni`` other
    occupations by ``(origine, oggetto_id)`` (the record being changed). This is the
    friendly check that names what is in the way; the database enforces the same rule
    (:class:`~quartiere.calendario.models.Occupazione`)."""
    prenotazione = (
        Prenotazione.objects.confermate()
        .filter(sede_id=sede_id)
        .sovrapposte(inizio, fine)
        .exclude(pk__in=list(escludi))
        .select_related("organizzazione", "organizzatore")
        .order_by("inizio")
        .first()
    )
    if prenotazione is not None:
        return prenotazione
    altre = Occupazione.objects.filter(sede_id=sede_id, inizio__lt=fine, fine__gt=inizio).exclude(
        origine=Occupazione.PRENOTAZIONE
    )
    for origine, oggetto_id in escludi_occupazioni:
        altre = altre.exclude(origine=origine, oggetto_id=oggetto_id)
    return altre.order_by("inizio", "pk").first()


def descrivi_conflitto(con, *, pubblico: bool = False) -> str:
    """Explain a collision with a booking or an :class:`Occupazione`.

    The public version tells only when the hall is taken. For an occupation the app that
    owns it says what it is (``OCCUPAZIONI``, filled from the apps' ``estensioni.py``)."""
    quando = {"giorno": _giorno(con.inizio), "dalle": _ora(con.inizio), "alle": _ora(con.fine)}
    if pubblico:
        return (
            _(
                "La sala è già occupata %(giorno)s dalle %(dalle)s alle %(alle)s: "
                "scegli un altro orario."
            )
            % quando
        )
    if isinstance(con, Occupazione):
        descrivi = OCCUPAZIONI.get(con.origine)
        cosa = descrivi(con.oggetto_id) if descrivi is not None else ""
        return _("La sala è già occupata %(giorno)s dalle %(dalle)s alle %(alle)s %(cosa)s.") % {
            **quando,
            "cosa": cosa or _("da un'altra attività"),
        }
    return _(
        "La sala è già occupata %(giorno)s dalle %(dalle)s alle %(alle)s "
        "dalla prenotazione confermata «%(titolo)s» (%(organizzatore)s, n. %(pk)s)."
    ) % {
        **quando,
        "titolo": con.titolo,
        "organizzatore": con.nome_organizzatore or _("organizzatore non indicato"),
        "pk": con.pk,
    }


def conflitto_dal_database(errore: IntegrityError, *, pubblico: bool = False):
    """The :class:`ConflittoPrenotazione` behind the database's refusal of an overlapping
    occupation, or None when ``errore`` is another integrity error (re-raise it then).

    Call it once the failed transaction or savepoint is rolled back: it reads what is in
    the way, to name it."""
    diag = getattr(errore.__cause__, "diag", None)
    if diag is None or diag.constraint_name != "occupazione_sala_libera":
        return None
    origine, _sep, oggetto = (diag.message_detail or "").rpartition(":")
    if origine == Occupazione.PRENOTAZIONE:
        con = (
            Prenotazione.objects.select_related("organizzazione", "organizzatore")
            .filter(pk=oggetto)
            .first()
        )
    else:
        con = Occupazione.objects.filter(origine=origine, oggetto_id=oggetto).first()
    if con is None:  # gone in the meantime: still, the hall was taken
        return ConflittoPrenotazione(_("La sala è già occupata in quell'orario."), None)
    return ConflittoPrenotazione(descrivi_conflitto(con, pubblico=pubblico), con)


@contextmanager
def sala_libera(*, pubblico: bool = False):
    """Run a change that may take a hall; the database's refusal becomes a
    :class:`ConflittoPrenotazione` (the change is rolled back)."""
    try:
        with transaction.atomic():
            yield
    except IntegrityError as errore:
        conflitto = conflitto_dal_database(errore, pubblico=pubblico)
        if conflitto is None:
            raise
        raise conflitto from errore


def _verifica_libera(sede_id: int, elenco: list[Occorrenza], *, escludi=(), pubblico=False):
    for occ in elenco:
        con = trova_conflitto(sede_id, occ.inizio, occ.fine, escludi=escludi)
        if con is not None:
            raise ConflittoPrenotazione(descrivi_conflitto(con, pubblico=pubblico), con)


def blocca_sede(sede_id: int) -> Sede:
    """Serialise every change that can confirm a booking of this Sede."""
    return Sede.objects.select_for_update().get(pk=sede_id)


def _registra(prenotazione: Prenotazione, da, flag: int, messaggio: str) -> None:
    if da is None or not getattr(da, "pk", None):
        return
    LogEntry.objects.create(
        user_id=da.pk,
        content_type=ContentType.objects.get_for_model(Prenotazione),
        object_id=str(prenotazione.pk),
        object_repr=str(prenotazione)[:200],
        action_flag=flag,
        change_message=messaggio,
    )


def _avvisa(prenotazioni: list[Prenotazione], evento: str) -> None:
    ids = [p.pk for p in prenotazioni if p.richiedente_email]
    if ids:
        transaction.on_commit(lambda: invia_email_prenotazione.enqueue(ids, evento))


# --- Creating ----------------------------------------------------------------------------------


def richiedi_sala(
    *,
    sede: Sede,
    titolo: str,
    descrizione: str,
    richiedente_ente: str,
    richiedente_nome: str,
    richiedente_email: str,
    richiedente_telefono: str,
    inizio: datetime,
    fine: datetime,
    pubblico: bool,
    ripeti_fino_al: date | None = None,
) -> list[Prenotazione]:
    """A request from the public site: one row per date, all in state ``richiesta``.

    The requester has consented to the privacy notice (the form checks it); the version
    in force is recorded. Raises :class:`ErroreDominio` when the Sede cannot be booked
    from the site, and :class:`ConflittoPrenotazione` (with a message that names no one)
    when a date is already taken. Sends an acknowledgement after commit.
    """
    if not sede.prenotabile:
        raise ErroreDominio(_("Questa sede non si può prenotare dal sito."))
    elenco = occorrenze(inizio, fine, ripeti_fino_al)
    _verifica_libera(sede.pk, elenco, pubblico=True)
    serie = uuid.uuid4() if len(elenco) > 1 else None
    with transaction.atomic():
        righe = bulk_create_with_history(
            [
                Prenotazione(
                    sede=sede,
                    titolo=titolo,
                    descrizione=descrizione,
                    richiedente_ente=richiedente_ente,
                    richiedente_nome=richiedente_nome,
                    richiedente_email=richiedente_email,
                    richiedente_telefono=richiedente_telefono,
                    consenso_privacy=True,
                    informativa_versione=Informativa.versione_corrente(),
                    inizio=occ.inizio,
                    fine=occ.fine,
                    pubblico=pubblico,
                    stato=Prenotazione.Stato.RICHIESTA,
                    serie=serie,
                    ripeti_fino_al=ripeti_fino_al if serie else None,
                )
                for occ in elenco
            ],
            Prenotazione,
            default_change_reason=_("Richiesta dal sito"),
        )
        _avvisa(righe[:1], "ricevuta")
    return righe


def crea_prenotazione(
    *,
    sede: Sede,
    titolo: str,
    inizio: datetime,
    fine: datetime,
    da,
    descrizione: str = "",
    organizzazione: Organizzazione | None = None,
    organizzatore=None,
    pubblico: bool = False,
    ripeti_fino_al: date | None = None,
    conferma: bool = True,
    asse=None,
) -> list[Prenotazione]:
    """A booking entered by staff, confirmed at once unless ``conferma`` is False.

    Raises :class:`ConflittoPrenotazione` (naming the booking or meeting in the way) when
    a confirmed booking would overlap, and :class:`ErroreDominio` when ``asse`` (the funded
    programme's axis it is attributed to) is not running on one of its dates or for the
    hall's quartiere; nothing is saved then.
    """
    if organizzazione is None and organizzatore is None:
        organizzatore = da
    elenco = occorrenze(inizio, fine, ripeti_fino_al)
    serie = uuid.uuid4() if len(elenco) > 1 else None
    stato = Prenotazione.Stato.CONFERMATA if conferma else Prenotazione.Stato.RICHIESTA
    adesso = timezone.now()
    with sala_libera():
        if conferma:
            blocca_sede(sede.pk)
            _verifica_libera(sede.pk, elenco)
        righe = []
        for occ in elenco:
            p = Prenotazione(
                sede=sede,
                titolo=titolo,
                descrizione=descrizione,
                organizzazione=organizzazione,
                organizzatore=organizzatore,
                inizio=occ.inizio,
                fine=occ.fine,
                pubblico=pubblico,
                stato=stato,
                serie=serie,
                ripeti_fino_al=ripeti_fino_al if serie else None,
                creata_da=da,
                gestita_da=da if conferma else None,
                gestita_il=adesso if conferma else None,
                asse=asse,
            )
            errore = p.errore_di_attribuzione()
            if errore:
                raise ErroreDominio(errore)
            p._change_reason = _("Inserita dal personale")
            p.save()
            righe.append(p)
        _registra(
            righe[0], da, ADDITION, _("Prenotazione inserita (%(n)s date)") % {"n": len(righe)}
        )
    return righe


# --- Deciding --------------------------------------------------------------------------------


def _da_gestire(prenotazione: Prenotazione, tutta_la_serie: bool, stati: set[str]):
    qs = Prenotazione.objects.select_for_update().filter(stato__in=stati)
    if tutta_la_serie and prenotazione.serie:
        return list(qs.filter(serie=prenotazione.serie).order_by("inizio"))
    return list(qs.filter(pk=prenotazione.pk))


def conferma_prenotazione(
    prenotazione: Prenotazione, *, da, tutta_la_serie: bool = False
) -> list[Prenotazione]:
    """Confirm a requested booking (or every still-requested date of its series).

    Locks the Sede, then checks every date against the confirmed bookings and the lab
    meetings of the Sede. Raises :class:`ErroreDominio` when the booking is no longer a
    request and :class:`ConflittoPrenotazione` when a date collides: then nothing is
    confirmed. E-mails the requester after commit.
    """
    with sala_libera():
        blocca_sede(prenotazione.sede_id)
        righe = _da_gestire(prenotazione, tutta_la_serie, {Prenotazione.Stato.RICHIESTA})
        if not righe:
            raise ErroreDominio(_("La prenotazione non è più in attesa di conferma."))
        _verifica_libera(
            prenotazione.sede_id,
            [Occorrenza(p.inizio, p.fine) for p in righe],
            escludi=[p.pk for p in righe],
        )
        adesso = timezone.now()
        for p in righe:
            p.stato = Prenotazione.Stato.CONFERMATA
            p.gestita_da, p.gestita_il = da, adesso
            p.versione += 1
            p._change_reason = _("Confermata")
            p.save(update_fields=["stato", "gestita_da", "gestita_il", "versione"])
            _registra(p, da, CHANGE, _("Confermata"))
        _avvisa(righe[:1], "confermata")
    return righe


def rifiuta_prenotazione(
    prenotazione: Prenotazione, *, da, motivo: str, tutta_la_serie: bool = False
) -> list[Prenotazione]:
    """Refuse a request, with the reason the requester will read.

    Raises :class:`ErroreDominio` without a reason or when it is no longer a request.
    """
    motivo = (motivo or "").strip()
    if not motivo:
        raise ErroreDominio(_("Scrivi il motivo del rifiuto: lo riceverà chi ha chiesto la sala."))
    return _chiudi(
        prenotazione,
        da=da,
        motivo=motivo,
        tutta_la_serie=tutta_la_serie,
        da_stati={Prenotazione.Stato.RICHIESTA},
        a_stato=Prenotazione.Stato.RIFIUTATA,
        evento="rifiutata",
    )


def annulla_prenotazione(
    prenotazione: Prenotazione, *, da, motivo: str = "", tutta_la_serie: bool = False
) -> list[Prenotazione]:
    """Cancel a requested or confirmed booking; the hall becomes free again.

    Raises :class:`ErroreDominio` when it is already refused or cancelled.
    """
    return _chiudi(
        prenotazione,
        da=da,
        motivo=(motivo or "").strip(),
        tutta_la_serie=tutta_la_serie,
        da_stati={Prenotazione.Stato.RICHIESTA, Prenotazione.Stato.CONFERMATA},
        a_stato=Prenotazione.Stato.ANNULLATA,
        evento="annullata",
    )


def _chiudi(prenotazione, *, da, motivo, tutta_la_serie, da_stati, a_stato, evento):
    with transaction.atomic():
        righe = _da_gestire(prenotazione, tutta_la_serie, da_stati)
        if not righe:
            raise ErroreDominio(_("La prenotazione è già stata rifiutata o annullata."))
        adesso = timezone.now()
        for p in righe:
            p.stato = a_stato
            p.motivo = motivo
            p.gestita_da, p.gestita_il = da, adesso
            p.versione += 1
            p._change_reason = str(Prenotazione.Stato(a_stato).label)
            p.save(update_fields=["stato", "motivo", "gestita_da", "gestita_il", "versione"])
            _registra(p, da, CHANGE, str(Prenotazione.Stato(a_stato).label))
        _avvisa(righe[:1], evento)
    return righe


# --- E-mail ------------------------------------------------------------------------------------

_OGGETTI = {
    "ricevuta": gettext_noop("Richiesta della sala ricevuta: %(titolo)s"),
    "confermata": gettext_noop("Prenotazione confermata: %(titolo)s"),
    "rifiutata": gettext_noop("Richiesta della sala non accolta: %(titolo)s"),
    "annullata": gettext_noop("Prenotazione annullata: %(titolo)s"),
}


@task()
def invia_email_prenotazione(prenotazione_ids: list[int], evento: str) -> int:
    """E-mail the requester about ``evento`` on the bookings (one message per series)."""
    righe = list(
        Prenotazione.objects.filter(pk__in=prenotazione_ids)
        .select_related("sede")
        .order_by("inizio")
    )
    if not righe or evento not in _OGGETTI:
        return 0
    prima = righe[0]
    date_serie = []
    if prima.serie:
        date_serie = list(
            Prenotazione.objects.filter(serie=prima.serie)
            .order_by("inizio")
            .values_list("inizio", "fine", "stato")
        )
    with translation.override("it"):
        contesto = {
            "p": prima,
            "evento": evento,
            "date_serie": date_serie,
            "COMUNE_NOME": settings.COMUNE_NOME,
            "SITE_URL": settings.SITE_URL,
        }
        testo = render_to_string("quartiere/email/prenotazione.txt", contesto)
        oggetto = _(_OGGETTI[evento]) % {"titolo": prima.titolo}
    return send_mail(
        oggetto.replace("\n", " ")[:200],
        testo,
        None,
        [prima.richiedente_email],
        fail_silently=False,
    )


def prenotazioni_in_attesa(queryset):
    """Requests still waiting for an operator, oldest date first."""
    return queryset.filter(stato=Prenotazione.Stato.RICHIESTA, fine__gte=timezone.now()).order_by(
        "inizio"
    )
