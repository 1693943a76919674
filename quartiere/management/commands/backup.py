"""``manage.py backup``: the database and the uploaded files in one archive with a manifest.

See ``quartiere/ops/backup.py`` and docs/operations.md.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from quartiere.ops import backup


class Command(BaseCommand):
    help = (
        "Scrive in var/backups/ un archivio con il dump del database (pg_dump, formato custom), "
        "i file caricati e un manifest (versione, migrazioni, righe per tabella, sha256)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--cartella",
            type=Path,
            help="Cartella in cui scrivere l'archivio (predefinita: var/backups/).",
        )
        parser.add_argument("--database", default="default", help="Alias del database.")

    def handle(self, *args, **options):
        self.verbosity = options["verbosity"]
        try:
            esito = backup.crea_backup(
                options["cartella"], alias=options["database"], log=self._log
            )
        except backup.ErroreBackup as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(str(esito.archivio)))

    def _log(self, messaggio):
        if self.verbosity >= 1:
            self.stderr.write(messaggio)
