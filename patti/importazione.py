"""Import of the spreadsheets a Comune already keeps (the ``import_data`` contract).

The format is documented in docs/import.md. In short: a folder holding any of the CSV
files in :data:`FILE`, read in that order; every file is parsed and validated before
anything is written; any bad row makes the whole import fail with the complete list of
``file:line: column: message`` errors; otherwise everything is written in one
transaction. Rows are matched by ``codice`` (attendance and signatories by their natural
keys), and a record is saved only when a value differs, so importing the same files
twice changes nothing.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime
import io
import re
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.validators import validate_email, validate_slug
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from laboratori.models import Incontro, Laboratorio, Presenza
from patti.models import (
    STATI_CON_FIRMA,
    TIPI_CON_ORGANIZZAZIONE,
    AmbitoProgetto,
    Firmatario,
    Impegno,
    Patto,
    Progetto,
    StatoPatto,
    TipoFirmatario,
)
from patti.services import registra_stato_importato
from quartiere.lib.validators import normalizza_email, normalizza_telefono
from quartiere.registro.models import Organizzazione, Persona, TipoOrganizzazione
from quartiere.territorio.models import Quartiere

#: Separator of the commitments in the ``impegni`` column of firmatari.csv.
SEPARATORE_IMPEGNI = "|"


@dataclass(frozen=True)
class Colonne:
    obbligatorie: tuple[str, ...]
    facoltative: tuple[str, ...] = ()

    @property
    def tutte(self) -> tuple[str, ...]:
        return self.obbligatorie + self.facoltative


#: The files, in the order they are read and written, with their columns.
FILE: dict[str, Colonne] = {
    "quartieri.csv": Colonne(("codice", "nome"), ("abitanti", "alloggi_erp")),
    "organizzazioni.csv": Colonne(("codice", "nome", "tipo"), ("quartiere", "email", "telefono")),
    "persone.csv": Colonne(
        ("codice", "nome", "cognome"), ("email", "telefono", "quartiere", "consenso_privacy")
    ),
    "laboratori.csv": Colonne(
        ("codice", "titolo", "quartiere", "fase", "data_inizio"), ("data_fine",)
    ),
    "incontri.csv": Colonne(("codice", "laboratorio", "data"), ("luogo", "titolo", "stato")),
    "presenze.csv": Colonne(("incontro",), ("persona", "organizzazione")),
    "patti.csv": Colonne(
        ("codice", "titolo", "quartiere", "stato"),
        ("laboratorio", "data_firma", "data_inizio", "data_fine", "rinnova"),
    ),
    "firmatari.csv": Colonne(("patto", "tipo"), ("persona", "organizzazione", "impegni")),
    "progetti.csv": Colonne(("codice", "patto", "titolo", "ambito"), ("budget",)),
}

# Which model each kind of reference points to.
_MODELLI_RIF = {
    "quartiere": Quartiere,
    "organizzazione": Organizzazione,
    "persona": Persona,
    "laboratorio": Laboratorio,
    "incontro": Incontro,
    "patto": Patto,
}
# The file that defines the codici of each kind of reference.
_FILE_RIF = {
    "quartiere": "quartieri.csv",
    "organizzazione": "organizzazioni.csv",
    "persona": "persone.csv",
    "laboratorio": "laboratori.csv",
    "incontro": "incontri.csv",
    "patto": "patti.csv",
}


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


# --- Values -----------------------------------------------------------------------------------


class ValoreNonValido(ValueError):
    pass


_DATA_ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_DATA_IT = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
_ORA = re.compile(r"^(\d{1,2})[:.](\d{2})$")


def leggi_data(testo: str) -> datetime.date:
    """``YYYY-MM-DD`` or ``DD/MM/YYYY``."""
    if m := _DATA_ISO.match(testo):
        anno, mese, giorno = (int(x) for x in m.groups())
    elif m := _DATA_IT.match(testo):
        giorno, mese, anno = (int(x) for x in m.groups())
    else:
        raise ValoreNonValido(_("«%(v)s» non è una data (AAAA-MM-GG o GG/MM/AAAA)") % {"v": testo})
    try:
        return datetime.date(anno, mese, giorno)
    except ValueError as exc:
        raise ValoreNonValido(_("«%(v)s» non è una data esistente") % {"v": testo}) from exc


def leggi_data_ora(testo: str) -> datetime.datetime:
    """A date, optionally followed by a time ``HH:MM``; without one, midnight (local time)."""
    parti = testo.split()
    if len(parti) > 2 or not parti:
        raise ValoreNonValido(_("«%(v)s» non è una data (con ora facoltativa)") % {"v": testo})
    giorno = leggi_data(parti[0])
    ora = datetime.time(0, 0)
    if len(parti) == 2:
        m = _ORA.match(parti[1])
        if not m or int(m.group(1)) > 23 or int(m.group(2)) > 59:
            raise ValoreNonValido(_("«%(v)s» non è un orario HH:MM") % {"v": parti[1]})
        ora = datetime.time(int(m.group(1)), int(m.group(2)))
    return timezone.make_aware(datetime.datetime.combine(giorno, ora))


def leggi_decimale(testo: str) -> Decimal:
    """A number with ``.`` or ``,`` as decimal separator (the other, if both appear, groups
    thousands): ``1234.5``, ``1234,5``, ``1.234,50``, ``1,234.50``."""
    valore = testo.replace(" ", "").replace("\u00a0", "").replace("€", "")
    if "," in valore and "." in valore:
        migliaia, decimale = (".", ",") if valore.rfind(",") > valore.rfind(".") else (",", ".")
        valore = valore.replace(migliaia, "").replace(decimale, ".")
    else:
        valore = valore.replace(",", ".")
    if not re.fullmatch(r"-?\d+(\.\d+)?", valore):
        raise ValoreNonValido(_("«%(v)s» non è un numero") % {"v": testo})
    try:
        numero = Decimal(valore)
    except InvalidOperation as exc:  # pragma: no cover - excluded by the pattern
        raise ValoreNonValido(_("«%(v)s» non è un numero") % {"v": testo}) from exc
    if numero != numero.quantize(Decimal("0.01")):
        raise ValoreNonValido(_("«%(v)s» ha più di due decimali") % {"v": testo})
    return numero


def leggi_intero(testo: str) -> int:
    """A whole number, optionally with ``.`` grouping thousands (``6.647``)."""
    valore = testo.replace(" ", "")
    if re.fullmatch(r"\d{1,3}(\.\d{3})+", valore):
        valore = valore.replace(".", "")
    if not valore.isdigit():
        raise ValoreNonValido(_("«%(v)s» non è un numero intero non negativo") % {"v": testo})
    return int(valore)


def _sniff(intestazione: str) -> str:
    return ";" if intestazione.count(";") > intestazione.count(",") else ","


# --- Reading ----------------------------------------------------------------------------------


def leggi_file(nome: str, contenuto: bytes, errori: list[Errore]) -> list[Riga]:
    """Parse one CSV file; header problems go to ``errori`` (and the file yields no rows)."""
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
    colonne = FILE[nome]
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
    """A spreadsheet cell as the CSV text the readers above accept: dates in ISO (with
    ``HH:MM`` when the time is not midnight), whole numbers without ``.0``."""
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


class _Validatore:
    """Validates the rows of every file against the database and each other."""

    def __init__(self, fogli: dict[str, list[Riga]]):
        self.fogli = fogli
        self.errori: list[Errore] = []
        # Codici defined by the files being imported, per kind of reference.
        self.definiti: dict[str, set[str]] = defaultdict(set)
        for tipo, nome in _FILE_RIF.items():
            for riga in fogli.get(nome, []):
                if riga.valori.get("codice"):
                    self.definiti[tipo].add(riga.valori["codice"])
        self.esistenti = self._carica_esistenti()

    def _carica_esistenti(self) -> dict[str, set[str]]:
        """The referenced codici that already exist in the database, one query per kind."""
        richiesti: dict[str, set[str]] = defaultdict(set)
        for righe in self.fogli.values():
            for riga in righe:
                for colonna, valore in riga.valori.items():
                    tipo = "patto" if colonna == "rinnova" else colonna
                    if tipo in _MODELLI_RIF and valore and colonna != "codice":
                        richiesti[tipo].add(valore)
        return {
            tipo: set(
                _MODELLI_RIF[tipo]
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
        if codice not in self.definiti[tipo] and codice not in self.esistenti.get(tipo, set()):
            self.errore(
                file,
                riga,
                colonna,
                _("«%(v)s» non esiste (né in %(file)s né nel database)")
                % {"v": codice, "file": _FILE_RIF[tipo]},
            )
            return None
        return codice

    def codici_unici(self, file, righe, chiave=lambda r: r.valori.get("codice"), colonna="codice"):
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

    def valida(self) -> list[Errore]:
        for nome in FILE:
            righe = self.fogli.get(nome)
            if righe is None:
                continue
            metodo = getattr(self, "valida_" + nome.removesuffix(".csv"))
            for riga in righe:
                if "codice" in FILE[nome].obbligatorie:
                    codice = self.cella(nome, riga, "codice", obbligatoria=True, max_len=40)
                    riga.dati["codice"] = codice
                metodo(nome, riga)
        return sorted(set(self.errori))

    def valida_quartieri(self, f, riga):
        if riga.dati["codice"]:
            try:
                validate_slug(riga.dati["codice"])
            except ValidationError:
                self.errore(f, riga, "codice", _("solo lettere, numeri, trattini e trattini bassi"))
            if len(riga.dati["codice"]) > 30:
                self.errore(f, riga, "codice", _("più di %(n)s caratteri") % {"n": 30})
        riga.dati.update(
            nome=self.cella(f, riga, "nome", obbligatoria=True, max_len=120),
            abitanti=self.cella(f, riga, "abitanti", leggi_intero),
            alloggi_erp=self.cella(f, riga, "alloggi_erp", leggi_intero),
        )

    def _contatti(self, f, riga):
        def email(testo):
            testo = normalizza_email(testo)
            validate_email(testo)
            return testo

        return {
            "email": self.cella(f, riga, "email", email),
            "telefono": self.cella(f, riga, "telefono", normalizza_telefono),
            "quartiere": self.riferimento(f, riga, "quartiere"),
        }

    def valida_organizzazioni(self, f, riga):
        riga.dati.update(
            nome=self.cella(f, riga, "nome", obbligatoria=True, max_len=200),
            tipo=self.scelta(f, riga, "tipo", TipoOrganizzazione.values),
            **self._contatti(f, riga),
        )

    def valida_persone(self, f, riga):
        riga.dati.update(
            nome=self.cella(f, riga, "nome", obbligatoria=True, max_len=80),
            cognome=self.cella(f, riga, "cognome", obbligatoria=True, max_len=80),
            consenso_privacy=self.cella(f, riga, "consenso_privacy", leggi_data),
            **self._contatti(f, riga),
        )

    def valida_laboratori(self, f, riga):
        d = riga.dati
        d.update(
            titolo=self.cella(f, riga, "titolo", obbligatoria=True, max_len=200),
            quartiere=self.riferimento(f, riga, "quartiere", obbligatorio=True),
            fase=self.scelta(f, riga, "fase", Laboratorio.Fase.values),
            data_inizio=self.cella(f, riga, "data_inizio", leggi_data, obbligatoria=True),
            data_fine=self.cella(f, riga, "data_fine", leggi_data),
        )
        if d["data_inizio"] and d["data_fine"] and d["data_fine"] < d["data_inizio"]:
            self.errore(f, riga, "data_fine", _("precede data_inizio"))

    def valida_incontri(self, f, riga):
        d = riga.dati
        data = self.cella(f, riga, "data", leggi_data_ora, obbligatoria=True)
        # An empty state follows the date: held if it is past, scheduled if it is to come.
        futuro = data is not None and data > timezone.now()
        predefinito = Incontro.Stato.PROGRAMMATO if futuro else Incontro.Stato.SVOLTO
        d.update(
            laboratorio=self.riferimento(f, riga, "laboratorio", obbligatorio=True),
            data=data,
            luogo=self.cella(f, riga, "luogo", max_len=200),
            titolo=self.cella(f, riga, "titolo", max_len=200),
            stato=self.scelta(f, riga, "stato", Incontro.Stato.values, predefinito=predefinito),
        )
        if futuro and d["stato"] == Incontro.Stato.SVOLTO:
            self.errore(f, riga, "stato", _("«svolto» per un incontro che deve ancora iniziare"))

    def valida_presenze(self, f, riga):
        d = riga.dati
        d.update(
            incontro=self.riferimento(f, riga, "incontro", obbligatorio=True),
            persona=self.riferimento(f, riga, "persona"),
            organizzazione=self.riferimento(f, riga, "organizzazione"),
        )
        if not riga.valori.get("persona") and not riga.valori.get("organizzazione"):
            self.errore(f, riga, "persona", _("indicare una persona, un'organizzazione o entrambe"))

    def valida_patti(self, f, riga):
        d = riga.dati
        d.update(
            titolo=self.cella(f, riga, "titolo", obbligatoria=True, max_len=200),
            quartiere=self.riferimento(f, riga, "quartiere", obbligatorio=True),
            laboratorio=self.riferimento(f, riga, "laboratorio"),
            stato=self.scelta(f, riga, "stato", StatoPatto.values),
            data_firma=self.cella(f, riga, "data_firma", leggi_data),
            data_inizio=self.cella(f, riga, "data_inizio", leggi_data),
            data_fine=self.cella(f, riga, "data_fine", leggi_data),
            rinnova=self.riferimento(f, riga, "rinnova", tipo="patto"),
        )
        if d["stato"] in STATI_CON_FIRMA and not riga.valori.get("data_firma"):
            self.errore(
                f,
                riga,
                "data_firma",
                _("obbligatoria per un patto nello stato «%(s)s»") % {"s": d["stato"]},
            )
        if d["data_inizio"] and d["data_fine"] and d["data_fine"] < d["data_inizio"]:
            self.errore(f, riga, "data_fine", _("precede data_inizio"))
        if d["rinnova"] and d["rinnova"] == d["codice"]:
            self.errore(f, riga, "rinnova", _("un patto non può rinnovare sé stesso"))

    def valida_firmatari(self, f, riga):
        d = riga.dati
        d.update(
            patto=self.riferimento(f, riga, "patto", obbligatorio=True),
            tipo=self.scelta(f, riga, "tipo", TipoFirmatario.values),
            persona=self.riferimento(f, riga, "persona"),
            organizzazione=self.riferimento(f, riga, "organizzazione"),
            impegni=[
                i.strip()
                for i in riga.valori.get("impegni", "").split(SEPARATORE_IMPEGNI)
                if i.strip()
            ],
        )
        persona, organizzazione = riga.valori.get("persona"), riga.valori.get("organizzazione")
        tipo = d["tipo"]
        if tipo == TipoFirmatario.COMUNE:
            for colonna, valore in (("persona", persona), ("organizzazione", organizzazione)):
                if valore:
                    self.errore(
                        f, riga, colonna, _("una riga del Comune non indica %(c)s") % {"c": colonna}
                    )
        elif tipo == TipoFirmatario.VOLONTARIO:
            if not persona:
                self.errore(f, riga, "persona", _("obbligatoria per un volontario"))
            if organizzazione:
                self.errore(f, riga, "organizzazione", _("un volontario firma come persona"))
        elif tipo == TipoFirmatario.GRUPPO_INFORMALE:
            if bool(persona) == bool(organizzazione):
                self.errore(
                    f,
                    riga,
                    "persona",
                    _(
                        "un gruppo informale indica il portavoce (persona) oppure il gruppo "
                        "(organizzazione), non entrambi"
                    ),
                )
        elif tipo in TIPI_CON_ORGANIZZAZIONE:
            if not organizzazione:
                self.errore(
                    f, riga, "organizzazione", _("obbligatoria per il tipo «%(t)s»") % {"t": tipo}
                )
            if persona:
                self.errore(
                    f, riga, "persona", _("il tipo «%(t)s» firma come organizzazione") % {"t": tipo}
                )

    def valida_progetti(self, f, riga):
        d = riga.dati
        d.update(
            patto=self.riferimento(f, riga, "patto", obbligatorio=True),
            titolo=self.cella(f, riga, "titolo", obbligatoria=True, max_len=200),
            ambito=self.scelta(f, riga, "ambito", AmbitoProgetto.values),
            budget=self.cella(f, riga, "budget", leggi_decimale),
        )
        if d["budget"] is not None and d["budget"] < 0:
            self.errore(f, riga, "budget", _("non può essere negativo"))
        if d["budget"] is not None and d["budget"] >= Decimal("1e10"):
            self.errore(f, riga, "budget", _("troppo grande"))

    def duplicati(self) -> None:
        for nome, righe in self.fogli.items():
            if "codice" in FILE[nome].obbligatorie:
                self.codici_unici(nome, righe)
        self.codici_unici(
            "quartieri.csv",
            self.fogli.get("quartieri.csv", []),
            chiave=lambda r: r.valori.get("nome", "").lower() or None,
            colonna="nome",
        )
        self.codici_unici(
            "presenze.csv",
            self.fogli.get("presenze.csv", []),
            chiave=lambda r: (
                (r.valori["incontro"], "p", r.valori.get("persona"))
                if r.valori.get("persona")
                else (r.valori["incontro"], "o", r.valori.get("organizzazione"))
            ),
            colonna="persona",
        )
        self.codici_unici(
            "firmatari.csv",
            self.fogli.get("firmatari.csv", []),
            chiave=_chiave_firmatario,
            colonna="tipo",
        )

    def vincoli_database(self) -> None:
        """Clashes with rows already stored under another codice (unique names, numbers)."""
        righe = self.fogli.get("quartieri.csv", [])
        if righe:
            per_nome = {n.lower(): c for n, c in Quartiere.objects.values_list("nome", "codice")}
            for riga in righe:
                nome, codice = riga.valori.get("nome", ""), riga.valori.get("codice")
                altro = per_nome.get(nome.lower())
                if nome and altro and altro != codice:
                    self.errore(
                        "quartieri.csv",
                        riga,
                        "nome",
                        _("nome già usato dal quartiere «%(c)s»") % {"c": altro},
                    )
        righe = self.fogli.get("patti.csv", [])
        if righe:
            codici = [r.valori["codice"] for r in righe if r.valori.get("codice")]
            occupati = dict(Patto.objects.filter(numero__in=codici).values_list("numero", "codice"))
            for riga in righe:
                codice = riga.valori.get("codice")
                if codice in occupati and occupati[codice] != codice:
                    self.errore(
                        "patti.csv",
                        riga,
                        "codice",
                        _("il numero «%(c)s» appartiene già a un altro patto") % {"c": codice},
                    )


def _chiave_firmatario(riga: Riga):
    v = riga.valori
    if v.get("tipo") == TipoFirmatario.COMUNE:
        return (v.get("patto"), "comune")
    if v.get("persona"):
        return (v.get("patto"), "p", v["persona"])
    if v.get("organizzazione"):
        return (v.get("patto"), "o", v["organizzazione"])
    return None


# --- Writing ----------------------------------------------------------------------------------


class _Scrittore:
    def __init__(self, fogli: dict[str, list[Riga]]):
        self.fogli = fogli
        self.pk: dict[str, dict[str, int]] = defaultdict(dict)
        self.conteggi: dict[str, dict[str, int]] = {}

    def rif(self, tipo: str, codice: str | None) -> int | None:
        if not codice:
            return None
        if codice not in self.pk[tipo]:
            self.pk[tipo][codice] = (
                _MODELLI_RIF[tipo].objects.values_list("pk", flat=True).get(codice=codice)
            )
        return self.pk[tipo][codice]

    def _conta(self, file: str, esito: str) -> None:
        self.conteggi.setdefault(file, {"creati": 0, "aggiornati": 0, "invariati": 0})[esito] += 1

    def salva(self, file, modello, riga: Riga, chiave: dict, valori: dict, sempre=()):
        """Create or update the row matched by ``chiave``.

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

    def scrivi_quartieri(self, f, riga):
        d = riga.dati
        q, _c = self.salva(
            f,
            Quartiere,
            riga,
            {"codice": d["codice"]},
            {"nome": d["nome"], "abitanti": d["abitanti"], "alloggi_erp": d["alloggi_erp"]},
        )
        self.pk["quartiere"][q.codice] = q.pk

    def scrivi_organizzazioni(self, f, riga):
        d = riga.dati
        o, _c = self.salva(
            f,
            Organizzazione,
            riga,
            {"codice": d["codice"]},
            {
                "nome": d["nome"],
                "tipo": d["tipo"],
                "email": d["email"],
                "telefono": d["telefono"],
                "quartiere_id": self.rif("quartiere", d["quartiere"]),
            },
        )
        self.pk["organizzazione"][o.codice] = o.pk

    def scrivi_persone(self, f, riga):
        d = riga.dati
        valori = {
            "nome": d["nome"],
            "cognome": d["cognome"],
            "email": d["email"],
            "telefono": d["telefono"],
            "quartiere_id": self.rif("quartiere", d["quartiere"]),
        }
        if d["consenso_privacy"]:
            valori.update(consenso_privacy=True, consenso_data=d["consenso_privacy"])
        p, _c = self.salva(f, Persona, riga, {"codice": d["codice"]}, valori)
        self.pk["persona"][p.codice] = p.pk

    def scrivi_laboratori(self, f, riga):
        d = riga.dati
        lab, _c = self.salva(
            f,
            Laboratorio,
            riga,
            {"codice": d["codice"]},
            {
                "titolo": d["titolo"],
                "quartiere_id": self.rif("quartiere", d["quartiere"]),
                "fase": d["fase"],
                "data_inizio": d["data_inizio"],
                "data_fine": d["data_fine"],
                # A lab whose end date is past is over; otherwise the state is left as it
                # is (a new lab starts "attivo").
                "stato": (
                    Laboratorio.Stato.CONCLUSO
                    if d["data_fine"] and d["data_fine"] < timezone.localdate()
                    else None
                ),
            },
        )
        self.pk["laboratorio"][lab.codice] = lab.pk

    def scrivi_incontri(self, f, riga):
        d = riga.dati
        inc, _c = self.salva(
            f,
            Incontro,
            riga,
            {"codice": d["codice"]},
            {
                "laboratorio_id": self.rif("laboratorio", d["laboratorio"]),
                "inizio": d["data"],
                "luogo": d["luogo"],
                "titolo": d["titolo"],
                "stato": d["stato"],
            },
        )
        self.pk["incontro"][inc.codice] = inc.pk

    def scrivi_presenze(self, f, riga):
        d = riga.dati
        incontro = self.rif("incontro", d["incontro"])
        persona = self.rif("persona", d["persona"])
        organizzazione = self.rif("organizzazione", d["organizzazione"])
        if persona:
            chiave = {"incontro_id": incontro, "persona_id": persona}
        else:
            chiave = {
                "incontro_id": incontro,
                "persona_id": None,
                "organizzazione_id": organizzazione,
            }
        self.salva(f, Presenza, riga, chiave, {"organizzazione_id": organizzazione})

    def scrivi_patti(self, f, riga):
        d = riga.dati
        esistente = Patto.objects.filter(codice=d["codice"]).values_list("stato", flat=True).first()
        patto, creato = self.salva(
            f,
            Patto,
            riga,
            {"codice": d["codice"]},
            {
                "numero": d["codice"] if esistente is None else None,
                "titolo": d["titolo"],
                "quartiere_id": self.rif("quartiere", d["quartiere"]),
                "laboratorio_id": self.rif("laboratorio", d["laboratorio"]),
                "stato": d["stato"],
                "data_firma": d["data_firma"],
                "data_inizio": d["data_inizio"],
                "data_fine": d["data_fine"],
            },
        )
        self.pk["patto"][patto.codice] = patto.pk
        if creato or esistente != patto.stato:
            registra_stato_importato(patto, esistente or "", file=f)

    def rinnovi(self) -> None:
        """Link renewals once every pact of the file exists (a renewal may come first)."""
        for riga in self.fogli.get("patti.csv", []):
            d = riga.dati
            if d["rinnova"]:
                rinnovato = self.rif("patto", d["rinnova"])
                aggiornati = Patto.objects.filter(codice=d["codice"]).exclude(rinnova_id=rinnovato)
                aggiornati.update(rinnova_id=rinnovato, versione=F("versione") + 1)

    def scrivi_firmatari(self, f, riga):
        d = riga.dati
        patto = self.rif("patto", d["patto"])
        persona = self.rif("persona", d["persona"])
        organizzazione = self.rif("organizzazione", d["organizzazione"])
        if d["tipo"] == TipoFirmatario.COMUNE:
            chiave = {"patto_id": patto, "tipo": TipoFirmatario.COMUNE}
        elif persona:
            chiave = {"patto_id": patto, "persona_id": persona}
        else:
            chiave = {"patto_id": patto, "organizzazione_id": organizzazione}
        firmatario, _c = self.salva(f, Firmatario, riga, chiave, {"tipo": d["tipo"]})
        if d["impegni"]:
            presenti = set(firmatario.impegni.values_list("descrizione", flat=True))
            Impegno.objects.bulk_create(
                [
                    Impegno(firmatario=firmatario, descrizione=testo)
                    for testo in dict.fromkeys(d["impegni"])
                    if testo not in presenti
                ]
            )

    def scrivi_progetti(self, f, riga):
        d = riga.dati
        self.salva(
            f,
            Progetto,
            riga,
            {"codice": d["codice"]},
            {
                "patto_id": self.rif("patto", d["patto"]),
                "titolo": d["titolo"],
                "ambito": d["ambito"],
                "budget": d["budget"],
            },
        )


