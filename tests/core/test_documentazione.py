"""The pages say what the code does: every repository path, module, setting and command
that README.md and docs/ name in backticks exists.

The next move of a module or a renamed setting breaks this test instead of misleading a
newcomer or an operator. Names with a placeholder (``<app>``, ``<pk>``) are checked for
each app, URL paths and bare file names are left to the pages around them.
"""

from __future__ import annotations

import importlib
import re
from pathlib import Path

import pytest
from django.core.management import get_commands

RADICE = Path(__file__).resolve().parents[2]
PAGINE = [
    RADICE / "README.md",
    *sorted((RADICE / "docs").rglob("*.md")),
    *sorted(RADICE.glob("*/README.md")),
]
APP = ("quartiere", "segnalazioni", "mediazione", "laboratori", "patti", "abitare")
CARTELLE = (*APP, "tests", "docs", "bench", "scripts", "templates", "static", "locale")
# Where a name in capitals may be defined or read.
SORGENTI = [
    p
    for cartella in (*APP, "bench", "scripts")
    for p in (RADICE / cartella).rglob("*")
    if p.suffix in {".py", ".html", ".js", ""} and p.is_file() and "migrations" not in p.parts
] + [RADICE / "Makefile", RADICE / "pyproject.toml"]
# Names in capitals that are not ours to define: other programs' variables, HTTP headers,
# SQL, formats, placeholders in examples.
ESTERNI = {
    "DEBUG",
    "PGDATA",
    "PGHOST",
    "PGPASSWORD",
    "PGUSER",
    "REMOTE_ADDR",
    "XDG_RUNTIME_DIR",
    "UTF-8",
    "HTTP_X_FORWARDED_FOR",
    "YYYY-MM-DD",
    "DD/MM/YYYY",
    "GROUP",
    "COPY",
    "ANALYZE",
    "TRUNCATE",
    "VACUUM",
    "INSERT",
    "UPDATE",
    "DELETE",
    "SELECT",
    "WITH",
    "NULL",
    "TRUE",
    "FALSE",
    "POST",
    "HEAD",
    "BEGIN",
    "COMMIT",
    "CLOSE",
    "FETCH",
    "UNLOGGED",
    "CONCURRENTLY",
    # psycopg's and django-simple-history's own names, quoted where the docs explain them.
    "MAX_CACHED_STATEMENT_PARAMS",
    "SIMPLE_HISTORY_ENABLED",
}


def _nomi():
    """(page, name) of every name in backticks outside code blocks."""
    for pagina in PAGINE:
        testo = re.sub(r"```.*?```", "", pagina.read_text(), flags=re.S)
        for nome in re.findall(r"`([^`\n]+)`", testo):
            yield pagina.relative_to(RADICE).as_posix(), nome.strip()


NOMI = sorted(set(_nomi()))


def _espandi(nome: str) -> list[str]:
    return [nome.replace("<app>", app) for app in APP] if "<app>" in nome else [nome]


def _percorso_esiste(nome: str) -> bool:
    nome = nome.rstrip("/")
    if (RADICE / nome).exists():
        return True
    # An app's own folders, named as the layout of every app.
    if nome.split("/")[0] in {"templates", "static"} and any(
        (RADICE / app / nome).exists() for app in APP
    ):
        return True
    # A migration named as Django prints it: app/0004_name.
    app, _sep, migrazione = nome.partition("/")
    if re.fullmatch(r"\d{4}\w*", migrazione):
        return any((RADICE / app / "migrations").glob(f"{migrazione}*.py"))
    return False


def test_ogni_percorso_del_repository_nominato_esiste():
    mancanti = []
    for pagina, nome in NOMI:
        if not re.fullmatch(r"[\w.<>/-]+", nome) or "/" not in nome or "*" in nome:
            continue
        if nome.split("/")[0] not in CARTELLE or re.search(r"<(?!app>)", nome):
            continue
        varianti = _espandi(nome)
        esistenti = [v for v in varianti if _percorso_esiste(v)]
        if not esistenti:
            mancanti.append(f"{pagina}: {nome}")
    assert not mancanti, "\n".join(mancanti)


def _importabile(nome: str) -> bool:
    parti = nome.removesuffix("()").split(".")
    for i in range(len(parti), 0, -1):
        try:
            oggetto = importlib.import_module(".".join(parti[:i]))
        except ImportError:
            continue
        try:
            for attributo in parti[i:]:
                oggetto = getattr(oggetto, attributo)
        except AttributeError:
            return False
        return True
    return False


def _etichetta_esiste(nome: str) -> bool:
    """``app.Model``, ``app.permission`` or ``app.0004`` (a migration)."""
    from django.apps import apps
    from django.contrib.auth.models import Permission
    from rules.permissions import permissions

    app, _sep, resto = nome.partition(".")
    if re.fullmatch(r"\d{4}", resto):
        return any((RADICE / app / "migrations").glob(f"{resto}_*.py"))
    try:
        apps.get_model(app, resto)
        return True
    except (LookupError, ValueError):
        pass
    return (
        nome in permissions
        or Permission.objects.filter(content_type__app_label=app, codename=resto).exists()
    )


@pytest.mark.django_db
def test_ogni_modulo_e_nome_python_nominato_esiste():
    mancanti = []
    for pagina, nome in NOMI:
        if not re.fullmatch(rf"({'|'.join(APP)})(\.\w+)+(\(\))?", nome):
            continue
        if re.search(r"\.(csv|json|xlsx)$", nome):
            continue  # a file's name in an example
        if not any(_importabile(v) or _etichetta_esiste(v) for v in _espandi(nome)):
            mancanti.append(f"{pagina}: {nome}")
    assert not mancanti, "\n".join(mancanti)


@pytest.fixture(scope="module")
def sorgenti() -> str:
    return "\n".join(p.read_text(errors="ignore") for p in SORGENTI)


def test_ogni_impostazione_nominata_e_letta_dal_codice(sorgenti):
    mancanti = []
    for pagina, nome in NOMI:
        if not re.fullmatch(r"[A-Z][A-Z0-9_]{3,}", nome) or nome in ESTERNI:
            continue
        if not re.search(rf"\b{re.escape(nome)}\b", sorgenti):
            mancanti.append(f"{pagina}: {nome}")
    assert not mancanti, "\n".join(mancanti)


def test_ogni_comando_nominato_esiste():
    comandi = set(get_commands())
    obiettivi = set(re.findall(r"^([\w-]+):", (RADICE / "Makefile").read_text(), flags=re.M))
    mancanti = []
    for pagina, nome in NOMI:
        manage = re.match(r"(?:python )?(?:\./)?manage\.py (\w+)", nome)
        if manage and manage.group(1) not in comandi:
            mancanti.append(f"{pagina}: {nome}")
        make = re.match(r"make ([\w-]+)", nome)
        if make and make.group(1) not in obiettivi:
            mancanti.append(f"{pagina}: {nome}")
    assert not mancanti, "\n".join(mancanti)


def test_ogni_variabile_d_ambiente_letta_dalle_impostazioni_e_documentata():
    """A setting the code reads from the environment and no page names is one an operator
    cannot know about (SEGNALAZIONI_PROXY_FIDATI was)."""
    impostazioni = (RADICE / "quartiere" / "settings.py").read_text()
    lette = set(re.findall(r'env\.get_\w+\(\s*"([A-Z][A-Z0-9_]+)"', impostazioni))
    testo = "\n".join(p.read_text() for p in PAGINE)
    mancanti = sorted(nome for nome in lette if not re.search(rf"\b{nome}\b", testo))
    assert len(lette) > 20
    assert not mancanti, mancanti
