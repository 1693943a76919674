"""``manage.py carica_confini FILE.geojson``: the quartieri's boundaries, or with
``--comune`` the Comune's, from a GeoJSON file (as the Comune's open-data portal publishes
them, in longitude/latitude, WGS84).

For the quartieri, every feature names its quartiere in a property (``codice`` unless
``--proprieta`` says otherwise). All or nothing: an unknown quartiere, a feature without
the property or a polygon that is not valid stops the command (exit status 2) before
anything is written.
"""

from __future__ import annotations

import json
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from shapely.geometry import mapping
from shapely.ops import unary_union

from quartiere.territorio.confini import geometria
from quartiere.territorio.models import ConfineComune, Quartiere


def _elementi(dati) -> list[dict]:
    if dati.get("type") == "FeatureCollection":
        return list(dati.get("features") or [])
    return [dati]


class Command(BaseCommand):
    help = (
        "Carica i confini dei quartieri (una Feature per quartiere, con il codice in una "
        "proprietà) o, con --comune, il confine del Comune, da un file GeoJSON."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="File GeoJSON (FeatureCollection, Feature o poligono).")
        parser.add_argument(
            "--comune",
            action="store_true",
            help="Il file è il confine del Comune (più elementi sono uniti in uno).",
        )
        parser.add_argument(
            "--proprieta",
            default="codice",
            help="La proprietà che dà il codice del quartiere (predefinita: codice).",
        )

    def handle(self, *args, file, comune=False, proprieta="codice", **options):
        try:
            dati = json.loads(Path(file).read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise CommandError(
                f"{file}: non è un file GeoJSON leggibile ({exc})", returncode=2
            ) from exc
        if not isinstance(dati, dict):
            raise CommandError(f"{file}: non è un oggetto GeoJSON", returncode=2)
        elementi = _elementi(dati)
        if not elementi:
            raise CommandError(f"{file}: nessun elemento", returncode=2)
        if comune:
            self._comune(file, elementi)
        else:
            self._quartieri(file, elementi, proprieta)

    def _forma(self, file, n, elemento):
        try:
            return geometria(elemento)
        except ValidationError as exc:
            raise CommandError(
                f"{file}: elemento {n}: {' '.join(exc.messages)}", returncode=2
            ) from exc

    def _comune(self, file, elementi):
        forme = [self._forma(file, n, e) for n, e in enumerate(elementi, 1)]
        unione = mapping(unary_union(forme))
        confine = json.loads(json.dumps(unione))  # tuples to lists, as JSON stores them
        ConfineComune.objects.update_or_create(id=1, defaults={"confine": confine})
        self.stdout.write(self.style.SUCCESS("Confine del Comune caricato."))

    def _quartieri(self, file, elementi, proprieta):
        errori, confini = [], {}
        for n, elemento in enumerate(elementi, 1):
            codice = str(((elemento.get("properties") or {}).get(proprieta)) or "").strip()
            if not codice:
                errori.append(f"elemento {n}: manca la proprietà «{proprieta}»")
                continue
            try:
                geometria(elemento)
            except ValidationError as exc:
                errori.append(f"elemento {n} ({codice}): {' '.join(exc.messages)}")
                continue
            if codice in confini:
                errori.append(f"elemento {n}: «{codice}» è già nell'elemento {confini[codice][0]}")
                continue
            confini[codice] = (n, elemento.get("geometry", elemento))
        noti = set(Quartiere.objects.filter(codice__in=confini).values_list("codice", flat=True))
        for codice in sorted(set(confini) - noti):
            errori.append(f"elemento {confini[codice][0]}: nessun quartiere con codice «{codice}»")
        if errori:
            for errore in errori:
                self.stderr.write(f"{file}: {errore}")
            raise CommandError(f"{len(errori)} errori: non è stato caricato nulla.", returncode=2)
        with transaction.atomic():
            for quartiere in Quartiere.objects.filter(codice__in=confini).order_by("codice"):
                quartiere.confine = confini[quartiere.codice][1]
                quartiere.full_clean()
                quartiere.save(update_fields=["confine"])
        self.stdout.write(self.style.SUCCESS(f"Confini caricati: {len(confini)} quartieri."))
