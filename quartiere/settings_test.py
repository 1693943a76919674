"""Test settings: the base settings with a throwaway database and fast helpers."""

import os

os.environ.setdefault("DJANGO_DEBUG", "0")
os.environ.setdefault("DJANGO_SECRET_KEY", "test-secret-key-not-for-production-use-0123456789")
os.environ.setdefault("QUARTIERE_NO_EMBEDDED_DB", "1")
os.environ.setdefault("DJANGO_SECURE_SSL_REDIRECT", "0")
os.environ.setdefault("QUARTIERE_SVILUPPO", "1")

from quartiere.settings import *  # noqa: E402,F403

ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
SECURE_HSTS_SECONDS = 0
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
AXES_ENABLED = True
QUARTIERE_2FA_GRUPPI: list[str] = []  # the 2FA tests (tests/sicurezza) switch it on
WHITENOISE_AUTOREFRESH = True
# Tests change categories, quartieri and notices between requests (quartiere/lib/memo.py);
# tests/segnalazioni/test_scelte_memorizzate.py switches the memo on.
QUARTIERE_SCELTE_MEMO_SECONDI = 0
SAML_SESSION_COOKIE_SAMESITE = "Lax"  # plain http: a SameSite=None cookie must be Secure
# The read replica's alias, a mirror of the test database: only tests/ops/test_replica.py
# turns the routing on (QUARTIERE_DB_REPLICA), and asks for this alias.
DATABASES["replica"] = {**DATABASES["default"], "TEST": {"MIRROR": "default"}}  # noqa: F405
