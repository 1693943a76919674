"""The kiosk: a tablet at the desk where citizens file reports one after another.

An operator unlocks a device (a signed cookie, set by a staff-only POST, that outlives the
operator's logout); on it the step-by-step form starts clean for every citizen, keeps no
contact data in the browser's autofill, forgets the report just sent once its code has
been shown, returns to a clean start after a short idle time, and is not held back by the
per-address limit on reports (the cookie cannot be forged; the desk is staffed)."""

from __future__ import annotations

from django.conf import settings

COOKIE = "chiosco"
SALE = "segnalazioni.chiosco"
PERCORSO = "/segnalazioni/"
#: How long an unlocked kiosk stays unlocked: one working day.
DURATA = 12 * 3600
#: Seconds without a touch before the kiosk goes back to a clean start.
INATTIVITA = 120


def attivo(request) -> bool:
    return bool(request.get_signed_cookie(COOKIE, default=None, salt=SALE, max_age=DURATA))


def sblocca(risposta, user):
    risposta.set_signed_cookie(
        COOKIE,
        user.get_username(),
        salt=SALE,
        max_age=DURATA,
        path=PERCORSO,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )
    return risposta


def blocca(risposta):
    risposta.delete_cookie(COOKIE, path=PERCORSO, samesite="Lax")
    return risposta
