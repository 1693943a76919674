"""Language selection, the request size cap and the renewal of a session in use."""

import time

from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation


class LinguaMiddleware(LocaleMiddleware):
    """Like Django's LocaleMiddleware, but the browser's Accept-Language is ignored.

    A municipal service speaks Italian by default; the English translation is used
    only when the visitor picks it with the language switch (the language cookie).
    """

    def process_request(self, request):
        lingua = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if lingua not in dict(settings.LANGUAGES):
            lingua = settings.LANGUAGE_CODE
        translation.activate(lingua)
        request.LANGUAGE_CODE = translation.get_language()


class LimiteRichiestaMiddleware:
    """Refuse a request whose body is larger than ``QUARTIERE_MAX_RICHIESTA`` bytes.

    It runs before anything reads the body (the CSRF check reads it in ``process_view``,
    after every middleware's request phase), so an oversize upload is never parsed or
    spooled to disk by Django. The front web server should enforce the same cap
    (docs/operations.md); this one keeps the application safe behind any server.
    A body without a declared length is read through Django's own limits instead
    (``DATA_UPLOAD_MAX_MEMORY_SIZE``).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            lunghezza = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            lunghezza = 0
        if lunghezza > settings.QUARTIERE_MAX_RICHIESTA:
            from quartiere.pubblico.errori import richiesta_troppo_grande

            return richiesta_troppo_grande(request)
        return self.get_response(request)


class RinnovoSessioneMiddleware:
    """Keep a session alive while it is used, writing it at most once a minute.

    ``SESSION_COOKIE_AGE`` is an inactivity timeout (``SESSION_IDLE_MINUTES``). Django's
    way to make it one, ``SESSION_SAVE_EVERY_REQUEST``, rewrites the session's row and
    re-sends its cookie at every request: on a light staff page that write was about a
    third of the time (docs/performance.md). Here a request marks the session modified,
    which makes Django's ``SessionMiddleware`` save it with a new expiry, only when the
    last renewal is ``INTERVALLO`` seconds old or more: a session still expires after
    ``SESSION_IDLE_MINUTES`` without requests, give or take one minute.

    It sits right after ``SessionMiddleware``, so its response phase runs first. Only a
    request that brought a session cookie is looked at: nobody gets a session from it.
    """

    INTERVALLO = 60
    CHIAVE = "_quartiere_rinnovata"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        sessione = getattr(request, "session", None)
        if sessione is None or not sessione.session_key:
            return response
        adesso = int(time.time())
        rinnovata = sessione.get(self.CHIAVE)
        if sessione.is_empty():
            return response  # logged out or expired during this request: nothing to keep
        if not isinstance(rinnovata, int) or not 0 <= adesso - rinnovata < self.INTERVALLO:
            sessione[self.CHIAVE] = adesso
        return response


def rinnovata_all_accesso(sender, request, user, **kwargs):
    """A login writes the session anyway: it counts as its renewal (``user_logged_in``,
    connected in ``QuartiereConfig.ready``), so the next request does not write it again."""
    sessione = getattr(request, "session", None)
    if sessione is not None:
        sessione[RinnovoSessioneMiddleware.CHIAVE] = int(time.time())
