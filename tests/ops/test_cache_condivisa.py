"""A shared cache for several app servers (issue 29): Django's own RedisCache on Debian's
redis-server, as QUARTIERE_CACHE_BACKEND/QUARTIERE_CACHE_LOCATION configure it.

What one process caches (the hall's public calendar, laid out) another process reads, and
``retention --anonymize`` empties it for every server at once.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
import redis
from django.core.cache import cache
from django.core.management import call_command
from django.urls import reverse

from bench.harness import porta_libera

pytestmark = pytest.mark.django_db

RADICE = Path(__file__).resolve().parents[2]
REDIS = "django.core.cache.backends.redis.RedisCache"


@pytest.fixture(scope="module")
def server_redis(tmp_path_factory):
    porta = porta_libera()
    cartella = tmp_path_factory.mktemp("redis")
    processo = subprocess.Popen(  # noqa: S603
        [
            "/usr/bin/redis-server",
            "--port",
            str(porta),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            str(cartella),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    indirizzo = f"redis://127.0.0.1:{porta}/0"
    client = redis.Redis.from_url(indirizzo)
    for _ in range(100):
        try:
            client.ping()
            break
        except redis.ConnectionError:
            time.sleep(0.05)
    else:
        processo.kill()
        pytest.fail("redis-server non risponde")
    yield indirizzo
    processo.terminate()
    processo.wait(timeout=10)


@pytest.fixture
def cache_redis(server_redis, settings):
    settings.CACHES = {"default": {"BACKEND": REDIS, "LOCATION": server_redis}}
    cache.clear()
    yield redis.Redis.from_url(server_redis)
    cache.clear()


def _leggi_da_un_altro_processo(indirizzo: str, chiave: str) -> str:
    """``cache.get(chiave)`` in a second Python process with the deployment's variables."""
    ambiente = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "quartiere.settings",
        "DJANGO_DEBUG": "1",
        "QUARTIERE_NO_EMBEDDED_DB": "1",
        "QUARTIERE_CACHE_BACKEND": REDIS,
        "QUARTIERE_CACHE_LOCATION": indirizzo,
    }
    codice = (
        "import sys, django; django.setup(); from django.core.cache import cache; "
        f"v = cache.get({chiave!r}); sys.stdout.write('' if v is None else v)"
    )
    return subprocess.run(  # noqa: S603
        [sys.executable, "-c", codice],
        cwd=RADICE,
        env=ambiente,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    ).stdout


def test_cio_che_un_server_mette_in_cache_un_altro_lo_legge(
    client, cache_redis, server_redis, sede
):
    pagina = client.get(reverse("quartiere:calendario_sede", args=[sede.pk]))
    assert pagina.status_code == 200
    chiavi = [k.decode() for k in cache_redis.keys("*calendario_sede*")]
    assert len(chiavi) == 1
    # Django's key is "<prefix>:<version>:<key>": the second process asks for the key itself.
    chiave = chiavi[0].split(":", 2)[2]
    html = _leggi_da_un_altro_processo(server_redis, chiave)
    assert html and sede.nome in pagina.content.decode() and html in pagina.content.decode()


def test_la_conservazione_svuota_la_cache_di_tutti_i_server(cache_redis, settings, tmp_path):
    settings.RETENTION_LOG = tmp_path / "retention.log"
    cache.set("filtri:operatore", "Giulia Rossi")
    assert cache_redis.keys("*filtri:operatore*")
    call_command("retention", "--anonymize", stdout=open(os.devnull, "w"))  # noqa: SIM115
    assert cache_redis.keys("*") == []
