"""The engine of ``manage.py import_data`` (the format is documented in docs/import.md).

A folder holds any of the registered sheets, each as ``<name>.csv`` or ``<name>.xlsx``.
Every sheet is parsed and validated before anything is written; any bad row makes the whole
import fail with the complete list of ``file:line: column: message`` errors; otherwise
everything is written in one transaction, sheet after sheet in their ``ordine``. Rows are
matched by ``codice`` (or by a natural key where a sheet has none), and a record is saved
only when a value differs, so importing the same files twice changes nothing.

The engine knows no sheet. The core registers its own (``quartiere.importazione.nucleo``),
each app registers the sheets of its rows from its ``importazione.py`` at :data:`FOGLI`.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime
import io
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from quartiere.estensioni import Punto
from quartiere.importazione.valori import ValoreNonValido


@dataclass(frozen=True)
class Colonne:
    obbligatorie: tuple[str, ...]
    facoltative: tuple[str, ...] = ()

    @property
    def tutte(self) -> tuple[str, ...]:
        return self.obbligatorie + self.facoltative


@dataclass(frozen=True, order=True)
class Errore:
    file: str
    riga: int
    colonna: str
    messaggio: str

    def __str__(self) -> str:
        return f"{self.file}:{self.riga}: {self.colonna}: {self.messaggio}"


@dataclass
class Riga:
    numero: int
    valori: dict[str, str]
    colonne: frozenset[str]
    dati: dict = field(default_factory=dict)


@dataclass
class Esito:
    errori: list[Errore]
    # file -> {"creati": n, "aggiornati": n, "invariati": n}
    conteggi: dict[str, dict[str, int]]

    @property
    def ok(self) -> bool:
        return not self.errori


class ImportazioneFallita(Exception):
    def __init__(self, errori: list[Errore]):
        super().__init__(f"{len(errori)} errori")
        self.errori = errori


@dataclass(frozen=True)
class Foglio:
    """One sheet of the import, registered by whoever owns its rows.

    - ``valida(validatore, file, riga)`` reads the row's cells into ``riga.dati`` and records
      its errors; ``scrivi(scrittore, file, riga)`` writes it and returns the record.
    - ``definisce`` is the kind of reference the sheet's ``codice`` defines (``"quartiere"``:
      other sheets name a quartiere in a column of that name), ``modello`` the model that
      keeps it in its ``codice`` field. ``alias`` maps other columns to a kind
      (``{"rinnova": "patto"}``).
    - ``controlli(validatore, file, righe)`` checks the rows together and against the
      database (natural keys, names already used); ``dopo(scrittore, file, righe)`` runs
      once every row of the sheet is written (links between rows of the same sheet);
      ``chiudi()`` once every sheet is written, in the same transaction (what needs all the
      sheets, such as sealing the signed pacts once their parties are in).
    """

    colonne: Colonne
    ordine: int
    valida: Callable[[Validatore, str, Riga], None]
    scrivi: Callable[[Scrittore, str, Riga], Any]
    definisce: str | None = None
    modello: type | None = None
    alias: Mapping[str, str] = field(default_factory=dict)
    controlli: Callable[[Validatore, str, list[Riga]], None] | None = None
    dopo: Callable[[Scrittore, str, list[Riga]], None] | None = None
    chiudi: Callable[[], None] | None = None


#: The sheets, by file name (``"laboratori.csv"``); each app's ``importazione.py`` fills it.
FOGLI = Punto("fogli da importare", modulo="importazione")


def fogli() -> dict[str, Foglio]:
    """The registered sheets in the order they are read and written."""
    return dict(sorted(FOGLI.items(), key=lambda voce: voce[1].ordine))


def nome_foglio(nome_file: str) -> str | None:
    """The sheet a file stands for (``laboratori.xlsx`` → ``laboratori.csv``), or None."""
    percorso = Path(nome_file)
    if percorso.suffix.lower() not in (".csv", ".xlsx"):
        return None
    nome = percorso.with_suffix(".csv").name
    return nome if nome in fogli() else None


def file_trovati(cartella: Path | str) -> list[str]:
    """The files of ``cartella`` that are sheets, in the import's order."""
    cartella = Path(cartella)
    return [
        p.name
        for nome in fogli()
        for p in (cartella / nome, (cartella / nome).with_suffix(".xlsx"))
        if p.is_file()
    ]


