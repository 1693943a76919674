"""Settings for Quartiere, read from the environment.

Defaults are safe (DEBUG off, no placeholder secret outside DEBUG). Without
``DATABASE_URL`` the app starts an embedded PostgreSQL under ``var/pgdata``.
See README.md for every variable.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import dj_database_url
import leaflet as _leaflet_pkg
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from quartiere.lib import env

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env.get_str("QUARTIERE_VAR_DIR") or BASE_DIR / "var")

DEBUG = env.get_bool("DJANGO_DEBUG", False)

SECRET_KEY = env.get_str("DJANGO_SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY is required when DJANGO_DEBUG is off "
            "(`make run` sets DJANGO_DEBUG=1 for local use)."
        )
    SECRET_KEY = "insecure-development-key-only-for-debug"  # noqa: S105

ALLOWED_HOSTS = env.get_list("DJANGO_ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env.get_list("DJANGO_CSRF_TRUSTED_ORIGINS")

COMUNE_NOME = env.get_str("COMUNE_NOME", "Comune di Esempio")
SITE_URL = (env.get_str("QUARTIERE_SITE_URL") or "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "quartiere.apps.QuartiereConfig",
    "segnalazioni",
    "mediazione",
    "laboratori",
    "patti",
    "abitare",
    # Admin modules are imported with the URLconf (quartiere/urls.py), not at start-up:
    # management commands such as `indicatori` start faster (docs/performance.md, 4.9).
    "django.contrib.admin.apps.SimpleAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "django.contrib.postgres",
    "django.forms",
    "bootstrap_italia_template",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_filters",
    "template_partials",
    "rules.apps.AutodiscoverRulesConfig",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "simple_history",
    "import_export",
    # djangosaml2 is not an installed app: it has no models, we give the templates its
    # views use (templates/djangosaml2/), and its template tags would import pysaml2 (a
    # second of XML schemas) in every process at the first page.
    "django_tasks",
    "django_tasks_db",
    "csp",
]

# Development tooling (demo data, load data, `make run`, the benchmark's middleware): its
# commands exist in debug, in tests and for `make bench`, never on a production server.
SVILUPPO = env.get_bool("QUARTIERE_SVILUPPO", DEBUG)
if SVILUPPO:
    INSTALLED_APPS.append("quartiere.sviluppo.apps.SviluppoConfig")

MIDDLEWARE = [
    # /healthz before anything that reads the session or the database (quartiere/ops/salute.py).
    "quartiere.ops.salute.SaluteMiddleware",
    # Pages travel compressed (20 KiB of HTML become 5); Django's GZipMiddleware pads the
    # output against BREACH. Static files come precompressed from WhiteNoise, left alone.
    "django.middleware.gzip.GZipMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "quartiere.accesso.middleware.RinnovoSessioneMiddleware",
    # djangosaml2's own session, on the SAML URLs only (quartiere/identita/middleware.py).
    "quartiere.identita.middleware.SessioneSamlMiddleware",
    "quartiere.accesso.middleware.LinguaMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "quartiere.accesso.otp.OTPObbligatorioMiddleware",  # 2FA per group: see QUARTIERE_2FA_GRUPPI
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Before the CSRF check reads the body (process_view), after the headers' middleware.
    "quartiere.accesso.middleware.LimiteRichiestaMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "quartiere.urls"
WSGI_APPLICATION = "quartiere.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "quartiere.pubblico.context_processors.quartiere",
            ],
        },
    },
]

# Form widgets are rendered by the engine above, so that templates/django/forms/ can
# override Django's own (a one-loop <select>: docs/performance.md, 4.1).
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

# --- Database -------------------------------------------------------------------------------
DATABASE_URL = env.get_str("DATABASE_URL")
if DATABASE_URL:
    _db = dj_database_url.parse(DATABASE_URL, conn_max_age=env.get_int("DB_CONN_MAX_AGE", 60))
    if _db["ENGINE"] != "django.db.backends.postgresql":
        raise ImproperlyConfigured("DATABASE_URL must point to PostgreSQL (postgres://...).")
    DATABASES = {"default": _db}
elif env.get_bool("QUARTIERE_NO_EMBEDDED_DB", False):
    # The test suite starts its own throwaway server and fills these in.
    DATABASES = {"default": {"ENGINE": "django.db.backends.postgresql", "NAME": "postgres"}}
else:
    from quartiere.ops.embedded_db import connection_settings

    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.postgresql",
            **connection_settings(VAR_DIR / "pgdata"),
        }
    }
# An optional read replica (a streaming replica of the same PostgreSQL): the figures, the
# director's PDF and the exports read from it (quartiere/ops/replica.py); nothing else.
DATABASE_ROUTERS = ["quartiere.ops.replica.RouterReplica"]
QUARTIERE_DB_REPLICA = None
if DATABASE_REPLICA_URL := env.get_str("DATABASE_REPLICA_URL"):
    _replica = dj_database_url.parse(
        DATABASE_REPLICA_URL, conn_max_age=env.get_int("DB_CONN_MAX_AGE", 60)
    )
    if _replica["ENGINE"] != "django.db.backends.postgresql":
        raise ImproperlyConfigured("DATABASE_REPLICA_URL must point to PostgreSQL.")
    DATABASES["replica"] = {**_replica, "TEST": {"MIRROR": "default"}}
    QUARTIERE_DB_REPLICA = "replica"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache ----------------------------------------------------------------------------------
# The database cache works on a single server and across app servers alike; set
# CACHE_URL-like alternatives in a deployment through QUARTIERE_CACHE_BACKEND.
CACHES = {
    "default": {
        "BACKEND": env.get_str(
            "QUARTIERE_CACHE_BACKEND", "django.core.cache.backends.db.DatabaseCache"
        ),
        "LOCATION": env.get_str("QUARTIERE_CACHE_LOCATION", "quartiere_cache"),
    }
}

# --- Auth -----------------------------------------------------------------------------------
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
    "quartiere.identita.backends.BackendSaml",
    "quartiere.identita.oidc.BackendOidc",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "quartiere:scrivania"
LOGOUT_REDIRECT_URL = "login"

AXES_FAILURE_LIMIT = env.get_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = env.get_int("AXES_COOLOFF_MINUTES", 15) / 60  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "registration/lockout.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False

SESSION_COOKIE_AGE = env.get_int("SESSION_IDLE_MINUTES", 30) * 60
# The age above is an inactivity timeout: RinnovoSessioneMiddleware renews a session in use
# once a minute (Django's SESSION_SAVE_EVERY_REQUEST would write it at every request).
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True

# --- Citizens' login (issue 17): SPID and CIE through SAML 2.0 ---------------------------
# Off unless the Comune gives its service provider's key and certificate and the metadata of
# the identity providers (local files: the SPID registry's, CIE ID's), see docs/operations.md.
QUARTIERE_SAML = {
    "spid": env.get_list("QUARTIERE_SPID_METADATA"),
    "cie": env.get_list("QUARTIERE_CIE_METADATA"),
    "chiave": env.get_str("QUARTIERE_SAML_KEY_FILE", ""),
    "certificato": env.get_str("QUARTIERE_SAML_CERT_FILE", ""),
    "entity_id": env.get_str("QUARTIERE_SAML_ENTITY_ID", ""),
    "livello": env.get_int("QUARTIERE_SPID_LIVELLO", 2),
    # AgID's metadata of a public service provider name the body and who answers for it.
    "codice_ipa": env.get_str("QUARTIERE_SAML_CODICE_IPA", ""),
    "email_contatto": env.get_str("QUARTIERE_SAML_EMAIL_CONTATTO", ""),
    "telefono_contatto": env.get_str("QUARTIERE_SAML_TELEFONO_CONTATTO", ""),
    # CIE's metadata name the Comune by its cadastral ("Belfiore") code, in capitals, as the
    # CIE federation's manual asks for cie:Municipality (italia/cie-eid-saml-docs,
    # federazione.rst): a Comune's IPA code holds it (c_h501 -> H501), another body sets it.
    "codice_catastale": env.get_str("QUARTIERE_SAML_CODICE_CATASTALE", "").upper(),
}
if not QUARTIERE_SAML["codice_catastale"] and (
    _ipa := re.fullmatch(r"c_([a-z]\d{3})", QUARTIERE_SAML["codice_ipa"], re.IGNORECASE)
):
    QUARTIERE_SAML["codice_catastale"] = _ipa.group(1).upper()
if (QUARTIERE_SAML["spid"] or QUARTIERE_SAML["cie"]) and not (
    QUARTIERE_SAML["chiave"]
    and QUARTIERE_SAML["certificato"]
    and QUARTIERE_SAML["codice_ipa"]
    and QUARTIERE_SAML["email_contatto"]
):
    raise ImproperlyConfigured(
        "QUARTIERE_SPID_METADATA/QUARTIERE_CIE_METADATA need QUARTIERE_SAML_KEY_FILE and "
        "QUARTIERE_SAML_CERT_FILE (the service provider's key and certificate), "
        "QUARTIERE_SAML_CODICE_IPA (the Comune's code in the IPA index) and "
        "QUARTIERE_SAML_EMAIL_CONTATTO (the contact AgID's metadata require)."
    )
if QUARTIERE_SAML["cie"] and not QUARTIERE_SAML["codice_catastale"]:
    raise ImproperlyConfigured(
        "QUARTIERE_CIE_METADATA needs the Comune's cadastral code: "
        "QUARTIERE_SAML_CODICE_CATASTALE, or an IPA code of the form c_h501."
    )
if QUARTIERE_SAML["livello"] not in (1, 2, 3):
    raise ImproperlyConfigured("QUARTIERE_SPID_LIVELLO must be 1, 2 or 3.")
SAML_CONFIG_LOADER = "quartiere.identita.saml.configurazione"
SAML_ATTRIBUTE_MAPPING = {
    "fiscalNumber": ("username",),
    "name": ("first_name",),
    "familyName": ("last_name",),
    "email": ("email",),
}
SAML_CREATE_UNKNOWN_USER = True
ACS_DEFAULT_REDIRECT_URL = "quartiere:area_personale"
SAML_SESSION_COOKIE_NAME = "saml_session"
# The identity provider POSTs back from another site: the cookie must cross it (HTTPS only).
SAML_SESSION_COOKIE_SAMESITE = "Lax" if DEBUG else "None"
# The AuthnRequest travels in the redirect's query string: no auto-submitting page, no script.
SAML_DEFAULT_BINDING = "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect"

# --- Citizens' login through the Comune's identity broker (OpenID Connect) ----------------
# mozilla-django-oidc's own setting names; off while the client and the endpoints are unset.
OIDC_RP_CLIENT_ID = env.get_str("OIDC_RP_CLIENT_ID", "")
OIDC_RP_CLIENT_SECRET = env.get_str("OIDC_RP_CLIENT_SECRET", "")
OIDC_OP_AUTHORIZATION_ENDPOINT = env.get_str("OIDC_OP_AUTHORIZATION_ENDPOINT", "")
OIDC_OP_TOKEN_ENDPOINT = env.get_str("OIDC_OP_TOKEN_ENDPOINT", "")
OIDC_OP_USER_ENDPOINT = env.get_str("OIDC_OP_USER_ENDPOINT", "")
OIDC_OP_JWKS_ENDPOINT = env.get_str("OIDC_OP_JWKS_ENDPOINT", "")
OIDC_RP_SIGN_ALGO = env.get_str("OIDC_RP_SIGN_ALGO", "RS256")
OIDC_RP_SCOPES = env.get_str("OIDC_RP_SCOPES", "openid profile email")
OIDC_USE_PKCE = True
OIDC_TIMEOUT = 10
# The claim holding the tax code, and the broker's name on the login page.
QUARTIERE_OIDC_CLAIM_CF = env.get_str("QUARTIERE_OIDC_CLAIM_CF", "fiscal_number")
QUARTIERE_OIDC_NOME = env.get_str("QUARTIERE_OIDC_NOME", "")
_oidc = [
    OIDC_RP_CLIENT_ID,
    OIDC_RP_CLIENT_SECRET,
    OIDC_OP_AUTHORIZATION_ENDPOINT,
    OIDC_OP_TOKEN_ENDPOINT,
    OIDC_OP_USER_ENDPOINT,
    OIDC_OP_JWKS_ENDPOINT,
]
if any(_oidc) and not all(_oidc):
    raise ImproperlyConfigured(
        "The identity broker needs all of OIDC_RP_CLIENT_ID, OIDC_RP_CLIENT_SECRET and "
        "OIDC_OP_{AUTHORIZATION,TOKEN,USER,JWKS}_ENDPOINT."
    )

# --- Two-factor authentication (issue 9) ---------------------------------------------------
# Roles that must give a TOTP code after the password (quartiere/accesso/otp.py). Off in DEBUG so
# that `make run`'s demo accounts log in without a phone; set it to test it locally.
QUARTIERE_2FA_GRUPPI = env.get_list(
    "QUARTIERE_2FA_GRUPPI", [] if DEBUG else ["coordinatore", "mediatore", "amministratore"]
)
OTP_TOTP_ISSUER = f"Quartiere - {COMUNE_NOME}".replace(":", "")

# --- Internationalisation -------------------------------------------------------------------
LANGUAGE_CODE = "it"
LANGUAGES = [("it", _("Italiano")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Rome"
USE_I18N = True
USE_TZ = True

# --- Static and media -----------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
# django-leaflet ships Leaflet; its Django app needs GDAL (absent on a plain Debian),
# so we take only its static files.
STATICFILES_DIRS = [BASE_DIR / "static", Path(_leaflet_pkg.__file__).parent / "static"]
MEDIA_ROOT = Path(env.get_str("QUARTIERE_MEDIA_ROOT") or VAR_DIR / "media")
MEDIA_URL = "/media-non-servito/"  # uploads are served only through views that check access
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Non-manifest storage: the theme references vendor files it does not ship, which a
    # strict manifest would turn into errors on every page (see shared/STACK.md).
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
# Uploads on S3-compatible storage when QUARTIERE_S3_BUCKET is set: several app servers then
# share them (quartiere/lib/env.py, docs/operations.md).
if (_s3 := env.storage_s3()) is not None:
    STORAGES["default"] = _s3
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 2000
# The whole request body, uploads included (quartiere.accesso.middleware.LimiteRichiestaMiddleware):
# the largest legitimate request is a public report with three 5 MB attachments.
QUARTIERE_MAX_RICHIESTA = env.get_int("QUARTIERE_MAX_RICHIESTA_MB", 20) * 1024 * 1024

# --- E-mail ---------------------------------------------------------------------------------
EMAIL_BACKEND = env.get_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = env.get_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env.get_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env.get_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env.get_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env.get_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env.get_bool("EMAIL_USE_SSL", False)
DEFAULT_FROM_EMAIL = env.get_str("DEFAULT_FROM_EMAIL", "quartiere@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Tasks (e-mail and other work done outside the request) ---------------------------------
TASKS = {
    "default": {
        "BACKEND": env.get_str("QUARTIERE_TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}

# --- Forms and theme ------------------------------------------------------------------------
CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"
DJANGO_BOOTSTRAP_ITALIA_USE_CDN = False

LEAFLET_CONFIG = {
    "DEFAULT_CENTER": (45.4642, 9.19),
    "DEFAULT_ZOOM": 12,
    "TILES": env.get_str("QUARTIERE_MAP_TILES", "https://tile.openstreetmap.org/{z}/{x}/{y}.png"),
    "ATTRIBUTION_PREFIX": "OpenStreetMap",
}

# --- Security -------------------------------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
if not DEBUG:
    SECURE_SSL_REDIRECT = env.get_bool("DJANGO_SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env.get_int("DJANGO_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True


def _origine_tiles(modello: str) -> str:
    """The CSP source of the map tiles: the tile URL's scheme and host, a ``{s}`` subdomain
    as a wildcard. Every map reads the same setting, so the policy follows it."""
    from urllib.parse import urlsplit

    parti = urlsplit(modello)
    if parti.scheme not in {"http", "https"} or not parti.netloc:
        raise ImproperlyConfigured(
            f"QUARTIERE_MAP_TILES must be an http(s) URL template, not {modello!r}."
        )
    return f"{parti.scheme}://{parti.netloc.replace('{s}', '*')}"


_map_tiles_origin = _origine_tiles(LEAFLET_CONFIG["TILES"])
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:", _map_tiles_origin],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

# --- Product settings -----------------------------------------------------------------------
PRIVACY_NOTICE_VERSION = env.get_str("QUARTIERE_PRIVACY_VERSION", "2026-01")
QUARTIERE_RICHIESTE_SALA_ORA = env.get_int("QUARTIERE_RICHIESTE_SALA_ORA", 10)
# Days a week the office must be open (the Latina service's contract: five), against which
# the dashboard and the report read the operators' presence per week.
QUARTIERE_GIORNI_PRESENZA_SETTIMANA = env.get_int("QUARTIERE_GIORNI_PRESENZA_SETTIMANA", 5)
MEDIAZIONE_RETENTION_YEARS = env.get_int("MEDIAZIONE_RETENTION_YEARS", 5)

# --- Segnalazioni: abuse limits of the public pages ----------------------------------------
# Reports filed per IP address per window (seconds); tracking-page look-ups per 10 minutes;
# Open311 POSTs per key per hour; trusted proxies in front of the app (for X-Forwarded-For).
# Seconds a process keeps the quartieri and categories a public form has validated
# (quartiere/lib/scelte.py: SceltaMemorizzata); 0 turns it off.
QUARTIERE_SCELTE_MEMO_SECONDI = env.get_int("QUARTIERE_SCELTE_MEMO_SECONDI", 30)
SEGNALAZIONI_LIMITE_INVII = env.get_int("SEGNALAZIONI_LIMITE_INVII", 5)
SEGNALAZIONI_LIMITE_FINESTRA = env.get_int("SEGNALAZIONI_LIMITE_FINESTRA", 3600)
SEGNALAZIONI_LIMITE_CONSULTAZIONI = env.get_int("SEGNALAZIONI_LIMITE_CONSULTAZIONI", 60)
SEGNALAZIONI_LIMITE_OPEN311 = env.get_int("SEGNALAZIONI_LIMITE_OPEN311", 120)
SEGNALAZIONI_PROXY_FIDATI = env.get_int("SEGNALAZIONI_PROXY_FIDATI", 0)
# Days a logged-in citizen's saved draft of a report waits untouched before retention drops it.
SEGNALAZIONI_BOZZE_GIORNI = env.get_int("SEGNALAZIONI_BOZZE_GIORNI", 30)
# Shared networks (an office behind one address, the desk's tablet): "cidr=factor,...". An
# address in one of them gets every per-address limit multiplied by the factor, and each
# browser in it keeps the ordinary limit of its own (quartiere/accesso/limiti.py).
QUARTIERE_LIMITI_RETI = env.get_reti("QUARTIERE_LIMITI_RETI")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "WARNING")},
}

# --- Benchmark harness (issue 8, docs/performance.md) ---------------------------------------
# `make bench` sets QUARTIERE_BENCH_QUERIES=1 so that each response reports its query count
# in a header; never set it in production.
if env.get_bool("QUARTIERE_BENCH_QUERIES", False):
    MIDDLEWARE = ["quartiere.sviluppo.middleware.ContaQueryMiddleware", *MIDDLEWARE]

# --- Retention classes (issue 9, `manage.py retention`, docs/privacy.md) --------------------
# Years after which a record's personal data are anonymised (the record and its figures stay):
# a report after its closure, a hall booking after its end, a person after their last
# activity anywhere in the service, a mediation dossier after its closure.
RETENTION = {
    "segnalazioni": env.get_int("RETENTION_SEGNALAZIONI_ANNI", 5),
    "prenotazioni": env.get_int("RETENTION_PRENOTAZIONI_ANNI", 2),
    "persone": env.get_int("RETENTION_PERSONE_ANNI", 10),
    "nuclei": env.get_int("RETENTION_NUCLEI_ANNI", 10),
    "valutazioni": env.get_int("RETENTION_VALUTAZIONI_ANNI", 1),
    "account": env.get_int("RETENTION_ACCOUNT_ANNI", 2),
    "mediazione": MEDIAZIONE_RETENTION_YEARS,
}
# One JSON line per run of `manage.py retention` (who, when, what was found and changed).
RETENTION_LOG = Path(env.get_str("RETENTION_LOG") or VAR_DIR / "retention.log")
