"""The printed versions of the report with the dirigente's commentary (issue 19).

:func:`conserva_relazione` prints the report with the comments and keeps the PDF with the
choices that made it, in one transaction: a version is either kept whole or not at all.
"""

from __future__ import annotations

from datetime import date

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _

from quartiere.relazioni.figure import MODULO_DIARIO, modulo_indicatori, sezioni_disponibili
from quartiere.relazioni.models import RelazioneStampata
from quartiere.relazioni.pdf import stampa_relazione
from quartiere.relazioni.tabelle import TITOLI_SEZIONE
from quartiere.territorio.models import Quartiere


def sezioni_commentabili() -> list[tuple[str, str]]:
    """``[(chiave, titolo)]`` of the report's sections a comment can open, in print order."""
    voci = [("sintesi", _("Sintesi"))]
    moduli = sezioni_disponibili()
    voci += [(s, str(titolo)) for s, titolo in TITOLI_SEZIONE.items() if s in moduli]
    voci.append(("programmi", _("Programmi e finanziamenti")))
    if modulo_indicatori(MODULO_DIARIO) is not None:
        voci.append(("attivita_operatori", _("Attività degli operatori")))
    return voci


def ultimi_commenti(dal: date, al: date) -> dict[str, str]:
    """The comments of the latest version printed for the same period (to start from)."""
    ultima = RelazioneStampata.objects.filter(dal=dal, al=al).only("commenti").first()
    return dict(ultima.commenti) if ultima else {}


def conserva_relazione(
    *,
    autore,
    dal: date,
    al: date,
    quartieri: list[Quartiere],
    commenti: dict[str, str],
    modo_confronto: str | None = None,
    periodo_confronto: tuple[date, date] | None = None,
) -> RelazioneStampata:
    """Print the report with ``commenti`` and keep it; the saved PDF is what was printed."""
    ammesse = {chiave for chiave, _titolo in sezioni_commentabili()}
    commenti = {
        chiave: testo.strip()
        for chiave, testo in commenti.items()
        if chiave in ammesse and (testo or "").strip()
    }
    stampa = stampa_relazione(dal, al, quartieri, None, modo_confronto, periodo_confronto, commenti)
    relazione = stampa.relazione
    versione = RelazioneStampata(
        dal=dal,
        al=al,
        confronto=relazione.confronto,
        confronto_dal=relazione.precedente_dal,
        confronto_al=relazione.precedente_al,
        commenti=commenti,
        pagine=stampa.pagine,
        creata_da=autore,
        creata_il=relazione.creata_il,
    )
    versione.documento.save("relazione.pdf", ContentFile(stampa.contenuto), save=False)
    try:
        with transaction.atomic():
            versione.save()
            versione.quartieri.set(quartieri)
    except BaseException:
        # Nothing in the database points at the file: it goes too.
        versione.documento.storage.delete(versione.documento.name)
        raise
    return versione
