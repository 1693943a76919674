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
