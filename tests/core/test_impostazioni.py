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
