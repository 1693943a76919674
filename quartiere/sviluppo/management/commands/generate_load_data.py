"""``manage.py generate_load_data``: fill the database with realistic generated data.

    generate_load_data --scale S [--seed N] [--fino-al AAAA-MM-GG] [--force]

At ``--scale 1``: 30 quartieri, 50,000 persons, 200,000 reports with 1,000,000 timeline
entries and the rest listed in docs/performance.md; counts scale linearly (at least one
of each). The same seed, scale and end date give the same data. It empties the domain
tables first, so it refuses (one line on stderr, exit status 2) a database that holds
data it did not generate, unless ``--force`` is given. Never on a real installation.
"""

from __future__ import annotations

from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from quartiere.sviluppo import carico


def _scala(testo: str) -> float:
    try:
        valore = float(testo)
    except ValueError:
        valore = -1.0
    if not 0 < valore <= 100:
        raise CommandError(
            f"--scale deve essere un numero tra 0 e 100, non {testo!r}", returncode=2
        )
    return valore


class Command(BaseCommand):
    help = "Riempie il database con dati generati per le prove di carico (deterministici)."

    def add_arguments(self, parser):
        parser.add_argument("--scale", required=True, help="1 = la dimensione di un grande Comune")
        parser.add_argument("--seed", type=int, default=1, help="seme (stesso seme, stessi dati)")
        parser.add_argument(
            "--fino-al",
            help="ultimo giorno dei cinque anni generati, AAAA-MM-GG (predefinito: oggi)",
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="svuota il database anche se contiene dati non generati (mai in produzione)",
        )

    def handle(self, *args, **options):
        scala = _scala(options["scale"])
        try:
            fino_al = (
                date.fromisoformat(options["fino_al"])
                if options["fino_al"]
                else timezone.localdate()
            )
        except ValueError as exc:
            raise CommandError(
                f"--fino-al non valida: {options['fino_al']!r}", returncode=2
            ) from exc
        note = []

        def nota(testo):
            note.append(testo)
            if options["verbosity"] >= 1:
                self.stdout.write(f"  {testo}")

        try:
            riepilogo = carico.genera(
                scala=scala,
                seme=options["seed"],
                fino_al=fino_al,
                forza=options["force"],
                nota=nota,
            )
        except carico.DatiNonGenerati as exc:
            raise CommandError(
                f"{exc}; rifiuto di svuotarlo (usa --force solo su un database di prova)",
                returncode=2,
            ) from exc
        if options["verbosity"] >= 1:
            for chiave, valore in riepilogo["conteggi"].items():
                self.stdout.write(f"{chiave:>20}: {valore:>9,}".replace(",", "."))
            self.stdout.write(
                self.style.SUCCESS(
                    f"Generate {riepilogo['righe']:,} righe in {riepilogo['secondi']} s "
                    f"(scala {scala}, seme {options['seed']}, fino al {fino_al})."
                )
            )
