"""The core's models, one subpackage per concept; Django loads them from here.

Code imports a model from its own room (``quartiere.registro.models.Persona``); this module
only gathers them under the ``quartiere`` app label, and keeps the names the migrations
refer to (``quartiere.models.URLHttpsField``).
"""

from quartiere.accesso.models import LimiteFrequenza
from quartiere.calendario.models import Occupazione, Prenotazione
from quartiere.diario.models import AttivitaDiario
from quartiere.identita.models import AccountCittadino
from quartiere.privacy.models import Informativa, Trattamento
from quartiere.programmi.models import (
    Affidamento,
    Asse,
    AvvisoIntervento,
    Finanziamento,
    IndicatoreProgramma,
    Intervento,
    MisuraIndicatore,
    Programma,
    Rinnovo,
)
from quartiere.pubblico.models import ValutazionePagina
from quartiere.registro.models import Organizzazione, Persona, TipoOrganizzazione
from quartiere.relazioni.models import RelazioneStampata
from quartiere.territorio.models import (
    ConfineComune,
    Indirizzo,
    OrarioApertura,
    ProfiloStaff,
    Quartiere,
    Sede,
    URLHttpsField,
)

__all__ = [
    "AccountCittadino",
    "Affidamento",
    "AvvisoIntervento",
    "Intervento",
    "Asse",
    "AttivitaDiario",
    "ConfineComune",
    "Finanziamento",
    "IndicatoreProgramma",
    "Indirizzo",
    "Informativa",
    "LimiteFrequenza",
    "MisuraIndicatore",
    "Occupazione",
    "OrarioApertura",
    "Organizzazione",
    "Persona",
    "Prenotazione",
    "ProfiloStaff",
    "Programma",
    "Quartiere",
    "RelazioneStampata",
    "Rinnovo",
    "Sede",
    "TipoOrganizzazione",
    "Trattamento",
    "URLHttpsField",
    "ValutazionePagina",
]
