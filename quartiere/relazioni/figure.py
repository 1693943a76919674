"""Compose the figures of every app into one document.

Each app's ``indicators.py`` exposes ``calcola(dal, al, quartieri) -> dict`` (a fixed
number of SQL aggregates). This module only calls those functions and arranges their
answers under the documented keys: it never reads another app's tables, so the command,
the dashboard, the exports and the PDF cannot disagree.

Apps are imported lazily: an app whose ``indicators`` module does not exist (yet) gives
``None`` for its section instead of breaking the whole document.
"""

from __future__ import annotations

import importlib
import json
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from types import ModuleType

from django.utils.translation import gettext as _

from quartiere.territorio.models import Quartiere

# The documented sections, in the documented order, with their documented keys.
SEZIONI: dict[str, tuple[str, ...]] = {
    "segnalazioni": (
        "ricevute",
        "chiuse",
        "per_stato",
        "per_tipo",
        "per_categoria",
        "per_canale",
        "chiuse_entro_termine",
        "tempo_medio_chiusura_giorni",
        "aperte_scadute",
    ),
    "mediazione": (
        "aperti",
        "chiusi",
        "per_tipo_conflitto",
        "per_esito",
        "durata_media_giorni",
    ),
    "laboratori": (
        "laboratori_attivi",
        "incontri_svolti",
        "presenze",
        "partecipanti_unici",
        "organizzazioni_coinvolte",
        "gruppi_pilota_attivi",
        "aderenti_gruppi",
    ),
    "patti": (
        "firmati",
        "nuovi",
        "rinnovi",
        "firmatari",
        "firmatari_unici",
        "firmatari_per_tipo",
        "progetti",
        "progetti_per_ambito",
        "budget_progetti",
    ),
    "abitare": (
        "alloggi_per_stato",
        "assegnazioni",
        "assegnazioni_per_gruppo",
        "ingressi",
        "ingressi_per_gruppo",
        "nuclei_accompagnati",
        "contatti",
        "contatti_per_tipo",
        "misure_attivate",
        "problemi_inoltrati",
        "problemi_chiusi",
        "tempo_mediano_chiusura_problemi_giorni",
        "note_riservate_per_tipo",
        "adesione_regole_percentuale",
    ),
}
CHIAVI = ("periodo", "quartieri", *SEZIONI)

# The core's diary figures (issue 7): not part of the JSON contract, only of the PDF.
MODULO_DIARIO = "quartiere.indicators"


class ErroreIndicatori(ValueError):
    """A bad request for figures: an unknown quartiere or a period that ends before it starts."""


def modulo_indicatori(nome: str) -> ModuleType | None:
    """``<nome>`` imported, or ``None`` when that module does not exist (yet).

    Only the absence of the module itself is forgiven: an import error raised *inside*
    an existing module is a bug and propagates.
    """
    try:
        return importlib.import_module(nome)
    except ModuleNotFoundError as exc:
        if exc.name in {nome, nome.rpartition(".")[0]}:
            return None
        raise


def sezioni_disponibili() -> dict[str, ModuleType]:
    """The sections whose app has an ``indicators`` module, in the documented order."""
    moduli = {}
    for sezione in SEZIONI:
        modulo = modulo_indicatori(f"{sezione}.indicators")
        if modulo is not None:
            moduli[sezione] = modulo
    return moduli


def _ordina(sezione: str, figure: dict) -> dict:
    """The app's answer with the documented keys first, in the documented order."""
    chiavi = SEZIONI[sezione]
    ordinato = {k: figure[k] for k in chiavi if k in figure}
    ordinato.update({k: v for k, v in figure.items() if k not in ordinato})
    return ordinato


def risolvi_quartieri(codici=None) -> list[Quartiere]:
    """The quartieri named by ``codici`` (all of them when none), sorted by code.

    Raises :class:`ErroreIndicatori` naming every unknown code.
    """
    qs = Quartiere.objects.only("pk", "codice", "nome").order_by("codice")
    if not codici:
        return list(qs)
    richiesti = list(dict.fromkeys(codici))
    trovati = list(qs.filter(codice__in=richiesti))
    sconosciuti = sorted(set(richiesti) - {q.codice for q in trovati})
    if sconosciuti:
        raise ErroreIndicatori(
            _("quartiere sconosciuto: %(codici)s") % {"codici": ", ".join(sconosciuti)}
        )
    return trovati


