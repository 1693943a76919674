"""An export of the whole worklist arrives whole however long it streams, and a cut one is
never taken for complete (issue 28).

A real gunicorn, started as the deployment starts it (``gunicorn.conf.py`` from the
checkout), serves the test database with a timeout far shorter than the export: the CSV
of every report comes out complete, each row once. The same export from a sync worker, the
configuration the README named before, is cut by the timeout; the client sees the cut (the
chunked body lacks its end) instead of a shorter file that looks complete.
"""

from __future__ import annotations

import http.client
import os
import subprocess
import time
from types import SimpleNamespace

import pytest
from django.conf import settings as conf
from django.core.management import call_command
from django.db import connection, models

from bench import harness
from segnalazioni.models import Segnalazione
from tests import factories
from tests.segnalazioni.factories import SegnalazioneFactory

TIMEOUT = 2  # seconds: gunicorn's worker timeout in this test
# Enough rows that the export lasts well over twice the timeout on a fast machine too (a
# run measured 4.0 s with 35,000 rows, at the limit).
RIGHE = 60_000


def _moltiplica(modello: Segnalazione, quante: int) -> None:
    """``quante`` copies of one report, written by one INSERT … SELECT (only the tracking
    code, the one unique column, differs)."""
    campi = [
        f.column
        for f in Segnalazione._meta.concrete_fields
        if not f.primary_key and f.name != "codice" and not isinstance(f, models.GeneratedField)
    ]
    elenco = ", ".join(f'"{c}"' for c in campi)
    with connection.cursor() as c:
        c.execute(
            f"INSERT INTO segnalazioni_segnalazione ({elenco}, codice) "
            f"SELECT {elenco}, 'X' || lpad(g::text, 13, '0') "
            "FROM segnalazioni_segnalazione, generate_series(1, %s) AS g WHERE id = %s",
            [quante, modello.pk],
        )


def _avvia(tmp_path, *opzioni) -> tuple[subprocess.Popen, int]:
    porta = harness.porta_libera()
    # The test's own key: the session it made must be valid for gunicorn.
    env = harness.ambiente(
        SimpleNamespace(dati=str(tmp_path / "var"), database_url=None), conf.SECRET_KEY
    )
    env["DATABASE_URL"] = harness.url_database(conf.DATABASES["default"])
    ambiente = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    processo = subprocess.Popen(  # noqa: S603
        [
            str(harness.BIN / "gunicorn"),
            "quartiere.wsgi",
            "--bind",
            f"127.0.0.1:{porta}",
            "--workers",
            "1",
            "--timeout",
            str(TIMEOUT),
            *opzioni,
        ],
        cwd=harness.RADICE,
        env={**ambiente, **env},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    scadenza = time.monotonic() + 60
    while time.monotonic() < scadenza:
        assert processo.poll() is None, processo.stderr.read().decode()[-3000:]
        try:
            prova = http.client.HTTPConnection("127.0.0.1", porta, timeout=5)
            prova.request("GET", "/healthz")
            if prova.getresponse().status == 200:
                return processo, porta
        except OSError:
            pass
        time.sleep(0.3)
    processo.kill()
    raise AssertionError("gunicorn non risponde")


class EsportazioneFallita(Exception):
    """The server answered the export with an error status instead of the file."""


def _scarica(porta: int, sessione: str) -> tuple[int, bytes, float]:
    """GET the CSV export; return the status, the body and the seconds it took. A body cut
    short raises ``http.client.IncompleteRead``, an error status :class:`EsportazioneFallita`."""
    inizio = time.monotonic()
    conn = http.client.HTTPConnection("127.0.0.1", porta, timeout=120)
    conn.request(
        "GET", "/segnalazioni/lavoro/esporta.csv", headers={"Cookie": f"sessionid={sessione}"}
    )
    risposta = conn.getresponse()
    if risposta.status >= 500:
        raise EsportazioneFallita(risposta.status)
    assert risposta.status == 200, (risposta.status, risposta.getheader("Location"))
    corpo = risposta.read()
    return risposta.status, corpo, time.monotonic() - inizio


@pytest.mark.django_db(transaction=True)
def test_l_esportazione_arriva_intera_oltre_il_timeout(tmp_path, quartieri, settings):
    # Production asks coordinators for the second factor: the session carries it.
    settings.QUARTIERE_2FA_GRUPPI = ["coordinatore"]
    call_command("createcachetable", verbosity=0)
    factories.utente("coordinatore", "coord-esporta", is_staff=True)
    _moltiplica(SegnalazioneFactory(quartiere=quartieri["san-siro"]), RIGHE - 1)
    attese = Segnalazione.objects.count()
    assert attese == RIGHE
    _utente, sessione = harness.sessione_coordinatore()

    processo, porta = _avvia(tmp_path)
    try:
        stato, corpo, secondi = _scarica(porta, sessione)
    finally:
        processo.terminate()
        processo.wait(timeout=30)
    assert stato == 200
    # The proof only holds if the export outlasted the timeout by far.
    assert secondi > 2 * TIMEOUT, f"esportazione troppo rapida ({secondi:.1f} s): alza RIGHE"
    righe = corpo.decode("utf-8-sig").splitlines()
    assert len(righe) == attese + 1  # the header, then every report once
    assert corpo.endswith(b"\r\n")
    identificativi = {r.split(";", 1)[0] for r in righe[1:]}
    assert len(identificativi) == attese

    # The configuration the README used to give: a sync worker, cut by the timeout. The
    # client is told: the chunked body ends without its last chunk or, when the machine is
    # so busy that the timeout strikes before the first chunk, the answer is an error.
    # (gunicorn turns a sync worker with threads into gthread: one thread, then.)
    processo, porta = _avvia(tmp_path, "--worker-class", "sync", "--threads", "1")
    try:
        with pytest.raises((http.client.IncompleteRead, ConnectionError, EsportazioneFallita)):
            _scarica(porta, sessione)
    finally:
        processo.terminate()
        processo.wait(timeout=30)