# --- Reading ----------------------------------------------------------------------------------


def _sniff(intestazione: str) -> str:
    return ";" if intestazione.count(";") > intestazione.count(",") else ","


def leggi_file(
    nome: str, contenuto: bytes, errori: list[Errore], colonne: Colonne | None = None
) -> list[Riga]:
    """Parse one CSV file; header problems go to ``errori`` (and the file yields no rows)."""
    colonne = colonne or fogli()[nome].colonne
    try:
        testo = contenuto.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        riga = contenuto[: exc.start].count(b"\n") + 1
        errori.append(Errore(nome, riga, "-", _("il file non è in UTF-8")))
        return []
    if not testo.strip():
        errori.append(Errore(nome, 1, "-", _("il file è vuoto: manca la riga di intestazione")))
        return []
    prima = testo.splitlines()[0]
    lettore = csv.reader(io.StringIO(testo, newline=""), delimiter=_sniff(prima))
    try:
        intestazione = [c.strip().lower() for c in next(lettore)]
    except csv.Error as exc:
        errori.append(Errore(nome, 1, "-", str(exc)))
        return []
    presenti = set(intestazione)
    ok = True
    for colonna in colonne.obbligatorie:
        if colonna not in presenti:
            errori.append(Errore(nome, 1, colonna, _("colonna obbligatoria mancante")))
            ok = False
    visti: set[str] = set()
    for colonna in intestazione:
        if colonna in visti:
            errori.append(Errore(nome, 1, colonna, _("colonna ripetuta")))
            ok = False
        elif colonna and colonna not in colonne.tutte:
            errori.append(
                Errore(
                    nome,
                    1,
                    colonna,
                    _("colonna sconosciuta (previste: %(c)s)") % {"c": ", ".join(colonne.tutte)},
                )
            )
            ok = False
        visti.add(colonna)
    if not ok:
        return []
    righe = []
    numero = lettore.line_num
    try:
        for valori in lettore:
            inizio = numero + 1
            numero = lettore.line_num
            if not any(v.strip() for v in valori):
                continue
            if len(valori) > len(intestazione) and any(
                v.strip() for v in valori[len(intestazione) :]
            ):
                errori.append(
                    Errore(
                        nome,
                        inizio,
                        "-",
                        _("la riga ha più valori delle colonne dell'intestazione"),
                    )
                )
                continue
            valori = valori + [""] * (len(intestazione) - len(valori))
            righe.append(
                Riga(
                    numero=inizio,
                    valori={c: v.strip() for c, v in zip(intestazione, valori, strict=False) if c},
                    colonne=frozenset(presenti),
                )
            )
    except csv.Error as exc:
        errori.append(Errore(nome, numero + 1, "-", str(exc)))
    return righe


def _cella_xlsx(valore) -> str:
    """A spreadsheet cell as the CSV text the readers accept: dates in ISO (with ``HH:MM``
    when the time is not midnight), whole numbers without ``.0``."""
    if valore is None:
        return ""
    if isinstance(valore, datetime.datetime):
        if valore.time() == datetime.time(0, 0):
            return valore.date().isoformat()
        return valore.strftime("%Y-%m-%d %H:%M")
    if isinstance(valore, datetime.date):
        return valore.isoformat()
    if isinstance(valore, datetime.time):
        return valore.strftime("%H:%M")
    if isinstance(valore, float) and valore.is_integer():
        return str(int(valore))
    return str(valore)


