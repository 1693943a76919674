"""Settings from the environment and the production profile."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from quartiere.lib import env

RADICE = Path(__file__).resolve().parents[2]


def _ambiente_produzione(**extra):
    ambiente = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "QUARTIERE_"))}
    ambiente.update(
        DJANGO_SETTINGS_MODULE="quartiere.settings",
        DJANGO_SECRET_KEY="x7!k2#prod-" + "a9Zq" * 12,
        DJANGO_ALLOWED_HOSTS="quartiere.comune.example.it",
        DJANGO_DEBUG="0",
        DATABASE_URL="postgres://quartiere:segreto@db.example.invalid:5432/quartiere",
        COMUNE_NOME="Comune di Prova",
    )
    ambiente.update(extra)
    return ambiente


def test_check_deploy_pulito_con_variabili_di_produzione():
    risultato = subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=RADICE,
        env=_ambiente_produzione(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert risultato.returncode == 0, risultato.stdout + risultato.stderr
    assert "WARNINGS" not in risultato.stderr


def test_senza_chiave_segreta_in_produzione_non_parte():
    ambiente = _ambiente_produzione()
    del ambiente["DJANGO_SECRET_KEY"]
    risultato = subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "check"],
        cwd=RADICE,
        env=ambiente,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert risultato.returncode != 0
    assert "DJANGO_SECRET_KEY" in risultato.stderr


def test_database_non_postgresql_rifiutato():
    risultato = subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "check"],
        cwd=RADICE,
        env=_ambiente_produzione(DATABASE_URL="sqlite:///tmp/x.db"),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert risultato.returncode != 0
    assert "PostgreSQL" in risultato.stderr


def test_chiave_segreta_letta_da_file(tmp_path, monkeypatch):
    segreto = tmp_path / "segreto"
    segreto.write_text("dal-file\n")
    monkeypatch.setenv("DJANGO_SECRET_KEY_FILE", str(segreto))
    assert env.get_str("DJANGO_SECRET_KEY") == "dal-file"


@pytest.mark.parametrize("valore", ["forse", "2", "yes please"])
def test_booleano_non_valido_fallisce_rumorosamente(valore, monkeypatch):
    monkeypatch.setenv("QUARTIERE_PROVA", valore)
    with pytest.raises(ImproperlyConfigured):
        env.get_bool("QUARTIERE_PROVA")


def test_intero_non_valido_fallisce_rumorosamente(monkeypatch):
    monkeypatch.setenv("QUARTIERE_PROVA", "dieci")
    with pytest.raises(ImproperlyConfigured):
        env.get_int("QUARTIERE_PROVA", 1)


def test_lingua_e_fuso_italiani(settings):
    assert settings.LANGUAGE_CODE == "it"
    assert settings.TIME_ZONE == "Europe/Rome"


@pytest.mark.django_db
def test_migrazioni_complete():
    from django.core.management import call_command

    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


def test_un_solo_server_di_tiles_per_tutte_le_mappe_e_la_csp_lo_segue():
    """QUARTIERE_MAP_TILES sets the tiles of every map, and the CSP allows exactly its host
    (a {s} subdomain as a wildcard); a value that is not an http(s) URL stops the start."""
    codice = (
        "import django, json; django.setup(); from django.conf import settings; "
        "print(json.dumps(settings.CONTENT_SECURITY_POLICY['DIRECTIVES']['img-src']))"
    )

    def img_src(tiles):
        return subprocess.run(  # noqa: S603
            [sys.executable, "-c", codice],
            cwd=RADICE,
            env=_ambiente_produzione(QUARTIERE_MAP_TILES=tiles),
            capture_output=True,
            text=True,
            timeout=120,
        )

    proprio = img_src("https://tiles.comune.example.it/osm/{z}/{x}/{y}.png")
    assert proprio.returncode == 0, proprio.stderr
    assert "https://tiles.comune.example.it" in proprio.stdout
    assert "openstreetmap" not in proprio.stdout
    sottodomini = img_src("https://{s}.tile.example.org/{z}/{x}/{y}.png")
    assert "https://*.tile.example.org" in sottodomini.stdout
    sbagliato = img_src("tiles/{z}/{x}/{y}.png")
    assert sbagliato.returncode != 0
    assert "QUARTIERE_MAP_TILES" in sbagliato.stderr


@pytest.mark.django_db
def test_la_mappa_dei_patti_usa_il_server_di_tiles_configurato(client, settings):
    from django.urls import reverse

    settings.LEAFLET_CONFIG = {
        **settings.LEAFLET_CONFIG,
        "TILES": "https://t.example.it/{z}/{x}/{y}.png",
    }
    pagina = client.get(reverse("patti:registro")).content.decode()
    assert 'data-tiles="https://t.example.it/{z}/{x}/{y}.png"' in pagina
    mappa = (RADICE / "patti/static/patti/mappa.js").read_text()
    assert "dataset.tiles" in mappa and "openstreetmap.org" not in mappa
