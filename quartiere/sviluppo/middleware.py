"""Query counting for the benchmark harness (``make bench``, docs/performance.md).

Enabled only when ``QUARTIERE_BENCH_QUERIES=1`` (see the block at the end of
``quartiere/settings.py``). It is the outermost middleware, so every query of the
request counts — session, authentication and 2FA included — and it reports them in two
response headers that the load generator summarises:

- ``X-Quartiere-Queries``: the number of SQL statements;
- ``X-Quartiere-DB-ms``: the time spent in them, in milliseconds.
"""

from __future__ import annotations

import time

from django.db import connection

HEADER_QUERY = "X-Quartiere-Queries"
HEADER_TEMPO = "X-Quartiere-DB-ms"


class _Contatore:
    def __init__(self):
        self.query = 0
        self.secondi = 0.0

    def __call__(self, execute, sql, params, many, context):
        inizio = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.query += 1
            self.secondi += time.perf_counter() - inizio


class ContaQueryMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        contatore = _Contatore()
        with connection.execute_wrapper(contatore):
            response = self.get_response(request)
        response[HEADER_QUERY] = str(contatore.query)
        response[HEADER_TEMPO] = f"{contatore.secondi * 1000:.1f}"
        return response
