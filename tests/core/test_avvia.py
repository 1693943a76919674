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

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _discendenti(pid: int) -> set[int]:
    """The processes below ``pid``, read from /proc."""
    figli: dict[int, list[int]] = {}
    for voce in Path("/proc").iterdir():
        if not voce.name.isdigit():
            continue
        try:
            stat = (voce / "stat").read_text()
        except OSError:  # ended while we read
            continue
        # The second field, the name, is in parentheses and may hold spaces.
        padre = int(stat.rsplit(")", 1)[1].split()[1])
        figli.setdefault(padre, []).append(int(voce.name))
    trovati: set[int] = set()
    da_vedere = [pid]
    while da_vedere:
        for figlio in figli.get(da_vedere.pop(), []):
            trovati.add(figlio)
            da_vedere.append(figlio)
    return trovati


def _vivo(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"  # a zombie has already ended


def _porta_libera() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.parametrize("segnale", [signal.SIGTERM, signal.SIGHUP], ids=["SIGTERM", "SIGHUP"])
def test_avvia_serve_e_fermato_non_lascia_il_worker(django_db_setup, tmp_path, segnale):
    from django.conf import settings

    db = settings.DATABASES["default"]
    porta = _porta_libera()
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
    sotto: set[int] = set()
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
        assert not [pid for pid in sotto if _vivo(pid)], "the worker outlived the server"
    finally:  # a failed run must not leave processes to the next tests
        for pid in sotto | _discendenti(processo.pid):
            if _vivo(pid):
                os.kill(pid, signal.SIGKILL)
        if processo.poll() is None:
            processo.kill()
            processo.wait()
