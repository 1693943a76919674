"""A second Django project for the tests: an OpenID Connect provider (django-oidc-provider)
standing in for a Comune's or a region's identity broker. It runs in its own process, on
its own PostgreSQL database (``OP_DB_*``), at ``OP_URL``."""

import os

SECRET_KEY = "op-di-prova-non-per-produzione-0123456789abcdef"
DEBUG = False
ALLOWED_HOSTS = ["localhost", "127.0.0.1"]
SITE_URL = os.environ.get("OP_URL", "http://localhost:8001")
INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "oidc_provider",
]
MIDDLEWARE = [
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
]
ROOT_URLCONF = "tests.identita.op.urls"
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [os.path.join(os.path.dirname(__file__), "templates")],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
            ]
        },
    }
]
DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": os.environ["OP_DB_NAME"],
        "HOST": os.environ.get("OP_DB_HOST", ""),
        "PORT": os.environ.get("OP_DB_PORT", ""),
        "USER": os.environ.get("OP_DB_USER", ""),
        "PASSWORD": os.environ.get("OP_DB_PASSWORD", ""),
    }
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
USE_TZ = True
LOGIN_URL = "/accedi/"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# The broker's claims: the standard ones from the user, the tax code under scope "cf".
OIDC_USERINFO = "tests.identita.op.claims.userinfo"
OIDC_EXTRA_SCOPE_CLAIMS = "tests.identita.op.claims.ClaimsDelBroker"
OIDC_SKIP_CONSENT_EXPIRE = 0
# Cookies do not tell ports apart: the broker and the service both run on localhost.
SESSION_COOKIE_NAME = "broker_sessione"
CSRF_COOKIE_NAME = "broker_csrf"
