"""Language selection: Italian unless the visitor chose otherwise."""

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
