"""Who looks after the citizens' accounts: the coordinators link an account "da verificare"
to the right Persona; the administrators too. Accounts are opened only by a login."""

from __future__ import annotations

import rules

from quartiere.accesso.policy import is_amministratore, is_coordinatore

rules.add_perm("quartiere.view_accountcittadino", is_coordinatore | is_amministratore)
rules.add_perm("quartiere.change_accountcittadino", is_coordinatore | is_amministratore)
