"""Who may read the figures (dashboard, PDF report, exports).

Every staff role except the mediator: mediators work on single dossiers and have no
need for the service's figures. Operators read the figures of their own quartieri only:
views restrict the choice of quartieri with :func:`quartieri_consentiti`.
"""

from __future__ import annotations

import rules

from quartiere.accesso import policy

legge_indicatori = (
    policy.is_dirigente | policy.is_coordinatore | policy.is_amministratore | policy.is_operatore
)

rules.add_perm("quartiere.view_indicatori", legge_indicatori)

# The printed versions hold every quartiere's figures: the city-wide roles read them, and
# the dirigente (with the amministratore) prints them with the commentary. Nobody changes
# or deletes one (the database refuses it).
rules.add_perm(
    "quartiere.view_relazionestampata",
    policy.is_dirigente | policy.is_coordinatore | policy.is_amministratore,
)
rules.add_perm("quartiere.add_relazionestampata", policy.is_dirigente | policy.is_amministratore)


def quartieri_consentiti(user):
    """The quartieri whose figures ``user`` may read (all for the city-wide roles)."""
    from quartiere.territorio.models import Quartiere

    if not legge_indicatori(user):
        return Quartiere.objects.none()
    return policy.filtra_quartieri(Quartiere.objects.all(), user, campo="pk").order_by("codice")
