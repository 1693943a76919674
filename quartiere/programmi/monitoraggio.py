"""A programme's monitoring report for a period, ready for the funder: the CSV in the
columns of the national open data on cohesion projects (OpenCoesione's names where one
exists) and the PDF. Both read the figures from :mod:`quartiere.programmi.cifre` and the
money from ``Programma.objects.con_avanzamento``: the same numbers as the programme's page.

The CSV has one row per indicator: first the axis's targets (``FONTE_INDICATORE`` =
``obiettivo``: baseline, target, latest measure up to the period's end), then the
activities attributed to the axis in the period (``attivita``: what was done, realised
only), then the unique participants of the axis (``partecipanti``). A programme without
axes still has one row, with its money. Amounts and values use a dot for decimals; dates
are ISO 8601, as open data asks.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from quartiere.programmi.cifre import CifreAsse, contratto, per_asse
from quartiere.programmi.models import Programma

# A public contract (docs/programmi.md): the names and their order do not change.
COLONNE = [
    "COD_LOCALE_PROGETTO",
    "CUP",
    "OC_TITOLO_PROGETTO",
    "STRUMENTO",
    "FINANZIATORE",
    "OC_DATA_INIZIO_PROGETTO",
    "OC_DATA_FINE_PROGETTO_PREVISTA",
    "DATA_INIZIO_PERIODO",
    "DATA_FINE_PERIODO",
    "DATA_AGGIORNAMENTO",
    "FINANZ_PROGRAMMATO",
    "FINANZ_TOTALE_PUBBLICO",
    "IMPEGNI",
    "TOT_PAGAMENTI",
    "COD_ASSE",
    "DESCR_ASSE",
    "FONTE_INDICATORE",
    "DESCR_INDICATORE",
    "UNITA_MISURA",
    "VALORE_BASE_INDICATORE",
    "PROGRAMMATO_INDICATORE",
    "REALIZZATO_INDICATORE",
    "DATA_REALIZZATO",
]


def _numero(valore) -> str:
    if valore is None:
        return ""
    if isinstance(valore, Decimal):
        return format(valore.quantize(Decimal("0.01")), "f")
    return str(valore)


def _data(valore: date | None) -> str:
    return valore.isoformat() if valore else ""


@dataclass
class Monitoraggio:
    programma: Programma
    dal: date
    al: date
    assi: list[CifreAsse]
    creato_il: object


def prepara(programma: Programma, dal: date, al: date) -> Monitoraggio:
    """The programme with its money at ``al`` and what each axis did in [dal, al]."""
    con_soldi = (
        Programma.objects.con_avanzamento(al=al).prefetch_related("quartieri").get(pk=programma.pk)
    )
    assi = per_asse(programma, dal, al)
    contratto(programma, assi)  # each axis's share of the contracts, for the PDF
    return Monitoraggio(con_soldi, dal, al, assi, timezone.now())


def righe(m: Monitoraggio) -> list[dict]:
    p = m.programma
    comuni = {
        "COD_LOCALE_PROGETTO": p.codice,
        "CUP": p.cup or "",
        "OC_TITOLO_PROGETTO": p.nome,
        "STRUMENTO": p.get_strumento_display(),
        "FINANZIATORE": p.finanziatore,
        "OC_DATA_INIZIO_PROGETTO": _data(p.inizio),
        "OC_DATA_FINE_PROGETTO_PREVISTA": _data(p.fine),
        "DATA_INIZIO_PERIODO": _data(m.dal),
        "DATA_FINE_PERIODO": _data(m.al),
        "DATA_AGGIORNAMENTO": _data(timezone.localtime(m.creato_il).date()),
        "FINANZ_PROGRAMMATO": _numero(p.programmato),
        "FINANZ_TOTALE_PUBBLICO": _numero(p.ammesso),
        "IMPEGNI": _numero(p.impegnato),
        "TOT_PAGAMENTI": _numero(p.erogato),
    }
    vuote = dict.fromkeys(COLONNE[COLONNE.index("COD_ASSE") :], "")
    risultato = []
    for c in m.assi:
        asse = {**comuni, **vuote, "COD_ASSE": c.asse.codice, "DESCR_ASSE": c.asse.titolo}
        for i in c.indicatori:
            risultato.append(
                {
                    **asse,
                    "FONTE_INDICATORE": "obiettivo",
                    "DESCR_INDICATORE": i.nome,
                    "UNITA_MISURA": i.unita,
                    "VALORE_BASE_INDICATORE": _numero(i.valore_base),
                    "PROGRAMMATO_INDICATORE": _numero(i.obiettivo),
                    "REALIZZATO_INDICATORE": _numero(i.realizzato),
                    "DATA_REALIZZATO": _data(i.misurato_il),
                }
            )
        for v in c.voci:
            risultato.append(
                {
                    **asse,
                    "FONTE_INDICATORE": "attivita",
                    "DESCR_INDICATORE": str(v.etichetta),
                    "UNITA_MISURA": str(v.unita),
                    "REALIZZATO_INDICATORE": str(v.numero),
                    "DATA_REALIZZATO": _data(m.al),
                }
            )
            if v.ore is not None:
                risultato.append(
                    {
                        **asse,
                        "FONTE_INDICATORE": "attivita",
                        "DESCR_INDICATORE": _("%(voce)s: ore") % {"voce": v.etichetta},
                        "UNITA_MISURA": _("ore"),
                        "REALIZZATO_INDICATORE": _numero(v.ore),
                        "DATA_REALIZZATO": _data(m.al),
                    }
                )
        risultato.append(
            {
                **asse,
                "FONTE_INDICATORE": "partecipanti",
                "DESCR_INDICATORE": _("Persone diverse che hanno partecipato"),
                "UNITA_MISURA": _("persone"),
                "REALIZZATO_INDICATORE": str(c.partecipanti),
                "DATA_REALIZZATO": _data(m.al),
            }
        )
    return risultato or [{**comuni, **vuote}]


def csv_monitoraggio(m: Monitoraggio) -> str:
    with translation.override("it"):
        buffer = io.StringIO()
        scrittore = csv.DictWriter(buffer, fieldnames=COLONNE, lineterminator="\n")
        scrittore.writeheader()
        scrittore.writerows(righe(m))
        return buffer.getvalue()


def pdf_monitoraggio(m: Monitoraggio) -> bytes:
    from weasyprint import HTML  # slow import: only when a PDF is asked for

    with translation.override("it"):
        html = render_to_string(
            "quartiere/pdf/monitoraggio.html",
            {"m": m, "COMUNE_NOME": settings.COMUNE_NOME, "stampa": timezone.localtime()},
        )
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()
