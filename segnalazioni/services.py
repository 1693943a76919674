"""Every state change of a report.

Each function checks its guard (raising :class:`~quartiere.lib.errori.ErroreDominio` with a
message for the user), works inside one transaction with the report's row locked, saves
with ``update_fields``, writes the timeline entry, and schedules e-mail after commit. Filing
a new report saves the report (its history row follows from simple-history's ``post_save``)
and its first timeline entry in one transaction (:func:`crea_segnalazione`). The views, the
bulk actions, the admin and the Open311 API all call these functions.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

from django.conf import settings
from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import transaction
from django.db.models import F, Q, QuerySet
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from quartiere.lib.errori import ErroreDominio
from quartiere.lib.text import normalizza_ricerca
from quartiere.privacy.models import Informativa
from segnalazioni import allegati as gestione_allegati
from segnalazioni.models import (
    Esito,
    Evento,
    InvioEmail,
    Ricevuta,
    Segnalazione,
    Stato,
)
from segnalazioni.tasks import accoda_invio

# The workflow, in one place: from each status, where an operator may take a report.
# Coordinators may force any other move (see ``transizioni_ammesse``).
TRANSIZIONI: dict[str, frozenset[str]] = {
    Stato.NUOVA: frozenset({Stato.PRESA_IN_CARICO, Stato.CHIUSA}),
    Stato.PRESA_IN_CARICO: frozenset({Stato.INOLTRATA, Stato.IN_LAVORAZIONE, Stato.CHIUSA}),
    Stato.INOLTRATA: frozenset({Stato.IN_LAVORAZIONE, Stato.CHIUSA}),
    Stato.IN_LAVORAZIONE: frozenset({Stato.INOLTRATA, Stato.CHIUSA}),
    # Reopening puts the report back in the hands of the staff.
    Stato.CHIUSA: frozenset({Stato.PRESA_IN_CARICO}),
}

RAGGIO_DOPPIONI_M = 100


def puo_forzare(user) -> bool:
    return bool(user and user.has_perm("segnalazioni.override_segnalazione"))


def transizioni_ammesse(stato: str, user=None) -> list[str]:
    """The statuses ``user`` may move a report to from ``stato``, in workflow order."""
    forzabili = set(Stato.values) - {stato}
    ammessi = forzabili if puo_forzare(user) else set(TRANSIZIONI.get(stato, ()))
    return [s for s in Stato.values if s in ammessi]


def _verifica_permesso(segnalazione: Segnalazione, da) -> None:
    if da is None or not da.has_perm("segnalazioni.change_segnalazione", segnalazione):
        raise ErroreDominio(_("Non puoi modificare questa segnalazione."))


def _blocca(segnalazione: Segnalazione, versione_letta: int | None) -> Segnalazione:
    """Lock the row and refuse the change if someone saved it since ``versione_letta``."""
    attuale = Segnalazione.objects.select_for_update().get(pk=segnalazione.pk)
    if versione_letta is not None and attuale.versione != versione_letta:
        raise ErroreDominio(
            _(
                "Qualcun altro ha modificato questa segnalazione dopo che l'avevi aperta: "
                "ricarica la pagina e controlla prima di ripetere l'operazione."
            )
        )
    return attuale


def _salva(segnalazione: Segnalazione, campi: Iterable[str], motivo: str) -> None:
    # The row is locked by ``_blocca``: a plain increment is safe.
    segnalazione.versione += 1
    segnalazione._change_reason = motivo
    segnalazione.save(update_fields={*campi, "versione"})


def _nuovo_evento(segnalazione_id, tipo, da, **campi) -> Evento:
    return Evento(
        segnalazione_id=segnalazione_id,
        tipo=tipo,
        autore=da if getattr(da, "is_authenticated", False) else None,
        **campi,
    )


def _evento(segnalazione, tipo, da, **campi) -> Evento:
    evento = _nuovo_evento(segnalazione.pk, tipo, da, **campi)
    evento.segnalazione = segnalazione
    evento.save(force_insert=True)
    return evento


# --- E-mail ----------------------------------------------------------------------------------


def url_assoluto(percorso: str) -> str:
    return f"{settings.SITE_URL}{percorso}"


def accoda_email(
    segnalazione: Segnalazione, motivo: str, destinatario: str, template: str, contesto: dict
) -> InvioEmail | None:
    """Write the e-mail to the outbox and deliver it after commit."""
    if not destinatario:
        return None
    with translation.override("it"):
        contesto = {
            "segnalazione": segnalazione,
            "comune": settings.COMUNE_NOME,
            "url_segui": url_assoluto(segnalazione.get_tracking_url()),
            **contesto,
        }
        testo = render_to_string(f"segnalazioni/email/{template}.txt", contesto)
    oggetto, _vuota, corpo = testo.strip().partition("\n")
    invio = InvioEmail.objects.create(
        segnalazione=segnalazione,
        motivo=motivo,
        destinatario=destinatario,
        oggetto=oggetto.strip()[:250],
        corpo=corpo.strip() + "\n",
    )
    transaction.on_commit(lambda: accoda_invio(invio.pk))
    return invio


def reinvia_email(invio: InvioEmail, *, da) -> None:
    """Staff try again an e-mail that ran out of automatic attempts."""
    _verifica_permesso(invio.segnalazione, da)
    if invio.stato == InvioEmail.Stato.INVIATA:
        raise ErroreDominio(_("Questa e-mail è già stata inviata."))
    with transaction.atomic():
        InvioEmail.objects.filter(pk=invio.pk).update(
            stato=InvioEmail.Stato.IN_CODA, tentativi=0, prossimo_tentativo=None
        )
        transaction.on_commit(lambda: accoda_invio(invio.pk))


# --- Filing -----------------------------------------------------------------------------------


def crea_segnalazione(*, dati: dict, allegati: Iterable = (), da=None) -> Segnalazione:
    """File a report.

    ``dati`` holds the model fields (categoria, quartiere, tipo, oggetto, descrizione,
    indirizzo, lat, lon, canale, persona, contact fields, consenso_privacy...);
    ``allegati`` are uploaded files already checked by the form; ``da`` is the operator
    at the desk, or ``None`` for the public form and the API. The receipt e-mail goes to
    the citizen's address when there is one.
    """
    dati = dict(dati)
    if not dati.get("indirizzo") and (dati.get("lat") is None or dati.get("lon") is None):
        raise ErroreDominio(_("Indica un indirizzo o un punto sulla mappa."))
    if not dati.get("consenso_privacy"):
        raise ErroreDominio(_("Serve il consenso al trattamento dei dati."))
    allegati = list(allegati)
    if len(allegati) > 3:
        raise ErroreDominio(_("Si possono allegare al massimo 3 file."))
    ora = timezone.now()
    dati.setdefault("consenso_il", ora)
    if "informativa_versione" not in dati:
        dati["informativa_versione"] = Informativa.versione_corrente()
    segnalazione = Segnalazione(**dati)
    segnalazione._change_reason = _("Segnalazione ricevuta")
    if getattr(da, "is_authenticated", False):
        # simple-history takes the user from the request; a service may run without one.
        segnalazione._history_user = da
    email = segnalazione.email_contatto
    # Through Model.save(), so that every pre_save/post_save receiver runs for every
    # channel (simple-history's writes the history row); all of it or nothing.
    with transaction.atomic():
        segnalazione.save(force_insert=True)
        _evento(
            segnalazione,
            Evento.Tipo.CREAZIONE,
            da,
            stato_a=Stato.NUOVA,
            testo=_("Ricevuta tramite canale: %(canale)s")
            % {"canale": segnalazione.get_canale_display()},
        )
        for caricato in allegati:
            gestione_allegati.crea_allegato(segnalazione, caricato, da=da)
        accoda_email(segnalazione, InvioEmail.Motivo.RICEVUTA, email, "ricevuta", {})
    return segnalazione


def crea_allo_sportello(
    *, dati: dict, nuova_persona=None, allegati: Iterable = (), da
) -> Segnalazione:
    """Desk intake: file a report on behalf of a citizen, registering ``nuova_persona``
    (an unsaved :class:`~quartiere.registro.models.Persona`, consent given at the desk) first when
    given. Raises :class:`ErroreDominio` like :func:`crea_segnalazione`."""
    if not da.has_perm("segnalazioni.add_segnalazione"):
        raise ErroreDominio(_("Non puoi registrare segnalazioni."))
    with transaction.atomic():
        if nuova_persona is not None:
            nuova_persona.consenso_privacy = True
            nuova_persona.consenso_data = timezone.localdate()
            nuova_persona.informativa_versione = Informativa.versione_corrente()
            nuova_persona.save()
            dati = {**dati, "persona": nuova_persona}
        return crea_segnalazione(dati=dati, allegati=allegati, da=da)


# --- Workflow --------------------------------------------------------------------------------


def cambia_stato(
    segnalazione: Segnalazione,
    nuovo: str,
    *,
    da,
    esito: str = "",
    nota: str = "",
    versione_letta: int | None = None,
) -> Segnalazione:
    """Move a report to ``nuovo``.

    Closing needs an ``esito`` (not "duplicata": use :func:`segna_duplicato`); reopening
    clears it. Moving to "inoltrata" e-mails the category's office. Moves outside
    :data:`TRANSIZIONI` are allowed only to coordinators and are marked as forced.
    Raises :class:`ErroreDominio` on a forbidden move, a missing outcome or a stale
    ``versione_letta``.
    """
    _verifica_permesso(segnalazione, da)
    if nuovo not in Stato.values:
        raise ErroreDominio(_("Stato sconosciuto."))
    with transaction.atomic():
        s = _blocca(segnalazione, versione_letta)
        if nuovo == s.stato:
            raise ErroreDominio(
                _("La segnalazione è già nello stato «%(stato)s».")
                % {"stato": s.get_stato_display()}
            )
        forzato = nuovo not in TRANSIZIONI[s.stato]
        if forzato and not puo_forzare(da):
            raise ErroreDominio(
                _("Da «%(da)s» non si può passare a «%(a)s».")
                % {"da": s.get_stato_display(), "a": Stato(nuovo).label}
            )
        if nuovo == Stato.CHIUSA:
            if esito not in Esito.values:
                raise ErroreDominio(_("Per chiudere la segnalazione indica l'esito."))
            if esito == Esito.DUPLICATA and not s.duplicato_di_id:
                raise ErroreDominio(_("Per chiuderla come duplicata usa «Segna come duplicato»."))
        elif esito:
            raise ErroreDominio(_("L'esito si indica solo alla chiusura."))
        precedente = s.stato
        s.stato = nuovo
        campi = {"stato"}
        if nuovo == Stato.CHIUSA:
            s.esito, s.chiusa_il = esito, timezone.now()
            campi |= {"esito", "chiusa_il"}
        elif precedente == Stato.CHIUSA:
            s.esito, s.chiusa_il = "", None
            s.duplicato_di = None
            campi |= {"esito", "chiusa_il", "duplicato_di"}
        _salva(s, campi, _("Cambio di stato"))
        _evento(
            s,
            Evento.Tipo.CAMBIO_STATO,
            da,
            stato_da=precedente,
            stato_a=nuovo,
            esito=s.esito,
            forzato=forzato,
            testo=nota,
        )
        if nuovo == Stato.INOLTRATA:
            _inoltra_all_ufficio(s, da, nota)
    _aggiorna(segnalazione, s)
    return segnalazione


def _aggiorna(originale: Segnalazione, aggiornata: Segnalazione) -> None:
    for campo in ("stato", "esito", "chiusa_il", "versione", "duplicato_di_id", "assegnata_a_id"):
        setattr(originale, campo, getattr(aggiornata, campo))


def _inoltra_all_ufficio(s: Segnalazione, da, nota: str) -> None:
    ufficio = s.categoria.ufficio
    _evento(
        s,
        Evento.Tipo.INOLTRO,
        da,
        testo=_("Inoltrata a %(ufficio)s <%(email)s>")
        % {"ufficio": ufficio, "email": ufficio.email},
    )
    accoda_email(
        s,
        InvioEmail.Motivo.INOLTRO,
        ufficio.email,
        "inoltro",
        {"ufficio": ufficio, "nota": nota, "url_scheda": url_assoluto(s.get_absolute_url())},
    )


def prendi_in_carico(segnalazione, *, da, versione_letta=None):
    return cambia_stato(segnalazione, Stato.PRESA_IN_CARICO, da=da, versione_letta=versione_letta)


def chiudi(segnalazione, esito, *, da, nota="", versione_letta=None):
    return cambia_stato(
        segnalazione, Stato.CHIUSA, da=da, esito=esito, nota=nota, versione_letta=versione_letta
    )


def riapri(segnalazione, *, da, nota="", versione_letta=None):
    return cambia_stato(
        segnalazione, Stato.PRESA_IN_CARICO, da=da, nota=nota, versione_letta=versione_letta
    )


def assegna(segnalazione: Segnalazione, utente, *, da, versione_letta=None) -> Segnalazione:
    """Give the report to ``utente`` (``None`` to clear). The assignee must be staff who
    can work on it."""
    _verifica_permesso(segnalazione, da)
    if utente is not None and not utente.has_perm("segnalazioni.change_segnalazione", segnalazione):
        raise ErroreDominio(
            _("%(utente)s non lavora sulle segnalazioni di questo quartiere.")
            % {"utente": utente.get_full_name() or utente.username}
        )
    with transaction.atomic():
        s = _blocca(segnalazione, versione_letta)
        if s.assegnata_a_id == (utente.pk if utente else None):
            return segnalazione
        s.assegnata_a = utente
        _salva(s, {"assegnata_a"}, _("Assegnazione"))
        testo = (
            _("Assegnata a %(utente)s") % {"utente": utente.get_full_name() or utente.username}
            if utente
            else _("Assegnazione rimossa")
        )
        _evento(s, Evento.Tipo.ASSEGNAZIONE, da, testo=testo)
    _aggiorna(segnalazione, s)
    return segnalazione


def aggiungi_nota(segnalazione: Segnalazione, testo: str, *, da) -> Evento:
    """An internal note: staff only, never shown to the citizen."""
    _verifica_permesso(segnalazione, da)
    testo = (testo or "").strip()
    if not testo:
        raise ErroreDominio(_("Scrivi il testo della nota."))
    with transaction.atomic():
        return _evento(segnalazione, Evento.Tipo.NOTA_INTERNA, da, testo=testo)


def rispondi(segnalazione: Segnalazione, testo: str, *, da) -> Evento:
    """A public reply: shown on the tracking page and e-mailed to the citizen."""
    _verifica_permesso(segnalazione, da)
    testo = (testo or "").strip()
    if not testo:
        raise ErroreDominio(_("Scrivi il testo della risposta."))
    with transaction.atomic():
        evento = _evento(segnalazione, Evento.Tipo.RISPOSTA_PUBBLICA, da, testo=testo)
        accoda_email(
            segnalazione,
            InvioEmail.Motivo.RISPOSTA,
            segnalazione.email_contatto,
            "risposta",
            {"risposta": testo},
        )
    return evento


def segna_duplicato(
    segnalazione: Segnalazione, originale: Segnalazione, *, da, versione_letta=None
) -> Segnalazione:
    """Close ``segnalazione`` as a duplicate of ``originale``."""
    _verifica_permesso(segnalazione, da)
    if originale.pk == segnalazione.pk:
        raise ErroreDominio(_("Una segnalazione non può essere il duplicato di sé stessa."))
    if not da.has_perm("segnalazioni.view_segnalazione", originale):
        raise ErroreDominio(_("Segnalazione originale non trovata."))
    if originale.duplicato_di_id == segnalazione.pk:
        raise ErroreDominio(_("L'originale è già segnato come duplicato di questa."))
    with transaction.atomic():
        s = _blocca(segnalazione, versione_letta)
        if s.stato == Stato.CHIUSA:
            raise ErroreDominio(_("La segnalazione è già chiusa: riaprila prima."))
        precedente = s.stato
        s.duplicato_di = originale
        s.stato, s.esito, s.chiusa_il = Stato.CHIUSA, Esito.DUPLICATA, timezone.now()
        _salva(s, {"duplicato_di", "stato", "esito", "chiusa_il"}, _("Segnata come duplicato"))
        _evento(
            s,
            Evento.Tipo.DUPLICATO,
            da,
            testo=_("Duplicato di %(codice)s") % {"codice": originale.codice},
        )
        _evento(
            s,
            Evento.Tipo.CAMBIO_STATO,
            da,
            stato_da=precedente,
            stato_a=Stato.CHIUSA,
            esito=Esito.DUPLICATA,
            testo=_("La stessa questione è già seguita in un'altra segnalazione."),
        )
    _aggiorna(segnalazione, s)
    return segnalazione


def valuta(
    segnalazione: Segnalazione, voto: int, motivo: str = "", risposta: str = ""
) -> Segnalazione:
    """The citizen rates the service, once, after closure: the stars, the follow-up answer
    (the database checks it fits the stars), a comment."""
    with transaction.atomic():
        s = Segnalazione.objects.select_for_update().get(pk=segnalazione.pk)
        if s.stato != Stato.CHIUSA:
            raise ErroreDominio(_("Si può valutare il servizio solo a segnalazione chiusa."))
        if s.valutazione is not None:
            raise ErroreDominio(_("Questa segnalazione è già stata valutata. Grazie!"))
        if not 1 <= int(voto) <= 5:
            raise ErroreDominio(_("Il voto va da 1 a 5."))
        s.valutazione, s.valutazione_motivo, s.valutazione_risposta, s.valutata_il = (
            int(voto),
            motivo.strip(),
            risposta,
            timezone.now(),
        )
        _salva(
            s,
            {"valutazione", "valutazione_motivo", "valutazione_risposta", "valutata_il"},
            _("Valutazione"),
        )
        _evento(s, Evento.Tipo.VALUTAZIONE, None, testo=f"{s.valutazione}/5 {s.valutazione_motivo}")
    segnalazione.valutazione = s.valutazione
    return segnalazione


def modifica(form, *, da) -> Segnalazione:
    """Save the staff edit form (optimistic locking) and note the change on the timeline.

    Raises :class:`~quartiere.accesso.versioni.ConflittoModifica` when someone saved first.
    """
    segnalazione = form.instance
    _verifica_permesso(segnalazione, da)
    with transaction.atomic():
        cambiati = [
            str(form.fields[nome].label) for nome in form.changed_data if nome != "versione_letta"
        ]
        segnalazione._change_reason = _("Modifica dei dati")
        segnalazione = form.save_versioned()
        if cambiati:
            _evento(
                segnalazione,
                Evento.Tipo.MODIFICA,
                da,
                testo=_("Campi modificati: %(campi)s") % {"campi": ", ".join(cambiati)},
            )
    return segnalazione


def aggiungi_allegati(segnalazione: Segnalazione, allegati: Iterable, *, da) -> None:
    _verifica_permesso(segnalazione, da)
    with transaction.atomic():
        for caricato in allegati:
            gestione_allegati.crea_allegato(segnalazione, caricato, da=da)


# --- Receipt ---------------------------------------------------------------------------------


def dati_ricevuta(s: Segnalazione, *, operatore: str = "") -> dict:
    """What a receipt prints, in Italian (a document of the Comune): issued at the desk by
    ``operatore``, or by the online service without one."""
    persona = s.persona
    with translation.override("it"):
        return {
            "codice": s.codice,
            "ricevuta_il": timezone.localtime(s.creata_il).strftime("%d/%m/%Y %H:%M"),
            "tipo": str(s.get_tipo_display()),
            "categoria": s.categoria.nome,
            "ufficio": s.categoria.ufficio.nome,
            "quartiere": s.quartiere.nome,
            "oggetto": s.oggetto,
            "descrizione": s.descrizione,
            "indirizzo": s.indirizzo,
            "canale": str(s.get_canale_display()),
            "scadenza": s.scadenza.strftime("%d/%m/%Y"),
            "cittadino": (persona.nome_completo if persona else s.nome_segnalante),
            "url_segui": url_assoluto(s.get_tracking_url()),
            "operatore": operatore,
            "comune": settings.COMUNE_NOME,
        }


def emetti_ricevuta(segnalazione: Segnalazione, *, da) -> Ricevuta:
    """Issue a receipt: a snapshot of what it prints, so later edits do not rewrite it."""
    if not da.has_perm("segnalazioni.view_segnalazione", segnalazione):
        raise ErroreDominio(_("Non puoi vedere questa segnalazione."))
    dati = dati_ricevuta(segnalazione, operatore=da.get_full_name() or da.username)
    return Ricevuta.objects.create(segnalazione=segnalazione, dati=dati, emessa_da=da)


def pdf_ricevuta(ricevuta: Ricevuta) -> bytes:
    return pdf_dati_ricevuta(ricevuta.dati, ricevuta.emessa_il)


def pdf_dati_ricevuta(dati: dict, emessa_il) -> bytes:
    """The receipt as PDF, with the QR code of the tracking page to photograph."""
    from weasyprint import HTML

    from quartiere.lib import qr

    with translation.override("it"):
        html = render_to_string(
            "segnalazioni/pdf/ricevuta.html",
            {
                "d": dati,
                "emessa_il": timezone.localtime(emessa_il),
                "qr": qr.data_uri(dati["url_segui"]),
            },
        )
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()


# --- Possible duplicates -----------------------------------------------------------------------


def distanza_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    r = 6_371_000
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * r * math.asin(math.sqrt(a))


def possibili_doppioni(
    queryset: QuerySet,
    *,
    categoria_id=None,
    quartiere_id=None,
    lat=None,
    lon=None,
    indirizzo: str = "",
    testo: str = "",
    escludi: int | None = None,
    limite: int = 10,
) -> list[Segnalazione]:
    """Open reports that may be the same matter.

    Same category within ~100 m or at the same address, or similar words in the same
    quartiere. ``queryset`` must already be scoped to what the user may see; the result
    is at most ``limite`` reports, with a ``motivo_doppione`` attribute.
    """
    base = queryset.aperte().select_related("categoria", "quartiere")
    if escludi:
        base = base.exclude(pk=escludi)
    trovati: dict[int, Segnalazione] = {}
    vicino = Q(pk__in=[])
    if categoria_id and lat is not None and lon is not None:
        dlat = RAGGIO_DOPPIONI_M / 111_320
        dlon = dlat / max(math.cos(math.radians(lat)), 0.01)
        vicino = Q(
            categoria_id=categoria_id,
            lat__range=(lat - dlat, lat + dlat),
            lon__range=(lon - dlon, lon + dlon),
        )
    stesso_indirizzo = Q(pk__in=[])
    indirizzo = " ".join((indirizzo or "").split())
    if categoria_id and indirizzo:
        stesso_indirizzo = Q(categoria_id=categoria_id, indirizzo__iexact=indirizzo)
    for s in base.filter(vicino | stesso_indirizzo).order_by("-creata_il")[: limite * 3]:
        if s.indirizzo.lower() == indirizzo.lower() and indirizzo:
            s.motivo_doppione = _("stesso indirizzo")
        elif s.ha_punto and distanza_m(lat, lon, s.lat, s.lon) <= RAGGIO_DOPPIONI_M:
            s.motivo_doppione = _("a meno di 100 metri")
        else:
            continue
        trovati[s.pk] = s
    parole = [p for p in normalizza_ricerca(testo).split() if len(p) >= 4][:12]
    if parole and quartiere_id and len(trovati) < limite:
        domanda = SearchQuery(parole[0], config="italian")
        for parola in parole[1:]:
            domanda |= SearchQuery(parola, config="italian")
        simili = (
            base.filter(quartiere_id=quartiere_id, ricerca_vettore=domanda)
            .exclude(pk__in=list(trovati))
            .annotate(rilevanza=SearchRank(F("ricerca_vettore"), domanda))
            .filter(rilevanza__gte=0.05)
            .order_by("-rilevanza", "-creata_il")[: limite - len(trovati)]
        )
        for s in simili:
            s.motivo_doppione = _("testo simile")
            trovati[s.pk] = s
    return list(trovati.values())[:limite]
