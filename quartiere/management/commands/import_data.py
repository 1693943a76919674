"""``manage.py import_data DIR``: import the spreadsheets in DIR (format: docs/import.md).

Everything or nothing: on any bad row the complete list of ``file:line: column: message``
errors goes to stderr, nothing is written and the command exits with status 2.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from quartiere.importazione import file_trovati, fogli, importa


class Command(BaseCommand):
    help = (
        "Importa i fogli CSV o XLSX di una cartella (quartieri, organizzazioni, persone, "
        "laboratori, incontri, presenze, patti, firmatari, progetti e quelli che le app "
        "registrano): tutto o niente. Vedi docs/import.md."
    )

    def add_arguments(self, parser):
        parser.add_argument("cartella", help="Cartella che contiene i file CSV o XLSX.")
        parser.add_argument(
            "--solo-verifica",
            action="store_true",
            help="Controlla i file e segnala gli errori senza scrivere nulla.",
        )

    def handle(self, *args, cartella, solo_verifica=False, **options):
        percorso = Path(cartella)
        if not percorso.is_dir():
            raise CommandError(f"{cartella}: non è una cartella", returncode=2)
        trovati = file_trovati(percorso)
        if not trovati:
            previsti = ", ".join(fogli())
            raise CommandError(
                f"{cartella}: nessuno dei file previsti ({previsti}, o gli stessi in .xlsx)",
                returncode=2,
            )
        esito = importa(percorso, scrivi=not solo_verifica)
        if esito.errori:
            for errore in esito.errori:
                self.stderr.write(str(errore))
            raise CommandError(
                f"{len(esito.errori)} errori: non è stato importato nulla.", returncode=2
            )
        if solo_verifica:
            self.stdout.write(f"File corretti: {', '.join(trovati)}. Nulla è stato scritto.")
            return
        for nome, conteggio in esito.conteggi.items():
            self.stdout.write(
                f"{nome}: {conteggio['creati']} creati, {conteggio['aggiornati']} aggiornati, "
                f"{conteggio['invariati']} invariati"
            )
        self.stdout.write(self.style.SUCCESS("Importazione completata."))
