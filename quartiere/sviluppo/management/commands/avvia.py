"""``manage.py avvia``: what ``make run`` does after installing.

Migrates, creates the cache table, loads the demo data (idempotent), prints the URL
and the demo accounts, then serves the app with the task worker beside it (started again
if it ever exits). Ctrl-C, SIGTERM (``kill``, ``timeout``) and closing the terminal stop
both; the embedded database stops with the last process that uses it.
"""

import signal
import subprocess
import sys
import threading

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
        worker = Sorvegliante(
            [sys.executable, str(settings.BASE_DIR / "manage.py"), "worker"]
            + ["--interval", "1", "--no-reload"],
            self.stderr,
        )
        worker.start()
        try:
            call_command("runserver", options["indirizzo"], use_reloader=False)
        except KeyboardInterrupt:
            pass
        finally:
            worker.ferma()


class Sorvegliante(threading.Thread):
    """Runs the task worker and starts it again whenever it exits, until ``ferma()``.

    The worker already outlives a database outage (``manage.py worker``); this covers
    whatever else ends it (a crash, an out-of-memory kill), so that e-mails keep going out
    while ``make run`` is up.
    """

    def __init__(self, comando: list[str], stderr):
        super().__init__(daemon=True)
        self.comando = comando
        self.stderr = stderr
        self.processo: subprocess.Popen | None = None
        self._fermo = threading.Event()
        self._lock = threading.Lock()

    def run(self):
        while True:
            with self._lock:
                if self._fermo.is_set():
                    return
                self.processo = subprocess.Popen(self.comando)  # noqa: S603 - our manage.py
            codice = self.processo.wait()
            if self._fermo.is_set():
                return
            self.stderr.write(f"Il worker è terminato (codice {codice}): lo riavvio.")
            self._fermo.wait(1)

    def ferma(self):
        with self._lock:
            self._fermo.set()
            processo = self.processo
        if processo is not None and processo.poll() is None:
            processo.terminate()
            try:
                processo.wait(timeout=10)
            except subprocess.TimeoutExpired:
                processo.kill()
        self.join(timeout=5)
