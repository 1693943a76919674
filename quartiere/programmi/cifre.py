"""What each axis of a programme did in a period, against its targets: the one source of
the per-axis figures, for the programme's page, its monitoring report (PDF) and the
open-data CSV.

The activities live in the apps. Each kind of activity that can be attributed to an axis
(``AttribuibileAProgramma``) is a *source* registered at :data:`FONTI_PER_ASSE` (the core's
diary here, the apps in their ``estensioni.py``): it counts its activities per axis in one
aggregate query and, when it has participants, names them by ``Persona`` so that a person
met at a lab and at the signing of a pact counts once per axis.

The number of queries depends on the number of sources, never on the data: one per source,
one for the participants, two for the targets (the axes' and their latest measures).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.core.cache import cache
from django.db.models import Count, Prefetch, Q, QuerySet, Sum
from django.utils.translation import gettext_lazy as _

from quartiere.calendario.models import Prenotazione
from quartiere.diario.models import AttivitaDiario
from quartiere.estensioni import Punto
from quartiere.indicators import inizio_giorno
from quartiere.programmi.models import (
    Affidamento,
    Asse,
    IndicatoreProgramma,
    MisuraIndicatore,
    Programma,
    Rinnovo,
)
from quartiere.registro.models import Persona

ZERO = Decimal("0.00")


@dataclass(frozen=True)
class Fonte:
    """A kind of attributed activity.

    ``conta(assi, dal, al)`` returns ``{asse_id: (numero, ore)}`` for the activities of
    [dal, al] attributed to those axes (``ore`` a Decimal, or None when the source records
    no time); ``persone(asse_id, dal, al)``, when given, a queryset of the ``Persona`` ids
    who took part, usable as a subquery."""

    etichetta: str
    unita: str
    conta: Callable[[list[int], date, date], dict[int, tuple[int, Decimal | None]]]
    persone: Callable[[int, date, date], QuerySet] | None = None


FONTI_PER_ASSE = Punto("attività attribuite agli assi dei programmi")


@dataclass
class Voce:
    chiave: str
    etichetta: str
    unita: str
    numero: int
    ore: Decimal | None


@dataclass
class Indicatore:
    nome: str
    unita: str
    valore_base: Decimal | None
    obiettivo: Decimal
    realizzato: Decimal | None
    misurato_il: date | None

    @property
    def percentuale(self) -> Decimal | None:
        """How far from the baseline to the target the latest measure has come."""
        if self.realizzato is None:
            return None
        base = self.valore_base or ZERO
        if self.obiettivo == base:
            return None
        return ((self.realizzato - base) * 100 / (self.obiettivo - base)).quantize(Decimal("0.1"))


@dataclass
class CifreAsse:
    asse: Asse
    voci: list[Voce] = field(default_factory=list)
    partecipanti: int = 0
    indicatori: list[Indicatore] = field(default_factory=list)
    # The axis's amount as a percentage of the service contracts (see :func:`contratto`).
    quota_contratto: Decimal | None = None

    @property
    def attivita(self) -> int:
        return sum(v.numero for v in self.voci)

    @property
    def ore(self) -> Decimal:
        return sum((v.ore for v in self.voci if v.ore is not None), ZERO)


def per_asse(programma: Programma, dal: date, al: date, *, in_cache: int = 0) -> list[CifreAsse]:
    """Each axis of ``programma`` with what its attributed activities did between ``dal``
    and ``al`` (both included) and its targets with the latest measure up to ``al``.

    With ``in_cache`` (seconds) the activities' counts may come from the shared cache, as
    old as that: they aggregate every activity of the period, which over a long programme
    in a large city costs hundreds of milliseconds of PostgreSQL (docs/performance.md).
    The page uses it; the printed reports and the CSV count afresh. The axes, their
    targets and measures are always read afresh."""
    assi = list(
        programma.assi.order_by("codice").prefetch_related(
            Prefetch("indicatori", queryset=IndicatoreProgramma.objects.order_by("nome"))
        )
    )
    ids = [a.pk for a in assi]
    cifre = {a.pk: CifreAsse(asse=a) for a in assi}
    if not ids:
        return []
    fonti = FONTI_PER_ASSE.voci()
    if in_cache:
        firma = f"{ids}:{dal}:{al}:{list(fonti)}".encode()
        chiave = f"programmi:cifre:{hashlib.sha256(firma).hexdigest()[:32]}"
        conteggi = cache.get_or_set(chiave, lambda: _conteggi(fonti, ids, dal, al), in_cache)
    else:
        conteggi = _conteggi(fonti, ids, dal, al)
    for chiave_fonte, fonte in fonti.items():
        per_fonte = conteggi["voci"][chiave_fonte]
        for asse_id in ids:
            numero, ore = per_fonte.get(asse_id, (0, None))
            cifre[asse_id].voci.append(
                Voce(chiave_fonte, fonte.etichetta, fonte.unita, numero, ore)
            )
    for asse_id, partecipanti in conteggi["partecipanti"].items():
        cifre[asse_id].partecipanti = partecipanti
    # Targets and their latest measure up to ``al``.
    ultime = {}
    for misura in (
        MisuraIndicatore.objects.filter(indicatore__asse__in=ids, data__lte=al)
        .order_by("indicatore_id", "-data")
        .distinct("indicatore_id")
    ):
        ultime[misura.indicatore_id] = misura
    for asse in assi:
        for ind in asse.indicatori.all():
            misura = ultime.get(ind.pk)
            cifre[asse.pk].indicatori.append(
                Indicatore(
                    ind.nome,
                    ind.unita,
                    ind.valore_base,
                    ind.obiettivo,
                    misura.valore if misura else None,
                    misura.data if misura else None,
                )
            )
    return [cifre[a.pk] for a in assi]


def _conteggi(fonti: dict, ids: list[int], dal: date, al: date) -> dict:
    """The activities of each source per axis and the unique participants per axis: plain
    numbers, so that they can be kept in the cache."""
    voci = {chiave: fonte.conta(ids, dal, al) for chiave, fonte in fonti.items()}
    partecipanti = {}
    # Unique participants per axis, across sources: one aggregate over the registry.
    con_persone = [f for f in fonti.values() if f.persone is not None]
    if con_persone:
        righe = Persona.objects.aggregate(
            **{
                f"a{asse_id}": Count(
                    "pk",
                    filter=_una_delle([Q(pk__in=f.persone(asse_id, dal, al)) for f in con_persone]),
                )
                for asse_id in ids
            }
        )
        partecipanti = {asse_id: righe[f"a{asse_id}"] for asse_id in ids}
    return {"voci": voci, "partecipanti": partecipanti}


def _una_delle(condizioni: list[Q]) -> Q:
    risultato = condizioni[0]
    for condizione in condizioni[1:]:
        risultato |= condizione
    return risultato


def conteggi_per_asse(qs: QuerySet, ore: str | None = None) -> dict:
    """``{asse_id: (numero, ore)}`` of an attributed activity's queryset, in one query."""
    aggregati = {"numero": Count("pk")}
    if ore is not None:
        aggregati["ore"] = Sum(ore)
    return {
        r["asse"]: (r["numero"], r.get("ore") if ore is None else (r["ore"] or ZERO))
        for r in qs.values("asse").annotate(**aggregati).order_by()
    }


