"""Every state change of a pact: creation, status workflow, signature, renewal, PDF.

The allowed transitions live in :data:`TRANSIZIONI` and nowhere else; views, the admin,
the import and the demo data all go through :func:`cambia_stato`.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import Exists, F, OuterRef, Prefetch, prefetch_related_objects
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from patti.models import (
    STATI_CON_FIRMA,
    Firmatario,
    Impegno,
    Indicatore,
    Misurazione,
    PassaggioStato,
    Patto,
    Progetto,
    StatoPatto,
    TipoFirmatario,
)
from quartiere.lib.errori import ErroreDominio

S = StatoPatto

#: What a user is told when a signed pact's content is to change (the database refuses it).
PATTO_FIRMATO = gettext_lazy(
    "Il patto è firmato: testo, firmatari, impegni e progetti non cambiano più. "
    "Per cambiarli serve un atto integrativo o un rinnovo."
)

#: The pact workflow: from each status, the statuses it may move to.
TRANSIZIONI: dict[str, tuple[str, ...]] = {
    S.PROPOSTA: (S.ISTRUTTORIA, S.RESPINTO),
    S.ISTRUTTORIA: (S.CO_PROGETTAZIONE, S.APPROVATO, S.RESPINTO),
    S.CO_PROGETTAZIONE: (S.ISTRUTTORIA, S.APPROVATO, S.RESPINTO),
    S.APPROVATO: (S.FIRMATO, S.REVOCATO),
    S.FIRMATO: (S.IN_ATTUAZIONE, S.SOSPESO, S.REVOCATO),
    S.IN_ATTUAZIONE: (S.SOSPESO, S.CONCLUSO, S.REVOCATO),
    S.SOSPESO: (S.IN_ATTUAZIONE, S.CONCLUSO, S.REVOCATO),
    S.CONCLUSO: (),
    S.REVOCATO: (),
    S.RESPINTO: (),
    # Reached only by the signature of a supplementary act (:func:`integra`), never chosen.
    S.INTEGRATO: (),
}

#: Decisions of the administration: only who holds ``patti.approva_patto`` takes them.
STATI_DECISIONE = (S.APPROVATO, S.RESPINTO, S.REVOCATO)

#: Statuses from which a pact can be renewed.
STATI_RINNOVABILI = (S.FIRMATO, S.IN_ATTUAZIONE, S.CONCLUSO)

#: Statuses of a pact in force, which a supplementary act ("atto integrativo") can modify.
STATI_INTEGRABILI = (S.FIRMATO, S.IN_ATTUAZIONE, S.SOSPESO)

#: What a pact and its supplementary act share, copied when the act is started (the
#: renewal copies the same, dates aside).
CAMPI_COPIATI = (
    "tipo",
    "livello",
    "bene_materiale",
    "bene_immateriale",
    "bene_digitale",
    "beni_descrizione",
    "luogo",
    "lat",
    "lon",
    "finalita",
    "sostegno_materiali",
    "sostegno_spazi",
    "sostegno_formazione",
    "sostegno_rimborsi",
    "sostegno_assicurazione",
    "sostegno_esenzioni",
    "sostegno_note",
    "copertura_assicurativa",
)


def transizioni_da(stato: str) -> tuple[str, ...]:
    return TRANSIZIONI.get(stato, ())


def permesso_per(a_stato: str) -> str:
    """The permission a user needs to move a pact to ``a_stato``."""
    return "patti.approva_patto" if a_stato in STATI_DECISIONE else "patti.change_patto"


def prossimo_numero(anno: int) -> str:
    """The next free pact number of ``anno`` (``2026/007``)."""
    prefisso = f"{anno}/"
    numeri = Patto.objects.filter(numero__startswith=prefisso).values_list("numero", flat=True)
    massimo = 0
    for numero in numeri:
        coda = numero[len(prefisso) :]
        if coda.isdigit():
            massimo = max(massimo, int(coda))
    return f"{prefisso}{massimo + 1:03d}"


def crea_patto(patto: Patto, *, da, nota: str = "") -> Patto:
    """Save a new pact (status *proposta* unless set) with a number and its first history row.

    ``patto`` is an unsaved instance; a blank ``numero`` gets the next one of the year.
    """
    for _tentativo in range(5):
        try:
            with transaction.atomic():
                if not patto.numero:
                    patto.numero = prossimo_numero(timezone.localdate().year)
                patto.save()
                PassaggioStato.objects.create(
                    patto=patto, da_stato="", a_stato=patto.stato, da=da, nota=nota
                )
                return patto
        except IntegrityError:
            # Two pacts created at the same moment took the same number: take the next.
            patto.pk = None
            patto.numero = ""
    raise ErroreDominio(_("Non è stato possibile assegnare un numero al patto: riprova."))


def _controlla_firma(patto: Patto) -> None:
    tipi = list(patto.firmatari.values_list("tipo", flat=True))
    if TipoFirmatario.COMUNE not in tipi:
        raise ErroreDominio(_("Per firmare il patto serve il Comune tra i firmatari."))
    if len(tipi) < 2:
        raise ErroreDominio(_("Per firmare il patto serve almeno un firmatario oltre al Comune."))


def cambia_stato(
    patto: Patto,
    a_stato: str,
    *,
    da,
    nota: str = "",
    data_firma: datetime.date | None = None,
    atto_tipo: str = "",
    atto_numero: str = "",
    atto_data: datetime.date | None = None,
    controlla_permesso: bool = True,
) -> Patto:
    """Move ``patto`` to ``a_stato`` and record the step in its history.

    Approval needs the approval act (``atto_tipo``, ``atto_numero``, ``atto_data``) unless the
    pact already has one; signature needs the Comune and at least one other party, takes
    ``data_firma`` (default today) and freezes the printed document. Raises
    :class:`ErroreDominio` when the transition is not allowed, the user lacks the permission,
    or a requirement is missing.
    """
    with transaction.atomic():
        patto = Patto.objects.select_for_update().get(pk=patto.pk)
        if a_stato not in transizioni_da(patto.stato):
            raise ErroreDominio(
                _("Un patto «%(da)s» non può passare a «%(a)s».")
                % {"da": patto.get_stato_display(), "a": StatoPatto(a_stato).label}
            )
        if controlla_permesso and (da is None or not da.has_perm(permesso_per(a_stato), patto)):
            raise ErroreDominio(_("Non hai il permesso di portare il patto in questo stato."))
        campi = {"stato", "versione", "modificato_il"}
        if a_stato == S.APPROVATO:
            if atto_numero:
                patto.atto_tipo, patto.atto_numero, patto.atto_data = (
                    atto_tipo,
                    atto_numero,
                    atto_data,
                )
                campi |= {"atto_tipo", "atto_numero", "atto_data"}
            if not (patto.atto_tipo and patto.atto_numero and patto.atto_data):
                raise ErroreDominio(
                    _("Per approvare il patto indica l'atto di approvazione: tipo, numero e data.")
                )
        if a_stato == S.FIRMATO:
            _controlla_firma(patto)
            patto.data_firma = data_firma or patto.data_firma or timezone.localdate()
            campi.add("data_firma")
            if patto.data_inizio is None:
                patto.data_inizio = patto.data_firma
                campi.add("data_inizio")
        if a_stato in STATI_CON_FIRMA and patto.data_firma is None:
            raise ErroreDominio(_("Il patto non ha una data di firma."))
        da_stato = patto.stato
        patto.stato = a_stato
        patto.versione += 1
        if a_stato == S.FIRMATO:
            patto.documento_firmato = dati_documento(patto)
            campi.add("documento_firmato")
        patto._change_reason = f"{da_stato} → {a_stato}"
        patto.save(update_fields=campi)
        PassaggioStato.objects.create(
            patto=patto, da_stato=da_stato, a_stato=a_stato, da=da, nota=nota
        )
        if a_stato == S.FIRMATO and patto.integra_id is not None:
            _sostituisci(patto, da=da)
    return patto


def rinnova(patto: Patto, *, da, titolo: str = "") -> Patto:
    """Start the renewal of ``patto``: a new pact in *proposta* that renews it, starting from
    a copy of its signatories, their open commitments, its projects and indicators.

    Raises :class:`ErroreDominio` when ``patto`` was never signed or already has a renewal
    under way.
    """
    if patto.stato not in STATI_RINNOVABILI:
        raise ErroreDominio(_("Si può rinnovare solo un patto firmato, in attuazione o concluso."))
    with transaction.atomic():
        patto = Patto.objects.select_for_update().get(pk=patto.pk)
        if patto.rinnovi.exclude(stato__in=[S.RESPINTO, S.REVOCATO]).exists():
            raise ErroreDominio(_("Questo patto ha già un rinnovo."))
        nuovo = Patto(
            titolo=titolo or patto.titolo,
            quartiere_id=patto.quartiere_id,
            laboratorio_id=patto.laboratorio_id,
            rinnova=patto,
            stato=S.PROPOSTA,
        )
        for campo in CAMPI_COPIATI:
            setattr(nuovo, campo, getattr(patto, campo))
        if patto.data_fine:
            nuovo.data_inizio = patto.data_fine + datetime.timedelta(days=1)
        crea_patto(nuovo, da=da, nota=_("Rinnovo del patto %(numero)s") % {"numero": patto.numero})
        _copia_righe(patto, nuovo, monitoraggio=False)
    return nuovo


def _copia_righe(patto: Patto, nuovo: Patto, *, monitoraggio: bool) -> None:
    """Copy ``patto``'s signatories with their commitments, projects and indicators into
    ``nuovo``. A renewal starts its monitoring afresh; a supplementary act carries it on
    (``monitoraggio``: deadlines, what was done, progress, measurements)."""
    firmatari = list(patto.firmatari.prefetch_related("impegni"))
    copie = Firmatario.objects.bulk_create(
        [
            Firmatario(
                patto=nuovo,
                tipo=f.tipo,
                persona_id=f.persona_id,
                organizzazione_id=f.organizzazione_id,
                ufficio=f.ufficio,
                rappresentante=f.rappresentante,
                ordine=f.ordine,
            )
            for f in firmatari
        ]
    )
    Impegno.objects.bulk_create(
        [
            Impegno(
                firmatario=copia,
                descrizione=i.descrizione,
                scadenza=i.scadenza if monitoraggio else None,
                svolto=i.svolto if monitoraggio else False,
            )
            for originale, copia in zip(firmatari, copie, strict=True)
            for i in originale.impegni.all()
        ]
    )
    Progetto.objects.bulk_create(
        [
            Progetto(
                patto=nuovo,
                titolo=p.titolo,
                descrizione=p.descrizione,
                ambito=p.ambito,
                budget=p.budget,
                cofinanziamento=p.cofinanziamento,
                avanzamento=p.avanzamento if monitoraggio else 0,
            )
            for p in patto.progetti.all()
        ]
    )
    indicatori = list(patto.indicatori.prefetch_related("misurazioni"))
    nuovi = Indicatore.objects.bulk_create(
        [
            Indicatore(patto=nuovo, nome=i.nome, unita=i.unita, obiettivo=i.obiettivo)
            for i in indicatori
        ]
    )
    if monitoraggio:
        Misurazione.objects.bulk_create(
            [
                Misurazione(indicatore=copia, data=m.data, valore=m.valore, nota=m.nota)
                for originale, copia in zip(indicatori, nuovi, strict=True)
                for m in originale.misurazioni.all()
            ]
        )


def numero_integrazione(patto: Patto) -> str:
    """The number of the next supplementary act of ``patto``: the first pact's number and
    the act's ordinal (``2026/007-I2``), whichever act of the chain is amended."""
    radice = patto
    while radice.integra_id is not None:
        radice = radice.integra
    prefisso = f"{radice.numero}-I"
    usati = Patto.objects.filter(numero__startswith=prefisso).values_list("numero", flat=True)
    massimo = max(
        (int(n[len(prefisso) :]) for n in usati if n[len(prefisso) :].isdigit()), default=0
    )
    return f"{prefisso}{massimo + 1}"