def xlsx_come_csv(contenuto: bytes) -> bytes:
    """The first sheet of an XLSX workbook as CSV, so it goes through the same checks as a
    CSV file (header, columns, every cell). Raises ``ValueError`` for a file that is not a
    workbook."""
    from zipfile import BadZipFile

    from openpyxl import load_workbook

    try:
        libro = load_workbook(io.BytesIO(contenuto), read_only=True, data_only=True)
    except (BadZipFile, KeyError, OSError) as exc:
        raise ValueError(str(exc)) from exc
    try:
        foglio = libro.worksheets[0]
        uscita = io.StringIO(newline="")
        scrittore = csv.writer(uscita, lineterminator="\n")
        for riga in foglio.iter_rows(values_only=True):
            scrittore.writerow([_cella_xlsx(v) for v in riga])
    finally:
        libro.close()
    return uscita.getvalue().encode("utf-8")


# --- Validation -------------------------------------------------------------------------------


class Validatore:
    """Validates the rows of every sheet against the database and each other. The sheets'
    ``valida`` and ``controlli`` read cells through its methods, which record the errors."""

    def __init__(self, righe: dict[str, list[Riga]], registro: dict[str, Foglio]):
        self.fogli = righe
        self.registro = registro
        self.errori: list[Errore] = []
        # kind of reference -> (the sheet defining it, its model)
        self.tipi = {
            foglio.definisce: (nome, foglio.modello)
            for nome, foglio in registro.items()
            if foglio.definisce
        }
        self.alias = {c: t for foglio in registro.values() for c, t in foglio.alias.items()}
        # Codici defined by the files being imported, per kind of reference.
        self.definiti: dict[str, set[str]] = defaultdict(set)
        for tipo, (nome, _modello) in self.tipi.items():
            for riga in righe.get(nome, []):
                if riga.valori.get("codice"):
                    self.definiti[tipo].add(riga.valori["codice"])
        self.esistenti = self._carica_esistenti()

    def _carica_esistenti(self) -> dict[str, set[str]]:
        """The referenced codici that already exist in the database, one query per kind."""
        richiesti: dict[str, set[str]] = defaultdict(set)
        for righe in self.fogli.values():
            for riga in righe:
                for colonna, valore in riga.valori.items():
                    tipo = self.alias.get(colonna, colonna)
                    if tipo in self.tipi and valore and colonna != "codice":
                        richiesti[tipo].add(valore)
        return {
            tipo: set(
                self.tipi[tipo][1]
                .objects.filter(codice__in=codici)
                .values_list("codice", flat=True)
            )
            for tipo, codici in richiesti.items()
        }

    def errore(self, file: str, riga: Riga, colonna: str, messaggio: str) -> None:
        self.errori.append(Errore(file, riga.numero, colonna, messaggio))

    # Typed reading of one cell; return None after recording an error or for an empty cell.

    def cella(self, file, riga, colonna, lettore=None, obbligatoria=False, max_len=None):
        testo = riga.valori.get(colonna, "")
        if not testo:
            if obbligatoria:
                self.errore(file, riga, colonna, _("valore obbligatorio mancante"))
            return None
        if lettore is None:
            if max_len and len(testo) > max_len:
                self.errore(file, riga, colonna, _("più di %(n)s caratteri") % {"n": max_len})
                return None
            return testo
        try:
            return lettore(testo)
        except ValoreNonValido as exc:
            self.errore(file, riga, colonna, str(exc))
        except ValidationError as exc:
            self.errore(file, riga, colonna, " ".join(exc.messages))
        return None

    def scelta(self, file, riga, colonna, valori, obbligatoria=True, predefinito=None):
        testo = riga.valori.get(colonna, "")
        if not testo:
            if predefinito is not None:
                return predefinito
            if obbligatoria:
                self.errore(file, riga, colonna, _("valore obbligatorio mancante"))
            return None
        if testo not in valori:
            self.errore(
                file,
                riga,
                colonna,
                _("«%(v)s» non è tra i valori ammessi: %(ammessi)s")
                % {"v": testo, "ammessi": ", ".join(valori)},
            )
            return None
        return testo

    def riferimento(self, file, riga, colonna, tipo=None, obbligatorio=False):
        tipo = tipo or colonna
        codice = riga.valori.get(colonna, "")
        if not codice:
            if obbligatorio:
                self.errore(file, riga, colonna, _("valore obbligatorio mancante"))
            return None
        if tipo not in self.tipi:
            self.errore(
                file, riga, colonna, _("nessun foglio installato definisce «%(t)s»") % {"t": tipo}
            )
            return None
        if codice not in self.definiti[tipo] and codice not in self.esistenti.get(tipo, set()):
            self.errore(
                file,
                riga,
                colonna,
                _("«%(v)s» non esiste (né in %(file)s né nel database)")
                % {"v": codice, "file": self.tipi[tipo][0]},
            )
            return None
        return codice

    def codici_unici(self, file, righe, chiave=lambda r: r.valori.get("codice"), colonna="codice"):
        """One error for each row whose ``chiave`` an earlier row of the file already has."""
        visti: dict[object, int] = {}
        for riga in righe:
            valore = chiave(riga)
            if not valore:
                continue
            if valore in visti:
                self.errore(
                    file,
                    riga,
                    colonna,
                    _("duplicato: già alla riga %(n)s") % {"n": visti[valore]},
                )
            else:
                visti[valore] = riga.numero

    def controlla(self) -> list[Errore]:
        for nome, foglio in self.registro.items():
            righe = self.fogli.get(nome)
            if righe is None:
                continue
            if "codice" in foglio.colonne.obbligatorie:
                self.codici_unici(nome, righe)
            if foglio.controlli is not None:
                foglio.controlli(self, nome, righe)
            for riga in righe:
                if "codice" in foglio.colonne.obbligatorie:
                    riga.dati["codice"] = self.cella(
                        nome, riga, "codice", obbligatoria=True, max_len=40
                    )
                foglio.valida(self, nome, riga)
        return sorted(set(self.errori))