def _diario(assi, dal, al):
    return conteggi_per_asse(
        AttivitaDiario.objects.filter(asse__in=assi, data__gte=dal, data__lte=al), ore="ore"
    )


FONTI_PER_ASSE.registra(
    "quartiere.diario",
    Fonte(etichetta=_("Lavoro registrato nel diario"), unita=_("voci"), conta=_diario),
)


def _sale(assi, dal, al):
    # Confirmed bookings and events of the halls, by the day they start.
    return conteggi_per_asse(
        Prenotazione.objects.filter(
            asse__in=assi,
            stato=Prenotazione.Stato.CONFERMATA,
            inizio__gte=inizio_giorno(dal),
            inizio__lt=inizio_giorno(al + timedelta(days=1)),
        )
    )


FONTI_PER_ASSE.registra(
    "quartiere.prenotazione",
    Fonte(etichetta=_("Eventi e attività nelle sale"), unita=_("prenotazioni"), conta=_sale),
)


@dataclass
class ProgrammaNelPeriodo:
    """A programme that ran in a period, with its financial progress at the period's end
    (``programma`` carries :meth:`~ProgrammaQuerySet.con_avanzamento`'s fields) and what
    each axis did in the period."""

    programma: Programma
    assi: list[CifreAsse]
    contratto: Contratto | None = None


def programmi_del_periodo(dal: date, al: date, quartieri=None) -> list[ProgrammaNelPeriodo]:
    """The programmes running at some point of [dal, al] for ``quartieri`` (a programme
    without quartieri covers the whole Comune; ``None``: every programme), each with
    :func:`per_asse` over the part of the period it ran. The figures are the programme's
    own, whatever the quartieri: a programme is reported on whole."""
    programmi = Programma.objects.con_avanzamento(al=al).filter(inizio__lte=al, fine__gte=dal)
    if quartieri is not None:
        programmi = programmi.filter(
            Q(quartieri__in=list(quartieri)) | Q(quartieri__isnull=True)
        ).distinct()
    risultato = []
    for programma in programmi.order_by("inizio", "nome"):
        inizio, fine = max(dal, programma.inizio), min(al, programma.fine)
        assi = per_asse(programma, inizio, fine)
        risultato.append(ProgrammaNelPeriodo(programma, assi, contratto(programma, assi)))
    return risultato


@dataclass
class Contratto:
    """The service contracts of a programme against the amounts of its axes."""

    totale: Decimal  # every contract's amount and every renewal's
    assegnato: Decimal  # the sum of the axes' amounts
    assi_senza_importo: int

    @property
    def eccedenza(self) -> Decimal:
        """How much the axes' amounts exceed the contracts (0 when they do not)."""
        return max(self.assegnato - self.totale, ZERO)

    @property
    def da_assegnare(self) -> Decimal:
        return max(self.totale - self.assegnato, ZERO)


def contratto(programma: Programma, assi: list[CifreAsse]) -> Contratto:
    """The contracts' total (two aggregates) and, on each of ``assi``, its amount's share
    of it: the costs per axis read against the contract."""
    totale = (
        Affidamento.objects.filter(programma=programma).aggregate(s=Sum("importo"))["s"] or ZERO
    ) + (
        Rinnovo.objects.filter(affidamento__programma=programma).aggregate(s=Sum("importo"))["s"]
        or ZERO
    )
    assegnato = ZERO
    senza = 0
    for c in assi:
        if c.asse.importo is None:
            senza += 1
            continue
        assegnato += c.asse.importo
        if totale:
            c.quota_contratto = (c.asse.importo * 100 / totale).quantize(Decimal("0.1"))
    return Contratto(totale, assegnato, senza)
