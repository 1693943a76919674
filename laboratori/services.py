"""Every state change of the labs: guard → transaction → save → history.

Views, admin actions, the demo and the import all call these functions, so the rules
below hold everywhere. A refused change raises :class:`ErroreDominio` (or a subclass)
with a message meant for the user.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from laboratori.models import (
    DURATA_INCONTRO,
    Aderente,
    Incontro,
    Laboratorio,
    Presenza,
    Proposta,
)
from quartiere.calendario import services as calendario
from quartiere.lib.errori import ErroreDominio
from quartiere.registro.models import Organizzazione, Persona

__all__ = [
    "ErroreDominio",
    "aggiungi_aderente",
    "lascia_gruppo",
    "PresenzaDuplicata",
    "TRANSIZIONI_INCONTRO",
    "TRANSIZIONI_LABORATORIO",
    "TRANSIZIONI_PROPOSTA",
    "cambia_fase",
    "cambia_stato_incontro",
    "cambia_stato_laboratorio",
    "cambia_stato_proposta",
    "registra_presenza",
    "rimuovi_presenza",
    "verbale_pdf",
]

S_LAB = Laboratorio.Stato
S_INC = Incontro.Stato
S_PROP = Proposta.Stato

# The allowed moves, in one place. A concluded lab may be reopened; a meeting held
# stays held; a proposal that was decided can go back to evaluation.
TRANSIZIONI_LABORATORIO: dict[str, set[str]] = {
    S_LAB.ATTIVO: {S_LAB.SOSPESO, S_LAB.CONCLUSO},
    S_LAB.SOSPESO: {S_LAB.ATTIVO, S_LAB.CONCLUSO},
    S_LAB.CONCLUSO: {S_LAB.ATTIVO},
}
TRANSIZIONI_INCONTRO: dict[str, set[str]] = {
    S_INC.PROGRAMMATO: {S_INC.SVOLTO, S_INC.ANNULLATO},
    S_INC.ANNULLATO: {S_INC.PROGRAMMATO},
    S_INC.SVOLTO: set(),
}
TRANSIZIONI_PROPOSTA: dict[str, set[str]] = {
    S_PROP.RACCOLTA: {S_PROP.IN_VALUTAZIONE, S_PROP.NON_ACCOLTA},
    S_PROP.IN_VALUTAZIONE: {S_PROP.ACCOLTA, S_PROP.NON_ACCOLTA, S_PROP.RACCOLTA},
    S_PROP.ACCOLTA: {S_PROP.IN_VALUTAZIONE},
    S_PROP.NON_ACCOLTA: {S_PROP.IN_VALUTAZIONE},
}


class PresenzaDuplicata(ErroreDominio):
    """The person (or the organisation alone) is already recorded at the meeting."""


def _verifica_transizione(tabella, attuale: str, nuovo: str, etichette) -> None:
    if nuovo not in etichette.values:
        raise ErroreDominio(_("Stato sconosciuto: «%(stato)s».") % {"stato": nuovo})
    if nuovo not in tabella[attuale]:
        raise ErroreDominio(
            _("Non si può passare da «%(da)s» a «%(a)s».")
            % {"da": etichette(attuale).label, "a": etichette(nuovo).label}
        )


def _salva_con_storia(obj, campi: list[str], *, da, motivo: str) -> None:
    obj._history_user = da
    obj._change_reason = motivo
    if hasattr(obj, "versione"):
        obj.versione += 1
        campi = [*campi, "versione"]
    obj.save(update_fields=campi)


def cambia_stato_laboratorio(laboratorio: Laboratorio, stato: str, *, da) -> Laboratorio:
    """Suspend, conclude or reopen a lab.

    Concluding a lab without an end date sets it to today (or to its start, if the lab
    has not started yet). Raises :class:`ErroreDominio` for a move not in
    :data:`TRANSIZIONI_LABORATORIO`.
    """
    with transaction.atomic():
        lab = Laboratorio.objects.select_for_update().get(pk=laboratorio.pk)
        _verifica_transizione(TRANSIZIONI_LABORATORIO, lab.stato, stato, S_LAB)
        precedente = lab.get_stato_display()
        lab.stato = stato
        campi = ["stato"]
        if stato == S_LAB.CONCLUSO and lab.data_fine is None:
            lab.data_fine = max(timezone.localdate(), lab.data_inizio)
            campi.append("data_fine")
        _salva_con_storia(
            lab,
            campi,
            da=da,
            motivo=_("Stato: %(da)s → %(a)s") % {"da": precedente, "a": lab.get_stato_display()},
        )
    return lab


def cambia_fase(laboratorio: Laboratorio, fase: str, *, da) -> Laboratorio:
    """Move a lab to another phase (ascolto, progettazione, realizzazione).

    Raises :class:`ErroreDominio` when the lab is concluded or the phase is unknown
    or unchanged.
    """
    if fase not in Laboratorio.Fase.values:
        raise ErroreDominio(_("Fase sconosciuta: «%(fase)s».") % {"fase": fase})
    with transaction.atomic():
        lab = Laboratorio.objects.select_for_update().get(pk=laboratorio.pk)
        if lab.stato == S_LAB.CONCLUSO:
            raise ErroreDominio(_("Il laboratorio è concluso: riaprilo per cambiarne la fase."))
        if lab.fase == fase:
            raise ErroreDominio(_("Il laboratorio è già in questa fase."))
        precedente = lab.get_fase_display()
        lab.fase = fase
        _salva_con_storia(
            lab,
            ["fase"],
            da=da,
            motivo=_("Fase: %(da)s → %(a)s") % {"da": precedente, "a": lab.get_fase_display()},
        )
    return lab


def _cambia_sala_o_orario(incontro: Incontro) -> bool:
    """Whether saving ``incontro`` would take a hall at a time it did not take before
    (a meeting already saved keeps its slot when only its minutes change)."""
    if incontro.pk is None:
        return True
    prima = (
        Incontro.objects.filter(pk=incontro.pk).values("sede_id", "inizio", "fine", "stato").first()
    )
    adesso = {
        "sede_id": incontro.sede_id,
        "inizio": incontro.inizio,
        "fine": incontro.fine,
        "stato": incontro.stato,
    }
    return prima != adesso


def controlla_sala(incontro: Incontro) -> None:
    """Refuse a meeting about to be saved in a bookable hall that is already taken.

    The hall is taken by a confirmed booking or by another lab meeting, as the calendar
    sees it (``quartiere.calendario.services.trova_conflitto``). The hall's row is locked
    as the booking services lock it, so when this runs inside the transaction that saves
    the meeting, a booking confirmed at the same moment waits and then sees the meeting.
    A meeting elsewhere, in an office that is not booked, or cancelled takes no hall; a
    meeting whose hall and time did not change is not checked again.
    """
    if (
        incontro.sede_id is None
        or incontro.inizio is None
        or incontro.stato == Incontro.Stato.ANNULLATO
        or not _cambia_sala_o_orario(incontro)
    ):
        return
    with transaction.atomic():
        if not calendario.blocca_sede(incontro.sede_id).prenotabile:
            return
        inizio = incontro.inizio
        fine = incontro.fine or inizio + DURATA_INCONTRO
        escludi = [("laboratori.incontro", incontro.pk)] if incontro.pk else []
        con = calendario.trova_conflitto(
            incontro.sede_id, inizio, fine, escludi_occupazioni=escludi
        )
        if con is not None:
            raise ErroreDominio(calendario.descrivi_conflitto(con))


def salva_incontro(form) -> Incontro:
    """Save a meeting from the staff form: the hall check and the versioned save in one
    transaction, so the hall stays locked until the meeting is written. The database
    refuses an overlap that slipped past the check (quartiere.calendario.models.Occupazione)
    with the same message."""
    with calendario.sala_libera():
        controlla_sala(form.instance)
        return form.save_versioned()


def cambia_stato_incontro(incontro: Incontro, stato: str, *, da) -> Incontro:
    """Mark a meeting as held, cancel it, or schedule a cancelled one again.

    A meeting can be marked as held only once it has started, and cancelled only while
    nobody's attendance is recorded; one scheduled again takes its hall back only if it is
    free. Raises :class:`ErroreDominio`.
    """
    with calendario.sala_libera():
        inc = Incontro.objects.select_for_update().get(pk=incontro.pk)
        _verifica_transizione(TRANSIZIONI_INCONTRO, inc.stato, stato, S_INC)
        if stato == S_INC.SVOLTO and inc.inizio > timezone.now():
            raise ErroreDominio(_("Un incontro non ancora iniziato non può essere svolto."))
        if stato == S_INC.ANNULLATO and inc.presenze.exists():
            raise ErroreDominio(
                _("Ci sono presenze registrate: rimuovile prima di annullare l'incontro.")
            )
        precedente = inc.get_stato_display()
        inc.stato = stato
        controlla_sala(inc)
        _salva_con_storia(
            inc,
            ["stato"],
            da=da,
            motivo=_("Stato: %(da)s → %(a)s") % {"da": precedente, "a": inc.get_stato_display()},
        )
    return inc


def cambia_stato_proposta(proposta: Proposta, stato: str, *, da, esito: str = "") -> Proposta:
    """Move a proposal through raccolta → in valutazione → accolta / non accolta.

    ``esito`` (what was decided and why) replaces the stored one when given. Raises
    :class:`ErroreDominio` for a move not in :data:`TRANSIZIONI_PROPOSTA`.
    """
    with transaction.atomic():
        prop = Proposta.objects.select_for_update().get(pk=proposta.pk)
        _verifica_transizione(TRANSIZIONI_PROPOSTA, prop.stato, stato, S_PROP)
        precedente = prop.get_stato_display()
        prop.stato = stato
        campi = ["stato"]
        if esito.strip():
            prop.esito = esito.strip()
            campi.append("esito")
        _salva_con_storia(
            prop,
            campi,
            da=da,
            motivo=_("Stato: %(da)s → %(a)s") % {"da": precedente, "a": prop.get_stato_display()},
        )
    return prop


def registra_presenza(
    incontro: Incontro,
    *,
    persona: Persona | None = None,
    organizzazione: Organizzazione | None = None,
    da=None,
) -> Presenza:
    """Record that ``persona`` (and/or the ``organizzazione`` they represent) attended.

    The database refuses the same person twice at one meeting (and the same
    organisation twice without a person); that refusal becomes a
    :class:`PresenzaDuplicata`. Raises :class:`ErroreDominio` when the meeting was
    cancelled or neither a person nor an organisation is given.
    """
    if persona is None and organizzazione is None:
        raise ErroreDominio(_("Indica una persona o un'organizzazione."))
    if incontro.stato == S_INC.ANNULLATO:
        raise ErroreDominio(_("L'incontro è annullato: non si registrano presenze."))
    try:
        with transaction.atomic():
            return Presenza.objects.create(
                incontro=incontro,
                persona=persona,
                organizzazione=organizzazione,
                registrata_da=da,
            )
    except IntegrityError as exc:
        vincolo = getattr(getattr(exc.__cause__, "diag", None), "constraint_name", "")
        if vincolo == "presenza_persona_unica":
            raise PresenzaDuplicata(
                _("%(persona)s è già registrata a questo incontro.") % {"persona": persona}
            ) from exc
        if vincolo == "presenza_organizzazione_unica":
            raise PresenzaDuplicata(
                _("%(organizzazione)s è già registrata a questo incontro.")
                % {"organizzazione": organizzazione}
            ) from exc
        raise


def rimuovi_presenza(presenza: Presenza, *, da) -> None:
    """Delete an attendance row, leaving a trace in the admin log of the meeting."""
    with transaction.atomic():
        descrizione = str(presenza)
        incontro = presenza.incontro
        presenza.delete()
        LogEntry.objects.create(
            user_id=da.pk,
            content_type=ContentType.objects.get_for_model(Incontro),
            object_id=str(incontro.pk),
            object_repr=str(incontro)[:200],
            action_flag=CHANGE,
            change_message=_("Presenza rimossa: %(chi)s") % {"chi": descrizione},
        )


def verbale_pdf(incontro: Incontro) -> bytes:
    """The minutes of ``incontro`` as a PDF (always in Italian, the language of record).

    ``incontro`` should come with ``laboratorio__quartiere`` and ``sede`` selected.
    """
    from weasyprint import HTML  # slow import: only when a PDF is asked for

    presenze = list(
        incontro.presenze.select_related("persona", "organizzazione").order_by(
            "persona__cognome", "persona__nome", "organizzazione__nome"
        )
    )
    with translation.override("it"):
        html = render_to_string(
            "laboratori/pdf/verbale.html",
            {
                "incontro": incontro,
                "laboratorio": incontro.laboratorio,
                "facilitatori": list(incontro.laboratorio.facilitatori.order_by("last_name")),
                "presenze": presenze,
                "n_persone": sum(1 for p in presenze if p.persona_id),
                "organizzazioni": sorted(
                    {p.organizzazione.nome for p in presenze if p.organizzazione_id}
                ),
                "generato_il": timezone.localtime(),
                "comune": settings.COMUNE_NOME,
            },
        )
        return HTML(string=html).write_pdf()


# --- A group's members --------------------------------------------------------------------------


def aggiungi_aderente(
    gruppo: Laboratorio,
    *,
    persona: Persona | None = None,
    organizzazione: Organizzazione | None = None,
    ruolo: str = Aderente.Ruolo.MEMBRO,
    dal: datetime.date | None = None,
) -> Aderente:
    """``persona`` and/or ``organizzazione`` join a pilot or thematic group from ``dal``
    (today when not given). The database refuses a second current membership of the same
    person or organisation; that refusal becomes an :class:`ErroreDominio`."""
    if not gruppo.e_un_gruppo:
        raise ErroreDominio(_("Solo i gruppi pilota e tematici hanno aderenti."))
    if persona is None and organizzazione is None:
        raise ErroreDominio(_("Indica una persona o un'organizzazione."))
    aderente = Aderente(
        laboratorio=gruppo,
        persona=persona,
        organizzazione=organizzazione,
        ruolo=ruolo,
        dal=dal or timezone.localdate(),
    )
    aderente.full_clean(validate_unique=False, validate_constraints=False)
    try:
        with transaction.atomic():
            aderente.save()
    except IntegrityError as exc:
        vincolo = getattr(getattr(exc.__cause__, "diag", None), "constraint_name", "")
        if vincolo in {"aderente_persona_unica", "aderente_organizzazione_unica"}:
            chi = organizzazione if organizzazione is not None else persona
            raise ErroreDominio(_("%(chi)s aderisce già al gruppo.") % {"chi": chi}) from exc
        raise
    return aderente


def lascia_gruppo(aderente: Aderente, il: datetime.date | None = None) -> Aderente:
    """The member leaves the group on ``il`` (today): the membership is closed, not
    deleted, so the group's history and the figures of past periods stay."""
    il = il or timezone.localdate()
    if aderente.al is not None:
        raise ErroreDominio(_("Ha già lasciato il gruppo."))
    aderente.al = max(il, aderente.dal)
    aderente.save()
    return aderente
