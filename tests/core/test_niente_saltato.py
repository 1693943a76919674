"""A skipped test fails (tests/niente_saltato.py): a machine that lacks a tool or a module cannot
pass ``make test`` with less tested."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

SALTANO = """
import pytest

def test_salta_nel_corpo():
    pytest.skip("manca pdftotext")

@pytest.mark.skipif(True, reason="manca chromium")
def test_salta_per_marcatore():
    pass

def test_passa():
    pass

@pytest.mark.xfail(reason="atteso", strict=True)
def test_fallisce_come_atteso():
    assert False
"""


def test_un_test_saltato_fallisce(tmp_path):
    (tmp_path / "test_saltano.py").write_text(SALTANO)
    r = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-p",
            "no:xdist",
            "-p",
            "tests.niente_saltato",
            "-q",
            "-p",
            "no:randomly",
            str(tmp_path / "test_saltano.py"),
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )
    ultima = r.stdout.strip().splitlines()[-1]
    assert r.returncode == 1, r.stdout + r.stderr
    assert "skipped" not in ultima
    assert "1 failed" in ultima and "1 error" in ultima, ultima
    assert "1 passed" in ultima and "1 xfailed" in ultima, ultima
    assert "manca pdftotext" in r.stdout and "manca chromium" in r.stdout
