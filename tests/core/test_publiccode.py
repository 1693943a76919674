"""publiccode.yml carries what the Developers Italia standard (v0.4) requires."""

from pathlib import Path

import yaml

FILE = Path(__file__).resolve().parents[2] / "publiccode.yml"

CATEGORIE_VALIDE = {
    "collaboration",
    "digital-citizenship",
    "feedback-and-reviews-management",
    "online-booking",
    "workflow-management",
    "data-visualization",
    "document-management",
    "geographic-information-systems",
    "event-management",
}


def test_publiccode_ha_i_campi_obbligatori():
    dati = yaml.safe_load(FILE.read_text(encoding="utf-8"))
    assert dati["publiccodeYmlVersion"] == "0.4"
    for campo in [
        "name",
        "url",
        "platforms",
        "categories",
        "developmentStatus",
        "softwareType",
        "description",
        "legal",
        "maintenance",
        "localisation",
    ]:
        assert dati.get(campo), campo
    assert set(dati["categories"]) <= CATEGORIE_VALIDE
    assert dati["developmentStatus"] in {"concept", "development", "beta", "stable", "obsolete"}
    assert dati["softwareType"] == "standalone/web"
    assert dati["legal"]["license"] == "EUPL-1.2"
    assert dati["maintenance"]["type"] in {"internal", "contract", "community", "none"}
    for lingua in ("it", "en"):
        descrizione = dati["description"][lingua]
        assert len(descrizione["shortDescription"]) <= 150
        assert 150 <= len(descrizione["longDescription"]) <= 10000
        assert descrizione["features"]
    assert set(dati["localisation"]["availableLanguages"]) == {"it", "en"}
    assert dati["it"]["countryExtensionVersion"] == "1.0"
