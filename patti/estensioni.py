"""What the pacts add to the core: the latest signed pacts on the public home and on a
quartiere's page, a signatory's rows in a person's access export (art. 15), and their part
in whether a person is still active (retention)."""

from __future__ import annotations

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from patti.models import Firmatario, Patto, StatoPatto
from quartiere.identita.area import SEZIONI_AREA_PERSONALE
from quartiere.privacy.accesso_dati import SERIALIZZATORI, Relazione, Voce, campo
from quartiere.privacy.conservazione import ATTIVITA_PERSONA
from quartiere.programmi.cifre import FONTI_PER_ASSE, Fonte, conteggi_per_asse
from quartiere.pubblico.sezioni import SEZIONI_HOME, SEZIONI_QUARTIERE, Sezione

# The statuses the public register shows as signed.
STATI_FIRMATI = (StatoPatto.FIRMATO, StatoPatto.IN_ATTUAZIONE)


def patti_firmati(quartiere=None, limite: int = 5) -> tuple[list[dict], int]:
    """The latest signed pacts, field by field, and how many there are. Two queries."""
    qs = Patto.objects.filter(stato__in=STATI_FIRMATI, data_firma__isnull=False)
    if quartiere is not None:
        qs = qs.filter(quartiere=quartiere)
    righe = list(
        qs.order_by("-data_firma", "-pk").values(
            "pk", "numero", "titolo", "data_firma", "quartiere__nome"
        )[:limite]
    )
    for r in righe:
        r["url"] = reverse("patti:registro_dettaglio", args=[r["pk"]])
    return righe, qs.count()


@SEZIONI_HOME.registra("patti")
def _sezione_home():
    recenti, totale = patti_firmati(limite=4)
    return Sezione("patti/pubblico/sezione_home.html", {"recenti": recenti, "totale": totale})


@SEZIONI_QUARTIERE.registra("patti")
def _sezione_quartiere(quartiere):
    recenti, totale = patti_firmati(quartiere=quartiere)
    return Sezione(
        "patti/pubblico/sezione_quartiere.html",
        {"recenti": recenti, "totale": totale},
        cifre=[(_("Patti di collaborazione firmati"), totale)],
        ordine=90,
    )


def _firmatario(f) -> list[Voce]:
    patto = f.patto
    impegni = [
        {"descrizione": i.descrizione, "scadenza": i.scadenza, "svolto": i.svolto}
        for i in f.impegni.all()
    ]
    return [
        Voce("patto", _("patto"), f"{patto.numero} — {patto.titolo}"),
        Voce("stato_patto", _("stato del patto"), patto.get_stato_display()),
        Voce("data_firma", _("data della firma"), patto.data_firma),
        campo(f, "tipo", _("firma come")),
        Voce("impegni", _("impegni"), impegni),
    ]


SERIALIZZATORI.registra(
    "patti.Firmatario",
    Relazione(lambda: _("Firme dei patti di collaborazione"), _firmatario, relazioni=("patto",)),
)


@ATTIVITA_PERSONA.registra("patti.firmatario")
def _attivita_nei_patti(limite):
    """A signatory of a pact that is in force, or ended after the threshold."""
    # isnull across a LEFT JOIN: require the row to exist, or nobody would ever qualify.
    return Q(firme_patti__patto__data_fine__gte=limite.date()) | Q(
        firme_patti__isnull=False, firme_patti__patto__data_fine__isnull=True
    )


# --- The citizen's personal area (issue 17) ---------------------------------------------------


@SEZIONI_AREA_PERSONALE.registra("patti")
def _area_personale(persona):
    """The pacts the citizen signed or is signing. One query."""
    firme = list(
        Firmatario.objects.filter(persona=persona)
        .select_related("patto__quartiere")
        .order_by("-patto__data_firma", "-pk")[:100]
    )
    if not firme:
        return None
    for f in firme:
        f.url_registro = (
            reverse("patti:registro_dettaglio", args=[f.patto_id])
            if f.patto.stato in STATI_FIRMATI
            else ""
        )
    return Sezione(
        "patti/pubblico/area_personale.html",
        {"titolo": _("I patti che ho firmato"), "ancora": "patti", "firme": firme},
        ordine=30,
    )


# --- Programmes: the pacts signed, attributed to an axis (quartiere/programmi/cifre.py) --------


def _firmati(dal, al):
    return Patto.objects.filter(data_firma__gte=dal, data_firma__lte=al)


FONTI_PER_ASSE.registra(
    "patti.patto",
    Fonte(
        etichetta=gettext_lazy("Patti di collaborazione firmati"),
        unita=gettext_lazy("patti"),
        conta=lambda assi, dal, al: conteggi_per_asse(_firmati(dal, al).filter(asse__in=assi)),
        persone=lambda asse, dal, al: Firmatario.objects.filter(
            patto__in=_firmati(dal, al).filter(asse=asse), persona__isnull=False
        ).values("persona_id"),
    ),
)
