"""A small Quartiere cluster on this machine, for tests/ops/test_cluster.py (issue 29).

What a Comune runs on several machines, each component a real server of its own: Debian's
PostgreSQL (a primary and a streaming replica made by ``pg_basebackup``), Debian's
redis-server, moto's standalone S3 server (the real HTTP S3 API), an SMTP server
(aiosmtpd), and per "machine" a gunicorn with the production settings and a task worker,
each with its own local ``var/`` directory so that nothing can be shared through a disk.
"""

from __future__ import annotations

import contextlib
import email
import json
import os
import re
import shutil
import signal
import subprocess
import tempfile
import threading
import time
import urllib.request
from glob import glob
from pathlib import Path

import boto3
import requests

from bench.harness import porta_libera
from tests.s3 import CHIAVI as S3_CHIAVI
from tests.s3 import REGIONE

RADICE = Path(__file__).resolve().parents[2]
BIN = RADICE / ".venv" / "bin"
PASSWORD = "una-password-lunga-del-cluster"
SEGRETO = "chiave-del-cluster-0123456789-0123456789-0123456789-abcdef"


def attendi(condizione, secondi: float, messaggio) -> None:
    scadenza = time.monotonic() + secondi
    while not condizione():
        if time.monotonic() > scadenza:
            raise AssertionError(messaggio() if callable(messaggio) else messaggio)
        time.sleep(0.1)


def bin_postgresql_debian() -> Path | None:
    """The newest ``/usr/lib/postgresql/<major>/bin`` Debian's packages installed."""
    cartelle = [Path(p).parent for p in glob("/usr/lib/postgresql/*/bin/pg_ctl")]
    if not cartelle:
        return None
    return max(cartelle, key=lambda p: int(p.parent.name))


class PostgresDebian:
    """A primary and its streaming replica, run by the ``postgres`` user when we are root
    (PostgreSQL refuses to run as root)."""

    def __init__(self, cartella: Path, bin_pg: Path):
        self.cartella = cartella
        self.bin = bin_pg
        self.porta = porta_libera()
        self.porta_replica = porta_libera()
        self.log_replica = cartella / "replica.log"
        self._avviati: list[Path] = []

    def _esegui(self, *comando: str, **kw) -> subprocess.CompletedProcess:
        prefisso = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        return subprocess.run(  # noqa: S603 - Debian's PostgreSQL binaries
            [*prefisso, *comando], check=True, capture_output=True, text=True, **kw
        )

    def _avvia(self, dati: Path, porta: int, log: Path, *opzioni: str) -> None:
        self._esegui(
            str(self.bin / "pg_ctl"),
            "-D",
            str(dati),
            "-l",
            str(log),
            "-w",
            "-o",
            " ".join(
                ["-p", str(porta), "-k", str(self.cartella), "-c", "listen_addresses=127.0.0.1"]
                + list(opzioni)
            ),
            "start",
        )
        self._avviati.append(dati)

    def avvia_primario(self) -> None:
        dati = self.cartella / "primario"
        self._esegui(
            str(self.bin / "initdb"),
            "-D",
            str(dati),
            "-U",
            "quartiere",
            "--auth=trust",
            "-E",
            "UTF8",
            "--locale=C.UTF-8",
        )
        self._avvia(dati, self.porta, self.cartella / "primario.log")
        self.psql("postgres", "CREATE DATABASE quartiere")

    def avvia_replica(self) -> None:
        """A hot standby streaming from the primary (``-R`` writes its primary_conninfo),
        logging every statement it runs: the test reads what reached it."""
        dati = self.cartella / "replica"
        self._esegui(
            str(self.bin / "pg_basebackup"),
            "-h",
            "127.0.0.1",
            "-p",
            str(self.porta),
            "-U",
            "quartiere",
            "-D",
            str(dati),
            "-R",
            # A fast checkpoint: the default spreads it over minutes.
            "--checkpoint=fast",
        )
        self._avvia(dati, self.porta_replica, self.log_replica, "-c", "log_statement=all")

    def _psql(self, database: str, *argomenti: str, replica: bool = False) -> str:
        porta = self.porta_replica if replica else self.porta
        return self._esegui(
            str(self.bin / "psql"),
            "-XAtq",
            "-v",
            "ON_ERROR_STOP=1",
            *("-h", "127.0.0.1", "-p", str(porta), "-U", "quartiere", "-d", database),
            *argomenti,
        ).stdout.strip()

    def carica(self, dump: Path) -> None:
        self._psql("quartiere", "-f", str(dump))

    def psql(self, database: str, sql: str, replica: bool = False) -> str:
        return self._psql(database, "-c", sql, replica=replica)

    def url(self, replica: bool = False) -> str:
        porta = self.porta_replica if replica else self.porta
        return f"postgres://quartiere@127.0.0.1:{porta}/quartiere"

    def replica_allineata(self) -> bool:
        primario = self.psql("quartiere", "SELECT pg_current_wal_lsn()")
        return (
            self.psql(
                "quartiere",
                f"SELECT pg_last_wal_replay_lsn() >= '{primario}'::pg_lsn",
                replica=True,
            )
            == "t"
        )

    @contextlib.contextmanager
    def istruzioni_sulla_replica(self):
        """The statements the replica ran inside the block (its log between two markers)."""
        inizio, fine = (f"segno-{time.monotonic_ns()}-{i}" for i in (1, 2))
        self.psql("quartiere", f"SELECT '{inizio}'", replica=True)
        istruzioni: list[str] = []
        yield istruzioni
        self.psql("quartiere", f"SELECT '{fine}'", replica=True)
        attendi(lambda: fine in self.log_replica.read_text(), 10, "the replica's log ends early")
        testo = self.log_replica.read_text()
        tratto = testo[testo.index(inizio) : testo.index(fine)]
        istruzioni += re.findall(r"LOG:  statement: (.*)", tratto)[1:]

    def ferma(self) -> None:
        for dati in reversed(self._avviati):
            with contextlib.suppress(subprocess.CalledProcessError):
                self._esegui(str(self.bin / "pg_ctl"), "-D", str(dati), "-m", "immediate", "stop")


