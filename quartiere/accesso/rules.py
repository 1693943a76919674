"""Users, groups, the staff desk and the admin."""

from __future__ import annotations

import rules

from quartiere.accesso.policy import is_amministratore, is_coordinatore, is_personale

for _modello in ("user", "group"):
    for _azione in ("view", "add", "change", "delete"):
        rules.add_perm(f"auth.{_azione}_{_modello}", is_amministratore)

rules.add_perm("quartiere.usa_scrivania", is_personale)
rules.add_perm("quartiere.usa_admin", is_coordinatore | is_amministratore)
