"""``manage.py retention``: records whose personal data are past their retention class.

Dry run by default: lists, per record kind of ``settings.RETENTION``, how many records are
past their period and still hold personal data. With ``--anonymize`` those data are
replaced (names, contacts, free text) while kind, category, quartiere, dates and states stay,
so every figure and count is unchanged. The kinds of record are the classes registered in
``quartiere.privacy.conservazione``, by the core and by each app's ``estensioni.py``.
Nothing is ever deleted. Mediation registers a class that hands its dossiers to
``manage.py mediazione_retention`` (its own anonymisation and run register).
With ``--anonymize`` the caches are emptied too: a cached page fragment (the worklist's
filters with the name an operator searched) is a copy that expires but stays in the
database cache's table until something removes it.
Every run appends one JSON line to ``settings.RETENTION_LOG``. See docs/privacy.md.
"""

from __future__ import annotations

import getpass
import json

from django.conf import settings
from django.core.cache import caches
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from quartiere.privacy.conservazione import CLASSI, COPIE_TEMPORANEE, soglia


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
        sconosciute = set(classi) - set(CLASSI)
        if sconosciute:
            raise CommandError(f"Classi di conservazione sconosciute: {sorted(sconosciute)}")
        if any(int(anni) < 1 for anni in classi.values()):
            raise CommandError("Ogni periodo di conservazione deve essere di almeno un anno.")
        anonimizza = options["anonymize"]
        esito = {}
        with transaction.atomic():
            # Persons last: a report anonymised now no longer keeps its person "active".
            registrate = sorted(CLASSI.items(), key=lambda voce: (voce[1].ordine, voce[0]))
            for tipo, classe in registrate:
                if tipo not in classi or classe.esegui is not None:
                    continue
                limite = soglia(int(classi[tipo]))
                righe = classe.cerca(limite)
                trovati = righe.count()
                fatti = classe.anonimizza(righe) if anonimizza and trovati else 0
                esito[tipo] = {"anni": classi[tipo], "trovati": trovati, "anonimizzati": fatti}
                self.stdout.write(
                    f"{tipo}: {trovati} oltre {classi[tipo]} anni (prima del {limite:%d/%m/%Y})"
                    + (f" → anonimizzati {fatti}" if anonimizza else "")
                )
        # The classes with a procedure of their own (mediation), after the others.
        for tipo, classe in registrate:
            if tipo not in classi or classe.esegui is None:
                continue
            rapporto = classe.esegui(int(classi[tipo]), anonimizza)
            esito[tipo] = {"anni": classi[tipo], "rapporto": rapporto}
            self.stdout.write(f"{tipo}: " + rapporto.strip())
        if anonimizza:
            # Copies that live for hours (unfinished forms, their uploads) past their life.
            for nome, pulisci in COPIE_TEMPORANEE.items():
                tolte = pulisci()
                esito.setdefault("copie_temporanee", {})[nome] = tolte
                self.stdout.write(f"{nome}: tolte {tolte}")
            # Caches hold copies of pages: emptied, they are rebuilt on the next request.
            for alias in settings.CACHES:
                caches[alias].clear()
            esito["cache"] = {"svuotate": sorted(settings.CACHES)}
            self.stdout.write(f"cache: svuotate ({', '.join(sorted(settings.CACHES))})")
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
