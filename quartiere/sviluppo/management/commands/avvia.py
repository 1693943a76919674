"""``manage.py avvia``: what ``make run`` does after installing.

Migrates, creates the cache table, loads the demo data (idempotent), prints the URL
and the demo accounts, then serves the app with the task worker beside it. Ctrl-C,
SIGTERM (``kill``, ``timeout``) and closing the terminal stop both; the embedded
database stops with the last process that uses it.
"""

import signal
import subprocess
import sys

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from quartiere.sviluppo.demo import ACCOUNT, PASSWORD_DEMO


class Command(BaseCommand):
    help = "Prepara il database e avvia il server di sviluppo con il worker delle code."

    def add_arguments(self, parser):
        parser.add_argument("indirizzo", nargs="?", default="127.0.0.1:8000")
        parser.add_argument("--senza-demo", action="store_true", help="Non caricare i dati demo.")

    def handle(self, *args, **options):
        call_command("migrate", interactive=False, verbosity=0)
        call_command("createcachetable", verbosity=0)
        if not options["senza_demo"]:
            call_command("seed_demo")
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS(f"Quartiere: http://{options['indirizzo']}/"))
        self.stdout.write(f"Account dimostrativi (password «{PASSWORD_DEMO}»):")
        for username, _nome, _cognome, gruppo, _superuser, quartieri in ACCOUNT:
            dove = f" — {', '.join(quartieri)}" if quartieri else ""
            self.stdout.write(f"  {username:<24} {gruppo}{dove}")
        self.stdout.write("Ctrl-C per fermare server, worker e database.\n")
        # Without a handler SIGTERM ends Python before `finally`, and the worker lives on.
        for segnale in (signal.SIGTERM, signal.SIGHUP):
            signal.signal(segnale, signal.default_int_handler)
        # No reloader, as for runserver: it would be a second process that terminate()
        # does not reach.
        worker = subprocess.Popen(  # noqa: S603 - our own manage.py
            [sys.executable, str(settings.BASE_DIR / "manage.py"), "db_worker"]
            + ["--interval", "1", "--no-reload"]
        )
        try:
            call_command("runserver", options["indirizzo"], use_reloader=False)
        except KeyboardInterrupt:
            pass
        finally:
            worker.terminate()
            try:
                worker.wait(timeout=10)
            except subprocess.TimeoutExpired:
                worker.kill()
