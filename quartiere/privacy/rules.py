"""Who edits the privacy notice and reads the records of processing."""

from __future__ import annotations

import rules

from quartiere.accesso.policy import is_amministratore, is_coordinatore, is_dirigente

# --- Privacy notice and records of processing (issue 9) --------------------------------------
#
# The Comune's privacy texts are edited in the admin by coordinators and administrators. A
# published notice is read-only for everyone (consents point to its version; the database
# refuses the change too). The register of processing activities (art. 30) is not public:
# it is read by the coordinators, the director and the administrators.

gestisce_privacy = is_coordinatore | is_amministratore


@rules.predicate
def informativa_in_bozza(user, obj) -> bool:
    return obj is None or not obj.pubblicata


rules.add_perm("quartiere.view_informativa", gestisce_privacy)
rules.add_perm("quartiere.add_informativa", gestisce_privacy)
rules.add_perm("quartiere.change_informativa", gestisce_privacy & informativa_in_bozza)
rules.add_perm("quartiere.delete_informativa", gestisce_privacy & informativa_in_bozza)
rules.add_perm("quartiere.view_trattamento", gestisce_privacy)
rules.add_perm("quartiere.add_trattamento", gestisce_privacy)
rules.add_perm("quartiere.change_trattamento", gestisce_privacy)
rules.add_perm("quartiere.delete_trattamento", is_amministratore)
rules.add_perm(
    "quartiere.view_registro_trattamenti", is_coordinatore | is_dirigente | is_amministratore
)