def integra(patto: Patto, *, da, motivo: str) -> Patto:
    """Start a supplementary act ("atto integrativo") of the signed ``patto``: a new pact in
    *proposta*, with its own number, that copies the pact's content and monitoring and is
    changed, approved and signed like any pact. Its signature replaces ``patto``
    (:func:`cambia_stato`), which stays in the register as it was signed.

    ``motivo`` says what the act changes and why. Raises :class:`ErroreDominio` when
    ``patto`` is not in force or already has an act under way.
    """
    motivo = motivo.strip()
    if not motivo:
        raise ErroreDominio(_("Scrivi che cosa cambia l'atto integrativo e perché."))
    with transaction.atomic():
        patto = Patto.objects.select_for_update().get(pk=patto.pk)
        if patto.stato not in STATI_INTEGRABILI:
            raise ErroreDominio(
                _("Si può integrare solo un patto firmato, in attuazione o sospeso.")
            )
        if patto.integrazioni.exclude(stato__in=[S.RESPINTO, S.REVOCATO]).exists():
            raise ErroreDominio(_("Questo patto ha già un atto integrativo in corso."))
        nuovo = Patto(
            numero=numero_integrazione(patto),
            titolo=patto.titolo,
            quartiere_id=patto.quartiere_id,
            laboratorio_id=patto.laboratorio_id,
            proposta_id=patto.proposta_id,
            integra=patto,
            modifiche=motivo,
            stato=S.PROPOSTA,
            data_inizio=patto.data_inizio,
            data_fine=patto.data_fine,
        )
        for campo in CAMPI_COPIATI:
            setattr(nuovo, campo, getattr(patto, campo))
        nota = _("Atto integrativo del patto %(numero)s: %(motivo)s") % {
            "numero": patto.numero,
            "motivo": motivo,
        }
        crea_patto(nuovo, da=da, nota=nota)
        _copia_righe(patto, nuovo, monitoraggio=True)
    return nuovo


