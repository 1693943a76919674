"""The layout contract (``[tool.importlinter]`` in pyproject.toml, run by ``make test``)
holds today, and fails on a new import of an app from the core: checked on a copy of the
packages, so the tree under test is never touched."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACCHETTI = ("quartiere", "segnalazioni", "mediazione", "laboratori", "patti", "abitare")
LINT = Path(sys.executable).with_name("lint-imports")


def _copia(destinazione: Path) -> Path:
    for nome in PACCHETTI:
        shutil.copytree(
            ROOT / nome,
            destinazione / nome,
            ignore=lambda cartella, nomi: [
                n for n in nomi if not n.endswith(".py") and not (Path(cartella) / n).is_dir()
            ],
        )
    shutil.copy(ROOT / "pyproject.toml", destinazione)
    return destinazione


def _controlla(cartella: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(LINT), "--no-cache"], cwd=cartella, capture_output=True, text=True, timeout=120
    )


def test_il_contratto_vale_e_si_rompe_con_un_nuovo_import(tmp_path):
    copia = _copia(tmp_path)
    esito = _controlla(copia)
    assert esito.returncode == 0, esito.stdout + esito.stderr
    assert "0 broken" in esito.stdout

    eventi = copia / "quartiere" / "calendario" / "eventi.py"
    eventi.write_text(eventi.read_text() + "\nfrom laboratori.models import Incontro  # noqa\n")
    lib = copia / "quartiere" / "lib" / "errori.py"
    lib.write_text(lib.read_text() + "\nfrom quartiere.registro import models  # noqa\n")
    esito = _controlla(copia)
    assert esito.returncode == 1, esito.stdout + esito.stderr
    assert "quartiere.calendario.eventi -> laboratori.models" in esito.stdout
    assert "quartiere.lib.errori -> quartiere.registro.models" in esito.stdout
