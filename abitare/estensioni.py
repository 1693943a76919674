"""What housing adds to the core: the spaces and their services on a quartiere's public
page, a household member's rows in a person's access export (art. 15), and their part in
whether a person is still active, and the households' own retention class (retention)."""

from __future__ import annotations

from django.db.models import CharField, Exists, F, OuterRef, Q, Value
from django.db.models.functions import Cast, Concat
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from abitare.models import (
    STATI_CORRENTI,
    Assegnazione,
    AzioneComunicazione,
    Componente,
    Contatto,
    Misura,
    NotaRiservata,
    Nucleo,
    Percorso,
    Spazio,
    Spostamento,
)
from quartiere.privacy.accesso_dati import SERIALIZZATORI, Relazione, Voce, campo
from quartiere.privacy.conservazione import ANONIMO, ATTIVITA_PERSONA, CLASSI, Classe
from quartiere.programmi.cifre import FONTI_PER_ASSE, Fonte, conteggi_per_asse
from quartiere.pubblico.sezioni import SEZIONI_QUARTIERE, Sezione


@SEZIONI_QUARTIERE.registra("abitare")
def _sezione_quartiere(quartiere):
    """The spaces of the quartiere's housing buildings and the services they host, with
    their opening hours, and the upcoming public actions of the communication plan: nothing
    about who lives there. Two queries."""
    spazi = list(
        Spazio.objects.filter(immobile__quartiere=quartiere, pubblico=True)
        .select_related("immobile", "gestito_da")
        .only(
            "nome",
            "funzione",
            "orari",
            "descrizione",
            "immobile__nome",
            "immobile__indirizzo",
            "gestito_da__nome",
        )
        .order_by("immobile__nome", "nome")
    )
    azioni = list(
        AzioneComunicazione.objects.filter(
            immobile__quartiere=quartiere,
            pubblica=True,
            stato=AzioneComunicazione.Stato.PROGRAMMATA,
            data__gte=timezone.localdate(),
        )
        .select_related("immobile")
        .only("titolo", "descrizione", "data", "canale", "materiale", "immobile__nome")
        .order_by("data", "pk")[:MAX_AZIONI_PUBBLICHE]
    )
    if not spazi and not azioni:
        return None
    righe = [
        {
            "nome": s.nome,
            "funzione": s.get_funzione_display(),
            "orari": s.orari,
            "descrizione": s.descrizione,
            "immobile": s.immobile.nome,
            "indirizzo": s.immobile.indirizzo,
            "gestito_da": s.gestito_da.nome if s.gestito_da_id else "",
        }
        for s in spazi
    ]
    appuntamenti = [
        {
            "titolo": a.titolo,
            "descrizione": a.descrizione,
            "data": a.data,
            "canale": a.get_canale_display(),
            "immobile": a.immobile.nome,
            "materiale": reverse("abitare:materiale_pubblico", args=[a.pk]) if a.materiale else "",
        }
        for a in azioni
    ]
    return Sezione(
        "abitare/pubblico/sezione_quartiere.html",
        {"spazi": righe, "azioni": appuntamenti},
        ordine=95,
    )


#: The upcoming public actions a quartiere's page lists.
MAX_AZIONI_PUBBLICHE = 10


def _componente(c) -> list[Voce]:
    nucleo = c.nucleo
    assegnazioni = [
        {
            "immobile": a.alloggio.immobile.nome,
            "indirizzo": a.alloggio.immobile.indirizzo,
            "alloggio": a.alloggio.codice,
            "stato": a.get_stato_display(),
            "pre_assegnata_il": a.pre_assegnata_il,
            "assegnata_il": a.assegnata_il,
            "ingresso_il": a.ingresso_il,
            "uscita_il": a.uscita_il,
        }
        for a in nucleo.assegnazioni.select_related("alloggio__immobile")
    ]
    return [
        Voce("nucleo", _("nucleo"), nucleo.nome),
        Voce("quartiere", _("quartiere"), nucleo.quartiere.nome),
        campo(c, "intestatario"),
        Voce("gruppo", _("gruppo del piano di assegnazione"), nucleo.get_gruppo_target_display()),
        Voce("lingua", _("lingua e bisogni linguistici"), nucleo.lingua),
        Voce("telefono", _("telefono"), nucleo.telefono),
        Voce("email", _("e-mail"), nucleo.email),
        Voce("assegnazioni", _("assegnazioni"), assegnazioni),
    ]


SERIALIZZATORI.registra(
    "abitare.Componente",
    Relazione(
        lambda: _("Nuclei dell'accompagnamento all'abitare"),
        _componente,
        relazioni=("nucleo__quartiere",),
    ),
)


