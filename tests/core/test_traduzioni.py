"""The English catalogues are complete and the compiled files match them.

`make messages` extracts the strings; a string added without its translation, a fuzzy
guess left behind, or a .po edited without recompiling the .mo would show Italian (or a
stale English) to a visitor who chose English. Placeholders must survive translation.
"""

import re
from pathlib import Path

import polib
import pytest

RADICE = Path(__file__).resolve().parents[2]
CATALOGHI = sorted(
    p for p in RADICE.glob("**/locale/en/LC_MESSAGES/django.po") if ".venv" not in p.parts
)
SEGNAPOSTO = re.compile(r"%\((\w+)\)[sd]|\{\{ ?(\w+) ?\}\}|%[sd]")


def _nome(percorso: Path) -> str:
    return str(percorso.relative_to(RADICE))


def test_ci_sono_i_cataloghi_di_ogni_app():
    attesi = {
        "locale/en/LC_MESSAGES/django.po",
        *(
            f"{app}/locale/en/LC_MESSAGES/django.po"
            for app in ("segnalazioni", "mediazione", "laboratori", "patti", "abitare")
        ),
    }
    assert attesi <= {_nome(p) for p in CATALOGHI}


@pytest.mark.parametrize("po", CATALOGHI, ids=_nome)
def test_ogni_stringa_e_tradotta(po):
    catalogo = polib.pofile(str(po))
    mancanti = [e.msgid[:60] for e in catalogo.untranslated_entries()]
    approssimative = [e.msgid[:60] for e in catalogo.fuzzy_entries()]
    assert mancanti == [], f"{len(mancanti)} senza traduzione"
    assert approssimative == [], f"{len(approssimative)} segnate fuzzy"


def _segnaposto(testo: str) -> list[str]:
    return sorted(m.group(0).replace(" ", "") for m in SEGNAPOSTO.finditer(testo))


@pytest.mark.parametrize("po", CATALOGHI, ids=_nome)
def test_i_segnaposto_restano_nella_traduzione(po):
    sbagliate = []
    for voce in polib.pofile(str(po)).translated_entries():
        if voce.msgid_plural:
            coppie = [(voce.msgid_plural, s) for s in voce.msgstr_plural.values()]
        else:
            coppie = [(voce.msgid, voce.msgstr)]
        for originale, tradotta in coppie:
            if set(_segnaposto(originale)) != set(_segnaposto(tradotta)):
                sbagliate.append(f"{originale[:50]!r} -> {tradotta[:50]!r}")
    assert sbagliate == []


@pytest.mark.parametrize("po", CATALOGHI, ids=_nome)
def test_il_file_compilato_corrisponde_al_catalogo(po):
    mo = po.with_suffix(".mo")
    assert mo.exists(), "manca il .mo: QUARTIERE_NO_EMBEDDED_DB=1 manage.py compilemessages"

    def voci(catalogo):
        return {
            (e.msgctxt, e.msgid): e.msgstr or tuple(sorted(e.msgstr_plural.items()))
            for e in catalogo
            if not e.obsolete and (e.msgstr or e.msgstr_plural) and "fuzzy" not in e.flags
        }

    assert voci(polib.mofile(str(mo))) == voci(polib.pofile(str(po)))