def _sostituisci(atto: Patto, *, da) -> None:
    """On the signature of the supplementary act ``atto``: the pact it modifies becomes
    *integrato*, and the act takes on the pact's phase (in attuazione, sospeso)."""
    integrato = Patto.objects.select_for_update().get(pk=atto.integra_id)
    if integrato.stato not in STATI_INTEGRABILI:
        raise ErroreDominio(
            _("Il patto %(numero)s non è più in vigore: l'atto integrativo non si può firmare.")
            % {"numero": integrato.numero}
        )
    fase = integrato.stato
    integrato.stato = S.INTEGRATO
    integrato.versione += 1
    integrato._change_reason = f"{fase} → {S.INTEGRATO}"
    integrato.save(update_fields=["stato", "versione", "modificato_il"])
    PassaggioStato.objects.create(
        patto=integrato,
        da_stato=fase,
        a_stato=S.INTEGRATO,
        da=da,
        nota=_("Sostituito dall'atto integrativo %(numero)s") % {"numero": atto.numero},
    )
    if fase != S.FIRMATO:
        atto.stato = fase
        atto.versione += 1
        atto._change_reason = f"{S.FIRMATO} → {fase}"
        atto.save(update_fields=["stato", "versione", "modificato_il"])
        PassaggioStato.objects.create(
            patto=atto,
            da_stato=S.FIRMATO,
            a_stato=fase,
            da=da,
            nota=_("Prosegue dallo stato del patto %(numero)s") % {"numero": integrato.numero},
        )


