"""``manage.py seed_demo``: load the demo data, once.

Each app contributes a ``demo.py`` module with a ``popola(stdout)`` function; they run
in dependency order inside one transaction and are idempotent, so a second run
changes nothing. Demo accounts have the documented password: the command refuses to
run with DEBUG off unless ``--anche-in-produzione`` is given on purpose.
"""

from importlib import import_module

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

# In dependency order: the core first (quartieri, accounts), then the apps.
MODULI = [
    "quartiere.sviluppo.demo",
    "segnalazioni.demo",
    "mediazione.demo",
    "laboratori.demo",
    "patti.demo",
    "abitare.demo",
    # Last: the activities every app made, attributed to the demo programmes' axes.
    "quartiere.sviluppo.demo_programmi",
]


class Command(BaseCommand):
    help = "Carica i dati dimostrativi (idempotente)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--anche-in-produzione",
            action="store_true",
            help="Carica i dati anche con DEBUG disattivato (mai su un'installazione reale).",
        )

    def handle(self, *args, **options):
        if not settings.DEBUG and not options["anche_in_produzione"]:
            raise CommandError(
                "seed_demo crea account con una password nota: si usa solo in sviluppo "
                "(DJANGO_DEBUG=1)."
            )
        with transaction.atomic():
            # A missing module is an error, not a part of the demo silently left out.
            for nome in MODULI:
                import_module(nome).popola(self.stdout)
        self.stdout.write(self.style.SUCCESS("Dati dimostrativi pronti."))