# --- Writing ----------------------------------------------------------------------------------


class Scrittore:
    """Writes validated rows; the sheets' ``scrivi`` go through :meth:`salva` and resolve
    references with :meth:`rif`."""

    def __init__(self, registro: dict[str, Foglio]):
        self.modelli = {f.definisce: f.modello for f in registro.values() if f.definisce}
        self.pk: dict[str, dict[str, int]] = defaultdict(dict)
        self.conteggi: dict[str, dict[str, int]] = {}

    def rif(self, tipo: str, codice: str | None) -> int | None:
        if not codice:
            return None
        if codice not in self.pk[tipo]:
            self.pk[tipo][codice] = (
                self.modelli[tipo].objects.values_list("pk", flat=True).get(codice=codice)
            )
        return self.pk[tipo][codice]

    def _conta(self, file: str, esito: str) -> None:
        self.conteggi.setdefault(file, {"creati": 0, "aggiornati": 0, "invariati": 0})[esito] += 1

    def salva(self, file, modello, riga: Riga, chiave: dict, valori: dict, sempre=()):
        """Create or update the row matched by ``chiave``; return it and whether it is new.

        Optional columns that are absent or empty leave the stored value alone; the others,
        and the fields in ``sempre``, are set. The record is saved only when a value differs.
        """
        da_impostare = {
            campo: valore
            for campo, valore in valori.items()
            if campo in sempre or valore not in (None, "")
        }
        oggetto = modello.objects.filter(**chiave).first()
        if oggetto is None:
            oggetto = modello(**{**chiave, **da_impostare})
            oggetto._change_reason = _("Importato da %(f)s") % {"f": file}
            oggetto.save()
            self._conta(file, "creati")
            return oggetto, True
        cambiati = [c for c, v in da_impostare.items() if getattr(oggetto, c) != v]
        if cambiati:
            for campo in cambiati:
                setattr(oggetto, campo, da_impostare[campo])
            if hasattr(oggetto, "versione"):
                oggetto.versione += 1
                cambiati.append("versione")
            oggetto._change_reason = _("Aggiornato da %(f)s") % {"f": file}
            oggetto.save(update_fields=cambiati)
            self._conta(file, "aggiornati")
        else:
            self._conta(file, "invariati")
        return oggetto, False


