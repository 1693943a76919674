"""The steps of an assignment: pre-assignment, assignment, entry, exit, cancellation.

Each step locks the flat, checks where it stands, moves the assignment and the flat's state
together in one transaction and leaves a dated history row (django-simple-history) with who
did it. The database refuses a second current assignment of a flat or of a household
whatever path writes (models.Assegnazione's constraints): two operators pre-assigning the
same flat at once get one assignment and one clear refusal.
"""

from __future__ import annotations

import datetime

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from abitare.models import (
    STATI_CORRENTI,
    STATI_LIBERI,
    AccessoRiservato,
    Adesione,
    Alloggio,
    Assegnazione,
    Immobile,
    NotaRiservata,
    Nucleo,
    Problema,
    Regolamento,
    Spostamento,
    StatoAlloggio,
    StatoAssegnazione,
)
from quartiere.lib.errori import ErroreDominio
from segnalazioni import services as servizi_segnalazioni
from segnalazioni.models import Segnalazione

A = StatoAssegnazione
L = StatoAlloggio


#: For each step: the assignment's state before, after, the date field it sets and the state
#: the flat takes.
PASSI = {
    "assegna": (A.PRE_ASSEGNATA, A.ASSEGNATA, "assegnata_il", L.ASSEGNATO),
    "ingresso": (A.ASSEGNATA, A.ABITATA, "ingresso_il", L.OCCUPATO),
    "uscita": (A.ABITATA, A.CONCLUSA, "uscita_il", L.SFITTO),
}


def _salva_alloggio(alloggio: Alloggio, stato: str, motivo: str) -> None:
    alloggio.stato = stato
    alloggio.versione += 1
    alloggio._change_reason = motivo
    alloggio.save(update_fields=["stato", "versione"])


def pre_assegna(
    alloggio: Alloggio, nucleo: Nucleo, *, il: datetime.date, note: str = ""
) -> Assegnazione:
    """Pre-assign the free ``alloggio`` to ``nucleo`` on the date ``il``."""
    with transaction.atomic():
        alloggio = Alloggio.objects.select_for_update().get(pk=alloggio.pk)
        if alloggio.stato not in STATI_LIBERI:
            raise ErroreDominio(
                _("L'alloggio %(codice)s non è libero: è «%(stato)s».")
                % {"codice": alloggio.codice, "stato": alloggio.get_stato_display()}
            )
        if Assegnazione.objects.filter(nucleo=nucleo, stato__in=STATI_CORRENTI).exists():
            raise ErroreDominio(_("Il nucleo ha già un'assegnazione in corso."))
        assegnazione = Assegnazione(
            alloggio=alloggio, nucleo=nucleo, pre_assegnata_il=il, note=note
        )
        assegnazione._change_reason = _("Pre-assegnazione")
        try:
            with transaction.atomic():
                assegnazione.save()
        except IntegrityError as errore:
            # The same household pre-assigned elsewhere at the same moment.
            raise ErroreDominio(_("Il nucleo ha già un'assegnazione in corso.")) from errore
        _salva_alloggio(alloggio, L.PRE_ASSEGNATO, _("Pre-assegnato a %(n)s") % {"n": nucleo})
    return assegnazione


def avanza(assegnazione: Assegnazione, passo: str, *, il: datetime.date) -> Assegnazione:
    """Take ``assegnazione`` one step on (``assegna``, ``ingresso``, ``uscita``) on ``il``."""
    da, a, campo, stato_alloggio = PASSI[passo]
    with transaction.atomic():
        alloggio = Alloggio.objects.select_for_update().get(pk=assegnazione.alloggio_id)
        assegnazione = Assegnazione.objects.select_for_update().get(pk=assegnazione.pk)
        if assegnazione.stato != da:
            raise ErroreDominio(
                _("Un'assegnazione «%(stato)s» non può passare a «%(a)s».")
                % {"stato": assegnazione.get_stato_display(), "a": a.label}
            )
        precedente = {
            "assegnata_il": assegnazione.pre_assegnata_il,
            "ingresso_il": assegnazione.assegnata_il,
            "uscita_il": assegnazione.ingresso_il,
        }[campo]
        if precedente and il < precedente:
            raise ErroreDominio(
                _("La data non può precedere quella del passo prima (%(data)s).")
                % {"data": precedente.strftime("%d/%m/%Y")}
            )
        assegnazione.stato = a
        setattr(assegnazione, campo, il)
        assegnazione.versione += 1
        assegnazione._change_reason = a.label
        assegnazione.save(update_fields=["stato", campo, "versione"])
        _salva_alloggio(alloggio, stato_alloggio, str(a.label))
    return assegnazione


