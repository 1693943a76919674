"""Numbers handed to JavaScript are written with a decimal point in every language.

In Italian Django writes 45.4642 as "45,4642": a map centre read from such an attribute
becomes NaN in the browser and the map opens in the sea off Africa (issue 16).
"""

import re

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

pytestmark = pytest.mark.django_db

ATTRIBUTO = re.compile(r'data-(lat|lon|zoom)="([^"]*)"')
NUMERO = re.compile(r"^-?\d+(\.\d+)?$")


def _numeri(html: str) -> dict[str, list[str]]:
    trovati: dict[str, list[str]] = {}
    for nome, valore in ATTRIBUTO.findall(html):
        trovati.setdefault(nome, []).append(valore)
    return trovati


@pytest.mark.parametrize("lingua", ["it", "en"])
@pytest.mark.parametrize(
    ("nome_url", "personale"),
    [
        ("segnalazioni:invia_passo", False),
        ("segnalazioni:mappa", True),
        ("segnalazioni:sportello", True),
    ],
)
def test_centro_della_mappa_con_il_punto_decimale(
    client_di, operatore, nome_url, personale, lingua
):
    client = client_di(operatore if personale else None)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = lingua
    with translation.override(lingua):
        args = ["dati"] if nome_url == "segnalazioni:invia_passo" else []
        risposta = client.get(reverse(nome_url, args=args))
    assert risposta.status_code == 200
    numeri = _numeri(risposta.content.decode())
    assert set(numeri) == {"lat", "lon", "zoom"}, numeri
    for valori in numeri.values():
        for valore in valori:
            assert NUMERO.match(valore), valore
    lat, lon = settings.LEAFLET_CONFIG["DEFAULT_CENTER"]
    assert float(numeri["lat"][0]) == lat
    assert float(numeri["lon"][0]) == lon
