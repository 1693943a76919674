"""Who reads and records the funded programmes: the coordinators record them (with the
administrators); every member of the staff reads them, to attribute their work."""

from __future__ import annotations

import rules

from quartiere.accesso.policy import is_amministratore, is_coordinatore, is_personale

gestisce_programmi = is_coordinatore | is_amministratore

for _modello in (
    "programma",
    "asse",
    "finanziamento",
    "affidamento",
    "rinnovo",
    "indicatoreprogramma",
    "misuraindicatore",
    "intervento",
    "avvisointervento",
):
    rules.add_perm(f"quartiere.view_{_modello}", is_personale)
    for _azione in ("add", "change", "delete"):
        rules.add_perm(f"quartiere.{_azione}_{_modello}", gestisce_programmi)
