"""What the labs add to the core: their meetings in the hall calendar, the labs of a
quartiere on its public page, and a person's attendance and proposals in their access
export (art. 15).

A meeting held in a Sede takes the hall (the database records it, migration 0004) and shows
in the staff and public calendars beside the bookings.
"""

from __future__ import annotations

from datetime import timedelta

from django.db.models import Count, F, Prefetch, Q
from django.db.models.functions import Coalesce
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from laboratori.models import (
    DURATA_INCONTRO,
    Aderente,
    Incontro,
    Laboratorio,
    Presenza,
    VoceMandato,
)
from quartiere.calendario.eventi import FONTI_EVENTI, Evento
from quartiere.calendario.services import OCCUPAZIONI
from quartiere.identita.area import SEZIONI_AREA_PERSONALE
from quartiere.indicators import inizio_giorno
from quartiere.privacy.accesso_dati import SERIALIZZATORI, Relazione, Voce, campi
from quartiere.privacy.conservazione import ATTIVITA_PERSONA
from quartiere.programmi.cifre import FONTI_PER_ASSE, Fonte, conteggi_per_asse
from quartiere.pubblico.sezioni import SEZIONI_QUARTIERE, Sezione

ORIGINE = "laboratori.incontro"


@OCCUPAZIONI.registra(ORIGINE)
def descrivi_incontro(pk: int) -> str:
    """What takes the hall, for staff."""
    incontro = Incontro.objects.select_related("laboratorio").filter(pk=pk).first()
    if incontro is None:
        return ""
    return _("dall'incontro «%(titolo)s» del laboratorio «%(laboratorio)s»") % {
        "titolo": incontro.titolo or _("senza titolo"),
        "laboratorio": incontro.laboratorio,
    }


def _url(pk: int, laboratorio_id: int, pubblici: bool, gia: dict[int, str]) -> str:
    """Staff open the meeting; the public the lab's public page (meetings have none).
    ``gia`` keeps the public pages already reversed, one per lab."""
    if pubblici and laboratorio_id in gia:
        return gia[laboratorio_id]
    try:
        if pubblici:
            gia[laboratorio_id] = reverse("laboratori:pubblico", args=[laboratorio_id])
            return gia[laboratorio_id]
        return reverse("laboratori:incontro", args=[pk])
    except NoReverseMatch:
        return ""


@FONTI_EVENTI.registra(ORIGINE)
def eventi_incontri(dal, al, *, pubblici: bool, limite: int | None = None, **filtro_sede):
    """The meetings held in a Sede that overlap [dal, al), in one query."""
    qs = (
        Incontro.objects.filter(sede__isnull=False, inizio__lt=al, **filtro_sede)
        .exclude(stato=Incontro.Stato.ANNULLATO)
        .annotate(fine_effettiva=Coalesce(F("fine"), F("inizio") + DURATA_INCONTRO))
        .filter(fine_effettiva__gt=dal)
        .select_related("sede", "laboratorio")
        .only(
            "pk",
            "titolo",
            "inizio",
            "fine",
            "pubblico",
            "stato",
            "sede__id",
            "sede__nome",
            "sede__indirizzo",
            "sede__citta",
            "laboratorio__titolo",
        )
        .order_by("inizio", "pk")
    )
    if pubblici:
        qs = qs.filter(pubblico=True)
    if limite:
        qs = qs[:limite]
    stati = {k: str(v) for k, v in Incontro._meta.get_field("stato").flatchoices}
    etichetta = _("laboratorio")
    url_pubblici: dict[int, str] = {}
    return [
        Evento(
            tipo="incontro",
            pk=i.pk,
            titolo=i.titolo or str(i.laboratorio.titolo),
            inizio=i.inizio,
            fine=i.fine_effettiva,
            sede_id=i.sede.pk,
            sede_nome=i.sede.nome,
            sede_indirizzo=", ".join(filter(None, [i.sede.indirizzo, i.sede.citta])),
            pubblico=i.pubblico,
            stato=i.stato,
            stato_etichetta=stati.get(i.stato, i.stato),
            descrizione=_("Incontro del laboratorio «%(lab)s».") % {"lab": i.laboratorio.titolo},
            etichetta=etichetta,
            gruppo=i.laboratorio.titolo,
            url=_url(i.pk, i.laboratorio_id, pubblici, url_pubblici),
        )
        for i in qs
    ]


# --- Access export ---------------------------------------------------------------------------


def _presenza(p) -> list[Voce]:
    incontro = p.incontro
    return [
        Voce("laboratorio", _("laboratorio"), str(incontro.laboratorio)),
        Voce("incontro", _("incontro"), incontro.titolo),
        Voce("data", _("data"), incontro.inizio),
        Voce("luogo", _("luogo"), incontro.luogo),
        Voce("organizzazione", _("per conto di"), str(p.organizzazione or "") or None),
    ]


def _proposta(p) -> list[Voce]:
    return [
        Voce("laboratorio", _("laboratorio"), str(p.laboratorio)),
        *campi(p, "titolo", "descrizione", "stato", "creata_il"),
    ]


SERIALIZZATORI.registra(
    "laboratori.Presenza",
    Relazione(lambda: _("Presenze ai laboratori"), _presenza, relazioni=("incontro__laboratorio",)),
)