def verifica_periodo(dal: date, al: date) -> None:
    if dal > al:
        raise ErroreIndicatori(
            _("la data di inizio (%(dal)s) è successiva alla data di fine (%(al)s)")
            % {"dal": dal.isoformat(), "al": al.isoformat()}
        )


def _argomento(quartieri: list[Quartiere], tutti: bool):
    # ``None`` (no filter) when every quartiere is chosen: the apps then skip the filter
    # and also count records tied to no quartiere. Otherwise the objects themselves: a
    # list of ids plans better in PostgreSQL than an ``IN (SELECT ...)`` subquery.
    return None if tutti else list(quartieri)


def sono_tutti(quartieri: list[Quartiere]) -> bool:
    """Whether ``quartieri`` is every quartiere there is (one query).

    An empty choice is never "all": it must give zeros, not the unfiltered figures.
    """
    if not quartieri:
        return False
    return len({q.pk for q in quartieri}) == Quartiere.objects.count()


def componi(
    dal: date, al: date, quartieri: list[Quartiere], moduli=None, tutti: bool | None = None
) -> dict:
    """The figures for ``quartieri`` (already resolved and in the caller's scope).

    ``tutti`` says whether they are every quartiere (computed when not given).
    """
    verifica_periodo(dal, al)
    moduli = sezioni_disponibili() if moduli is None else moduli
    tutti = sono_tutti(quartieri) if tutti is None else tutti
    scelta = _argomento(quartieri, tutti)
    risultato: dict = {
        "periodo": {"dal": dal, "al": al},
        "quartieri": [q.codice for q in quartieri],
    }
    for sezione in SEZIONI:
        modulo = moduli.get(sezione)
        risultato[sezione] = (
            None if modulo is None else _ordina(sezione, modulo.calcola(dal, al, scelta))
        )
    return risultato


def indicatori(dal: date, al: date, quartieri_codici=None) -> dict:
    """The documented figures for a period and a set of quartieri (all when none).

    Keys: ``periodo``, ``quartieri``, ``segnalazioni``, ``mediazione``, ``laboratori``,
    ``patti``, ``abitare``; a section is ``None`` when its app has no indicators in this
    installation.
    Raises :class:`ErroreIndicatori` for an unknown quartiere or ``dal`` after ``al``.
    """
    verifica_periodo(dal, al)
    quartieri = risolvi_quartieri(quartieri_codici)
    return componi(dal, al, quartieri, tutti=not quartieri_codici or sono_tutti(quartieri))


def attivita_operatori(
    dal: date, al: date, quartieri: list[Quartiere], tutti: bool = False
) -> dict | None:
    """The diary figures of the core (issue 7), or ``None`` when the diary does not exist."""
    modulo = modulo_indicatori(MODULO_DIARIO)
    if modulo is None or not hasattr(modulo, "calcola"):
        return None
    return modulo.calcola(dal, al, _argomento(quartieri, tutti))


# --- Periods ----------------------------------------------------------------------------------


def periodo_precedente(dal: date, al: date) -> tuple[date, date]:
    """The period of the same length that ends the day before ``dal``.

    A period of whole months (from the 1st of a month to the last day of a month) is
    compared with the same number of whole months before it, so that a calendar year
    is compared with the previous calendar year; any other period with the same
    number of days.
    """
    if dal.day == 1 and (al + timedelta(days=1)).day == 1:
        mesi = (al.year - dal.year) * 12 + al.month - dal.month + 1
        return _aggiungi_mesi(dal, -mesi), dal - timedelta(days=1)
    giorni = (al - dal).days + 1
    fine = dal - timedelta(days=1)
    return fine - timedelta(days=giorni - 1), fine


def _un_anno_prima(giorno: date) -> date:
    try:
        return giorno.replace(year=giorno.year - 1)
    except ValueError:  # 29 February
        return giorno.replace(year=giorno.year - 1, day=28)


def stesso_periodo_anno_precedente(dal: date, al: date) -> tuple[date, date]:
    """The same days one year earlier (29 February becomes the 28th)."""
    return _un_anno_prima(dal), _un_anno_prima(al)


