"""Quartiere on more than one machine (issue 29), tested as a small cluster on this one.

Two app servers (gunicorn with the production settings, each with a task worker and a
local ``var/`` of its own) share Debian's PostgreSQL with a streaming replica, Debian's
redis-server as the cache, an S3 server (moto's, speaking the real HTTP API) for the files
and an SMTP server. A citizen files a report step by step, each step on whichever server
the balancer picks; staff log in on one server and work on the other.

The database starts from the test database's schema (``pg_dump``), then ``migrate`` checks
that nothing is left to apply: the migrations themselves ran when the suite made it.

One test, not several: xdist would start a cluster per worker for the tests of a module.
"""

from __future__ import annotations

import io
import json
import re
import subprocess
from pathlib import Path

import pytest
from django.urls import reverse

from tests.ops.cluster import (
    PASSWORD,
    REGIONE,
    S3_CHIAVI,
    Cluster,
    Navigatore,
    attendi,
    bin_postgresql_debian,
)
from tests.segnalazioni.conftest import PDF_MINIMO, immagine
from tests.segnalazioni.passi import dati_segnalazione, gestione, passo

REDIS = "django.core.cache.backends.redis.RedisCache"
LIMITE_INVII = 3
CITTADINA = "giulia@example.org"

PREPARA = """
import json
from django.core.management import call_command
call_command("migrate", verbosity=0)
from tests import factories
from tests.segnalazioni.factories import CategoriaFactory, UfficioFactory
quartieri = factories.quattro_quartieri()
utenti = [factories.membro(r, quartieri) for r in ("operatore", "operatore_altro")]
for u in utenti:
    u.set_password({password!r})
    u.save()
ufficio = UfficioFactory(nome="Manutenzione strade", email="")
categoria = CategoriaFactory(codice="strade", nome="Strade", ufficio=ufficio)
print(json.dumps({{
    "quartiere": quartieri["san-siro"].pk,
    "categoria": categoria.pk,
    "operatore": utenti[0].username,
    "fuori_ambito": utenti[1].username,
}}))
"""


