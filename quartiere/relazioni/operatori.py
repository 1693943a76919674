"""The operators' activity (the diary's figures) arranged for the dashboard and the PDF.

Both show the same tables from :func:`quadro`: the summary, hours per kind of activity and
per quartiere, and the presence per week against the days a week the service must be open
(``settings.QUARTIERE_GIORNI_PRESENZA_SETTIMANA``: the Latina service requires five).
Every week of the period is listed, the weeks without any entry too: those are the misses
that matter.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.utils.translation import gettext as _

from quartiere.relazioni import grafici
from quartiere.relazioni.tabelle import Riga, etichette_voci, formatta


@dataclass(frozen=True)
class Settimana:
    dal: date  # the Monday, or the period's first day
    al: date  # the Friday, or the period's last day
    giorni: int
    giorni_persona: int
    operatori: int
    richiesti: int

    @property
    def sotto(self) -> bool:
        return self.giorni < self.richiesti


def giorni_feriali(dal: date, al: date) -> int:
    """Monday-to-Friday days of [dal, al]."""
    return sum(1 for n in range((al - dal).days + 1) if (dal + timedelta(n)).weekday() < 5)


def settimane(figure: dict, dal: date, al: date, richiesti: int) -> list[Settimana]:
    """Every week that meets [dal, al], with its presence (zeros for a week without
    entries) and the days required in the part of it inside the period."""
    per_lunedi = {r["settimana"]: r for r in figure.get("presenza_per_settimana") or []}
    risultato = []
    lunedi = dal - timedelta(days=dal.weekday())
    while lunedi <= al:
        inizio, fine = max(lunedi, dal), min(lunedi + timedelta(days=6), al)
        riga = per_lunedi.get(lunedi, {})
        risultato.append(
            Settimana(
                inizio,
                fine,
                riga.get("giorni", 0),
                riga.get("giorni_persona", 0),
                riga.get("operatori", 0),
                min(richiesti, giorni_feriali(inizio, fine)),
            )
        )
        lunedi += timedelta(days=7)
    return risultato


def quadro(figure: dict | None, dal: date, al: date, larghezza: int = 640) -> dict | None:
    """The diary figures arranged as tables, with the bar charts of the hours per kind and
    per quartiere ``larghezza`` wide; unknown keys are left out, not guessed."""
    if not figure:
        return None
    richiesti = settings.QUARTIERE_GIORNI_PRESENZA_SETTIMANA
    nomi = {
        "ore_totali": _("Ore di attività registrate"),
        "operatori": _("Operatori che hanno registrato attività"),
        "giorni_presenza": _("Giorni di presenza del servizio"),
        "giorni_persona": _("Giornate-operatore"),
        "prenotazioni_confermate": _("Prenotazioni di sale confermate"),
        "eventi_pubblici": _("Eventi pubblici in sala"),
    }
    sintesi = [Riga(k, str(v), figure[k]) for k, v in nomi.items() if k in figure]
    elenco = settimane(figure, dal, al, richiesti)
    piene = [s for s in elenco if s.richiesti]
    sintesi.append(
        Riga(
            "settimane_al_minimo",
            _("Settimane con almeno %(n)s giorni di presenza (o tutti i feriali del periodo)")
            % {"n": richiesti},
            f"{sum(1 for s in piene if not s.sotto)} / {len(piene)}",
        )
    )
    per_tipo = figure.get("ore_per_tipo") or {}
    voci = etichette_voci("quartiere", per_tipo)
    righe_tipo = [Riga(k, str(voci[k]), v) for k, v in per_tipo.items()]
    righe_quartiere = [
        Riga(
            str(r.get("quartiere_id")),
            # Training, internal meetings: hours of no quartiere, named as such.
            str(r.get("quartiere")) if r.get("quartiere_id") is not None else _("nessun quartiere"),
            r.get("ore"),
        )
        for r in figure.get("ore_per_quartiere") or []
    ]

    def grafico(titolo, righe):
        if not righe:
            return ""
        return grafici.barre(
            titolo, [(r.etichetta, r.valore, None) for r in righe], larghezza=larghezza
        )

    grafico_tipo = grafico(_("Ore per tipo di attività"), righe_tipo)
    grafico_quartiere = grafico(_("Ore per quartiere"), righe_quartiere)
    return {
        "richiesti": richiesti,
        "sintesi": sintesi,
        "per_tipo": righe_tipo,
        "grafico_tipo": grafico_tipo,
        "per_quartiere": righe_quartiere,
        "grafico_quartiere": grafico_quartiere,
        # (title, rows, chart, id, first column's header) for the dashboard's loop.
        "tabelle": [
            (
                _("Ore per tipo di attività"),
                righe_tipo,
                grafico_tipo,
                "operatori-per-tipo",
                _("Tipo di attività"),
            ),
            (
                _("Ore per quartiere"),
                righe_quartiere,
                grafico_quartiere,
                "operatori-per-quartiere",
                _("Quartiere"),
            ),
        ],
        "per_settimana": [
            {
                "settimana": s.dal,
                "al": s.al,
                "giorni": formatta(s.giorni),
                "richiesti": s.richiesti,
                "sotto": s.sotto,
                "giorni_persona": formatta(s.giorni_persona),
                "operatori": formatta(s.operatori),
            }
            for s in elenco
        ],
    }
