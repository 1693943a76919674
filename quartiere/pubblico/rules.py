"""Who reads what citizens said of the public pages: the roles that answer for the service.
Nobody edits a rating; the administrators may delete one (an abusive comment)."""

from __future__ import annotations

import rules

from quartiere.accesso.policy import is_amministratore, is_coordinatore, is_dirigente

rules.add_perm(
    "quartiere.view_valutazionepagina", is_coordinatore | is_dirigente | is_amministratore
)
rules.add_perm("quartiere.delete_valutazionepagina", is_amministratore)
