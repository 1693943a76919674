"""Several processes start the embedded PostgreSQL at once on a machine where the library's
system user does not exist yet (a new machine's first ``make test`` with two xdist
workers, or ``make run``'s web server and task worker): every one of them gets a server.

As root the library creates the user ``pgserver`` on first use. The test hides that user
without touching the machine: in a private mount namespace (``unshare -m``) a copy of
/etc without it is mounted over /etc, so ``useradd`` runs for real, and only there.
Without the start-up lock (quartiere.ops.embedded_db) about one round in three had an
initdb fail with "could not change permissions of directory".
"""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
import time
from pathlib import Path

from quartiere.ops.embedded_db import avvio_esclusivo

ROOT = Path(__file__).resolve().parents[2]
PROCESSI = 4
GIRI = 2

AVVIA = f"""
import sys, tempfile
from pathlib import Path
sys.path.insert(0, {str(ROOT)!r})
from quartiere.ops.embedded_db import connection_settings
cartella = Path(tempfile.mkdtemp(prefix="quartiere-avvio-"))
connection_settings(cartella / "pgdata", cleanup_mode="delete")
print("avviato")
"""

# In the namespace: /etc without the user, then the processes at once, each one's exit
# status on a line of its own.
SENZA_UTENTE = """
set -e
copia=$(mktemp -d)
cp -a /etc "$copia/etc"
for f in passwd group shadow gshadow; do
  [ -f "$copia/etc/$f" ] && sed -i '/^pgserver:/d' "$copia/etc/$f"
done
mount --bind "$copia/etc" /etc
! id pgserver >/dev/null 2>&1 || { echo "pgserver still visible"; exit 3; }
set +e
"""


def _giro() -> subprocess.CompletedProcess:
    avvia = f"{shlex.quote(sys.executable)} -c {shlex.quote(AVVIA)}"
    corpo = (
        " ".join(f"({avvia}; echo esito=$?) &" for _ in range(PROCESSI)) + " wait; rm -rf $copia"
    )
    if os.geteuid() == 0:
        comando = ["unshare", "--mount", "bash", "-c", SENZA_UTENTE + corpo]
    else:
        # Without root the library runs the server as the current user and creates none:
        # the processes still start at once.
        comando = ["bash", "-c", corpo]
    return subprocess.run(comando, capture_output=True, text=True, timeout=240, cwd=ROOT)


def test_avvii_simultanei_senza_utente_di_sistema():
    for giro in range(GIRI):
        r = _giro()
        esiti = [riga for riga in r.stdout.splitlines() if riga.startswith("esito=")]
        assert r.returncode == 0, r.stdout + r.stderr
        assert esiti == ["esito=0"] * PROCESSI, f"giro {giro}:\n{r.stdout}\n{r.stderr[-3000:]}"
        assert r.stdout.count("avviato") == PROCESSI


def test_un_avvio_attende_chi_tiene_il_blocco():
    """The race above is rare on a quiet machine; the lock that closes it is not: a start
    waits while another process holds it, and goes on as soon as it is released."""
    with avvio_esclusivo():
        proc = subprocess.Popen(
            [sys.executable, "-c", AVVIA], stdout=subprocess.PIPE, text=True, cwd=ROOT
        )
        time.sleep(3)
        assert proc.poll() is None, "the server started while the lock was held"
    uscita, _ = proc.communicate(timeout=120)
    assert proc.returncode == 0
    assert "avviato" in uscita