# --- The import -------------------------------------------------------------------------------


def importa(cartella: Path | str, *, scrivi: bool = True) -> Esito:
    """Validate (and unless ``scrivi`` is false, write) the sheets found in ``cartella``:
    each as ``<name>.csv`` or ``<name>.xlsx`` (its first worksheet), with the same columns.

    Returns an :class:`Esito`; when it has errors nothing was written.
    """
    cartella = Path(cartella)
    registro = fogli()
    errori: list[Errore] = []
    righe: dict[str, list[Riga]] = {}
    da_xlsx: dict[str, str] = {}  # "laboratori.csv" -> "laboratori.xlsx", for the messages
    for nome, foglio in registro.items():
        percorso = cartella / nome
        libro = percorso.with_suffix(".xlsx")
        if percorso.is_file() and libro.is_file():
            da_xlsx[nome] = libro.name
            errori.append(
                Errore(nome, 1, "-", _("c'è anche %(csv)s: tieni uno solo dei due") % {"csv": nome})
            )
        elif libro.is_file():
            da_xlsx[nome] = libro.name
            try:
                contenuto = xlsx_come_csv(libro.read_bytes())
            except ValueError:
                errori.append(Errore(nome, 1, "-", _("non è un file XLSX leggibile")))
                continue
            righe[nome] = leggi_file(nome, contenuto, errori, foglio.colonne)
        elif percorso.is_file():
            righe[nome] = leggi_file(nome, percorso.read_bytes(), errori, foglio.colonne)
    errori += Validatore(righe, registro).controlla()
    errori = _per_file(set(errori), registro, da_xlsx)
    if errori or not scrivi:
        return Esito(errori, {})
    scrittore = Scrittore(registro)
    try:
        with transaction.atomic():
            for nome, foglio in registro.items():
                if nome not in righe:
                    continue
                scrittore.conteggi.setdefault(nome, {"creati": 0, "aggiornati": 0, "invariati": 0})
                for riga in righe[nome]:
                    try:
                        with transaction.atomic():
                            oggetto = foglio.scrivi(scrittore, nome, riga)
                    except IntegrityError as exc:
                        errori.append(
                            Errore(
                                nome,
                                riga.numero,
                                "-",
                                _("rifiutata dal database: %(e)s")
                                % {"e": str(exc).splitlines()[0]},
                            )
                        )
                        continue
                    if foglio.definisce and oggetto is not None:
                        scrittore.pk[foglio.definisce][oggetto.codice] = oggetto.pk
                if foglio.dopo is not None:
                    foglio.dopo(scrittore, nome, righe[nome])
            if not errori:
                for foglio in registro.values():
                    if foglio.chiudi is not None:
                        foglio.chiudi()
            if errori:
                raise ImportazioneFallita(errori)
    except ImportazioneFallita:
        return Esito(_per_file(errori, registro, da_xlsx), {})
    return Esito([], {da_xlsx.get(nome, nome): n for nome, n in scrittore.conteggi.items()})


def _per_file(errori: Iterable[Errore], registro, da_xlsx: dict[str, str]) -> list[Errore]:
    """The errors in the order of the sheets, each named by the file the user gave."""
    ordine = list(registro)
    ordinati = sorted(errori, key=lambda e: (ordine.index(e.file), e.riga, e.colonna, e.messaggio))
    return [
        dataclasses.replace(e, file=da_xlsx[e.file]) if e.file in da_xlsx else e for e in ordinati
    ]
