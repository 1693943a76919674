"""The core's permissions, one module per concept; django-rules' autodiscovery finds them here.

The shared policy itself (roles, predicates, scoping helpers) is :mod:`quartiere.accesso.policy`.
"""

from quartiere.accesso import rules as accesso_rules
from quartiere.calendario import rules as calendario_rules
from quartiere.diario import rules as diario_rules
from quartiere.identita import rules as identita_rules
from quartiere.privacy import rules as privacy_rules
from quartiere.programmi import rules as programmi_rules
from quartiere.pubblico import rules as pubblico_rules
from quartiere.registro import rules as registro_rules
from quartiere.relazioni import rules as relazioni_rules
from quartiere.territorio import rules as territorio_rules

__all__ = [
    "accesso_rules",
    "calendario_rules",
    "diario_rules",
    "identita_rules",
    "privacy_rules",
    "programmi_rules",
    "pubblico_rules",
    "registro_rules",
    "relazioni_rules",
    "territorio_rules",
]
