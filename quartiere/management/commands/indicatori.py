"""``manage.py indicatori``: the figures of a period as JSON, CSV or PDF (a public contract).

    indicatori --dal YYYY-MM-DD --al YYYY-MM-DD [--quartiere CODICE ...]
               --format json|csv|pdf [--output FILE]
               [--confronto anno_precedente|precedente]   (PDF only)

Bad dates, ``dal`` after ``al``, an unknown quartiere or a bad option: one line on
stderr and exit status 2. See docs/indicatori.md.
"""

from __future__ import annotations

import sys
from datetime import date

from django.core.management.base import BaseCommand, CommandError

from quartiere.ops.replica import letture_dalla_replica
from quartiere.relazioni import ErroreIndicatori, in_json, indicatori, risolvi_quartieri
from quartiere.relazioni.figure import ANNO_PRECEDENTE, PRECEDENTE, verifica_periodo

FORMATI = ("json", "csv", "pdf")


def _data(testo: str, opzione: str) -> date:
    try:
        return date.fromisoformat(testo)
    except ValueError:
        pass
    raise CommandError(
        f"data non valida per {opzione}: {testo!r} (formato AAAA-MM-GG)", returncode=2
    )


class Command(BaseCommand):
    help = "Gli indicatori del servizio per un periodo e un insieme di quartieri."
    requires_system_checks: list = []

    def create_parser(self, prog_name, subcommand, **kwargs):
        parser = super().create_parser(prog_name, subcommand, **kwargs)

        def errore(messaggio):
            # argparse prints the whole usage first; the contract is one line and exit 2.
            if parser.called_from_command_line:
                sys.stderr.write(f"{prog_name} {subcommand}: errore: {messaggio}\n")
                sys.exit(2)
            raise CommandError(messaggio, returncode=2)

        parser.error = errore
        return parser

    def add_arguments(self, parser):
        parser.add_argument("--dal", required=True, help="inizio del periodo, AAAA-MM-GG")
        parser.add_argument("--al", required=True, help="fine del periodo (compresa), AAAA-MM-GG")
        parser.add_argument(
            "--quartiere",
            action="append",
            metavar="CODICE",
            help="codice di un quartiere; si può ripetere (nessuno: tutti)",
        )
        parser.add_argument("--format", required=True, choices=FORMATI, dest="formato")
        parser.add_argument("--output", metavar="FILE", help="file da scrivere (nessuno: stdout)")
        parser.add_argument(
            "--confronto",
            choices=(ANNO_PRECEDENTE, PRECEDENTE),
            help=(
                "periodo di confronto della relazione PDF (nessuno: dall'inizio dell'anno lo "
                "stesso periodo dell'anno precedente, altrimenti il periodo precedente)"
            ),
        )

    def handle(self, *args, **options):
        dal = _data(options["dal"], "--dal")
        al = _data(options["al"], "--al")
        codici = options["quartiere"]
        # The figures read from the read replica, when one is configured.
        with letture_dalla_replica():
            try:
                if options["formato"] == "pdf":
                    from quartiere.relazioni.pdf import pdf_relazione

                    verifica_periodo(dal, al)
                    contenuto: bytes | str = pdf_relazione(
                        dal, al, risolvi_quartieri(codici), modo_confronto=options["confronto"]
                    )
                else:
                    figure = indicatori(dal, al, codici)
                    if options["formato"] == "json":
                        contenuto = in_json(figure)
                    else:
                        from quartiere.relazioni.esporta import csv_figure

                        contenuto = csv_figure(figure)
            except ErroreIndicatori as exc:
                raise CommandError(str(exc), returncode=2) from exc
        self._scrivi(contenuto, options["output"])

    def _scrivi(self, contenuto: bytes | str, percorso: str | None) -> None:
        dati = contenuto.encode() if isinstance(contenuto, str) else contenuto
        if percorso:
            try:
                with open(percorso, "wb") as file:
                    file.write(dati)
            except OSError as exc:
                raise CommandError(
                    f"impossibile scrivere {percorso}: {exc.strerror}", returncode=1
                ) from exc
            return
        if isinstance(contenuto, str):
            self.stdout.write(contenuto, ending="")
            return
        uscita = getattr(self.stdout, "_out", sys.stdout)
        uscita.flush()
        binario = getattr(uscita, "buffer", uscita)
        binario.write(dati)
        binario.flush()