def annulla(assegnazione: Assegnazione, *, motivo: str = "") -> Assegnazione:
    """Cancel a pre-assignment or an assignment before entry: the flat is free again."""
    with transaction.atomic():
        alloggio = Alloggio.objects.select_for_update().get(pk=assegnazione.alloggio_id)
        assegnazione = Assegnazione.objects.select_for_update().get(pk=assegnazione.pk)
        if assegnazione.stato not in (A.PRE_ASSEGNATA, A.ASSEGNATA):
            raise ErroreDominio(_("Si annulla solo un'assegnazione prima dell'ingresso."))
        assegnazione.stato = A.ANNULLATA
        if motivo:
            assegnazione.note = f"{assegnazione.note}\n{motivo}".strip()
        assegnazione.versione += 1
        assegnazione._change_reason = _("Annullata")
        assegnazione.save(update_fields=["stato", "note", "versione"])
        _salva_alloggio(alloggio, L.DISPONIBILE, _("Assegnazione annullata"))
    return assegnazione


def registra_accesso(nucleo: Nucleo, *, utente, azione: str, request=None) -> None:
    """Append one entry to the log of the household's confidential notes."""
    AccessoRiservato.objects.create(
        nucleo=nucleo,
        utente=utente,
        nome_utente=utente.get_username(),
        azione=azione,
        indirizzo_ip=(request.META.get("REMOTE_ADDR") or None) if request else None,
    )


def leggi_note(nucleo: Nucleo, *, utente, request=None) -> list[NotaRiservata]:
    """The household's confidential notes, newest first; the reading is logged. The caller
    has checked ``abitare.view_notariservata`` on the household."""
    with transaction.atomic():
        note = list(nucleo.note_riservate.select_related("scritta_da"))
        registra_accesso(
            nucleo, utente=utente, azione=AccessoRiservato.Azione.LETTURA, request=request
        )
    return note


def scrivi_nota(nucleo: Nucleo, *, tipo: str, testo: str, utente, request=None) -> NotaRiservata:
    """A new confidential note and its log entry, together."""
    with transaction.atomic():
        nota = NotaRiservata.objects.create(
            nucleo=nucleo, tipo=tipo, testo=testo, scritta_da=utente
        )
        registra_accesso(
            nucleo, utente=utente, azione=AccessoRiservato.Azione.SCRITTURA, request=request
        )
    return nota


def segnala_al_gestore(
    immobile: Immobile,
    *,
    ambito: str,
    oggetto: str,
    descrizione: str,
    canale: str,
    da,
    alloggio: Alloggio | None = None,
    nucleo: Nucleo | None = None,
) -> Problema:
    """File a problem of a flat (or of the building's common parts) as a report of
    ``segnalazioni`` in the building's category for its gestore, take it in charge and
    forward it to the category's office (which gets the e-mail), all or nothing. The
    report's workflow follows it from there: the gestore's answer closes it.

    The consent is the desk's: the operator has given the notice to the household."""
    if immobile.categoria_problemi_id is None:
        raise ErroreDominio(
            _(
                "L'immobile non ha una categoria per i problemi da inoltrare al gestore: "
                "la imposta il coordinatore nell'amministrazione."
            )
        )
    if alloggio is not None and alloggio.immobile_id != immobile.pk:
        raise ErroreDominio(_("L'alloggio non è di questo immobile."))
    intestatario = (
        nucleo.componenti.filter(intestatario=True).select_related("persona").first()
        if nucleo is not None
        else None
    )
    luogo = immobile.indirizzo
    if alloggio is not None and alloggio.scala:
        luogo = f"{luogo}, {_('scala')} {alloggio.scala}"
    dati = {
        "categoria_id": immobile.categoria_problemi_id,
        "quartiere_id": immobile.quartiere_id,
        "tipo": Segnalazione.Tipo.PROBLEMA,
        "oggetto": oggetto,
        "descrizione": descrizione,
        "indirizzo": luogo,
        "canale": canale,
        "persona": intestatario.persona if intestatario else None,
        "consenso_privacy": True,
    }
    with transaction.atomic():
        segnalazione = servizi_segnalazioni.crea_allo_sportello(dati=dati, da=da)
        problema = Problema.objects.create(
            segnalazione=segnalazione,
            immobile=immobile,
            alloggio=alloggio,
            nucleo=nucleo,
            ambito=ambito,
        )
        servizi_segnalazioni.prendi_in_carico(segnalazione, da=da)
        servizi_segnalazioni.cambia_stato(
            segnalazione,
            Segnalazione.Stato.INOLTRATA,
            da=da,
            nota=_("Problema dell'alloggio %(alloggio)s, %(immobile)s")
            % {"alloggio": alloggio.codice if alloggio else "—", "immobile": immobile.nome},
        )
    return problema


