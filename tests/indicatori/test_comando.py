"""``manage.py indicatori``: the public contract (options, keys, errors, exit codes)."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command, execute_from_command_line

from quartiere.relazioni import CHIAVI
from tests.indicatori.conftest import AL, DAL

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def _connessione_aperta(monkeypatch):
    # run_from_argv closes every connection at the end: not inside a test transaction.
    from django.db import connections

    monkeypatch.setattr(connections, "close_all", lambda: None)


def esegui(capsys, *argomenti):
    """Run the command as from a shell: (exit status, stdout, stderr)."""
    with pytest.raises(SystemExit) as uscita:
        execute_from_command_line(["manage.py", "indicatori", *argomenti])
        raise SystemExit(0)
    catturato = capsys.readouterr()
    return uscita.value.code, catturato.out, catturato.err


@pytest.mark.parametrize(
    ("argomenti", "messaggio"),
    [
        (["--dal", "2025-13-01", "--al", "2025-12-31", "--format", "json"], "--dal"),
        (["--dal", "2025-01-01", "--al", "31/12/2025", "--format", "json"], "--al"),
        (["--dal", "ieri", "--al", "2025-12-31", "--format", "csv"], "--dal"),
        (["--dal", "2025-12-31", "--al", "2025-01-01", "--format", "json"], "successiva"),
        (["--dal", "2025-12-31", "--al", "2025-01-01", "--format", "pdf"], "successiva"),
        (
            [
                "--dal",
                "2025-01-01",
                "--al",
                "2025-12-31",
                "--quartiere",
                "atlantide",
                "--format",
                "json",
            ],
            "atlantide",
        ),
        (
            [
                "--dal",
                "2025-01-01",
                "--al",
                "2025-12-31",
                "--quartiere",
                "atlantide",
                "--format",
                "pdf",
            ],
            "atlantide",
        ),
        (["--dal", "2025-01-01", "--al", "2025-12-31", "--format", "xml"], "xml"),
        (["--dal", "2025-01-01", "--format", "json"], "--al"),
        (["--dal", "2025-01-01", "--al", "2025-12-31"], "--format"),
        (
            ["--dal", "2025-01-01", "--al", "2025-12-31", "--format", "json", "--anno", "1"],
            "--anno",
        ),
        (
            ["--dal", "2025-01-01", "--al", "2025-12-31", "--format", "pdf", "--confronto", "x"],
            "--confronto",
        ),
    ],
)
def test_ogni_errore_una_riga_e_uscita_2(capsys, quartieri, argomenti, messaggio):
    codice, out, err = esegui(capsys, *argomenti)
    assert codice == 2
    assert out == ""
    assert err.endswith("\n")
    assert err.count("\n") == 1, err
    assert messaggio in err


def test_errore_da_riga_di_comando_vera():
    """The real CLI (argparse would print the usage first): one line, exit 2."""
    risultato = subprocess.run(
        [sys.executable, "manage.py", "indicatori", "--dal", "2025-01-01", "--format", "json"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, "QUARTIERE_NO_EMBEDDED_DB": "1"},
        timeout=120,
        check=False,
    )
    assert risultato.returncode == 2
    assert risultato.stdout == ""
    assert risultato.stderr.count("\n") == 1, risultato.stderr
    assert "--al" in risultato.stderr


def test_call_command_solleva_command_error_con_codice_2(quartieri):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError) as errore:
        call_command("indicatori", "--dal", "2025-02-01", "--al", "2025-01-01", "--format", "json")
    assert errore.value.returncode == 2


def test_json_su_stdout_con_le_chiavi_documentate(capsys, dati):
    codice, out, err = esegui(
        capsys, "--dal", DAL.isoformat(), "--al", AL.isoformat(), "--format", "json"
    )
    assert (codice, err) == (0, "")
    figure = json.loads(out)
    assert list(figure) == list(CHIAVI)
    assert figure["periodo"] == {"dal": "2025-01-01", "al": "2025-12-31"}


def test_json_in_un_file(capsys, dati, tmp_path):
    destinazione = tmp_path / "indicatori.json"
    codice, out, _err = esegui(
        capsys,
        "--dal",
        "2025-01-01",
        "--al",
        "2025-12-31",
        "--quartiere",
        "san-siro",
        "--format",
        "json",
        "--output",
        str(destinazione),
    )
    assert (codice, out) == (0, "")
    assert json.loads(destinazione.read_text())["quartieri"] == ["san-siro"]


def test_csv_con_gli_stessi_numeri_del_json(capsys, dati):
    argomenti = ["--dal", "2025-01-01", "--al", "2025-12-31", "--quartiere", "san-siro"]
    _c, out_json, _e = esegui(capsys, *argomenti, "--format", "json")
    _c, out_csv, _e = esegui(capsys, *argomenti, "--format", "csv")
    figure = json.loads(out_json)
    righe = list(csv.reader(io.StringIO(out_csv)))
    assert righe[0] == ["sezione", "indicatore", "voce", "valore"]
    assert ["periodo", "dal", "", "2025-01-01"] in righe
    assert ["quartieri", "codice", "", "san-siro"] in righe
    attese = 0
    for sezione in ("segnalazioni", "mediazione", "laboratori", "patti", "abitare"):
        for indicatore, valore in (figure[sezione] or {}).items():
            if isinstance(valore, dict):
                for voce, n in valore.items():
                    assert [sezione, indicatore, voce, str(n)] in righe
                    attese += 1
            else:
                assert [sezione, indicatore, "", "" if valore is None else str(valore)] in righe
                attese += 1
    assert len(righe) == 1 + 3 + attese


def test_pdf_su_stdout(dati, django_db_setup):
    """PDF bytes on stdout from a real process (it sees the schema, not this test's rows)."""
    from django.conf import settings

    db = settings.DATABASES["default"]
    ambiente = {
        **os.environ,
        "QUARTIERE_NO_EMBEDDED_DB": "1",
        "DJANGO_SETTINGS_MODULE": "quartiere.settings_test",
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST'].replace('/', '%2F')}/{db['NAME']}",
    }
    risultato = subprocess.run(
        [sys.executable, "manage.py", "indicatori", "--dal", "2025-01-01", "--al", "2025-12-31"]
        + ["--format", "pdf"],
        cwd=ROOT,
        capture_output=True,
        env=ambiente,
        timeout=180,
        check=False,
    )
    assert risultato.returncode == 0, risultato.stderr.decode()
    assert risultato.stdout.startswith(b"%PDF-")
