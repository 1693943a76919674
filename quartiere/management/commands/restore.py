"""``manage.py restore FILE``: a backup back into an empty database and media directory.

See ``quartiere/ops/backup.py`` and docs/operations.md.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from quartiere.ops import backup


class Command(BaseCommand):
    help = (
        "Ripristina un archivio di `manage.py backup` in un database VUOTO e nella cartella "
        "dei file caricati (vuota), dopo averlo confrontato con il suo manifest."
    )

    def add_arguments(self, parser):
        parser.add_argument("archivio", type=Path, help="Il file .tar scritto da `backup`.")
        parser.add_argument("--database", default="default", help="Alias del database.")
        parser.add_argument(
            "--nome-database",
            help="Ripristina in questo database dello stesso server invece di quello configurato.",
        )
        parser.add_argument(
            "--media-root",
            type=Path,
            help="Cartella dei file caricati (predefinita: MEDIA_ROOT).",
        )

    def handle(self, *args, **options):
        self.verbosity = options["verbosity"]
        archivio = options["archivio"]
        if not archivio.is_file():
            raise CommandError(f"{archivio}: file non trovato.")
        try:
            esito = backup.ripristina(
                archivio,
                alias=options["database"],
                nome_database=options["nome_database"],
                media_root=options["media_root"],
                log=self._log,
            )
        except backup.ErroreBackup as exc:
            raise CommandError(str(exc)) from exc
        manifest = esito.manifest
        self.stdout.write(
            self.style.SUCCESS(
                f"Ripristino completato: {sum(manifest['tabelle'].values())} righe in "
                f"{len(manifest['tabelle'])} tabelle, {len(manifest['file'])} file."
            )
        )

    def _log(self, messaggio):
        if self.verbosity >= 1:
            self.stderr.write(messaggio)
