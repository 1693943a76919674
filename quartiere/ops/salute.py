"""The health check for load balancers and monitoring (``/healthz``).

It is answered by the first middleware, before sessions, authentication and two-factor
touch the database: with PostgreSQL down a request carrying a session cookie must get the
503 that tells the balancer to wait, not the 500 of a middleware's failed query. It reads
no Host header either, so a balancer probing by IP address gets an answer.
"""

from __future__ import annotations

from django.db import connection
from django.http import JsonResponse

PERCORSO = "/healthz"


def healthz(request):
    """Liveness and database check."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # noqa: BLE001 - any database failure means "unhealthy"
        return JsonResponse({"status": "error", "database": type(exc).__name__}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


class SaluteMiddleware:
    """Answers ``/healthz`` before every other middleware (first in ``MIDDLEWARE``)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info == PERCORSO:
            risposta = healthz(request)
            # The security middleware below never sees this answer: its headers, strictest.
            risposta["Content-Security-Policy"] = "default-src 'none'; frame-ancestors 'none'"
            risposta["X-Content-Type-Options"] = "nosniff"
            risposta["Cache-Control"] = "no-store"
            return risposta
        return self.get_response(request)