def _dump_del_database_di_prova(cartella: Path, django_db_blocker) -> Path:
    """The test database's schema and the migrations' rows, for Debian's PostgreSQL."""
    from django.db import connection

    from quartiere.ops.backup import ambiente_pg, programma_pg

    with django_db_blocker.unblock():
        connection.ensure_connection()
        versione = connection.pg_version // 10000
    testo = subprocess.run(  # noqa: S603 - PostgreSQL's own pg_dump
        [programma_pg("pg_dump", versione), "--no-owner", "--no-privileges"],
        env=ambiente_pg(connection.settings_dict),
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    # The embedded server is newer than Debian's: its pg_dump sets a parameter the older
    # server does not know (PostgreSQL 17's transaction_timeout), and nothing else differs.
    righe = [r for r in testo.splitlines() if not r.startswith("SET transaction_timeout")]
    dump = cartella / "schema.sql"
    dump.write_text("\n".join(righe) + "\n")

    return dump


def _segnala(navigatore: Navigatore, passi: tuple[str, str, str], dati: dict, allegati=()):
    """The online report's three steps, each POSTed to the server named for it."""
    r = navigatore.post(
        passi[0],
        passo("informativa"),
        {**gestione("informativa"), "informativa-consenso_privacy": "on"},
    )
    assert r.status_code == 302 and r.headers["Location"].endswith(passo("dati")), r.text[:2000]
    r = navigatore.post(
        passi[1],
        passo("dati"),
        {**gestione("dati"), **{f"dati-{k}": v for k, v in dati.items()}},
        files=[("dati-allegati", allegato) for allegato in allegati] or None,
    )
    assert r.status_code == 302 and r.headers["Location"].endswith(passo("riepilogo")), r.text[
        :3000
    ]
    return navigatore.post(passi[2], passo("riepilogo"), gestione("riepilogo"))


def _file_locali(cluster: Cluster) -> list[Path]:
    return [
        p
        for macchina in ("a", "b")
        for p in (cluster.cartella / f"var-{macchina}" / "media").rglob("*")
        if p.is_file()
    ]


# The test database must exist: its schema is what the cluster's PostgreSQL starts from.
@pytest.mark.django_db
def test_due_server_condividono_database_cache_file_e_posta(django_db_blocker):
    bin_pg = bin_postgresql_debian()
    if bin_pg is None:
        pytest.fail("Debian's PostgreSQL is missing: `scripts/requisiti-sistema test` installs it")
    cluster = Cluster()
    try:
        cluster.avvia_postgres(
            bin_pg, _dump_del_database_di_prova(cluster.cartella, django_db_blocker)
        )
        pg = cluster.postgres
        comuni = {
            "DATABASE_URL": pg.url(),
            "DATABASE_REPLICA_URL": pg.url(replica=True),
            "QUARTIERE_CACHE_BACKEND": REDIS,
            "QUARTIERE_CACHE_LOCATION": cluster.avvia_redis(),
            "QUARTIERE_S3_BUCKET": cluster.bucket,
            "QUARTIERE_S3_ENDPOINT_URL": cluster.avvia_s3(),
            "QUARTIERE_S3_REGION": REGIONE,
            **S3_CHIAVI,
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": str(cluster.avvia_smtp()),
            "SEGNALAZIONI_LIMITE_INVII": str(LIMITE_INVII),
        }
        for macchina in ("a", "b"):
            cluster.ambiente(macchina, comuni)
        uscita = cluster.manage(
            "a", "shell", "-i", "python", "-c", PREPARA.format(password=PASSWORD)
        )
        cast = json.loads(uscita.strip().splitlines()[-1])
        for macchina in ("a", "b"):
            cluster.avvia_macchina(macchina)
        cluster.attendi_server()
        _verifica(cluster, cast)
    finally:
        cluster.ferma()


def _dati(cast: dict, oggetto: str) -> dict:
    """The Dati step's fields (the consent is the Informativa step's)."""
    dati = dati_segnalazione(
        cast["categoria"], cast["quartiere"], oggetto, email_segnalante=CITTADINA
    )
    del dati["consenso_privacy"]
    return dati


def _verifica(cluster: Cluster, cast: dict) -> None:
    pg = cluster.postgres

    # 1. A report with a photo, its steps on A, B and A: the waiting files travel through
    # the bucket, the state through the database. Filing it and showing it read nothing from
    # the replica, which could lag behind the request's own write.
    cittadina = Navigatore(cluster.server)
    foto = ("buca.jpg", io.BytesIO(immagine("JPEG")), "image/jpeg")
    verbale = ("verbale.pdf", io.BytesIO(PDF_MINIMO), "application/pdf")
    with pg.istruzioni_sulla_replica() as sulla_replica:
        r = _segnala(cittadina, ("a", "b", "a"), _dati(cast, "Buca con foto"), [foto, verbale])
        assert r.status_code == 302, r.text[:3000]
        assert cittadina.get("a", r.headers["Location"]).status_code == 200
    assert sulla_replica == []
    pk, codice = pg.psql(
        "quartiere",
        "SELECT id || ' ' || codice FROM segnalazioni_segnalazione WHERE oggetto = 'Buca con foto'",
    ).split()
    oggetti = cluster.oggetti()
    assert len(oggetti) == 2, sorted(oggetti)
    assert _file_locali(cluster) == []

    # Its receipt, on both servers (the signed cookie and the key are shared).
    for macchina in ("a", "b"):
        ricevuta = cittadina.get(macchina, reverse("segnalazioni:ricevuta_inviata"))
        assert ricevuta.status_code == 200, (macchina, ricevuta.text[:500])
        assert ricevuta.content.startswith(b"%PDF-")
        assert codice.encode() in _testo_pdf(ricevuta.content)

    # 2. Staff: logged in on A, working on B. The photo is on both.
    operatore = Navigatore(cluster.server)
    operatore.accedi("a", cast["operatore"])
    dettaglio = operatore.get("b", reverse("segnalazioni:dettaglio", args=[pk]))
    assert dettaglio.status_code == 200
    percorsi = sorted(set(re.findall(rf"/segnalazioni/lavoro/{pk}/allegati/\d+/", dettaglio.text)))
    assert len(percorsi) == 2, percorsi
    for percorso in percorsi:
        for macchina in ("a", "b"):
            file = operatore.get(macchina, percorso)
            assert file.status_code == 200, (macchina, percorso)
            assert file.content in oggetti.values()
    assert cluster.bucket not in dettaglio.text and comuni_s3(cluster) not in dettaglio.text

    # Outside an operator's quartieri: not found, on both servers.
    fuori = Navigatore(cluster.server)
    fuori.accedi("b", cast["fuori_ambito"])
    for macchina in ("a", "b"):
        assert fuori.get(macchina, percorsi[0]).status_code == 404
        assert fuori.get(macchina, reverse("segnalazioni:dettaglio", args=[pk])).status_code == 404

    # 3. The intake's limit counts across servers: the first report and two more from the
    # same address, one on each server; the next is refused by both.
    for macchina, oggetto in (("b", "Seconda"), ("a", "Terza")):
        r = _segnala(Navigatore(cluster.server), (macchina,) * 3, _dati(cast, oggetto))
        assert r.status_code == 302, (macchina, r.status_code)
    respinta = Navigatore(cluster.server)
    for macchina in ("b", "a"):
        r = _segnala(respinta, (macchina,) * 3, _dati(cast, "Quarta"))
        assert r.status_code == 429, (macchina, r.status_code)
    assert pg.psql("quartiere", "SELECT count(*) FROM segnalazioni_segnalazione") == "3"

    # 4. Each receipt e-mail once, whichever worker took it: the outbox says sent, the SMTP
    # server got one message per report.
    attendi(
        lambda: (
            pg.psql(
                "quartiere",
                "SELECT count(*) FROM segnalazioni_invioemail WHERE stato = 'inviata'",
            )
            == "3"
        ),
        60,
        lambda: cluster.log("worker-a.log") + cluster.log("worker-b.log"),
    )
    codici = pg.psql("quartiere", "SELECT string_agg(codice, ' ') FROM segnalazioni_segnalazione")
    arrivati = [m for m in cluster.casella.messaggi if m["To"] == CITTADINA]
    assert len(arrivati) == 3, [m["Subject"] for m in arrivati]
    for codice_inviato in codici.split():
        assert sum(codice_inviato in _corpo(m) for m in arrivati) == 1, codice_inviato

    # 5. The dashboard reads the replica (once it has replayed the primary's writes).
    attendi(pg.replica_allineata, 30, "the replica does not catch up")
    with pg.istruzioni_sulla_replica() as sulla_replica:
        cruscotto = operatore.get("b", reverse("quartiere:cruscotto"))
    assert cruscotto.status_code == 200
    assert any("segnalazioni_segnalazione" in s for s in sulla_replica), sulla_replica

    # 6. Retention, run on machine B as its timer does, removes the report's objects.
    pg.psql(
        "quartiere",
        "UPDATE segnalazioni_segnalazione SET stato = 'chiusa', esito = 'risolta', "
        f"chiusa_il = now() - interval '20 years' WHERE id = {pk}",
    )
    cluster.manage("b", "retention", "--anonymize")
    assert cluster.oggetti() == {}
    for macchina in ("a", "b"):
        assert operatore.get(macchina, percorsi[0]).status_code == 404


def comuni_s3(cluster: Cluster) -> str:
    return cluster.ambienti["a"]["QUARTIERE_S3_ENDPOINT_URL"].split("//", 1)[1]


def _corpo(messaggio) -> str:
    return (
        messaggio.get_payload(decode=True).decode()
        if not messaggio.is_multipart()
        else "".join(
            p.get_payload(decode=True).decode() for p in messaggio.walk() if not p.is_multipart()
        )
    )


def _testo_pdf(contenuto: bytes) -> bytes:
    return subprocess.run(  # noqa: S603
        ["pdftotext", "-", "-"], input=contenuto, capture_output=True, check=True
    ).stdout