def importa(cartella: Path | str, *, scrivi: bool = True) -> Esito:
    """Validate (and unless ``scrivi`` is false, write) the files found in ``cartella``:
    each sheet as ``<name>.csv`` or ``<name>.xlsx`` (its first worksheet), with the same
    columns.

    Returns an :class:`Esito`; when it has errors nothing was written.
    """
    cartella = Path(cartella)
    errori: list[Errore] = []
    fogli: dict[str, list[Riga]] = {}
    da_xlsx: dict[str, str] = {}  # "laboratori.csv" -> "laboratori.xlsx", for the messages
    for nome in FILE:
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
            fogli[nome] = leggi_file(nome, contenuto, errori)
        elif percorso.is_file():
            fogli[nome] = leggi_file(nome, percorso.read_bytes(), errori)
    validatore = _Validatore(fogli)
    validatore.duplicati()
    validatore.vincoli_database()
    errori = sorted(set(errori) | set(validatore.valida()), key=_ordine)
    errori = [
        dataclasses.replace(e, file=da_xlsx[e.file]) if e.file in da_xlsx else e for e in errori
    ]
    if errori or not scrivi:
        return Esito(errori, {})
    scrittore = _Scrittore(fogli)
    try:
        with transaction.atomic():
            for nome in FILE:
                righe = fogli.get(nome)
                if righe is None:
                    continue
                scrittore.conteggi.setdefault(nome, {"creati": 0, "aggiornati": 0, "invariati": 0})
                metodo = getattr(scrittore, "scrivi_" + nome.removesuffix(".csv"))
                for riga in righe:
                    try:
                        with transaction.atomic():
                            metodo(nome, riga)
                    except IntegrityError as exc:
                        errori.append(
                            Errore(
                                da_xlsx.get(nome, nome),
                                riga.numero,
                                "-",
                                _("rifiutata dal database: %(e)s")
                                % {"e": str(exc).splitlines()[0]},
                            )
                        )
                if nome == "patti.csv":
                    scrittore.rinnovi()
            if errori:
                raise ImportazioneFallita(errori)
    except ImportazioneFallita:
        return Esito(sorted(errori, key=_ordine), {})
    return Esito([], {da_xlsx.get(nome, nome): n for nome, n in scrittore.conteggi.items()})


def _ordine(errore: Errore):
    return (list(FILE).index(errore.file), errore.riga, errore.colonna, errore.messaggio)