# How a period is compared (the dashboard's and the command's ``confronto``).
ANNO_PRECEDENTE, PRECEDENTE, SCELTO = "anno_precedente", "precedente", "scelto"
CONFRONTI = (ANNO_PRECEDENTE, PRECEDENTE, SCELTO)


def confronto_predefinito(dal: date, al: date) -> str:
    """A year to date (from 1 January, within one year) is compared with the same months
    of the year before; any other period with the period of equal length before it."""
    if (dal.month, dal.day) == (1, 1) and al.year == dal.year:
        return ANNO_PRECEDENTE
    return PRECEDENTE


def periodo_di_confronto(
    dal: date, al: date, modo: str | None = None, scelto: tuple[date, date] | None = None
) -> tuple[str, date, date]:
    """``(modo, dal, al)`` of the comparison period; ``modo`` ``None`` is the default one.

    Raises :class:`ErroreIndicatori` for an unknown ``modo`` or a chosen period missing or
    reversed.
    """
    modo = modo or confronto_predefinito(dal, al)
    if modo == ANNO_PRECEDENTE:
        return (modo, *stesso_periodo_anno_precedente(dal, al))
    if modo == PRECEDENTE:
        return (modo, *periodo_precedente(dal, al))
    if modo == SCELTO:
        if not scelto or None in scelto:
            raise ErroreIndicatori(_("manca il periodo di confronto"))
        verifica_periodo(*scelto)
        return (modo, *scelto)
    raise ErroreIndicatori(_("confronto sconosciuto: %(modo)s") % {"modo": modo})


@dataclass(frozen=True)
class Intervallo:
    dal: date
    al: date
    etichetta: str


def _aggiungi_mesi(giorno: date, mesi: int) -> date:
    indice = giorno.year * 12 + giorno.month - 1 + mesi
    return date(indice // 12, indice % 12 + 1, 1)


def suddividi(dal: date, al: date, massimo: int = 12) -> list[Intervallo]:
    """Split a period into at most ``massimo`` consecutive slices for a trend line.

    Days, weeks, months, quarters or years, whichever is the finest unit that gives no
    more than ``massimo`` slices; the first and last slices are cut to the period.
    """
    giorni = (al - dal).days + 1
    if giorni <= massimo:
        return [Intervallo(d, d, f"{d:%d/%m}") for d in (dal + timedelta(n) for n in range(giorni))]
    if giorni <= massimo * 7:
        fette = []
        inizio = dal
        while inizio <= al:
            fine = min(inizio + timedelta(days=6), al)
            fette.append(Intervallo(inizio, fine, f"{inizio:%d/%m}"))
            inizio = fine + timedelta(days=1)
        return fette
    mesi = (al.year - dal.year) * 12 + al.month - dal.month + 1
    for passo in (1, 3, 12):
        if -(-mesi // passo) <= massimo or passo == 12:
            break
    fette = []
    inizio = date(dal.year, dal.month, 1)
    if passo == 3:
        inizio = date(dal.year, (dal.month - 1) // 3 * 3 + 1, 1)
    elif passo == 12:
        inizio = date(dal.year, 1, 1)
    while inizio <= al:
        prossimo = _aggiungi_mesi(inizio, passo)
        da, a = max(inizio, dal), min(prossimo - timedelta(days=1), al)
        if passo == 1:
            etichetta = f"{inizio:%m/%y}"
        elif passo == 3:
            etichetta = f"T{(inizio.month - 1) // 3 + 1} {inizio.year}"
        else:
            etichetta = str(inizio.year)
        fette.append(Intervallo(da, a, etichetta))
        inizio = prossimo
    if len(fette) > massimo:
        # More than ``massimo`` years: keep the most recent ones, the trend is about now.
        fette = fette[-massimo:]
    return fette


# --- Serialisation ----------------------------------------------------------------------------


def valore_json(valore):
    """JSON-ready values: dates in ISO, amounts as strings with two decimals."""
    if isinstance(valore, dict):
        return {str(k): valore_json(v) for k, v in valore.items()}
    if isinstance(valore, (list, tuple)):
        return [valore_json(v) for v in valore]
    if isinstance(valore, Decimal):
        return f"{valore:.2f}"
    if isinstance(valore, date):
        return valore.isoformat()
    return valore


def in_json(figure: dict) -> str:
    return json.dumps(valore_json(figure), ensure_ascii=False, indent=2) + "\n"
