"""A new row and the rows that point at it, inserted by one SQL statement.

Filing a report writes three rows: the report, its first history row and its first
timeline entry. Saved one by one inside ``transaction.atomic()`` that is six round trips to
PostgreSQL (``BEGIN``, three ``INSERT``, ``COMMIT``), and under load each round trip costs a
context switch on both sides: on a two-core server the public intake spent more CPU on them
than on its own work (docs/performance.md, 4.7). :func:`inserisci_insieme` sends the three
as one statement with data-modifying ``WITH`` clauses::

    WITH n0 AS (INSERT INTO report (...) VALUES (...) RETURNING id),
         n1 AS (INSERT INTO history (id, ...) VALUES ((SELECT id FROM n0), ...) RETURNING ...),
         n2 AS (INSERT INTO timeline (report_id, ...) VALUES ((SELECT id FROM n0), ...) ...)
    SELECT (SELECT * FROM n0), (SELECT * FROM n1), (SELECT * FROM n2)

One statement is atomic on its own, so outside a transaction it needs no ``BEGIN`` and no
``COMMIT``; inside one it simply joins it. The SQL of each ``INSERT`` is Django's own
(``SQLInsertCompiler``): the fields' ``pre_save`` (``auto_now``) and ``get_db_prep_save``
run as in ``Model.save()``, the generated columns are left to the database. What does not
run is ``Model.save()`` itself and the ``pre_save``/``post_save`` signals: the caller
builds every row it needs (:func:`storia_di` for simple-history's), which is why this
is used where a test pins the rows it writes against the ORM's.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django.conf import settings
from django.db import connections, router
from django.db.models import Model
from django.db.models.expressions import RawSQL
from django.db.models.sql import InsertQuery
from django.utils import timezone
from simple_history.utils import get_change_reason_from_object


def _insert(oggetto: Model, connection) -> tuple[str, tuple]:
    meta = oggetto._meta
    if meta.parents:
        raise ValueError(f"{meta.label}: l'ereditarietà multi-tabella non è supportata.")
    campi = [
        f
        for f in meta.local_concrete_fields
        if not f.generated and (f is not meta.auto_field or oggetto.pk is not None)
    ]
    query = InsertQuery(type(oggetto))
    query.insert_values(campi, [oggetto])
    compiler = query.get_compiler(connection=connection)
    compiler.returning_fields = [meta.pk]
    [(sql, parametri)] = compiler.as_sql()
    return sql, parametri


def inserisci_insieme(
    principale: Model, dipendenti: Callable[[RawSQL], Iterable[Model]]
) -> list[Model]:
    """Insert ``principale`` and the rows ``dipendenti(pk)`` returns, in one statement.

    ``pk`` stands for the principal's new primary key in SQL: pass it as the value of the
    fields that need it (``segnalazione_id=pk``). ``dipendenti`` is called once the
    principal's values are final (defaults, ``auto_now``), so it may copy them. Afterwards
    every instance has its primary key, the fields given ``pk`` hold the principal's, and
    they count as saved. Returns the dependents, in order.
    """
    using = router.db_for_write(type(principale))
    connection = connections[using]
    sql, parametri = _insert(principale, connection)
    clausole, tutti = [f"n0 AS ({sql})"], list(parametri)
    # Only quoted column names and our own clause names enter the SQL; values are parameters.
    colonna = connection.ops.quote_name(principale._meta.pk.column)
    pk = RawSQL(f"(SELECT {colonna} FROM n0)", ())  # noqa: S608, S611
    righe = list(dipendenti(pk))
    for numero, riga in enumerate(righe, start=1):
        sql, parametri = _insert(riga, connection)
        clausole.append(f"n{numero} AS ({sql})")
        tutti.extend(parametri)
    elenco = ", ".join(f"(SELECT * FROM n{n})" for n in range(len(righe) + 1))  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(f"WITH {', '.join(clausole)} SELECT {elenco}", tutti)
        chiavi = cursor.fetchone()
    for oggetto, chiave in zip([principale, *righe], chiavi, strict=True):
        oggetto.pk = chiave
        oggetto._state.adding, oggetto._state.db = False, using
    for riga in righe:
        for nome, valore in list(vars(riga).items()):
            if valore is pk:
                setattr(riga, nome, principale.pk)
    return righe


def storia_di(istanza: Model, pk, tipo: str = "+") -> list[Model]:
    """The simple-history row that saving ``istanza`` would write (none when history is
    off), built as simple-history's ``post_save`` builds it: the tracked fields, the user
    from ``_history_user`` or the request, the reason from ``_change_reason``, the date
    from ``_history_date`` or now. ``pk`` is the instance's key, or the placeholder of
    :func:`inserisci_insieme`. A test compares it with the row ``save()`` writes."""
    if not getattr(settings, "SIMPLE_HISTORY_ENABLED", True) or hasattr(
        istanza, "skip_history_when_saving"
    ):
        return []
    storico = istanza.history.model
    valori = {campo.attname: getattr(istanza, campo.attname) for campo in storico.tracked_fields}
    valori[istanza._meta.pk.attname] = pk
    return [
        storico(
            history_date=getattr(istanza, "_history_date", None) or timezone.now(),
            history_user=storico.get_default_history_user(istanza),
            history_change_reason=get_change_reason_from_object(istanza),
            history_type=tipo,
            **valori,
        )
    ]