class CasellaSmtp:
    """aiosmtpd's handler: every message the cluster sends, as received."""

    def __init__(self):
        self.messaggi: list[email.message.Message] = []
        self._lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook
        with self._lock:
            self.messaggi.append(email.message_from_bytes(envelope.content))
        return "250 OK"


class Navigatore:
    """A browser reaching the app servers through the balancer: one cookie jar for the
    site whichever server answers, ``X-Forwarded-Proto: https`` as the balancer sets it."""

    def __init__(self, server: dict[str, str]):
        self.server = server
        self.sessione = requests.Session()

    def _intestazioni(self, su: str) -> dict:
        """The balancer ends TLS: the browser speaks HTTPS and sends the Secure cookies the
        servers set, which requests would hold back from a plain http URL (its own jar's
        policy, rebuilt per request, cannot be changed), so the header is written here."""
        host = self.server[su].split("//", 1)[1]
        biscotti = "; ".join(f"{c.name}={c.value}" for c in self.sessione.cookies)
        return {"X-Forwarded-Proto": "https", "Origin": f"https://{host}", "Cookie": biscotti}

    def get(self, su: str, percorso: str) -> requests.Response:
        return self.sessione.get(
            self.server[su] + percorso,
            headers=self._intestazioni(su),
            allow_redirects=False,
            timeout=60,
        )

    def post(self, su: str, percorso: str, dati: dict, files=None) -> requests.Response:
        """A form's POST with the CSRF token of the page, read as a browser reads it."""
        pagina = self.get(su, percorso)
        trovato = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', pagina.text)
        assert trovato, (percorso, pagina.status_code, pagina.text[:500])
        return self.sessione.post(
            self.server[su] + percorso,
            data={"csrfmiddlewaretoken": trovato.group(1), **dati},
            files=files,
            headers=self._intestazioni(su),
            allow_redirects=False,
            timeout=60,
        )

    def accedi(self, su: str, username: str) -> None:
        from django.urls import reverse

        r = self.post(su, reverse("login"), {"username": username, "password": PASSWORD})
        assert r.status_code == 302, r.text[:2000]


