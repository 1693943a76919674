"""Records built once for a whole test module, for modules whose tests only read them.

pytest-django wraps each test in a transaction rolled back at its end, so data built in a
test's fixture is built again for every test. A module-scoped fixture can instead build it
inside :func:`transazione_di_modulo`: a transaction left open while the module's tests run
(each test's own transaction nests in it as a savepoint) and rolled back after the last::

    @pytest.fixture(scope="module")
    def dati(django_db_setup, django_db_blocker):
        with transazione_di_modulo(django_db_blocker):
            yield costruisci()

The tests must still be marked ``django_db`` (not transactional: a transactional test
would commit and flush around the open transaction). A test that writes only changes its
own savepoint, so the next test sees the module's data unchanged.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import transaction


@contextmanager
def transazione_di_modulo(django_db_blocker) -> Iterator[None]:
    with django_db_blocker.unblock(), transaction.atomic():
        yield
        transaction.set_rollback(True)
