"""Shared fixtures: a throwaway PostgreSQL, the cast of users per role, factories and the
browser harness."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest
from pytest_factoryboy import register

from tests import factories

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

# A skipped test fails (tests/niente_saltato.py); moto's S3 server for the storage tests.
pytest_plugins = ["tests.niente_saltato", "tests.s3"]

CHROMIUM = "/usr/bin/chromium"

register(factories.QuartiereFactory)
register(factories.SedeFactory)
register(factories.PersonaFactory)
register(factories.OrganizzazioneFactory)


def pytest_collection_modifyitems(items):
    """Every transactional test (the browser tests too) starts from the migrations' data:
    content types, permissions, the role groups, the seeded privacy notice.

    A transactional test without ``serialized_rollback`` ends with a flush after which
    post_migrate creates the content types again under new ids; a test with it that then
    runs on the same worker cannot reload its snapshot (duplicate content type). Which tests
    share a worker depends on xdist's scheduling, so the mix failed now and then.

    A test that asks for ``live_server`` or ``transactional_db`` is transactional whatever
    its marker says (a module's plain ``django_db``): pytest-django runs it so, and it
    flushed without the snapshot until this hook counted it too.
    """
    for item in items:
        marker = item.get_closest_marker("django_db")
        opzioni = dict(marker.kwargs) if marker is not None else {}
        fixture = set(getattr(item, "fixturenames", ()))
        if fixture & {"live_server", "transactional_db"}:
            opzioni["transaction"] = True
        if not opzioni.get("transaction"):
            continue
        if opzioni.get("serialized_rollback") and marker.kwargs.get("transaction"):
            continue  # already as it must be
        opzioni["serialized_rollback"] = True
        argomenti = marker.args if marker is not None else ()
        item.add_marker(pytest.mark.django_db(*argomenti, **opzioni), append=False)


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix):
    """Start an embedded PostgreSQL per test process unless DATABASE_URL names a server."""
    from django.conf import settings

    if os.environ.get("DATABASE_URL"):
        return
    from quartiere.ops.embedded_db import connection_settings

    cartella = Path(tempfile.mkdtemp(prefix="quartiere-test-pg-"))
    # Update in place: Django's connection handler holds a reference to this dict.
    server = connection_settings(cartella / "pgdata", cleanup_mode="delete")
    settings.DATABASES["default"].update(server)
    # The read replica's alias (quartiere/settings_test.py) is a mirror on the same server.
    settings.DATABASES["replica"].update(server)


@pytest.fixture(scope="session", autouse=True)
def _admin_registrato():
    """The admin modules, as a server has them once it has loaded the URLconf (the admin
    is SimpleAdminConfig: see quartiere/urls.py)."""
    from django.contrib import admin

    admin.autodiscover()


@pytest.fixture(autouse=True)
def _limiti_senza_pulizia_a_caso(monkeypatch):
    """The rate limit deletes expired windows on 2% of new windows, at random: one more
    statement now and then would make the query-count tests flaky. tests/core/test_limiti.py
    turns the clean-up on where it tests it."""
    from quartiere.accesso import limiti

    monkeypatch.setattr(limiti, "PULIZIA_PROBABILITA", 0)


@pytest.fixture(autouse=True)
def _media_temporanei(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _cache_pulita():
    from django.contrib.contenttypes.models import ContentType
    from django.core.cache import cache

    cache.clear()
    # Content types are cached per process by id. A transactional test's flush and the
    # reload of the migrations' snapshot can leave that cache naming ids the table no longer
    # has: a later admin log entry (LogEntry) then failed its foreign key at commit, in
    # whichever test xdist happened to schedule after it.
    ContentType.objects.clear_cache()
    yield
    cache.clear()
    ContentType.objects.clear_cache()


# --- The cast ---------------------------------------------------------------------------------


@pytest.fixture
def quartieri(db):
    return factories.quattro_quartieri()


@pytest.fixture
def san_siro(quartieri):
    return quartieri["san-siro"]


@pytest.fixture
def gratosoglio(quartieri):
    return quartieri["gratosoglio"]


@pytest.fixture
def operatore(quartieri):
    return factories.membro("operatore", quartieri)


@pytest.fixture
def operatore_gratosoglio(quartieri):
    return factories.membro("operatore_altro", quartieri)


@pytest.fixture
def mediatore(quartieri):
    return factories.membro("mediatore", quartieri)


@pytest.fixture
def coordinatore(quartieri):
    return factories.membro("coordinatore", quartieri)


@pytest.fixture
def dirigente(quartieri):
    return factories.membro("dirigente", quartieri)


@pytest.fixture
def amministratore(quartieri):
    return factories.membro("amministratore", quartieri)


@pytest.fixture
def cast(operatore, operatore_gratosoglio, mediatore, coordinatore, dirigente, amministratore):
    """Every role, by name; ``None`` is the anonymous visitor."""
    return {
        "anonimo": None,
        "operatore": operatore,
        "operatore_altro": operatore_gratosoglio,
        "mediatore": mediatore,
        "coordinatore": coordinatore,
        "dirigente": dirigente,
        "amministratore": amministratore,
    }


@pytest.fixture
def client_di(client):
    """``client_di(user)`` returns a test client logged in as ``user`` (None: anonymous)."""
    from django.test import Client

    def _client(user):
        c = Client()
        if user is not None:
            c.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        return c

    return _client


# --- Browser --------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--disable-quic",
        ],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "it-IT", "timezone_id": "Europe/Rome"}