def sposta(
    nucleo: Nucleo,
    *,
    da: Alloggio,
    a: Alloggio,
    il: datetime.date,
    rientro_previsto: datetime.date | None = None,
    note: str = "",
) -> Spostamento:
    """Move ``nucleo`` for the works from its flat ``da`` to the free flat ``a`` on ``il``:
    ``a`` becomes occupied, ``da`` under renovation, in one transaction with both flats
    locked (in a fixed order, so two moves never wait for each other)."""
    if da.pk == a.pk:
        raise ErroreDominio(_("L'alloggio temporaneo è un altro."))
    with transaction.atomic():
        bloccati = Alloggio.objects.select_for_update().filter(pk__in=[da.pk, a.pk]).order_by("pk")
        origine = da.pk
        da, a = sorted(bloccati, key=lambda x: x.pk != origine)  # the flats as locked now
        if a.stato not in STATI_LIBERI:
            raise ErroreDominio(
                _("L'alloggio %(codice)s non è libero: è «%(stato)s».")
                % {"codice": a.codice, "stato": a.get_stato_display()}
            )
        altri = Assegnazione.objects.filter(alloggio=da, stato__in=STATI_CORRENTI).exclude(
            nucleo=nucleo
        )
        if altri.exists():
            raise ErroreDominio(
                _("L'alloggio %(codice)s è assegnato a un altro nucleo.") % {"codice": da.codice}
            )
        spostamento = Spostamento(
            nucleo=nucleo,
            da_alloggio=da,
            a_alloggio=a,
            uscita_il=il,
            rientro_previsto_il=rientro_previsto,
            note=note,
        )
        spostamento._change_reason = _("Trasferimento temporaneo")
        try:
            with transaction.atomic():
                spostamento.save()
        except IntegrityError as errore:
            raise ErroreDominio(_("Il nucleo ha già uno spostamento in corso.")) from errore
        _salva_alloggio(a, L.OCCUPATO, _("Ospita temporaneamente %(n)s") % {"n": nucleo})
        _salva_alloggio(da, L.IN_RISTRUTTURAZIONE, _("Lavori: nucleo trasferito"))
    return spostamento


def rientra(spostamento: Spostamento, *, il: datetime.date) -> Spostamento:
    """The household goes back to its renovated flat on ``il``: the temporary flat is free
    again, the household's flat occupied (or available if it holds no current assignment)."""
    with transaction.atomic():
        alloggi = {
            x.pk: x
            for x in Alloggio.objects.select_for_update()
            .filter(pk__in=[spostamento.da_alloggio_id, spostamento.a_alloggio_id])
            .order_by("pk")
        }
        spostamento = Spostamento.objects.select_for_update().get(pk=spostamento.pk)
        if spostamento.rientrato_il is not None:
            raise ErroreDominio(_("Il nucleo è già rientrato."))
        if il < spostamento.uscita_il:
            raise ErroreDominio(
                _("La data non può precedere quella del trasferimento (%(data)s).")
                % {"data": spostamento.uscita_il.strftime("%d/%m/%Y")}
            )
        spostamento.rientrato_il = il
        spostamento.versione += 1
        spostamento._change_reason = _("Rientro")
        spostamento.save(update_fields=["rientrato_il", "versione"])
        da = alloggi[spostamento.da_alloggio_id]
        abitata = Assegnazione.objects.filter(
            alloggio=da, nucleo=spostamento.nucleo_id, stato=StatoAssegnazione.ABITATA
        ).exists()
        _salva_alloggio(
            alloggi[spostamento.a_alloggio_id], L.DISPONIBILE, _("Fine dell'ospitalità temporanea")
        )
        _salva_alloggio(da, L.OCCUPATO if abitata else L.DISPONIBILE, _("Rientro del nucleo"))
    return spostamento


def regole_in_vigore(immobile: Immobile, il: datetime.date) -> Regolamento | None:
    """The version of the building's rules in force on ``il``: the latest one whose date
    has come (drafts have none)."""
    return (
        immobile.regolamenti.filter(in_vigore_dal__lte=il)
        .order_by("-in_vigore_dal", "-numero")
        .first()
    )


def aderisci(nucleo: Nucleo, *, il: datetime.date) -> Adesione:
    """Record the household's adhesion, on ``il``, to the rules in force in the building of
    its current flat."""
    corrente = (
        nucleo.assegnazioni.filter(stato__in=STATI_CORRENTI)
        .select_related("alloggio__immobile")
        .first()
    )
    if corrente is None:
        raise ErroreDominio(_("Il nucleo non ha un alloggio."))
    regolamento = regole_in_vigore(corrente.alloggio.immobile, il)
    if regolamento is None:
        raise ErroreDominio(_("Nell'immobile non ci sono regole condivise in vigore."))
    adesione = Adesione(regolamento=regolamento, nucleo=nucleo, il=il)
    try:
        with transaction.atomic():
            adesione.save()
    except IntegrityError as errore:
        raise ErroreDominio(
            _("Il nucleo ha già aderito a questa versione delle regole.")
        ) from errore
    return adesione
