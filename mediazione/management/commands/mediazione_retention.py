"""``manage.py mediazione_retention``: closed dossiers past the retention period.

Dry run by default: lists the dossiers closed more than ``MEDIAZIONE_RETENTION_YEARS``
years ago (default 5) that still hold personal data. With ``--anonymize`` their personal
data and notes are replaced (``services.anonimizza``) while type, dates, phases and
outcome stay for the statistics. Nothing is ever deleted: destroying public records
needs an authorisation the software cannot give. Every run is recorded as an
``EsecuzioneConservazione`` row. See docs/mediazione.md.
"""

from __future__ import annotations

import getpass

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from mediazione import services
from mediazione.models import EsecuzioneConservazione


class Command(BaseCommand):
    help = (
        "Elenca i dossier di mediazione chiusi oltre il periodo di conservazione; "
        "con --anonymize ne sostituisce i dati personali e le note."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--anonymize",
            action="store_true",
            help="Anonimizza i dossier trovati (senza questa opzione: solo elenco).",
        )
        parser.add_argument(
            "--anni",
            type=int,
            default=None,
            help="Anni dopo la chiusura (predefinito: MEDIAZIONE_RETENTION_YEARS).",
        )

    def handle(self, *args, **options):
        anni = options["anni"]
        if anni is None:
            anni = settings.MEDIAZIONE_RETENTION_YEARS
        if anni < 1:
            raise CommandError("Il periodo di conservazione deve essere di almeno un anno.")
        soglia = services.soglia_conservazione(anni)
        dossier = list(services.da_anonimizzare(anni).order_by("chiuso_il", "numero"))
        anonimizza = options["anonymize"]
        self.stdout.write(
            f"Dossier chiusi prima del {soglia:%d/%m/%Y} ({anni} anni) ancora con dati "
            f"personali: {len(dossier)}"
        )
        fatti = 0
        for d in dossier:
            esito = ""
            if anonimizza and services.anonimizza(d):
                fatti += 1
                esito = " → anonimizzato"
            self.stdout.write(f"  {d.numero}  chiuso il {d.chiuso_il:%d/%m/%Y}{esito}")
        EsecuzioneConservazione.objects.create(
            anonimizza=anonimizza,
            anni=anni,
            chiusi_prima_del=soglia,
            dossier_trovati=len(dossier),
            dossier_anonimizzati=fatti,
            numeri=", ".join(d.numero for d in dossier),
            eseguita_da=_chi(),
        )
        if anonimizza:
            self.stdout.write(self.style.SUCCESS(f"Anonimizzati: {fatti}."))
        else:
            self.stdout.write("Prova a vuoto: nessuna modifica. Usa --anonymize per procedere.")


def _chi() -> str:
    try:
        return getpass.getuser()[:150]
    except (KeyError, OSError):  # no passwd entry in some containers
        return ""
