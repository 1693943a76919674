"""``manage.py retention``: records whose personal data are past their retention class.

Dry run by default: lists, per record kind of ``settings.RETENTION``, how many records are
past their period and still hold personal data. With ``--anonymize`` those data are
replaced (names, contacts, free text) while kind, category, quartiere, dates and states stay,
so every figure and count is unchanged. Nothing is ever deleted. Mediation dossiers are
handed to ``manage.py mediazione_retention`` (its own anonymisation and run register).
Every run appends one JSON line to ``settings.RETENTION_LOG``. See docs/privacy.md.
"""

from __future__ import annotations

import datetime
import getpass
import io
import json

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

ANONIMO = "[anonimizzato]"


def soglia(anni: int) -> datetime.datetime:
    oggi = timezone.localdate()
    try:
        data = oggi.replace(year=oggi.year - anni)
    except ValueError:  # 29 February
        data = oggi.replace(year=oggi.year - anni, day=28)
    return timezone.make_aware(datetime.datetime.combine(data, datetime.time.min))


def _segnalazioni(limite):
    from segnalazioni.models import Segnalazione

    return Segnalazione.objects.filter(stato="chiusa", chiusa_il__lt=limite).exclude(
        oggetto=ANONIMO
    )


def _anonimizza_segnalazioni(righe) -> int:
    from segnalazioni.models import Evento, Segnalazione

    campi = {
        "oggetto": ANONIMO,
        "descrizione": ANONIMO,
        "nome_segnalante": "",
        "email_segnalante": "",
        "telefono_segnalante": "",
        "valutazione_motivo": "",
        "persona": None,
    }
    ids = list(righe.values_list("pk", flat=True))
    # The place (address or point) is kept: a report must have one (a database constraint)
    # and it is what the map of reports counts; it names a street, not a person.
    # Bumping the version refuses any edit form still open on the personal data.
    Segnalazione.objects.filter(pk__in=ids).update(**campi, versione=F("versione") + 1)
    Segnalazione.history.filter(id__in=ids).update(**campi)
    Evento.objects.filter(segnalazione__in=ids).exclude(testo="").update(testo=ANONIMO)
    return len(ids)


def _prenotazioni(limite):
    from quartiere.calendario.models import Prenotazione

    return Prenotazione.objects.filter(fine__lt=limite).exclude(
        richiedente_nome="", richiedente_email="", richiedente_telefono=""
    )


def _anonimizza_prenotazioni(righe) -> int:
    from quartiere.calendario.models import Prenotazione

    campi = {"richiedente_nome": "", "richiedente_email": "", "richiedente_telefono": ""}
    ids = list(righe.values_list("pk", flat=True))
    Prenotazione.objects.filter(pk__in=ids).update(**campi, versione=F("versione") + 1)
    Prenotazione.history.filter(id__in=ids).update(**campi)
    return len(ids)


def _persone(limite):
    """Persons with no activity since ``limite`` anywhere in the service."""
    from quartiere.registro.models import Persona
    from segnalazioni.models import Stato

    data = limite.date()
    recenti = (
        Q(modificata_il__gte=limite)
        | Q(segnalazioni__creata_il__gte=limite)
        | Q(segnalazioni__stato__in=[s for s in Stato.values if s != Stato.CHIUSA])
        | Q(presenze__incontro__inizio__gte=limite)
        | Q(proposte__creata_il__gte=limite)
        | Q(firme_patti__patto__data_fine__gte=data)
        # isnull across a LEFT JOIN: require the row to exist, or nobody would ever qualify
        | Q(firme_patti__isnull=False, firme_patti__patto__data_fine__isnull=True)
        | Q(parti_mediazione__isnull=False, parti_mediazione__dossier__chiuso_il__isnull=True)
        | Q(parti_mediazione__dossier__chiuso_il__gte=data)
        | Q(organizzazioni_referente__isnull=False)
    )
    attive = Persona.objects.filter(recenti).values("pk")
    return Persona.objects.filter(anonimizzata=False).exclude(pk__in=attive)


def _anonimizza_persone(righe) -> int:
    from quartiere.registro.models import Persona

    n = 0
    for persona in righe.only("pk"):
        campi = {
            "nome": ANONIMO,
            "cognome": f"#{persona.pk}",
            "codice": None,
            "codice_fiscale": "",
            "email": "",
            "telefono": "",
            "indirizzo": "",
            "note": "",
            "ricerca": "",
            "anonimizzata": True,
        }
        Persona.objects.filter(pk=persona.pk).update(**campi, versione=F("versione") + 1)
        campi.pop("ricerca")
        Persona.history.filter(id=persona.pk).update(**campi)
        n += 1
    return n


TIPI = {
    "segnalazioni": (_segnalazioni, _anonimizza_segnalazioni),
    "prenotazioni": (_prenotazioni, _anonimizza_prenotazioni),
    "persone": (_persone, _anonimizza_persone),
}


class Command(BaseCommand):
    help = (
        "Elenca i dati personali oltre il periodo di conservazione (settings.RETENTION); "
        "con --anonymize li anonimizza, senza cancellare nulla."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--anonymize",
            action="store_true",
            help="Anonimizza i record trovati (senza questa opzione: solo elenco).",
        )

    def handle(self, *args, **options):
        classi = settings.RETENTION
        sconosciute = set(classi) - {*TIPI, "mediazione"}
        if sconosciute:
            raise CommandError(f"Classi di conservazione sconosciute: {sorted(sconosciute)}")
        if any(int(anni) < 1 for anni in classi.values()):
            raise CommandError("Ogni periodo di conservazione deve essere di almeno un anno.")
        anonimizza = options["anonymize"]
        esito = {}
        with transaction.atomic():
            # Persons last: a report anonymised now no longer keeps its person "active".
            for tipo in ("segnalazioni", "prenotazioni", "persone"):
                if tipo not in classi:
                    continue
                cerca, anonimizza_tipo = TIPI[tipo]
                limite = soglia(int(classi[tipo]))
                righe = cerca(limite)
                trovati = righe.count()
                fatti = anonimizza_tipo(righe) if anonimizza and trovati else 0
                esito[tipo] = {"anni": classi[tipo], "trovati": trovati, "anonimizzati": fatti}
                self.stdout.write(
                    f"{tipo}: {trovati} oltre {classi[tipo]} anni (prima del {limite:%d/%m/%Y})"
                    + (f" → anonimizzati {fatti}" if anonimizza else "")
                )
        if "mediazione" in classi:
            uscita = io.StringIO()
            argomenti = ["--anni", str(classi["mediazione"])]
            if anonimizza:
                argomenti.append("--anonymize")
            call_command("mediazione_retention", *argomenti, stdout=uscita)
            esito["mediazione"] = {"anni": classi["mediazione"], "rapporto": uscita.getvalue()}
            self.stdout.write("mediazione: " + uscita.getvalue().strip())
        _registra(anonimizza, esito)
        if not anonimizza:
            self.stdout.write("Prova a vuoto: nessuna modifica. Usa --anonymize per procedere.")


def _registra(anonimizza: bool, esito: dict) -> None:
    try:
        chi = getpass.getuser()
    except (KeyError, OSError):  # no passwd entry in some containers
        chi = ""
    riga = {
        "quando": timezone.now().isoformat(),
        "chi": chi,
        "anonimizza": anonimizza,
        "esito": esito,
    }
    percorso = settings.RETENTION_LOG
    percorso.parent.mkdir(parents=True, exist_ok=True)
    with percorso.open("a", encoding="utf-8") as file:
        file.write(json.dumps(riga, ensure_ascii=False) + "\n")
