"""Users, groups, the staff desk and the admin."""

from __future__ import annotations

import rules

from quartiere.accesso.policy import is_amministratore, is_coordinatore, is_personale

for _modello in ("user", "group"):
    for _azione in ("view", "add", "change", "delete"):
        rules.add_perm(f"auth.{_azione}_{_modello}", is_amministratore)

rules.add_perm("quartiere.usa_scrivania", is_personale)
rules.add_perm("quartiere.usa_admin", is_coordinatore | is_amministratore)
# The admin's index lists the core's section to the roles that work in it (the privacy
# notice, the registry, the page ratings); each model still answers to its own rules.
rules.add_perm("quartiere", is_coordinatore | is_amministratore)
