"""Configuration of the territory belongs to the amministratore."""

from __future__ import annotations

import rules

from quartiere.accesso.policy import is_amministratore, is_personale

# Configuration: quartieri, boundaries and the street register, offices and staff
# profiles belong to the amministratore.
for _modello in (
    "quartiere",
    "confinecomune",
    "indirizzo",
    "sede",
    "orarioapertura",
    "profilostaff",
):
    rules.add_perm(f"quartiere.view_{_modello}", is_personale)
    for _azione in ("add", "change", "delete"):
        rules.add_perm(f"quartiere.{_azione}_{_modello}", is_amministratore)
