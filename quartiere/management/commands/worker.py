"""``manage.py worker``: the task worker (e-mails, receipts) that outlives a database outage.

It is django-tasks-db's ``db_worker`` with the same options, run again whenever the
database goes away: ``db_worker`` lets an ``OperationalError`` end the process, so a
PostgreSQL restart left the office without e-mails until someone restarted the worker.
Here the error is logged, the dead connections are dropped and the loop starts again after
a pause that grows from 1 to 30 seconds while the database stays away. Tasks queued
meanwhile wait in their table and run when it is back; a task cut off in the middle by the
outage keeps the state db_worker could last write (this command does not re-run it). Stop
it with SIGTERM or Ctrl-C, as ``db_worker``. See docs/operations.md for the systemd unit.
"""

from __future__ import annotations

import contextlib
import logging
import time

from django.db import DatabaseError, InterfaceError, OperationalError, connections
from django_tasks_db.management.commands.db_worker import Command as DbWorker

logger = logging.getLogger("quartiere.worker")

PAUSA_MINIMA = 1.0
PAUSA_MASSIMA = 30.0


class Command(DbWorker):
    help = (
        "Esegue i compiti in coda (e-mail, ricevute) e sopravvive a un'interruzione del "
        "database: riprova finché torna disponibile."
    )

    def handle(self, *args, **options):
        pausa = PAUSA_MINIMA
        while True:
            inizio = time.monotonic()
            try:
                return super().handle(*args, **options)
            except (OperationalError, InterfaceError) as errore:
                # A worker that ran for a while before the outage starts again quickly.
                if time.monotonic() - inizio > PAUSA_MASSIMA:
                    pausa = PAUSA_MINIMA
                logger.warning(
                    "Database non raggiungibile (%s): nuovo tentativo tra %.0f s.",
                    type(errore).__name__,
                    pausa,
                )
                self.stderr.write(
                    f"Database non raggiungibile ({type(errore).__name__}): "
                    f"nuovo tentativo tra {pausa:.0f} s."
                )
                # A broken connection may fail to close: Django drops it all the same.
                with contextlib.suppress(DatabaseError):
                    connections.close_all()
                time.sleep(pausa)
                pausa = min(pausa * 2, PAUSA_MASSIMA)