# --- The printed pact -------------------------------------------------------------------------


def _data(valore: datetime.date | None) -> str:
    return valore.strftime("%d/%m/%Y") if valore else ""


def _euro(valore: Decimal | None) -> str:
    if valore is None:
        return ""
    intero, _sep, decimali = f"{valore:,.2f}".partition(".")
    return f"{intero.replace(',', '.')},{decimali} €"


def _atto(patto: Patto) -> str:
    if not patto.atto_numero:
        return ""
    return _("%(tipo)s n. %(numero)s del %(data)s") % {
        "tipo": patto.get_atto_tipo_display(),
        "numero": patto.atto_numero,
        "data": _data(patto.atto_data),
    }


def _prefetch_documento(patti: list[Patto]) -> None:
    """Load what :func:`dati_documento` reads, in a fixed number of queries for any number."""
    firmatari = (
        Firmatario.objects.select_related("persona", "organizzazione")
        .prefetch_related("impegni")
        .order_by("ordine", "pk")
    )
    prefetch_related_objects(
        patti,
        "quartiere",
        "rinnova",
        "integra",
        Prefetch("firmatari", queryset=firmatari, to_attr="firmatari_documento"),
        Prefetch("progetti", to_attr="progetti_documento"),
    )


def dati_documento(patto: Patto) -> dict:
    """Everything the printed pact shows, as plain JSON-able values (the signed snapshot).

    Private individuals are named here: the pact is a legal document between its parties.
    """
    if not hasattr(patto, "firmatari_documento"):
        _prefetch_documento([patto])
    with translation.override("it"):
        return {
            "numero": patto.numero,
            "titolo": patto.titolo,
            "quartiere": patto.quartiere.nome,
            "tipo": patto.get_tipo_display(),
            "livello": patto.get_livello_display(),
            "beni": patto.beni,
            "beni_descrizione": patto.beni_descrizione,
            "luogo": patto.luogo,
            "finalita": patto.finalita,
            "sostegno": patto.forme_sostegno,
            "sostegno_note": patto.sostegno_note,
            "copertura_assicurativa": patto.copertura_assicurativa,
            "atto": _atto(patto),
            "data_firma": _data(patto.data_firma),
            "data_inizio": _data(patto.data_inizio),
            "data_fine": _data(patto.data_fine),
            "rinnova": patto.rinnova.numero if patto.rinnova_id else "",
            "integra": patto.integra.numero if patto.integra_id else "",
            "integra_data_firma": _data(patto.integra.data_firma) if patto.integra_id else "",
            "modifiche": patto.modifiche,
            "firmatari": [
                {
                    "tipo": f.get_tipo_display(),
                    "nome": f.persona.nome_completo if f.persona_id else str(f),
                    "rappresentante": f.rappresentante,
                    "impegni": [
                        {"descrizione": i.descrizione, "scadenza": _data(i.scadenza)}
                        for i in f.impegni.all()
                    ],
                }
                for f in patto.firmatari_documento
            ],
            "progetti": [
                {
                    "titolo": p.titolo,
                    "ambito": p.get_ambito_display(),
                    "budget": _euro(p.budget),
                    "cofinanziamento": _euro(p.cofinanziamento),
                }
                for p in patto.progetti_documento
            ],
        }