@ATTIVITA_PERSONA.registra("abitare.componente")
def _attivita_nell_abitare(limite):
    """A member of a household that holds a flat, or left one after the threshold."""
    return Q(nuclei_abitare__nucleo__assegnazioni__stato__in=STATI_CORRENTI) | Q(
        nuclei_abitare__nucleo__assegnazioni__uscita_il__gte=limite.date()
    )


def _nuclei(limite):
    """Households past their period: no current assignment, none that ended or began
    since the threshold, no contact, measure or note since, not edited since, and still
    holding contacts, their name or a text of their accompaniment."""
    giorno = limite.date()
    correnti = Assegnazione.objects.filter(nucleo=OuterRef("pk"), stato__in=STATI_CORRENTI)
    recenti = Assegnazione.objects.filter(nucleo=OuterRef("pk")).filter(
        Q(uscita_il__gte=giorno) | Q(pre_assegnata_il__gte=giorno)
    )
    return (
        Nucleo.objects.filter(modificato_il__lt=limite)
        .exclude(Exists(correnti))
        .exclude(Exists(recenti))
        # Still accompanied: a contact, a measure or a note since the threshold.
        .exclude(Exists(Contatto.objects.filter(nucleo=OuterRef("pk"), il__gte=giorno)))
        .exclude(
            Exists(
                Misura.objects.filter(nucleo=OuterRef("pk")).filter(
                    Q(verifica_il__gte=giorno) | Q(verificata_il__gte=giorno)
                )
            )
        )
        .exclude(
            Exists(NotaRiservata.objects.filter(nucleo=OuterRef("pk"), scritta_il__gte=limite))
        )
        .exclude(
            Q(nome__startswith=ANONIMO, telefono="", email="", lingua="")
            & ~Exists(NotaRiservata.objects.filter(nucleo=OuterRef("pk")))
            & ~Exists(Percorso.objects.filter(nucleo=OuterRef("pk")).exclude(bisogni=""))
            & ~Exists(Contatto.objects.filter(nucleo=OuterRef("pk")).exclude(sintesi=""))
            & ~Exists(Misura.objects.filter(nucleo=OuterRef("pk")).exclude(descrizione=ANONIMO))
            & ~Exists(Assegnazione.objects.filter(nucleo=OuterRef("pk")).exclude(note=""))
            & ~Exists(Spostamento.objects.filter(nucleo=OuterRef("pk")).exclude(note=""))
        )
    )


def _anonimizza_nuclei(righe) -> int:
    """The household's name (a family name), contacts and language needs go, with every
    text of its accompaniment: the confidential notes are deleted, the needs, the contacts'
    summaries and the measures' texts emptied (history rows too). Its target group,
    quartiere, assignments, contacts' types and dates, measures' services and dates stay, so
    every figure is unchanged. The members are persons of the registry, handled by the
    persons' class; the notes' access log keeps who read, never what."""
    ids = list(righe.values_list("pk", flat=True))
    campi = {"telefono": "", "email": "", "lingua": ""}
    nome = Concat(Value(f"{ANONIMO} #"), Cast("id", CharField()))
    Nucleo.objects.filter(pk__in=ids).update(**campi, nome=nome, versione=F("versione") + 1)
    Nucleo.history.filter(id__in=ids).update(**campi, nome=nome)
    NotaRiservata.objects.filter(nucleo__in=ids).delete()
    for modello, testi in (
        (Percorso, {"bisogni": ""}),
        (Contatto, {"sintesi": ""}),
        (Misura, {"descrizione": ANONIMO, "esito": ""}),
        (Assegnazione, {"note": ""}),
        (Spostamento, {"note": ""}),
    ):
        modello.objects.filter(nucleo__in=ids).update(**testi)
        modello.history.filter(nucleo_id__in=ids).update(**testi)
    return len(ids)


CLASSI.registra("nuclei", Classe(_nuclei, _anonimizza_nuclei, ordine=20))


# --- Programmes: the households accompanied, attributed to an axis (quartiere/programmi/cifre.py)
# A household counts in a period when its accompaniment had started by the period's end.


def _accompagnati(al):
    return Percorso.objects.filter(avviato_il__lte=al)


FONTI_PER_ASSE.registra(
    "abitare.percorso",
    Fonte(
        etichetta=gettext_lazy("Nuclei accompagnati"),
        unita=gettext_lazy("nuclei"),
        conta=lambda assi, dal, al: conteggi_per_asse(_accompagnati(al).filter(asse__in=assi)),
        persone=lambda asse, dal, al: Componente.objects.filter(
            nucleo__percorso__in=_accompagnati(al).filter(asse=asse)
        ).values("persona_id"),
    ),
)
