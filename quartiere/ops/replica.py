"""The optional read replica (``DATABASE_REPLICA_URL``): the heavy read-only work reads
from it, everything else from the primary.

Only what runs inside :func:`letture_dalla_replica` is routed there: the figures of the
dashboard, the director's PDF and the exports, which read much and write nothing. A
request that writes and then reads its own write never enters it, so replication lag
cannot hide a write from the one who made it; sessions, permissions and the middleware
read from the primary. Writes and migrations always go to the primary.
"""

from __future__ import annotations

import contextvars
from contextlib import contextmanager

from django.conf import settings

_dalla_replica: contextvars.ContextVar[bool] = contextvars.ContextVar(
    "quartiere_letture_dalla_replica", default=False
)


def alias_replica() -> str | None:
    """The replica's alias in ``DATABASES`` when one is configured, else ``None``."""
    alias = getattr(settings, "QUARTIERE_DB_REPLICA", None)
    return alias if alias and alias in settings.DATABASES else None


@contextmanager
def letture_dalla_replica():
    """Inside, the ORM's reads go to the replica (when one is configured)."""
    token = _dalla_replica.set(True)
    try:
        yield
    finally:
        _dalla_replica.reset(token)


class RouterReplica:
    """Django's database router for :func:`letture_dalla_replica`."""

    def db_for_read(self, model, **hints):
        if _dalla_replica.get():
            return alias_replica()
        return None

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        # The replica holds the same rows as the primary.
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == "default"