def sigilla_firmati(lotto: int = 500) -> int:
    """Seal the signed pacts that came in without going through the signature (an import,
    generated data): freeze their document as :func:`cambia_stato` does on signing.

    A pact is sealed only once it has what a signature needs (the Comune and another party),
    so an import that brings a pact's parties in a later sheet is not refused halfway.
    Returns how many pacts were sealed.
    """
    altre_parti = Firmatario.objects.filter(patto=OuterRef("pk")).exclude(
        tipo=TipoFirmatario.COMUNE
    )
    da_sigillare = (
        Patto.objects.filter(stato__in=STATI_CON_FIRMA, documento_firmato__isnull=True)
        .filter(Exists(Firmatario.objects.filter(patto=OuterRef("pk"), tipo=TipoFirmatario.COMUNE)))
        .filter(Exists(altre_parti))
        .order_by("pk")
    )
    sigillati = 0
    while True:
        patti = list(da_sigillare[:lotto])
        if not patti:
            return sigillati
        _prefetch_documento(patti)
        for patto in patti:
            patto.documento_firmato = dati_documento(patto)
            patto.versione = F("versione") + 1
        Patto.objects.bulk_update(patti, ["documento_firmato", "versione"])
        sigillati += len(patti)


def pdf_patto(patto: Patto) -> bytes:
    """The printable pact: the signed snapshot once signed, the current draft before."""
    from weasyprint import HTML

    dati = patto.documento_firmato or dati_documento(patto)
    with translation.override("it"):
        html = render_to_string(
            "patti/pdf/patto.html", {"doc": dati, "bozza": patto.documento_firmato is None}
        )
    return HTML(string=html).write_pdf()


def registra_stato_importato(patto: Patto, da_stato: str, *, file: str, da=None) -> None:
    """Record in the history the status a pact took from an import (``import_data``).

    Historical spreadsheets state where each pact stands; the workflow's guards do not
    apply to the past, but the step is dated and traced like any other.
    """
    PassaggioStato.objects.create(
        patto=patto,
        da_stato=da_stato,
        a_stato=patto.stato,
        da=da,
        nota=_("Importato da %(file)s") % {"file": file},
    )
