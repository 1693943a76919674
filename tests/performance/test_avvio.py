"""What a process loads to start (issue 21, start-up): the settings, the models and the
URLconf with the admin, as every command's system checks and every app server do, without
the libraries that only some requests need. Each is imported where it is used:

- pysaml2, and mozilla-django-oidc with requests, PyJWT and cryptography: by the login
  views at their first request (``quartiere/identita/urls.py``);
- shapely (with numpy's own import through it): by the functions that read a boundary or
  a point (``quartiere/territorio/confini.py``);
- pypdf: by the check of an uploaded PDF (``segnalazioni/allegati.py``);
- WeasyPrint and Playwright: by the PDF views and the tests.

openpyxl is still loaded with the admin: django-import-export (the pacts' import) computes
its list of formats when ``import_export.admin`` is imported (docs/performance.md).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

RADICE = Path(__file__).resolve().parents[2]
PESANTI = (
    "saml2",
    "mozilla_django_oidc",
    "requests",
    "jwt",
    "shapely",
    "pypdf",
    "weasyprint",
    "playwright",
)

CARICA = """
import json, sys
import django
django.setup()
from django.urls import get_resolver
get_resolver().url_patterns  # the URLconf, and with it the admin (quartiere/urls.py)
from django.core import checks
checks.run_checks()
print(json.dumps(sorted({m.split(".")[0] for m in sys.modules})))
"""


def _moduli_all_avvio() -> set[str]:
    ambiente = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "QUARTIERE_"))},
        "DJANGO_SETTINGS_MODULE": "quartiere.settings",
        "DJANGO_DEBUG": "1",
        "QUARTIERE_NO_EMBEDDED_DB": "1",
        "PYTHONPATH": str(RADICE),
    }
    uscita = subprocess.run(  # noqa: S603 - our own interpreter
        [sys.executable, "-c", CARICA],
        cwd=RADICE,
        env=ambiente,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    ).stdout
    return set(json.loads(uscita.strip().splitlines()[-1]))


def test_l_avvio_non_carica_le_librerie_di_poche_richieste():
    caricati = _moduli_all_avvio()
    assert "django" in caricati and "segnalazioni" in caricati  # the probe did run
    assert sorted(caricati & set(PESANTI)) == []
