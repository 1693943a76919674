"""``manage.py worker`` survives a database outage: a real worker process reaches the test
PostgreSQL through a TCP relay that the test cuts (every connection dropped, new ones
refused, as while PostgreSQL restarts) and then restores."""

from __future__ import annotations

import contextlib
import os
import select
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from django.test import override_settings

ROOT = Path(__file__).resolve().parents[2]


class Staffetta:
    """A TCP relay from 127.0.0.1:<porta> to the server's Unix socket, that can be cut."""

    def __init__(self, socket_pg: str):
        self.socket_pg = socket_pg
        self.porta = None
        self._aperte: list[socket.socket] = []
        self._ascolto = None
        self._attiva = False

    def apri(self):
        self._ascolto = socket.socket()
        self._ascolto.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._ascolto.bind(("127.0.0.1", self.porta or 0))
        self.porta = self._ascolto.getsockname()[1]
        self._ascolto.listen()
        self._attiva = True
        threading.Thread(target=self._accetta, args=(self._ascolto,), daemon=True).start()

    def taglia(self):
        self._attiva = False
        self._ascolto.close()
        for s in self._aperte:
            with contextlib.suppress(OSError):
                s.shutdown(socket.SHUT_RDWR)
            s.close()
        self._aperte.clear()

    def _accetta(self, ascolto):
        while self._attiva:
            try:
                cliente, _ = ascolto.accept()
            except OSError:
                return
            server = socket.socket(socket.AF_UNIX)
            server.connect(self.socket_pg)
            self._aperte += [cliente, server]
            threading.Thread(target=self._inoltra, args=(cliente, server), daemon=True).start()

    @staticmethod
    def _inoltra(a, b):
        try:
            while True:
                pronti, _, _ = select.select([a, b], [], [], 1)
                for s in pronti:
                    dati = s.recv(65536)
                    if not dati:
                        return
                    (b if s is a else a).sendall(dati)
        except (OSError, ValueError):
            # The cut closed the sockets: select() then sees a descriptor of -1 (ValueError)
            # or the socket fails (OSError); either way this connection is over.
            return


def _attendi(condizione, secondi, messaggio):
    scadenza = time.monotonic() + secondi
    while not condizione():
        assert time.monotonic() < scadenza, messaggio()
        time.sleep(0.2)


@pytest.mark.django_db(transaction=True)
def test_il_worker_sopravvive_a_un_interruzione_del_database(tmp_path):
    from django.conf import settings
    from django_tasks_db.models import DBTaskResult

    from quartiere.calendario.services import invia_email_prenotazione

    db = settings.DATABASES["default"]
    if not db["HOST"].startswith("/"):
        pytest.fail("this test relays the embedded server's Unix socket (DATABASE_URL unset)")
    staffetta = Staffetta(os.path.join(db["HOST"], f".s.PGSQL.{db['PORT'] or 5432}"))
    staffetta.apri()
    ambiente = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "quartiere.settings",
        "DJANGO_DEBUG": "1",
        "QUARTIERE_NO_EMBEDDED_DB": "1",
        "QUARTIERE_VAR_DIR": str(tmp_path),
        "DATABASE_URL": f"postgres://{db['USER']}@127.0.0.1:{staffetta.porta}/{db['NAME']}",
    }
    errori = tmp_path / "stderr.txt"
    with errori.open("wb") as stderr:
        worker = subprocess.Popen(  # noqa: S603 - our own manage.py
            [sys.executable, "manage.py", "worker", "--interval", "0.2"]
            + ["--no-startup-delay", "--no-reload"],
            cwd=ROOT,
            env=ambiente,
            stdout=subprocess.DEVNULL,
            stderr=stderr,
        )
    backend_db = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

    def svolto(risultato):
        return lambda: DBTaskResult.objects.get(pk=risultato.id).status == "SUCCESSFUL"

    try:
        with override_settings(TASKS=backend_db):
            primo = invia_email_prenotazione.enqueue([], "confermata")
        _attendi(svolto(primo), 60, errori.read_text)

        staffetta.taglia()
        _attendi(lambda: "non raggiungibile" in errori.read_text(), 30, errori.read_text)
        time.sleep(2)  # at least one more failed attempt
        assert worker.poll() is None, errori.read_text()

        staffetta.apri()
        with override_settings(TASKS=backend_db):
            secondo = invia_email_prenotazione.enqueue([], "confermata")
        _attendi(svolto(secondo), 60, errori.read_text)
        assert worker.poll() is None, errori.read_text()
    finally:
        worker.terminate()
        try:
            worker.wait(timeout=15)
        except subprocess.TimeoutExpired:
            worker.kill()
        staffetta.taglia()
