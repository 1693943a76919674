"""``manage.py carica_stradario FILE.csv``: the Comune's street register, from a CSV file of
its open data (one row per street or house number, with its point in WGS84).

Columns (a public contract, the header row names them): ``via``, ``civico`` (empty: the
street as a whole), ``lat``, ``lon``, and optionally ``quartiere`` (the quartiere's code;
without it the quartiere is the one whose boundary holds the point, when boundaries are
loaded). Comma or semicolon separated, UTF-8. The file replaces the register; all or
nothing: a row without a street, with a point that is not a number or lies outside the
Comune, an unknown quartiere or a repeated address stops the command (exit status 2)
before anything is written.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from quartiere.territorio.confini import localizza
from quartiere.territorio.models import Indirizzo, Quartiere

COLONNE = ("via", "civico", "lat", "lon")
MASSIMO_ERRORI = 20


def _numero(valore: str) -> float:
    return float((valore or "").strip().replace(",", "."))


class Command(BaseCommand):
    help = (
        "Carica lo stradario del Comune (colonne via, civico, lat, lon e, facoltativa, "
        "quartiere) da un file CSV; sostituisce quello caricato prima."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="File CSV con l'intestazione via,civico,lat,lon.")

    def handle(self, *args, file, **options):
        righe = self._leggi(file)
        quartieri = dict(Quartiere.objects.values_list("codice", "pk"))
        errori, indirizzi, visti = [], [], {}
        for n, riga in righe:
            via = " ".join((riga.get("via") or "").split())
            civico = "".join((riga.get("civico") or "").split()).upper()
            if not via:
                errori.append(f"riga {n}: manca la via")
                continue
            try:
                lat, lon = _numero(riga.get("lat")), _numero(riga.get("lon"))
            except ValueError:
                errori.append(f"riga {n} ({via} {civico}): lat e lon devono essere numeri")
                continue
            if not (-90 <= lat <= 90 and -180 <= lon <= 180):
                errori.append(f"riga {n} ({via} {civico}): coordinate fuori scala")
                continue
            chiave = (via.casefold(), civico)
            if chiave in visti:
                errori.append(f"riga {n}: «{via} {civico}» è già alla riga {visti[chiave]}")
                continue
            visti[chiave] = n
            luogo = localizza(lat, lon)
            if luogo.fuori_dal_comune:
                errori.append(f"riga {n} ({via} {civico}): il punto è fuori dal Comune")
                continue
            codice = (riga.get("quartiere") or "").strip()
            if codice and codice not in quartieri:
                errori.append(f"riga {n}: il quartiere «{codice}» non esiste")
                continue
            quartiere_id = quartieri[codice] if codice else luogo.quartiere_id
            indirizzi.append(
                Indirizzo(via=via, civico=civico, lat=lat, lon=lon, quartiere_id=quartiere_id)
            )
        if errori:
            altri = len(errori) - MASSIMO_ERRORI
            elenco = "\n".join(errori[:MASSIMO_ERRORI])
            if altri > 0:
                elenco += f"\n… e altri {altri} errori"
            raise CommandError(f"{file}: niente caricato.\n{elenco}", returncode=2)
        with transaction.atomic():
            Indirizzo.objects.all().delete()
            for indirizzo in indirizzi:
                indirizzo.save()
        self.stdout.write(self.style.SUCCESS(f"Stradario caricato: {len(indirizzi)} indirizzi."))

    def _leggi(self, file) -> list[tuple[int, dict]]:
        try:
            testo = Path(file).read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            raise CommandError(f"{file}: non si legge come UTF-8 ({exc})", returncode=2) from exc
        prima = testo.splitlines()[0] if testo.strip() else ""
        separatore = ";" if prima.count(";") > prima.count(",") else ","
        lettore = csv.DictReader(io.StringIO(testo), delimiter=separatore)
        intestazione = [c.strip().lower() for c in lettore.fieldnames or []]
        mancanti = [c for c in COLONNE if c not in intestazione]
        if mancanti:
            raise CommandError(
                f"{file}: mancano le colonne {', '.join(mancanti)} "
                f"(servono {', '.join(COLONNE)}, facoltativa quartiere)",
                returncode=2,
            )
        lettore.fieldnames = intestazione
        righe = [(n, riga) for n, riga in enumerate(lettore, 2)]
        if not righe:
            raise CommandError(f"{file}: nessuna riga", returncode=2)
        return righe