class Cluster:
    """Everything started, and stopped in reverse order whatever happens in between."""

    def __init__(self):
        self.cartella = Path(tempfile.mkdtemp(prefix="quartiere-cluster-"))
        if os.geteuid() == 0:
            shutil.chown(self.cartella, "postgres")
        self.processi: list[subprocess.Popen] = []
        self.chiusure: list = []
        self.server: dict[str, str] = {}
        self.ambienti: dict[str, dict] = {}
        self.postgres: PostgresDebian | None = None
        self.casella = CasellaSmtp()
        self.bucket = "quartiere-cluster"
        self.s3 = None

    # --- The shared components -------------------------------------------------------------

    def avvia_postgres(self, bin_pg: Path, dump: Path) -> None:
        self.postgres = PostgresDebian(self.cartella, bin_pg)
        self.chiusure.append(self.postgres.ferma)
        self.postgres.avvia_primario()
        self.postgres.avvia_replica()
        self.postgres.carica(dump)

    def _processo(self, comando: list[str], log: str, **kw) -> subprocess.Popen:
        with (self.cartella / log).open("wb") as uscita:
            processo = subprocess.Popen(  # noqa: S603 - the components under test
                comando, stdout=uscita, stderr=subprocess.STDOUT, start_new_session=True, **kw
            )
        self.processi.append(processo)
        return processo

    def log(self, nome: str) -> str:
        return (self.cartella / nome).read_text(errors="replace")[-4000:]

    def avvia_redis(self) -> str:
        porta = porta_libera()
        self._processo(
            ["/usr/bin/redis-server", "--port", str(porta), "--bind", "127.0.0.1"]
            + ["--save", "", "--appendonly", "no", "--dir", str(self.cartella)],
            "redis.log",
        )
        return f"redis://127.0.0.1:{porta}/0"

    def avvia_s3(self) -> str:
        porta = porta_libera()
        self._processo([str(BIN / "moto_server"), "-H", "127.0.0.1", "-p", str(porta)], "moto.log")
        indirizzo = f"http://127.0.0.1:{porta}"
        self.s3 = boto3.client(
            "s3",
            endpoint_url=indirizzo,
            region_name=REGIONE,
            aws_access_key_id=S3_CHIAVI["QUARTIERE_S3_ACCESS_KEY_ID"],
            aws_secret_access_key=S3_CHIAVI["QUARTIERE_S3_SECRET_ACCESS_KEY"],
        )

        def risponde():
            try:
                urllib.request.urlopen(indirizzo, timeout=1)  # noqa: S310 - local test server
            except urllib.error.HTTPError:
                return True
            except OSError:
                return False
            return True

        attendi(risponde, 60, lambda: self.log("moto.log"))
        self.s3.create_bucket(
            Bucket=self.bucket, CreateBucketConfiguration={"LocationConstraint": REGIONE}
        )
        return indirizzo

    def avvia_smtp(self) -> int:
        from aiosmtpd.controller import Controller

        porta = porta_libera()
        controller = Controller(self.casella, hostname="127.0.0.1", port=porta)
        controller.start()
        self.chiusure.append(controller.stop)
        return porta

    def oggetti(self) -> dict[str, bytes]:
        contenuto = self.s3.list_objects_v2(Bucket=self.bucket).get("Contents", [])
        return {
            o["Key"]: self.s3.get_object(Bucket=self.bucket, Key=o["Key"])["Body"].read()
            for o in contenuto
        }

    # --- The machines ------------------------------------------------------------------------

    def ambiente(self, macchina: str, comuni: dict[str, str]) -> dict[str, str]:
        """The production settings as a machine's units set them: nothing from the test
        process's environment but PATH, a local var/ of its own."""
        var = self.cartella / f"var-{macchina}"
        var.mkdir(exist_ok=True)
        ambiente = {
            "PATH": os.environ["PATH"],
            "HOME": str(var),
            "LANG": "C.UTF-8",
            "DJANGO_SETTINGS_MODULE": "quartiere.settings",
            "DJANGO_SECRET_KEY": SEGRETO,
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
            "DJANGO_LOG_LEVEL": "ERROR",
            "QUARTIERE_VAR_DIR": str(var),
            # WhiteNoise warns that staticfiles/ is missing: no collectstatic in a test.
            "PYTHONWARNINGS": "ignore:No directory at",
            **comuni,
        }
        self.ambienti[macchina] = ambiente
        return ambiente

    def manage(self, macchina: str, *argomenti: str, timeout: int = 240) -> str:
        risultato = subprocess.run(  # noqa: S603 - our own manage.py
            [str(BIN / "python"), "manage.py", *argomenti],
            cwd=RADICE,
            env=self.ambienti[macchina],
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        assert risultato.returncode == 0, risultato.stderr[-4000:]
        return risultato.stdout

    def avvia_macchina(self, macchina: str) -> None:
        """gunicorn (gunicorn.conf.py from the checkout, as the docs' unit) and the worker."""
        porta = porta_libera()
        self._processo(
            [str(BIN / "gunicorn"), "quartiere.wsgi", "--bind", f"127.0.0.1:{porta}"]
            + ["--workers", "1"],
            f"gunicorn-{macchina}.log",
            cwd=RADICE,
            env=self.ambienti[macchina],
        )
        self._processo(
            [str(BIN / "python"), "manage.py", "worker", "--interval", "0.2"]
            + ["--no-startup-delay", "--no-reload"],
            f"worker-{macchina}.log",
            cwd=RADICE,
            env=self.ambienti[macchina],
        )
        self.server[macchina] = f"http://127.0.0.1:{porta}"

    def attendi_server(self) -> None:
        for macchina, indirizzo in self.server.items():

            def sano(indirizzo=indirizzo):
                try:
                    with urllib.request.urlopen(f"{indirizzo}/healthz", timeout=2) as r:  # noqa: S310
                        return json.load(r)["status"] == "ok"
                except OSError:
                    return False

            attendi(sano, 120, lambda m=macchina: self.log(f"gunicorn-{m}.log"))

    def ferma(self) -> None:
        for processo in reversed(self.processi):
            if processo.poll() is None:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(processo.pid, signal.SIGTERM)
        for processo in reversed(self.processi):
            try:
                processo.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(processo.pid, signal.SIGKILL)
                processo.wait()
        for chiudi in reversed(self.chiusure):
            with contextlib.suppress(Exception):
                chiudi()
        shutil.rmtree(self.cartella, ignore_errors=True)