def _aderente(a) -> list[Voce]:
    return [
        Voce("gruppo", _("gruppo"), str(a.laboratorio)),
        Voce("organizzazione", _("per conto di"), str(a.organizzazione or "") or None),
        *campi(a, "ruolo", "dal", "al"),
    ]


SERIALIZZATORI.registra(
    "laboratori.Aderente",
    Relazione(
        lambda: _("Adesioni ai gruppi pilota e tematici"),
        _aderente,
        relazioni=("laboratorio", "organizzazione"),
    ),
)
SERIALIZZATORI.registra(
    "laboratori.Proposta",
    Relazione(lambda: _("Proposte ai laboratori"), _proposta, relazioni=("laboratorio",)),
)


@ATTIVITA_PERSONA.registra("laboratori")
def _attivita_nei_laboratori(limite):
    """Attending a meeting or making a proposal since the threshold, or belonging to a pilot
    or thematic group now or since the threshold, keeps a person."""
    return (
        Q(presenze__incontro__inizio__gte=limite)
        | Q(proposte__creata_il__gte=limite)
        | Q(adesioni_gruppi__al__isnull=True, adesioni_gruppi__persona__isnull=False)
        | Q(adesioni_gruppi__al__gte=limite)
    )


# --- The quartiere's public page --------------------------------------------------------------


@SEZIONI_QUARTIERE.registra("laboratori")
def _sezione_quartiere(quartiere):
    """The labs under way with their next three public meetings (a pilot or thematic group
    with the priorities of its mandate and the organisations that belong to it: never a
    citizen's name), and the meetings' figures. Five queries."""
    adesso = timezone.now()
    prossimi = (
        Incontro.objects.filter(pubblico=True, inizio__gte=adesso)
        .exclude(stato=Incontro.Stato.ANNULLATO)
        .select_related("sede")
        .only("pk", "titolo", "inizio", "fine", "luogo", "laboratorio_id", "sede__nome")
        .order_by("inizio")
    )
    laboratori = list(
        Laboratorio.objects.filter(quartiere=quartiere)
        .exclude(stato=Laboratorio.Stato.CONCLUSO)
        .only("pk", "titolo", "tema", "fase", "stato", "descrizione", "tipo")
        .prefetch_related(
            Prefetch("incontri", queryset=prossimi[:3], to_attr="prossimi_incontri"),
            Prefetch(
                "mandato",
                queryset=VoceMandato.objects.filter(
                    attiva=True, tipo=VoceMandato.Tipo.PRIORITA
                ).order_by("ordine", "pk"),
                to_attr="priorita",
            ),
            Prefetch(
                "aderenti",
                queryset=Aderente.objects.filter(al__isnull=True, organizzazione__isnull=False)
                .select_related("organizzazione")
                .only("laboratorio_id", "organizzazione__nome")
                .order_by("organizzazione__nome"),
                to_attr="organizzazioni_aderenti",
            ),
        )
        .order_by("titolo")
    )
    cifre = Incontro.objects.filter(laboratorio__quartiere=quartiere, pubblico=True).aggregate(
        svolti=Count(
            "pk",
            filter=Q(stato=Incontro.Stato.SVOLTO, inizio__gte=adesso - timedelta(days=365)),
        ),
        in_programma=Count("pk", filter=Q(stato=Incontro.Stato.PROGRAMMATO, inizio__gte=adesso)),
    )
    return Sezione(
        "laboratori/pubblico/sezione_quartiere.html",
        {"laboratori": laboratori},
        cifre=[
            (_("Laboratori di cittadinanza in corso"), len(laboratori)),
            (_("Incontri pubblici svolti negli ultimi 12 mesi"), cifre["svolti"]),
            (_("Incontri pubblici in programma"), cifre["in_programma"]),
        ],
        ordine=10,
    )


# --- The citizen's personal area (issue 17) ---------------------------------------------------


@SEZIONI_AREA_PERSONALE.registra("laboratori")
def _area_personale(persona):
    """The meetings the citizen attended (the attendance the office recorded). One query."""
    presenze = list(
        Presenza.objects.filter(persona=persona)
        .select_related("incontro__laboratorio", "incontro__sede")
        .order_by("-incontro__inizio", "-pk")[:100]
    )
    if not presenze:
        return None
    return Sezione(
        "laboratori/pubblico/area_personale.html",
        {
            "titolo": _("I laboratori a cui ho partecipato"),
            "ancora": "laboratori",
            "presenze": presenze,
        },
        ordine=20,
    )


# --- Programmes: the meetings held, attributed to an axis (quartiere/programmi/cifre.py) -------


def _svolti(dal, al):
    return Incontro.objects.filter(
        stato=Incontro.Stato.SVOLTO,
        inizio__gte=inizio_giorno(dal),
        inizio__lt=inizio_giorno(al + timedelta(days=1)),
    )


def _incontri(assi, dal, al):
    return conteggi_per_asse(_svolti(dal, al).filter(asse__in=assi))


def _partecipanti_incontri(asse, dal, al):
    return Presenza.objects.filter(
        incontro__in=_svolti(dal, al).filter(asse=asse), persona__isnull=False
    ).values("persona_id")


FONTI_PER_ASSE.registra(
    "laboratori.incontro",
    Fonte(
        etichetta=gettext_lazy("Incontri dei laboratori svolti"),
        unita=gettext_lazy("incontri"),
        conta=_incontri,
        persone=_partecipanti_incontri,
    ),
)
