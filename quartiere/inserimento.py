"""A new row and the rows that point at it, inserted by one SQL statement.

Filing a report writes three rows: the report, its first history row and its first
timeline entry. Saved one by one inside ``transaction.atomic()`` that is six round trips to
PostgreSQL (``BEGIN``, three ``INSERT``, ``COMMIT``), and under load each round trip costs a
context switch on both sides: on a two-core server the public intake spent more CPU on them
than on its own work (docs/performance.md, 4.7). :func:`inserisci_insieme` sends the three
as one statement with data-modifying ``WITH`` clauses::

    WITH n0 AS (INSERT INTO report (...) VALUES (...) RETURNING id),
         storia AS (INSERT INTO history (id, ...) SELECT id, ..., %s, ... FROM n0 ...),
         n1 AS (INSERT INTO timeline (report_id, ...) VALUES ((SELECT id FROM n0), ...) ...)
    SELECT (SELECT id FROM n0), (SELECT * FROM n1)

One statement is atomic on its own, so outside a transaction it needs no ``BEGIN`` and no
``COMMIT``; inside one it simply joins it. The SQL of each ``INSERT`` is Django's own
(``SQLInsertCompiler``): the fields' ``pre_save`` (``auto_now``) and ``get_db_prep_save``
run as in ``Model.save()``, the generated columns are left to the database. What does not
run is ``Model.save()`` itself and the ``pre_save``/``post_save`` signals: the history
row simple-history's ``post_save`` would write is copied from the new row in the same
statement (``INSERT … SELECT``), and a test pins the rows against the ORM's.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import cache

from django.conf import settings
from django.db import connections, router
from django.db.models import Model
from django.db.models.expressions import RawSQL
from django.db.models.sql import InsertQuery
from django.utils import timezone
from simple_history.utils import get_change_reason_from_object, get_history_model_for_model


@cache
def _modello_storico(modello: type[Model]) -> type[Model]:
    # The history manager simple-history builds on each access costs a class per call.
    return get_history_model_for_model(modello)


def _insert(oggetto: Model, connection, restituiti=()) -> tuple[str, tuple]:
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
    compiler.returning_fields = [meta.pk, *(f for f in restituiti if f is not meta.pk)]
    [(sql, parametri)] = compiler.as_sql()
    return sql, parametri


def _storia(istanza: Model, connection) -> tuple[list, str, list]:
    """What the history row needs from the new row, and the ``INSERT … SELECT`` that
    copies it from clause ``n0``, with the values simple-history's ``post_save`` gives
    the rest: the user from ``_history_user`` or the request, the reason from
    ``_change_reason``, the date from ``_history_date`` or now. No row when history is
    off, as with ``save()``."""
    if not getattr(settings, "SIMPLE_HISTORY_ENABLED", True) or hasattr(
        istanza, "skip_history_when_saving"
    ):
        return [], "", []
    storico = _modello_storico(type(istanza))
    qn = connection.ops.quote_name
    copiati = storico.tracked_fields
    utente = storico.get_default_history_user(istanza)
    aggiunti = {
        "history_date": getattr(istanza, "_history_date", timezone.now()),
        "history_change_reason": get_change_reason_from_object(istanza),
        "history_type": "+",
        "history_user": utente.pk if utente is not None else None,
    }
    campi = [storico._meta.get_field(nome) for nome in aggiunti]
    colonne = [storico._meta.get_field(f.name).column for f in copiati]
    colonne += [f.column for f in campi]
    tabella, chiave = qn(storico._meta.db_table), qn(storico._meta.pk.column)
    destinazione = ", ".join(map(qn, colonne))
    origine = ", ".join([*(qn(f.column) for f in copiati), *["%s"] * len(campi)])
    # Quoted names only; the values are parameters.
    sql = f"INSERT INTO {tabella} ({destinazione}) SELECT {origine} FROM n0 RETURNING {chiave}"  # noqa: S608
    valori = [
        f.get_db_prep_save(valore, connection)
        for f, valore in zip(campi, aggiunti.values(), strict=True)
    ]
    return list(copiati), sql, valori


def inserisci_insieme(
    principale: Model, dipendenti: Callable[[RawSQL], Iterable[Model]] = lambda pk: ()
) -> list[Model]:
    """Insert ``principale``, its simple-history row if its model has history, and the
    rows ``dipendenti(pk)`` returns, in one statement.

    ``pk`` stands for the principal's new primary key in SQL: pass it as the value of the
    fields that need it (``segnalazione_id=pk``). The history row copies the values the
    database stored. Afterwards every instance has its primary key, the fields given
    ``pk`` hold the principal's, and they count as saved. Returns the dependents.
    """
    using = router.db_for_write(type(principale))
    connection = connections[using]
    qn = connection.ops.quote_name
    storico = hasattr(principale._meta, "simple_history_manager_attribute")
    copiati, sql_storia, valori_storia = (
        _storia(principale, connection) if storico else ([], "", [])
    )
    sql, parametri = _insert(principale, connection, copiati)
    clausole, tutti = [f"n0 AS ({sql})"], list(parametri)
    if sql_storia:
        clausole.append(f"storia AS ({sql_storia})")
        tutti.extend(valori_storia)
    # Only quoted column names and our own clause names enter the SQL; values are parameters.
    colonna = qn(principale._meta.pk.column)
    pk = RawSQL(f"(SELECT {colonna} FROM n0)", ())  # noqa: S608, S611
    righe = list(dipendenti(pk))
    for numero, riga in enumerate(righe, start=1):
        sql, parametri = _insert(riga, connection)
        clausole.append(f"n{numero} AS ({sql})")
        tutti.extend(parametri)
    elenco = ", ".join(
        [f"(SELECT {colonna} FROM n0)"]  # noqa: S608
        + [f"(SELECT * FROM n{n})" for n in range(1, len(righe) + 1)]  # noqa: S608
    )
    with connection.cursor() as cursor:
        cursor.execute(f"WITH {', '.join(clausole)} SELECT {elenco}", tutti)  # noqa: S608
        chiavi = cursor.fetchone()
    for oggetto, chiave in zip([principale, *righe], chiavi, strict=True):
        oggetto.pk = chiave
        oggetto._state.adding, oggetto._state.db = False, using
    for riga in righe:
        for nome, valore in list(vars(riga).items()):
            if valore is pk:
                setattr(riga, nome, principale.pk)
    return righe
