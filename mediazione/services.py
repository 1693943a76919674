"""Every change to a mediation dossier, and the access log.

Each service checks its guard (raising :class:`ErroreDominio` with a message for the
user), works inside one transaction with the dossier row locked, saves with
``update_fields`` and writes an :class:`AccessoDossier` entry. Reads (page, PDF,
export, admin) go through :func:`registra_accesso` too. Views, the admin and the
commands all call these functions, so a rule holds everywhere.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from datetime import date

from django.db import transaction
from django.db.models import F, Prefetch
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from mediazione.models import (
    FASI_APERTE,
    AccessoDossier,
    Accordo,
    Attivita,
    ContatoreDossier,
    Dossier,
    Esito,
    Fase,
    Parte,
)
from mediazione.rules import precarica_mediatori
from quartiere.accesso.versioni import salva_versionato
from quartiere.lib.errori import ErroreDominio

Azione = AccessoDossier.Azione
TESTO_ANONIMIZZATO = "[anonimizzato]"

# Recording one of these activities moves the dossier forward to the phase (never back).
_FASE_DA_ATTIVITA = {
    Attivita.Tipo.INCONTRO_CONGIUNTO: Fase.INCONTRO_CONGIUNTO,
    Attivita.Tipo.VERIFICA: Fase.VERIFICA,
}


def _ordine(fase: str) -> int:
    return Fase.values.index(fase)


def indirizzo_ip(request) -> str | None:
    """The client address as the server saw it (a proxy must set REMOTE_ADDR right)."""
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None


def registra_accesso(
    dossier: Dossier | Iterable[Dossier],
    *,
    utente,
    azione: str,
    request=None,
    dettaglio: str = "",
) -> None:
    """Append one access-log entry per dossier. ``dettaglio`` never holds personal data."""
    elenco = [dossier] if isinstance(dossier, Dossier) else list(dossier)
    if not elenco:
        return
    quando = timezone.now()
    ip = indirizzo_ip(request)
    utente_id = utente.pk if utente is not None and utente.is_authenticated else None
    nome = utente.get_username() if utente_id else ""
    AccessoDossier.objects.bulk_create(
        [
            AccessoDossier(
                dossier_id=d.pk,
                utente_id=utente_id,
                nome_utente=nome,
                quando=quando,
                azione=azione,
                dettaglio=dettaglio[:200],
                indirizzo_ip=ip,
            )
            for d in elenco
        ]
    )


def _prossimo_progressivo(anno: int) -> int:
    """Take the next number of ``anno`` under a row lock (call inside a transaction).

    The counter row is created if missing (ON CONFLICT DO NOTHING, so two first
    dossiers of a year do not collide), then locked: a concurrent opening waits for
    this transaction, and a rollback gives the number back, so there are no gaps.
    """
    ContatoreDossier.objects.bulk_create(
        [ContatoreDossier(anno=anno, ultimo=0)], ignore_conflicts=True
    )
    contatore = ContatoreDossier.objects.select_for_update().get(anno=anno)
    contatore.ultimo += 1
    contatore.save(update_fields=["ultimo"])
    return contatore.ultimo


def apri_dossier(
    *,
    da,
    quartiere,
    tipo_conflitto: str,
    canale_arrivo: str,
    descrizione: str = "",
    mediatori: Iterable = (),
    segnalazione=None,
    aperto_il: date | None = None,
    request=None,
) -> Dossier:
    """Open a dossier numbered ``MED-<year>-<nnnn>`` in the year of ``aperto_il``.

    A mediator who opens a dossier is always among its mediators (else they could not
    read what they just wrote). Raises :class:`ErroreDominio` when nobody would be
    assigned or the date is in the future.
    """
    from quartiere.accesso.policy import is_mediatore

    aperto_il = aperto_il or timezone.localdate()
    if aperto_il > timezone.localdate():
        raise ErroreDominio(_("La data di apertura non può essere nel futuro."))
    assegnati = {u.pk: u for u in mediatori}
    if is_mediatore(da):
        assegnati.setdefault(da.pk, da)
    if not assegnati:
        raise ErroreDominio(_("Assegna il dossier ad almeno un mediatore."))
    with transaction.atomic():
        progressivo = _prossimo_progressivo(aperto_il.year)
        dossier = Dossier(
            numero=Dossier.formatta_numero(aperto_il.year, progressivo),
            anno=aperto_il.year,
            progressivo=progressivo,
            quartiere=quartiere,
            tipo_conflitto=tipo_conflitto,
            canale_arrivo=canale_arrivo,
            descrizione=descrizione,
            segnalazione=segnalazione,
            aperto_il=aperto_il,
            creato_da=da,
        )
        dossier.save()
        dossier.mediatori.set(list(assegnati.values()))
        registra_accesso(dossier, utente=da, azione=Azione.CREAZIONE, request=request)
    return dossier


def _blocca(dossier: Dossier) -> Dossier:
    return Dossier.objects.select_for_update().get(pk=dossier.pk)


def _deve_essere_aperto(dossier: Dossier) -> None:
    if dossier.chiuso:
        raise ErroreDominio(
            _("Il dossier %(numero)s è chiuso: un coordinatore può riaprirlo.")
            % {"numero": dossier.numero}
        )


def _salva_dossier(dossier: Dossier, campi: list[str], motivo: str) -> None:
    dossier.versione += 1
    dossier._change_reason = motivo
    dossier.save(update_fields=[*campi, "versione"])


def modifica_dossier(form, *, da, request=None) -> Dossier:
    """Save the edit form of a dossier (optimistic locking through ``versione``).

    Raises :class:`quartiere.accesso.versioni.ConflittoModifica` when someone saved in the
    meantime and :class:`ErroreDominio` when the dossier is closed.
    """
    _deve_essere_aperto(Dossier.objects.get(pk=form.instance.pk))
    with transaction.atomic():
        dossier = salva_versionato(form, form.cleaned_data.get("versione_letta"))
        mediatori = form.cleaned_data.get("mediatori")
        if mediatori is not None and "mediatori" in form.changed_data:
            dossier.mediatori.set(list(mediatori))
            dossier.__dict__.pop("_mediatori_ids", None)
        registra_accesso(
            dossier,
            utente=da,
            azione=Azione.MODIFICA,
            request=request,
            dettaglio=_("dati del dossier: %(campi)s") % {"campi": ", ".join(form.changed_data)},
        )
    return dossier


def aggiungi_parte(
    dossier: Dossier,
    *,
    da,
    persona,
    ruolo: str,
    consenso_mediazione: bool = False,
    consenso_data: date | None = None,
    note: str = "",
    request=None,
) -> Parte:
    """Add a party. Raises :class:`ErroreDominio` if the person is already a party or the
    dossier is closed."""
    with transaction.atomic():
        dossier = _blocca(dossier)
        _deve_essere_aperto(dossier)
        if dossier.parti.filter(persona=persona).exists():
            raise ErroreDominio(_("Questa persona è già una parte del dossier."))
        if consenso_mediazione and consenso_data is None:
            consenso_data = timezone.localdate()
        parte = Parte.objects.create(
            dossier=dossier,
            persona=persona,
            ruolo=ruolo,
            consenso_mediazione=consenso_mediazione,
            consenso_data=consenso_data if consenso_mediazione else None,
            note=note,
        )
        registra_accesso(
            dossier,
            utente=da,
            azione=Azione.MODIFICA,
            request=request,
            dettaglio=_("aggiunta una parte (%(ruolo)s)") % {"ruolo": parte.get_ruolo_display()},
        )
    return parte


def modifica_parte(form, *, da, request=None) -> Parte:
    """Save the edit form of a party (consent, role, notes), versioned."""
    parte = form.instance
    with transaction.atomic():
        dossier = _blocca(parte.dossier)
        _deve_essere_aperto(dossier)
        if parte.consenso_mediazione and parte.consenso_data is None:
            parte.consenso_data = timezone.localdate()
        if not parte.consenso_mediazione:
            parte.consenso_data = None
        parte = salva_versionato(form, form.cleaned_data.get("versione_letta"))
        registra_accesso(
            dossier,
            utente=da,
            azione=Azione.MODIFICA,
            request=request,
            dettaglio=_("modificata una parte (%(ruolo)s)") % {"ruolo": parte.get_ruolo_display()},
        )
    return parte


def registra_attivita(
    dossier: Dossier,
    *,
    da,
    tipo: str,
    data: date,
    durata_minuti: int | None = None,
    partecipanti: Iterable[Parte] = (),
    note: str = "",
    non_condividere: bool = False,
    request=None,
) -> Attivita:
    """Record a dated activity in the dossier's timeline.

    A joint meeting or a verification moves the dossier forward to that phase; a
    verification also marks the agreement's verification as done. Raises
    :class:`ErroreDominio` for a closed dossier, a future date, participants of
    another dossier or a joint meeting marked as not to be shared.
    """
    partecipanti = list(partecipanti)
    if data > timezone.localdate():
        raise ErroreDominio(_("Registra le attività svolte: la data non può essere futura."))
    if non_condividere and tipo == Attivita.Tipo.INCONTRO_CONGIUNTO:
        raise ErroreDominio(
            _("Un incontro congiunto si svolge con tutte le parti: non può essere riservato.")
        )
    with transaction.atomic():
        dossier = _blocca(dossier)
        _deve_essere_aperto(dossier)
        if data < dossier.aperto_il:
            raise ErroreDominio(_("La data è precedente all'apertura del dossier."))
        if any(p.dossier_id != dossier.pk for p in partecipanti):
            raise ErroreDominio(_("I partecipanti devono essere parti di questo dossier."))
        nuova_fase = _FASE_DA_ATTIVITA.get(tipo)
        if nuova_fase and _ordine(nuova_fase) > _ordine(dossier.fase):
            dossier.fase = nuova_fase
            _salva_dossier(dossier, ["fase"], _("attività: %(tipo)s") % {"tipo": tipo})
        attivita = Attivita.objects.create(
            dossier=dossier,
            tipo=tipo,
            data=data,
            durata_minuti=durata_minuti,
            note=note,
            non_condividere=non_condividere,
            fase=dossier.fase,
            registrata_da=da,
        )
        attivita.partecipanti.set(partecipanti)
        accordo = None
        if tipo == Attivita.Tipo.VERIFICA:
            accordo = (
                Accordo.objects.select_for_update()
                .filter(dossier=dossier, verifica_svolta_il__isnull=True)
                .first()
            )
        if accordo is not None:
            accordo.verifica_svolta_il = data
            accordo.versione += 1
            accordo.save(update_fields=["verifica_svolta_il", "versione"])
        registra_accesso(
            dossier,
            utente=da,
            azione=Azione.MODIFICA,
            request=request,
            dettaglio=_("registrata attività: %(tipo)s") % {"tipo": attivita.get_tipo_display()},
        )
    return attivita


def cambia_fase(dossier: Dossier, fase: str, *, da, request=None) -> Dossier:
    """Move an open dossier to another open phase (closing goes through :func:`chiudi`)."""
    if fase not in FASI_APERTE:
        raise ErroreDominio(_("Per chiudere il dossier indica l'esito con «Chiudi»."))
    with transaction.atomic():
        dossier = _blocca(dossier)
        _deve_essere_aperto(dossier)
        if dossier.fase == fase:
            return dossier
        precedente = dossier.get_fase_display()
        dossier.fase = fase
        _salva_dossier(dossier, ["fase"], _("cambio di fase"))
        registra_accesso(
            dossier,
            utente=da,
            azione=Azione.MODIFICA,
            request=request,
            dettaglio=_("fase: %(da)s → %(a)s")
            % {"da": precedente, "a": dossier.get_fase_display()},
        )
    return dossier


def salva_accordo(form, dossier: Dossier, *, da, request=None) -> Accordo:
    """Write or revise the agreement (versioned) and move the dossier to the agreement
    phase if it was earlier. Raises :class:`ErroreDominio` for a closed dossier or
    adhering parties of another dossier."""
    with transaction.atomic():
        dossier = _blocca(dossier)
        _deve_essere_aperto(dossier)
        accordo = form.instance
        accordo.dossier = dossier
        if any(p.dossier_id != dossier.pk for p in form.cleaned_data.get("parti_aderenti", [])):
            raise ErroreDominio(_("Le parti dell'accordo devono essere parti di questo dossier."))
        nuovo = accordo.pk is None
        accordo = salva_versionato(form, form.cleaned_data.get("versione_letta"))
        if _ordine(dossier.fase) < _ordine(Fase.ACCORDO):
            dossier.fase = Fase.ACCORDO
            _salva_dossier(dossier, ["fase"], _("accordo"))
        registra_accesso(
            dossier,
            utente=da,
            azione=Azione.MODIFICA,
            request=request,
            dettaglio=_("accordo scritto") if nuovo else _("accordo modificato"),
        )
    return accordo


def chiudi(
    dossier: Dossier, *, esito: str, da, chiuso_il: date | None = None, request=None
) -> Dossier:
    """Close a dossier with its outcome. Raises :class:`ErroreDominio` without an outcome,
    when already closed or with a date before the opening."""
    if esito not in Esito.values:
        raise ErroreDominio(_("Per chiudere il dossier indica l'esito."))
    chiuso_il = chiuso_il or timezone.localdate()
    with transaction.atomic():
        dossier = _blocca(dossier)
        _deve_essere_aperto(dossier)
        if chiuso_il < dossier.aperto_il:
            raise ErroreDominio(_("La data di chiusura è precedente all'apertura."))
        dossier.fase_alla_chiusura = dossier.fase
        dossier.fase = Fase.CHIUSO
        dossier.esito = esito
        dossier.chiuso_il = chiuso_il
        _salva_dossier(dossier, ["fase", "fase_alla_chiusura", "esito", "chiuso_il"], _("chiusura"))
        registra_accesso(
            dossier,
            utente=da,
            azione=Azione.MODIFICA,
            request=request,
            dettaglio=_("chiuso: %(esito)s") % {"esito": dossier.get_esito_display()},
        )
    return dossier


def riapri(dossier: Dossier, *, da, motivo: str, request=None) -> Dossier:
    """A coordinator reopens a closed dossier in the phase it was closed in.

    Raises :class:`ErroreDominio` when the user is not a coordinator, the dossier is
    open or anonymised, or no reason is given."""
    from quartiere.accesso.policy import is_coordinatore

    if not is_coordinatore(da):
        raise ErroreDominio(_("Solo un coordinatore può riaprire un dossier."))
    motivo = " ".join((motivo or "").split())
    if not motivo:
        raise ErroreDominio(_("Indica il motivo della riapertura."))
    with transaction.atomic():
        dossier = _blocca(dossier)
        if not dossier.chiuso:
            raise ErroreDominio(_("Il dossier è già aperto."))
        if dossier.anonimizzato:
            raise ErroreDominio(_("Un dossier anonimizzato non si può riaprire."))
        dossier.fase = dossier.fase_alla_chiusura or Fase.VERIFICA
        dossier.esito = ""
        dossier.chiuso_il = None
        dossier.fase_alla_chiusura = ""
        _salva_dossier(
            dossier,
            ["fase", "fase_alla_chiusura", "esito", "chiuso_il"],
            _("riapertura: %(motivo)s") % {"motivo": motivo[:80]},
        )
        registra_accesso(
            dossier, utente=da, azione=Azione.MODIFICA, request=request, dettaglio=_("riaperto")
        )
    return dossier


# --- Documents ------------------------------------------------------------------------------


def dossier_completo(queryset):
    """``queryset`` with everything the detail page and the PDF show, in fixed queries."""
    return queryset.select_related(
        "quartiere", "creato_da", "segnalazione", "accordo"
    ).prefetch_related(
        "mediatori",
        Prefetch("parti", queryset=Parte.objects.select_related("persona")),
        Prefetch(
            "attivita",
            queryset=Attivita.objects.select_related("registrata_da").prefetch_related(
                Prefetch("partecipanti", queryset=Parte.objects.select_related("persona"))
            ),
        ),
        Prefetch("accordo__parti_aderenti", queryset=Parte.objects.select_related("persona")),
    )


def accordo_di(dossier: Dossier) -> Accordo | None:
    try:
        return dossier.accordo
    except Accordo.DoesNotExist:
        return None


def genera_pdf(dossier: Dossier, *, da, request=None) -> bytes:
    """The dossier as a PDF for the case file, marked "Riservato", with the timeline.
    Logged as a PDF access."""
    from weasyprint import HTML

    dossier = dossier_completo(Dossier.objects.filter(pk=dossier.pk)).get()
    with translation.override("it"):
        html = render_to_string(
            "mediazione/pdf/dossier.html",
            {
                "dossier": dossier,
                "accordo": accordo_di(dossier),
                "generato_il": timezone.localtime(),
                "generato_da": da,
            },
        )
    pdf = HTML(string=html).write_pdf()
    registra_accesso(dossier, utente=da, azione=Azione.PDF, request=request)
    return pdf


def _cella(valore) -> str:
    # Spreadsheets execute cells starting with these characters (CSV injection).
    testo = "" if valore is None else str(valore)
    return f"'{testo}" if testo[:1] in ("=", "+", "-", "@", "\t", "\r") else testo


def esporta_csv(queryset, *, da, request=None) -> str:
    """The dossiers of ``queryset`` (already scoped) as CSV, one row each; every exported
    dossier gets an export entry in the access log."""
    righe = list(
        queryset.select_related("quartiere").prefetch_related(
            precarica_mediatori(),
            Prefetch("parti", queryset=Parte.objects.select_related("persona")),
        )
    )
    uscita = io.StringIO()
    scrittore = csv.writer(uscita)
    scrittore.writerow(
        [
            _("numero"),
            _("quartiere"),
            _("tipo di conflitto"),
            _("arrivo"),
            _("fase"),
            _("esito"),
            _("aperto il"),
            _("chiuso il"),
            _("mediatori"),
            _("parti"),
        ]
    )
    for d in righe:
        scrittore.writerow(
            [
                _cella(v)
                for v in (
                    d.numero,
                    d.quartiere.nome,
                    d.get_tipo_conflitto_display(),
                    d.get_canale_arrivo_display(),
                    d.get_fase_display(),
                    d.get_esito_display(),
                    d.aperto_il.isoformat(),
                    d.chiuso_il.isoformat() if d.chiuso_il else "",
                    "; ".join(
                        u.get_full_name() or u.get_username() for u in d.mediatori_precaricati
                    ),
                    "; ".join(str(p) for p in d.parti.all()),
                )
            ]
        )
    registra_accesso(righe, utente=da, azione=Azione.ESPORTAZIONE, request=request)
    return uscita.getvalue()


# --- Retention ------------------------------------------------------------------------------


def soglia_conservazione(anni: int, oggi: date | None = None) -> date:
    """Dossiers closed before this date are past the retention period."""
    oggi = oggi or timezone.localdate()
    try:
        return oggi.replace(year=oggi.year - anni)
    except ValueError:  # 29 February
        return oggi.replace(year=oggi.year - anni, day=28)


def da_anonimizzare(anni: int, oggi: date | None = None):
    return Dossier.objects.chiusi().filter(
        chiuso_il__lt=soglia_conservazione(anni, oggi), anonimizzato_il__isnull=True
    )


def anonimizza(dossier: Dossier) -> bool:
    """Replace the personal data and notes of a closed dossier, in the dossier and in its
    history, keeping type, dates, phases and outcome for the statistics. Parties are
    unlinked from the registry (the shared ``Persona`` rows belong to the core and may be
    used elsewhere). Returns False if there was nothing to do."""
    with transaction.atomic():
        dossier = _blocca(dossier)
        if dossier.anonimizzato:
            return False
        if not dossier.chiuso:
            raise ErroreDominio(_("Si anonimizzano solo i dossier chiusi."))
        dossier.descrizione = ""
        dossier.segnalazione = None
        dossier.anonimizzato_il = timezone.now()
        _salva_dossier(
            dossier, ["descrizione", "segnalazione", "anonimizzato_il"], _("anonimizzazione")
        )
        # Bumping the versions refuses any edit form still open on the old content.
        Parte.objects.filter(dossier=dossier).update(
            persona=None, note="", versione=F("versione") + 1
        )
        Attivita.objects.filter(dossier=dossier).exclude(note="").update(note=TESTO_ANONIMIZZATO)
        Accordo.objects.filter(dossier=dossier).update(
            testo=TESTO_ANONIMIZZATO, versione=F("versione") + 1
        )
        # The history keeps every earlier version of the same text: scrub it too.
        Dossier.history.filter(id=dossier.pk).update(descrizione="", segnalazione=None)
        Parte.history.filter(dossier_id=dossier.pk).update(persona=None, note="")
        Attivita.history.filter(dossier_id=dossier.pk).exclude(note="").update(
            note=TESTO_ANONIMIZZATO
        )
        Accordo.history.filter(dossier_id=dossier.pk).update(testo=TESTO_ANONIMIZZATO)
        registra_accesso(dossier, utente=None, azione=Azione.ANONIMIZZAZIONE)
    return True
