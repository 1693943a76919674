"""The benchmark harness behind ``make bench`` (docs/performance.md).

    python bench/harness.py [--scala 1] [--durata 20] [--utenti 2] [--utenti-carico 20]
                            [--dati var/bench] [--database-url URL] [--output FILE]
                            [--ricostruisci] [--solo NOME,...]

1. Builds (migrate + ``generate_load_data``) or reuses the database: an embedded
   PostgreSQL under ``--dati`` (``var/bench/pgdata``), or ``--database-url``.
2. Serves the app with gunicorn and production settings on 127.0.0.1 only.
3. Runs each scenario with the load generator (``bench/carico_http.py``, locust) in a
   second process, samples the memory of the app processes, and times the ``indicatori``
   command as a subprocess.
4. Writes ``bench/results/<date>.json`` and prints the table with each page's ratio to the
   framework floor and the worklist/admin ratio.

Scenarios whose URL names do not exist (yet) are reported as "non disponibile".
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import quote, urlencode

RADICE = Path(__file__).resolve().parent.parent
_INIZIO = time.monotonic()


def avviso(testo: str) -> None:
    print(f"[{time.monotonic() - _INIZIO:6.1f} s] {testo}", flush=True)


BIN = Path(sys.executable).parent
NON_DISPONIBILE = "non disponibile"

# Targets (issue 21): ratios of two figures measured in the same run, so that a slow day of
# the machine moves both; absolute times on a shared machine are not targets. Memory and the
# exports' first byte stay absolute.
STAFF_SU_PAVIMENTO = 8  # a staff page's median, in floors
PUBBLICO_SU_PAVIMENTO = 4  # a public page's or Open311's median, in floors
WORKLIST_SU_ADMIN = 0.6  # the worklist against the admin's changelist of the same filter
INTAKE_QUOTA_PAVIMENTO = 0.40  # the intake's throughput against the floor's, 20 clients
AVVIO_SU_CALCOLO = 2  # `indicatori --format json` against its own figures, in-process
PDF_SU_JSON = 3  # `indicatori --format pdf` against `--format json`
INDICATORI_RSS_MB = 300
ESPORTAZIONE_PRIMO_BYTE_S = 1.0
# Between two scales (--scale A,B): a page's median at the larger within this factor of the
# smaller's, with the same number of queries; an export's rate (MB/s) no lower than the
# smaller's divided by it.
CRESCITA_MASSIMA = 1.25
# Marks the reports the intake scenario files, which the harness deletes before and after
# each run: left in place they piled up in the measured quartiere and status, and matched
# the full-text search (15,481 of them after a day of runs).
NOME_INVIO_DI_PROVA = "Prova Carico"
# The management field of the online report's steps (formtools names it after the view).
GESTIONE_PASSI = "procedura_segnalazione-current_step"
ESPORTAZIONI = ("esporta_csv", "esporta_geojson", "esporta_xlsx")


def argomenti(argv=None):
    p = argparse.ArgumentParser(description="Benchmark di Quartiere (make bench).")
    p.add_argument("--scala", type=float, default=1.0)
    p.add_argument(
        "--scale",
        help="due scale, es. 0.2,2: una misura per scala, ciascuna nel suo database "
        "(--dati/scala-<S>), e il confronto della crescita (obiettivi di issue 21)",
    )
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--durata", type=float, default=20.0, help="secondi misurati per scenario")
    p.add_argument("--utenti", type=int, default=2, help="client concorrenti per le pagine")
    p.add_argument(
        "--utenti-carico", type=int, default=20, help="client concorrenti per intake/pavimento"
    )
    p.add_argument("--workers", type=int, default=4, help="processi gunicorn")
    p.add_argument("--dati", default=str(RADICE / "var" / "bench"))
    p.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL"))
    p.add_argument("--output")
    p.add_argument("--ricostruisci", action="store_true", help="rigenera i dati anche se ci sono")
    p.add_argument("--solo", help="solo questi scenari (nomi separati da virgole)")
    # Three runs: the median then ignores one disturbed by the machine.
    p.add_argument("--ripetizioni-indicatori", type=int, default=3)
    p.add_argument(
        "--giri",
        type=int,
        default=4,
        help="finestre per scenario, in rotazione tra gli scenari (contro il rumore)",
    )
    p.add_argument(
        "--rapido",
        action="store_true",
        help="prova di fumo: indicatori solo JSON, una volta, senza la misura in-process",
    )
    return p.parse_args(argv)


def ambiente(args, segreto: str) -> dict[str, str]:
    env = {
        "DJANGO_SETTINGS_MODULE": "quartiere.settings",
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": segreto,
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "QUARTIERE_BENCH_QUERIES": "1",
        # generate_load_data lives in the development tooling.
        "QUARTIERE_SVILUPPO": "1",
        # The abuse limits of the public pages, lifted: the bench is one address.
        "SEGNALAZIONI_LIMITE_INVII": "1000000000",
        "SEGNALAZIONI_LIMITE_CONSULTAZIONI": "1000000000",
        "SEGNALAZIONI_LIMITE_OPEN311": "1000000000",
        "QUARTIERE_VAR_DIR": str(Path(args.dati).resolve()),
        "DJANGO_LOG_LEVEL": "ERROR",
        # WhiteNoise warns that staticfiles/ is missing: the pages measured render the same
        # without collectstatic, and the bench does not fetch static files.
        "PYTHONWARNINGS": "ignore:No directory at",
    }
    if args.database_url:
        env["DATABASE_URL"] = args.database_url
    return env


def url_database(db: dict) -> str:
    """A DATABASE_URL for the children from Django's settings (a socket dir as host)."""
    host = quote(db.get("HOST") or "", safe="")
    porta = f":{db['PORT']}" if db.get("PORT") else ""
    password = f":{quote(db['PASSWORD'], safe='')}" if db.get("PASSWORD") else ""
    utente = quote(db.get("USER") or "postgres", safe="")
    return f"postgres://{utente}{password}@{host}{porta}/{db['NAME']}"


# --- Database -----------------------------------------------------------------------------------


def prepara_database(args) -> dict:
    from django.core.management import call_command
    from django.db import connection

    from quartiere.sviluppo import carico

    call_command("migrate", verbosity=0, interactive=False)
    call_command("createcachetable", verbosity=0)
    with connection.cursor() as c:
        ultima = carico.ultima_generazione(c.cursor)
    da_rifare = (
        args.ricostruisci
        or ultima is None
        or float(ultima["scala"]) != args.scala
        or ultima["versione"] != carico.VERSIONE
        or ultima["seme"] != args.seed
    )
    generazione = None
    if da_rifare:
        avviso(f"Genero i dati (scala {args.scala}, seme {args.seed})…")
        inizio = time.monotonic()
        # --force only on the bench's own embedded database, never on a DATABASE_URL.
        forza = not args.database_url
        call_command(
            "generate_load_data",
            scale=str(args.scala),
            seed=args.seed,
            force=forza,
            verbosity=0,
        )
        generazione = round(time.monotonic() - inizio, 1)
        avviso(f"Dati generati in {generazione} s.")
        with connection.cursor() as c:
            ultima = carico.ultima_generazione(c.cursor)
    else:
        avviso(f"Riuso i dati generati il {ultima['eseguita_il']:%Y-%m-%d %H:%M}.")
    return {
        "scala": ultima["scala"],
        "seme": ultima["seme"],
        "fino_al": str(ultima["fino_al"]),
        "righe": ultima["righe"],
        "generazione_s": ultima["durata_s"],
        "generazione_ora_s": generazione,
        "conteggi": ultima["conteggi"],
    }


def pulisci_invii_di_prova() -> int:
    """Delete the reports the intake scenario filed (timeline and history included), then
    vacuum the tables it churned.

    Without the vacuum, autovacuum woke up on the thousands of dead rows during the next
    measurement, the ``indicatori`` command's: 1.5 s instead of 1.0 s for the JSON and
    5.8 s instead of 4.9 s for the PDF in the same session (docs/performance.md, 4.9)."""
    from django.db import connection

    from quartiere.accesso.models import LimiteFrequenza
    from segnalazioni.models import Evento, Segnalazione

    prova = Segnalazione.objects.filter(nome_segnalante=NOME_INVIO_DI_PROVA, canale="online")
    ids = list(prova.values_list("pk", flat=True))
    if ids:
        prova.delete()
        # After the delete, which records a "deleted" history row of its own.
        Segnalazione.history.filter(id__in=ids).delete()
        with connection.cursor() as c:
            for modello in (Segnalazione, Segnalazione.history.model, Evento, LimiteFrequenza):
                c.execute(f"VACUUM (ANALYZE) {connection.ops.quote_name(modello._meta.db_table)}")
    return len(ids)


def sessione_coordinatore() -> tuple[str, str]:
    """A logged-in (and, where 2FA is required, verified) session of a coordinator, as the
    login and OTP pages would leave it; returns (username, session key)."""
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import (
        BACKEND_SESSION_KEY,
        HASH_SESSION_KEY,
        SESSION_KEY,
        get_user_model,
    )

    from quartiere.accesso.otp import richiede_otp

    utente = (
        get_user_model()
        .objects.filter(groups__name="coordinatore", is_active=True, is_staff=True)
        .order_by("pk")
        .first()
    )
    if utente is None:
        raise SystemExit("nessun coordinatore nel database: rigenera i dati")
    sessione = import_module(settings.SESSION_ENGINE).SessionStore()
    sessione[SESSION_KEY] = str(utente.pk)
    sessione[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    sessione[HASH_SESSION_KEY] = utente.get_session_auth_hash()
    if richiede_otp(utente):
        from django_otp import DEVICE_ID_SESSION_KEY
        from django_otp.plugins.otp_totp.models import TOTPDevice

        dispositivo, _ = TOTPDevice.objects.get_or_create(
            user=utente, name="bench", defaults={"confirmed": True}
        )
        sessione[DEVICE_ID_SESSION_KEY] = dispositivo.persistent_id
    sessione.create()
    return utente.get_username(), sessione.session_key


def sessione_cittadino() -> str | None:
    """The session of a citizen logged in through SPID, as the ACS leaves it, for the
    registry's person with the most reports. The load data's tax codes are not real ones,
    which the login refuses: the account is made here, linked to that person, as the first
    login links a person of the same name. None when no person has a report."""
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import (
        BACKEND_SESSION_KEY,
        HASH_SESSION_KEY,
        SESSION_KEY,
        get_user_model,
    )
    from django.db.models import Count
    from django.utils import timezone

    from quartiere.identita.models import AccountCittadino, MetodoAccesso
    from quartiere.registro.models import Persona

    persona = (
        Persona.objects.annotate(n=Count("segnalazioni"))
        .filter(n__gt=0)
        .order_by("-n", "pk")
        .first()
    )
    if persona is None:
        return None
    account = AccountCittadino.objects.filter(persona=persona).select_related("utente").first()
    if account is None:
        utente = get_user_model()(
            username=f"cittadino-bench-{persona.pk}",
            first_name=persona.nome,
            last_name=persona.cognome,
        )
        utente.set_unusable_password()
        utente.save()
        account = AccountCittadino.objects.create(
            utente=utente,
            codice_fiscale=f"BNCH{persona.pk:011d}X",
            persona=persona,
            metodo=MetodoAccesso.SPID,
            fornitore="bench",
            ultimo_accesso=timezone.now(),
        )
    utente = account.utente
    sessione = import_module(settings.SESSION_ENGINE).SessionStore()
    sessione[SESSION_KEY] = str(utente.pk)
    sessione[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    sessione[HASH_SESSION_KEY] = utente.get_session_auth_hash()
    sessione.create()
    return sessione.session_key


def _url(nome: str, *args, query: dict | None = None) -> str | None:
    from django.urls import NoReverseMatch, reverse

    try:
        url = reverse(nome, args=args)
    except NoReverseMatch:
        return None
    return f"{url}?{urlencode(query)}" if query else url


def _scenari_abitare(staff: dict, pagine: dict) -> list[dict]:
    """The housing pages (issue 18): the building with the most flats, the household with
    the most contacts, the assignment plan. Not available without the app."""
    try:
        from abitare.models import Alloggio, Contatto
    except ImportError:
        return []
    from django.db.models import Count

    grande = (
        Alloggio.objects.values("immobile")
        .annotate(n=Count("pk"))
        .order_by("-n", "immobile")
        .first()
    )
    seguito = (
        Contatto.objects.values("nucleo").annotate(n=Count("pk")).order_by("-n", "nucleo").first()
    )
    return [
        {
            "nome": "immobile",
            "titolo": f"8. immobile ({grande['n'] if grande else 0} alloggi)",
            "urls": [_url("abitare:immobile", grande["immobile"]) if grande else None],
            **staff,
            **pagine,
            "obiettivo_pavimento": STAFF_SU_PAVIMENTO,
        },
        {
            "nome": "nucleo",
            "titolo": f"8. nucleo ({seguito['n'] if seguito else 0} contatti)",
            "urls": [_url("abitare:nucleo", seguito["nucleo"]) if seguito else None],
            **staff,
            **pagine,
            "obiettivo_pavimento": STAFF_SU_PAVIMENTO,
        },
        {
            "nome": "piano_assegnazione",
            "titolo": "8. piano di assegnazione",
            "urls": [_url("abitare:piano")],
            **staff,
            **pagine,
            "obiettivo_pavimento": STAFF_SU_PAVIMENTO,
        },
    ]


def scenari(args, host: str, cookie_staff: str, fino_al: str) -> list[dict]:
    """The scenarios of issue 8, with their URLs resolved from the URL names at run time."""
    from django.db.models import Count

    from quartiere.calendario.models import Prenotazione
    from quartiere.programmi.models import Programma
    from segnalazioni.models import STATI_APERTI, Categoria, Evento, Segnalazione

    durata = args.durata
    riscaldamento = 0.5 if durata < 5 else 3.0
    base = {"host": host, "metodo": "GET", "durata": durata, "riscaldamento": riscaldamento}
    staff = {"intestazioni": {"Cookie": f"sessionid={cookie_staff}"}}
    pagine = {"utenti": args.utenti}
    cittadino = sessione_cittadino()
    # The first programme covers the busiest quartieri (quartiere/sviluppo/carico/programmi.py).
    programma = Programma.objects.order_by("pk").values_list("codice", flat=True).first()

    busiest = (
        Segnalazione.objects.values("quartiere")
        .annotate(n=Count("pk"))
        .order_by("-n", "quartiere")
        .first()
    )
    q = busiest["quartiere"]
    # The intake files its reports in the quietest quartiere, away from the measured pages.
    quieto = (
        Segnalazione.objects.values("quartiere")
        .annotate(n=Count("pk"))
        .order_by("n", "quartiere")
        .first()
    )["quartiere"]
    stato = (
        Segnalazione.objects.filter(quartiere=q, stato__in=STATI_APERTI)
        .values("stato")
        .annotate(n=Count("pk"))
        .order_by("-n", "stato")
        .first()
        or {"stato": "nuova"}
    )["stato"]
    lunga = Evento.objects.values("segnalazione").annotate(n=Count("pk")).order_by("-n").first()
    codici = list(Segnalazione.objects.order_by("-pk").values_list("codice", flat=True)[:200])
    ultima = Segnalazione.objects.order_by("-creata_il").values_list("creata_il", flat=True)[0]
    fine = ultima.astimezone(UTC)
    # Open311's window holds the 200 latest reports (the public ones among them) at every
    # scale: a 30-day window held ten times the rows at ten times the data, up to the
    # 1,000-row cap, and so measured the answer's size, not its cost per row.
    recenti = Segnalazione.objects.order_by("-creata_il").values_list("creata_il", flat=True)
    # (30 days at most: Open311 refuses a window over 90, and a tiny data set has few reports.)
    trenta_giorni = fine - timedelta(days=30)
    inizio = max(next(iter(recenti[199:200]), trenta_giorni), trenta_giorni).astimezone(UTC)
    sala = (
        Prenotazione.objects.filter(stato="confermata")
        .values("sede")
        .annotate(n=Count("pk"))
        .order_by("-n", "sede")
        .first()
    )
    categoria = Categoria.objects.filter(attiva=True).order_by("pk").first()
    filtro = {"quartiere": q, "stato": stato}
    elenco = [
        {
            "nome": "worklist",
            "titolo": "1. lista di lavoro (quartiere + stato)",
            "urls": [_url("segnalazioni:lista", query=filtro)],
            **staff,
            **pagine,
            "obiettivo_pavimento": STAFF_SU_PAVIMENTO,
        },
        {
            "nome": "worklist_ricerca",
            "titolo": "1. lista di lavoro + ricerca testuale",
            "urls": [_url("segnalazioni:lista", query={**filtro, "q": "lampione spento"})],
            **staff,
            **pagine,
            "obiettivo_pavimento": STAFF_SU_PAVIMENTO,
        },
        {
            "nome": "dettaglio",
            "titolo": f"2. dettaglio ({lunga['n'] if lunga else 0} eventi)",
            "urls": [_url("segnalazioni:dettaglio", lunga["segnalazione"]) if lunga else None],
            **staff,
            **pagine,
            "obiettivo_pavimento": STAFF_SU_PAVIMENTO,
        },
        {
            "nome": "admin",
            "titolo": "3. admin, stesso filtro",
            "urls": [
                _url(
                    "admin:segnalazioni_segnalazione_changelist",
                    query={"quartiere__id__exact": q, "stato__exact": stato},
                )
            ],
            **staff,
            **pagine,
            "obiettivo_pavimento": STAFF_SU_PAVIMENTO,
        },
        {
            "nome": "pavimento",
            "titolo": "4. pavimento (base.html, nessuna tabella)",
            "urls": [_url("quartiere:pagina_base")],
            **pagine,
        },
        {
            "nome": "segui",
            "titolo": "6. pagina pubblica di verifica",
            "urls": [_url("segnalazioni:segui", c) for c in codici] or [None],
            **pagine,
            "obiettivo_pavimento": PUBBLICO_SU_PAVIMENTO,
        },
        {
            "nome": "servizio",
            "titolo": "6. scheda del servizio di segnalazione",
            "urls": [_url("segnalazioni:servizio")],
            **pagine,
            "obiettivo_pavimento": PUBBLICO_SU_PAVIMENTO,
        },
        {
            "nome": "passo_informativa",
            "titolo": "6. segnalazione online, primo passo",
            "urls": [_url("segnalazioni:invia_passo", "informativa")],
            **pagine,
            "obiettivo_pavimento": PUBBLICO_SU_PAVIMENTO,
        },
        {
            "nome": "elenco_pubblico",
            "titolo": "6. elenco pubblico delle segnalazioni",
            "urls": [_url("segnalazioni:elenco")],
            **pagine,
            "obiettivo_pavimento": PUBBLICO_SU_PAVIMENTO,
        },
        {
            "nome": "area_personale",
            "titolo": "6. area personale del cittadino (SPID)",
            "urls": [_url("quartiere:area_personale") if cittadino else None],
            "intestazioni": {"Cookie": f"sessionid={cittadino}"},
            **pagine,
            "obiettivo_pavimento": PUBBLICO_SU_PAVIMENTO,
        },
        {
            "nome": "open311",
            "titolo": "6. Open311 requests.json, ultime 200 segnalazioni",
            "urls": [
                _url(
                    "open311:richieste",
                    "json",
                    query={
                        "start_date": inizio.strftime("%Y-%m-%dT%H:%M:%SZ"),
                        "end_date": fine.strftime("%Y-%m-%dT%H:%M:%SZ"),
                    },
                )
            ],
            **pagine,
            "obiettivo_pavimento": PUBBLICO_SU_PAVIMENTO,
        },
        {
            "nome": "registro_patti",
            "titolo": "7. registro pubblico dei patti",
            "urls": [_url("patti:registro")],
            **pagine,
            "obiettivo_pavimento": PUBBLICO_SU_PAVIMENTO,
        },
        {
            "nome": "calendario",
            "titolo": "7. calendario della sala, mese",
            "urls": [
                _url("quartiere:calendario_sede", sala["sede"], query={"mese": fino_al[:7]})
                if sala
                else None
            ],
            **pagine,
            "obiettivo_pavimento": PUBBLICO_SU_PAVIMENTO,
        },
        *_scenari_abitare(staff, pagine),
        {
            "nome": "programma",
            "titolo": "8. programma finanziato (il primo)",
            "urls": [_url("quartiere:programma", programma) if programma else None],
            **staff,
            **pagine,
            "obiettivo_pavimento": STAFF_SU_PAVIMENTO,
        },
        {
            "nome": "pavimento_carico",
            "titolo": f"4. pavimento a {args.utenti_carico} client",
            "urls": [_url("quartiere:pagina_base")],
            "utenti": args.utenti_carico,
        },
        {
            "nome": "intake",
            "titolo": f"5. invio pubblico (POST) a {args.utenti_carico} client",
            "metodo": "POST",
            # The three POSTs of the online report's steps, each measured: the consent, the
            # report's data, the summary's (the one that files it, 302 to "inviata").
            "urls": [_url("segnalazioni:invia_passo", "riepilogo")],
            "modulo": _url("segnalazioni:invia_passo", "informativa"),
            "stato_atteso": 302,
            "luogo_atteso": _url("segnalazioni:inviata"),
            "utenti": args.utenti_carico,
            "passi": [
                (
                    _url("segnalazioni:invia_passo", "informativa"),
                    {
                        GESTIONE_PASSI: "informativa",
                        "informativa-consenso_privacy": "on",
                    },
                ),
                (
                    _url("segnalazioni:invia_passo", "dati"),
                    {
                        GESTIONE_PASSI: "dati",
                        "dati-tipo": "problema",
                        "dati-categoria": str(categoria.pk) if categoria else "",
                        "dati-quartiere": str(quieto),
                        "dati-oggetto": "Prova di carico del benchmark",
                        "dati-descrizione": (
                            "Inviata da make bench: la misura la cancella quando finisce."
                        ),
                        "dati-indirizzo": "via Paravia 12",
                        "dati-nome_segnalante": NOME_INVIO_DI_PROVA,
                        "dati-email_segnalante": "",
                        "dati-telefono_segnalante": "",
                        "dati-sito_web": "",
                    },
                ),
            ],
            "dati": {GESTIONE_PASSI: "riepilogo"},
        },
    ]
    solo = set(args.solo.split(",")) if args.solo else None
    risultato = []
    for s in elenco:
        if solo and s["nome"] not in solo:
            continue
        s = {**base, **s}
        if any(u is None for u in s["urls"]) or (s["metodo"] == "POST" and not s["modulo"]):
            s["disponibile"] = False
        else:
            s["disponibile"] = True
        risultato.append(s)
    return risultato


# --- Processes ----------------------------------------------------------------------------------


def porta_libera() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def avvia_gunicorn(args, env: dict, porta: int) -> subprocess.Popen:
    comando = [
        str(BIN / "gunicorn"),
        "quartiere.wsgi",
        "--bind",
        f"127.0.0.1:{porta}",
        "--workers",
        str(args.workers),
        # Worker class, threads and timeout: the checkout's gunicorn.conf.py, as deployed.
        "--log-level",
        "warning",
    ]
    processo = subprocess.Popen(comando, cwd=RADICE, env={**os.environ, **env})  # noqa: S603
    scadenza = time.monotonic() + 90
    while time.monotonic() < scadenza:
        if processo.poll() is not None:
            raise SystemExit(f"gunicorn è uscito (stato {processo.returncode})")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{porta}/healthz", timeout=5) as r:  # noqa: S310
                if r.status == 200:
                    return processo
        except OSError:
            pass
        time.sleep(0.3)
    processo.terminate()
    raise SystemExit("gunicorn non risponde su /healthz")


def riscalda(piano: list[dict], workers: int) -> None:
    """One request per worker to each page first: templates compiled, connections open,
    so that the first seconds of a short window do not measure the start-up."""
    for s in piano:
        if not s["disponibile"] or s["metodo"] != "GET":
            continue
        for _ in range(workers):
            richiesta = urllib.request.Request(  # noqa: S310 - always http://127.0.0.1
                s["host"] + s["urls"][0], headers=s.get("intestazioni") or {}
            )
            with contextlib.suppress(OSError), urllib.request.urlopen(richiesta, timeout=120):  # noqa: S310
                pass


class Memoria(threading.Thread):
    """Samples the resident memory of gunicorn's master and workers, and the CPU time of
    the process groups that share the machine during a scenario: ``app`` (gunicorn),
    ``postgresql`` (the server, when it runs here) and ``carico`` (the load generator)."""

    def __init__(self, pid: int):
        super().__init__(daemon=True)
        import psutil

        self.radice = psutil.Process(pid)
        self.campioni: list[tuple[float, float, float]] = []  # (t, total MB, max worker MB)
        self.radici_cpu: dict[str, object] = {"app": self.radice}
        # (t, {group: CPU seconds}); a process that has ended keeps its last figure, so the
        # totals never go down when a backend or a client connection goes away.
        self.cpu: list[tuple[float, dict[str, float]]] = []
        self._ultimo_cpu: dict[tuple[str, int], float] = {}
        self.ferma = threading.Event()

    def segui(self, gruppo: str, pid: int | None) -> None:
        """Also account the CPU of ``pid`` and its descendants under ``gruppo``."""
        import psutil

        if pid is not None:
            with contextlib.suppress(psutil.Error):
                self.radici_cpu[gruppo] = psutil.Process(pid)

    def _campiona_cpu(self, adesso: float) -> None:
        import psutil

        for gruppo, radice in list(self.radici_cpu.items()):
            with contextlib.suppress(psutil.Error):
                for p in [radice, *radice.children(recursive=True)]:
                    with contextlib.suppress(psutil.Error):
                        t = p.cpu_times()
                        self._ultimo_cpu[(gruppo, p.pid)] = t.user + t.system
        totali = dict.fromkeys(self.radici_cpu, 0.0)
        for (gruppo, _pid), secondi in self._ultimo_cpu.items():
            totali[gruppo] = totali.get(gruppo, 0.0) + secondi
        self.cpu.append((adesso, totali))

    def run(self):
        import psutil

        while not self.ferma.wait(0.25):
            try:
                processi = [self.radice, *self.radice.children(recursive=True)]
                rss = []
                for p in processi:
                    with contextlib.suppress(psutil.Error):
                        rss.append(p.memory_info().rss / 2**20)
                adesso = time.time()
                self.campioni.append((adesso, sum(rss), max(rss[1:] or rss)))
                self._campiona_cpu(adesso)
            except psutil.Error:
                return

    def attendi_campione_dopo(self, istante: float, massimo_s: float = 30.0) -> None:
        """Wait until a CPU sample taken after ``istante`` exists (at most ``massimo_s``)."""
        limite = time.monotonic() + massimo_s
        while time.monotonic() < limite and self.is_alive():
            if self.cpu and self.cpu[-1][0] >= istante:
                return
            time.sleep(0.05)

    def cpu_per_richiesta(self, finestre, richieste: int) -> dict[str, float] | None:
        """Milliseconds of CPU per request of each group over the measured ``finestre``
        (the samples just before each window's start and just after its end)."""
        if not richieste or not self.cpu:
            return None
        somma: dict[str, float] = {}
        for inizio, fine in finestre:
            prima = [c for c in self.cpu if c[0] <= inizio]
            dopo = [c for c in self.cpu if c[0] >= fine]
            if not prima or not dopo:
                return None
            a, b = prima[-1][1], dopo[0][1]
            for gruppo, secondi in b.items():
                somma[gruppo] = somma.get(gruppo, 0.0) + secondi - a.get(gruppo, 0.0)
        return {g: round(s / richieste * 1000, 2) for g, s in somma.items()}

    def picco(self, dal: float, al: float) -> tuple[float | None, float | None]:
        dentro = [c for c in self.campioni if dal <= c[0] <= al]
        if not dentro:
            return None, None
        return round(max(c[1] for c in dentro), 1), round(max(c[2] for c in dentro), 1)


# Runs the measured command as its own child and reports that child's wall time and peak
# RSS. Measured directly from the harness, the peak was the harness's own: Linux carries a
# parent's resident size into a forked child's ru_maxrss across exec, so after generating
# the data in-process (450 MB) every `indicatori` run "peaked" at 446 MB. This launcher is
# small when it forks, so the figure is the command's.
LANCIATORE = """
import json, os, resource, subprocess, sys, time
inizio = time.monotonic()
processo = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL)
fine = time.monotonic()
uso = resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({"secondi": fine - inizio, "rss_kb": uso.ru_maxrss, "stato": processo.returncode}))
"""


def misura_comando(comando: list[str], env: dict) -> dict:
    """Wall time and peak RSS of one run of a command (through :data:`LANCIATORE`)."""
    processo = subprocess.run(  # noqa: S603 - our own commands
        [sys.executable, "-c", LANCIATORE, *comando],
        cwd=RADICE,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
    )
    misura = json.loads(processo.stdout.strip().splitlines()[-1])
    errore = processo.stderr.strip()
    return {
        "secondi": round(misura["secondi"], 2),
        "rss_mb": round(misura["rss_kb"] / 1024, 1),
        "stato": misura["stato"],
        "errore": errore.splitlines()[-1] if misura["stato"] and errore else "",
    }


def postmaster_locale(pid_backend: int) -> int | None:
    """The PID of the PostgreSQL server whose backend is ``pid_backend``, when that server
    runs on this machine (the embedded one, or a local ``--database-url``); else ``None``."""
    import psutil

    try:
        padre = psutil.Process(pid_backend).parent()
    except psutil.Error:
        return None  # a remote server: its PID means nothing here
    if padre is None or "postgres" not in padre.name():
        return None
    return padre.pid


def esportazioni(host: str, cookie_staff: str, memoria: Memoria) -> list[dict]:
    """Each export of the worklist, unfiltered (every report the coordinator may see), one
    request at a time: time to the first byte and to the last, size, and the peak resident
    memory of gunicorn while it ran (issue 8: exports of 200,000 rows stream)."""
    import urllib.request

    risultati = []
    for nome in ESPORTAZIONI:
        percorso = _url(f"segnalazioni:{nome}")
        if percorso is None:
            continue
        richiesta = urllib.request.Request(  # noqa: S310 - http://127.0.0.1 only
            host + percorso, headers={"Cookie": f"sessionid={cookie_staff}"}
        )
        prima = memoria.picco(time.time() - 1.0, time.time())[0]
        inizio, partenza = time.time(), time.monotonic()
        with urllib.request.urlopen(richiesta, timeout=900) as risposta:  # noqa: S310
            stato = risposta.status
            dimensione = len(risposta.read(1))
            primo_byte = time.monotonic() - partenza
            while blocco := risposta.read(1 << 16):
                dimensione += len(blocco)
        totale = time.monotonic() - partenza
        time.sleep(0.3)  # one more memory sample after the last byte
        picco = memoria.picco(inizio, time.time())[0]
        risultati.append(
            {
                "nome": nome,
                "stato": stato,
                "primo_byte_s": round(primo_byte, 3),
                "totale_s": round(totale, 3),
                "mb": round(dimensione / 2**20, 1),
                "rss_prima_mb": prima,
                "rss_picco_mb": picco,
            }
        )
    return risultati


def indicatori(args, env: dict, fino_al: str) -> dict:
    from django.core.management import get_commands

    if "indicatori" not in get_commands():
        return {"disponibile": False, "nota": "comando indicatori non disponibile"}
    anno = int(fino_al[:4]) - 1  # the last complete year
    dal, al = f"{anno}-01-01", f"{anno}-12-31"
    risultato: dict = {"disponibile": True, "dal": dal, "al": al}
    with tempfile.TemporaryDirectory(prefix="bench-indicatori-") as cartella:
        for formato in ("json",) if args.rapido else ("json", "pdf"):
            corse = []
            for i in range(1 if args.rapido else max(1, args.ripetizioni_indicatori)):
                corse.append(
                    misura_comando(
                        [
                            sys.executable,
                            "manage.py",
                            "indicatori",
                            "--dal",
                            dal,
                            "--al",
                            al,
                            "--format",
                            formato,
                            "--output",
                            str(Path(cartella) / f"indicatori-{i}.{formato}"),
                        ],
                        env,
                    )
                )
            riuscite = [c for c in corse if c["stato"] == 0]
            risultato[formato] = {
                "corse": corse,
                "secondi": statistics.median(c["secondi"] for c in riuscite) if riuscite else None,
                "rss_mb": max(c["rss_mb"] for c in riuscite) if riuscite else None,
                "errori": len(corse) - len(riuscite),
            }
    if args.rapido:
        return risultato
    # The JSON figures in-process too, without the interpreter's and Django's start-up (the
    # PDF's start-up is small next to WeasyPrint's layout, so only the command is timed).
    try:
        from datetime import date

        from quartiere.relazioni import indicatori as calcola

        d, a = date.fromisoformat(dal), date.fromisoformat(al)
        tempi = []
        for _ in range(3):
            t = time.monotonic()
            calcola(d, a, None)
            tempi.append(time.monotonic() - t)
        risultato["json"]["calcolo_s"] = round(statistics.median(tempi), 3)
    except Exception as exc:  # noqa: BLE001 - reported, not fatal
        risultato["nota_calcolo"] = f"{type(exc).__name__}: {exc}"[:300]
    return risultato


# --- Report -------------------------------------------------------------------------------------


def _obiettivo(descrizione: str, valore, soglia, rispettato: bool | None) -> dict:
    """One target's line of the results: ``rispettato`` None when it could not be measured."""
    return {
        "obiettivo": descrizione,
        "valore": valore,
        "soglia": soglia,
        "esito": "n/d" if rispettato is None else ("ok" if rispettato else "MANCATO"),
    }


def valuta(
    scenari_misurati: list[dict], ind: dict, esportate: list[dict] | None = None
) -> tuple[list[dict], dict]:
    per_nome = {s["nome"]: s for s in scenari_misurati}
    pavimento = per_nome.get("pavimento", {}).get("mediana_ms")
    rapporti = {}
    for s in scenari_misurati:
        if pavimento and s.get("mediana_ms"):
            s["rapporto_pavimento"] = round(s["mediana_ms"] / pavimento, 1)
    obiettivi = []

    def obiettivo(descrizione, valore, soglia, rispettato):
        obiettivi.append(_obiettivo(descrizione, valore, soglia, rispettato))

    def rapporto(a, b):
        return round(a / b, 2) if a and b else None

    for s in scenari_misurati:
        if "obiettivo_pavimento" in s:
            volte = s["obiettivo_pavimento"]
            r = rapporto(s.get("mediana_ms"), pavimento)
            obiettivo(
                f"{s['nome']}: mediana ≤ {volte} × pavimento",
                r,
                volte,
                None if r is None else (r <= volte and s.get("errori", 0) == 0),
            )
    lista, admin = per_nome.get("worklist", {}), per_nome.get("admin", {})
    r = rapporto(lista.get("mediana_ms"), admin.get("mediana_ms"))
    if r is not None:
        rapporti["worklist_su_admin"] = r
    obiettivo(
        f"worklist: mediana ≤ {WORKLIST_SU_ADMIN} × quella dell'admin",
        r,
        WORKLIST_SU_ADMIN,
        None if r is None else r <= WORKLIST_SU_ADMIN,
    )
    intake, pav20 = per_nome.get("intake", {}), per_nome.get("pavimento_carico", {})
    if intake.get("rps") and pav20.get("rps"):
        rapporti["intake_su_pavimento_rps"] = round(intake["rps"] / pav20["rps"], 2)
    obiettivo(
        "intake: ≥ 40% del throughput del pavimento, 0 errori",
        rapporti.get("intake_su_pavimento_rps"),
        INTAKE_QUOTA_PAVIMENTO,
        None
        if "intake_su_pavimento_rps" not in rapporti
        else rapporti["intake_su_pavimento_rps"] >= INTAKE_QUOTA_PAVIMENTO
        and intake.get("errori", 1) == 0,
    )
    if ind.get("disponibile"):
        json_, pdf = ind.get("json", {}), ind.get("pdf", {})
        # The start-up: the whole command against the same figures computed in-process.
        r = rapporto(json_.get("secondi"), json_.get("calcolo_s"))
        if r is not None:
            rapporti["indicatori_json_su_calcolo"] = r
        obiettivo(
            f"indicatori json: comando ≤ {AVVIO_SU_CALCOLO} × il suo calcolo",
            r,
            AVVIO_SU_CALCOLO,
            None if r is None else r <= AVVIO_SU_CALCOLO and json_.get("errori") == 0,
        )
        if pdf:
            r = rapporto(pdf.get("secondi"), json_.get("secondi"))
            if r is not None:
                rapporti["indicatori_pdf_su_json"] = r
            obiettivo(
                f"indicatori pdf: comando ≤ {PDF_SU_JSON} × il comando json",
                r,
                PDF_SU_JSON,
                None if r is None else r <= PDF_SU_JSON and pdf.get("errori") == 0,
            )
        for formato, dati in (("json", json_), ("pdf", pdf)):
            if not dati:
                continue
            rss = dati.get("rss_mb")
            obiettivo(
                f"indicatori {formato}: picco di memoria < {INDICATORI_RSS_MB} MB",
                rss,
                INDICATORI_RSS_MB,
                None if rss is None else rss < INDICATORI_RSS_MB,
            )
    for e in esportate or []:
        obiettivo(
            f"{e['nome']}: primo byte < {ESPORTAZIONE_PRIMO_BYTE_S} s ({e['mb']} MB)",
            e["primo_byte_s"],
            ESPORTAZIONE_PRIMO_BYTE_S,
            e["stato"] == 200 and e["primo_byte_s"] < ESPORTAZIONE_PRIMO_BYTE_S,
        )
    return obiettivi, rapporti


def _f(valore, formato="{:.1f}") -> str:
    return "—" if valore is None else formato.format(valore)


def tabella(risultati: dict) -> str:
    righe = [
        f"{'scenario':<44} {'client':>6} {'mediana':>8} {'p95':>8} {'req/s':>7} {'errori':>6} "
        f"{'query':>9} {'RSS MB':>7} {'× pav.':>6}",
        "-" * 112,
    ]
    for s in risultati["scenari"]:
        if not s.get("disponibile", True):
            righe.append(f"{s['titolo']:<44} {NON_DISPONIBILE}")
            continue
        query = "—"
        if s.get("query_mediana") is not None:
            query = f"{s['query_mediana']:g}"
            if s["query_min"] != s["query_max"]:
                query += f" ({s['query_min']}-{s['query_max']})"
        righe.append(
            f"{s['titolo'][:44]:<44} {s['utenti']:>6} {_f(s.get('mediana_ms')):>8} "
            f"{_f(s.get('p95_ms')):>8} {_f(s.get('rps')):>7} {s.get('errori', 0):>6} "
            f"{query:>9} {_f(s.get('rss_picco_mb'), '{:.0f}'):>7} "
            f"{_f(s.get('rapporto_pavimento')):>6}"
        )
    ind = risultati["indicatori"]
    if not ind.get("disponibile"):
        righe.append(f"{'8. indicatori':<44} {NON_DISPONIBILE}: {ind.get('nota', '')}")
    else:
        for formato in ("json", "pdf"):
            if formato not in ind:
                continue
            d = ind[formato]
            righe.append(
                f"{'8. indicatori ' + formato + ' ' + ind['dal'][:4]:<44} {'cmd':>6} "
                f"{_f(d['secondi'] and d['secondi'] * 1000, '{:.0f}'):>8} "
                f"{'':>8} {'':>7} {d['errori']:>6} {'':>9} {_f(d['rss_mb'], '{:.0f}'):>7}"
                + (f"   calcolo {d['calcolo_s'] * 1000:.0f} ms" if d.get("calcolo_s") else "")
            )
    for e in risultati.get("esportazioni", []):
        righe.append(
            f"{'9. ' + e['nome'] + ', tutta la lista':<44} {1:>6} "
            f"{_f(e['primo_byte_s'] * 1000, '{:.0f}'):>8} {'':>8} {'':>7} "
            f"{0 if e['stato'] == 200 else 1:>6} {'':>9} {_f(e['rss_picco_mb'], '{:.0f}'):>7}"
            f"   primo byte; tutto in {e['totale_s']} s, {e['mb']} MB"
        )
    cpu = [s for s in risultati["scenari"] if s.get("cpu_ms_per_richiesta")]
    if cpu:
        # Where the two cores went, per request: the intake's ratio to the floor is decided
        # by these sums, since at 20 clients both saturate the machine (docs/performance.md).
        righe.append("")
        righe.append("CPU per richiesta (ms): app = gunicorn, postgresql, carico = generatore")
        for s in cpu:
            parti = s["cpu_ms_per_richiesta"]
            dettaglio = ", ".join(f"{g} {v:.2f}" for g, v in parti.items())
            righe.append(f"  {s['nome']:<22} {sum(parti.values()):6.2f}  ({dettaglio})")
    righe.append("")
    for chiave, valore in risultati["rapporti"].items():
        righe.append(f"{chiave}: {valore}")
    righe.append("")
    for o in risultati["obiettivi"]:
        righe.append(f"[{o['esito']:^7}] {o['obiettivo']} (misurato: {_f(o['valore'], '{}')})")
    return "\n".join(righe)


# --- Main ---------------------------------------------------------------------------------------


def crescita(piccola: dict, grande: dict) -> list[dict]:
    """The targets between two runs of the same harness at two scales: every page with a
    target keeps its median within CRESCITA_MASSIMA and its number of queries; every export
    keeps its first byte under a second and its rate (MB/s) from falling by more than it."""
    obiettivi = []

    def obiettivo(descrizione, valore, soglia, rispettato):
        obiettivi.append(_obiettivo(descrizione, valore, soglia, rispettato))

    a, b = piccola["dati"]["scala"], grande["dati"]["scala"]
    prima = {s["nome"]: s for s in piccola["scenari"]}
    for dopo in grande["scenari"]:
        s = prima.get(dopo["nome"])
        if s is None or "obiettivo_pavimento" not in dopo:
            continue
        m1, m2 = s.get("mediana_ms"), dopo.get("mediana_ms")
        r = round(m2 / m1, 2) if m1 and m2 else None
        obiettivo(
            f"{dopo['nome']}: mediana a scala {b} ≤ {CRESCITA_MASSIMA} × quella a scala {a}",
            r,
            CRESCITA_MASSIMA,
            None if r is None else r <= CRESCITA_MASSIMA,
        )
        q1, q2 = s.get("query_mediana"), dopo.get("query_mediana")
        obiettivo(
            f"{dopo['nome']}: stesse query a scala {a} e {b}",
            None if q1 is None or q2 is None else f"{q1:g} → {q2:g}",
            "uguali",
            None if q1 is None or q2 is None else q1 == q2,
        )
    esportate = {e["nome"]: e for e in piccola.get("esportazioni", [])}
    for dopo in grande.get("esportazioni", []):
        e = esportate.get(dopo["nome"])
        if e is None or dopo["stato"] != 200 or e["stato"] != 200:
            continue
        v1 = e["mb"] / e["totale_s"] if e["totale_s"] else None
        v2 = dopo["mb"] / dopo["totale_s"] if dopo["totale_s"] else None
        r = round(v2 / v1, 2) if v1 and v2 else None
        obiettivo(
            f"{dopo['nome']}: MB/s a scala {b} ≥ quelli a scala {a} / {CRESCITA_MASSIMA}",
            r,
            round(1 / CRESCITA_MASSIMA, 2),
            None if r is None else r >= 1 / CRESCITA_MASSIMA,
        )
    return obiettivi


def confronta_scale(args, argv: list[str]) -> int:
    """One run of this harness per scale, each in a process and an embedded database of its
    own (``--dati``/scala-<S>), then their comparison; one results file holds both."""
    try:
        scale = sorted(float(x) for x in args.scale.split(","))
    except ValueError:
        scale = []
    if len(scale) != 2 or scale[0] == scale[1]:
        raise SystemExit("--scale vuole due scale diverse, es. --scale 0.2,2")
    if args.database_url:
        raise SystemExit("--scale vuole un database incorporato per scala: niente --database-url")
    passati, salta = [], False
    for voce in argv:
        if salta:
            salta = False
            continue
        if voce in ("--scale", "--scala", "--dati", "--output"):
            salta = True
            continue
        if voce.startswith(("--scale=", "--scala=", "--dati=", "--output=")):
            continue
        passati.append(voce)
    corse = []
    with tempfile.TemporaryDirectory(prefix="bench-scale-") as cartella:
        for scala in scale:
            uscita = Path(cartella) / f"{scala:g}.json"
            avviso(f"Scala {scala:g}: una misura intera…")
            subprocess.run(  # noqa: S603 - this same harness
                [
                    sys.executable,
                    str(Path(__file__).resolve()),
                    *passati,
                    "--scala",
                    str(scala),
                    "--dati",
                    str(Path(args.dati) / f"scala-{scala:g}"),
                    "--output",
                    str(uscita),
                ],
                check=True,
                cwd=RADICE,
            )
            corse.append(json.loads(uscita.read_text(encoding="utf-8")))
    obiettivi = crescita(*corse)
    risultati = {
        "data": datetime.now(UTC).isoformat(timespec="seconds"),
        "scale": scale,
        "corse": corse,
        "crescita": obiettivi,
        "obiettivi": [
            {**o, "obiettivo": f"[scala {c['dati']['scala']:g}] {o['obiettivo']}"}
            for c in corse
            for o in c["obiettivi"]
        ]
        + obiettivi,
    }
    output = (
        Path(args.output)
        if args.output
        else (RADICE / "bench" / "results" / f"{datetime.now(UTC):%Y-%m-%d}-scale.json")
    )
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(json.dumps(risultati, indent=1, default=str) + "\n", encoding="utf-8")
    print()
    for o in obiettivi:
        print(f"[{o['esito']:^7}] {o['obiettivo']} (misurato: {_f(o['valore'], '{}')})")
    print(f"\nRisultati delle due scale in {output}.")
    return 0


def main(argv=None) -> int:
    args = argomenti(argv)
    if args.scale:
        return confronta_scale(args, list(sys.argv[1:] if argv is None else argv))
    segreto = secrets.token_urlsafe(50)
    env = ambiente(args, segreto)
    os.environ.update(env)
    sys.path.insert(0, str(RADICE))
    os.chdir(RADICE)
    carico_prima = os.getloadavg()
    inizio = time.monotonic()

    import django

    django.setup()
    from django.conf import settings
    from django.db import connection

    if not args.database_url:
        env["DATABASE_URL"] = url_database(settings.DATABASES["default"])
    avviso("Preparo il database…")
    dati = prepara_database(args)
    if tolte := pulisci_invii_di_prova():
        avviso(f"Tolte {tolte} segnalazioni lasciate da una misura precedente.")
    username, chiave = sessione_coordinatore()
    porta = porta_libera()
    host = f"http://127.0.0.1:{porta}"
    piano = scenari(args, host, chiave, dati["fino_al"])
    with connection.cursor() as c:
        c.execute("SHOW server_version")
        versione_pg = c.fetchone()[0]
        c.execute("SELECT pg_backend_pid()")
        pid_postgresql = postmaster_locale(c.fetchone()[0])
    connection.close()

    avviso("Avvio gunicorn…")
    gunicorn = avvia_gunicorn(args, env, porta)
    memoria = Memoria(gunicorn.pid)
    memoria.segui("postgresql", pid_postgresql)
    memoria.start()
    riscalda(piano, args.workers)
    misurati: list[dict] = []
    esportate: list[dict] = []
    try:
        eseguibili = [s for s in piano if s["disponibile"]]
        with tempfile.TemporaryDirectory(prefix="bench-") as cartella:
            file_piano = Path(cartella) / "piano.json"
            file_risultati = Path(cartella) / "risultati.json"
            giri = args.giri if args.durata >= 2 * args.giri else 1
            file_piano.write_text(
                json.dumps({"scenari": eseguibili, "giri": giri}), encoding="utf-8"
            )
            durata_max = sum(s["durata"] + s["riscaldamento"] + 5 * giri for s in eseguibili) + 120
            avviso(f"Misuro {len(eseguibili)} scenari su {host} ({args.workers} worker)…")
            carico = subprocess.Popen(  # noqa: S603
                [
                    sys.executable,
                    str(RADICE / "bench" / "carico_http.py"),
                    str(file_piano),
                    str(file_risultati),
                ],
                cwd=RADICE,
            )
            memoria.segui("carico", carico.pid)
            try:
                carico.wait(timeout=durata_max)
            except subprocess.TimeoutExpired:
                carico.kill()
                carico.wait()
            misure = (
                json.loads(file_risultati.read_text(encoding="utf-8"))
                if file_risultati.exists()
                else []
            )
            # The CPU per request needs a sample after the last window's end: on a busy
            # machine a fixed pause was not always enough (the figure came out missing).
            memoria.attendi_campione_dopo(
                max((fine for m in misure for _inizio, fine in m["finestre"]), default=0.0)
            )
        per_nome = {m["nome"]: m for m in misure}
        for s in piano:
            voce = {k: s[k] for k in ("nome", "titolo", "metodo", "urls", "utenti", "disponibile")}
            voce["urls"] = voce["urls"][:3]
            if "obiettivo_pavimento" in s:
                voce["obiettivo_pavimento"] = s["obiettivo_pavimento"]
            m = per_nome.get(s["nome"])
            if m:
                voce.update(m)
                picchi = [memoria.picco(inizio - 1.0, fine) for inizio, fine in m["finestre"]]
                totali = [t for t, _ in picchi if t is not None]
                workers = [w for _, w in picchi if w is not None]
                voce["rss_picco_mb"] = max(totali) if totali else None
                voce["rss_worker_max_mb"] = max(workers) if workers else None
                voce["cpu_ms_per_richiesta"] = memoria.cpu_per_richiesta(
                    m["finestre"], m.get("riuscite", 0)
                )
            elif s["disponibile"]:
                voce["nota"] = "nessuna misura (il generatore di carico si è fermato?)"
            misurati.append(voce)
        if not args.solo or "esportazioni" in args.solo.split(","):
            avviso("Misuro le esportazioni della lista di lavoro…")
            esportate = esportazioni(host, chiave, memoria)
    finally:
        memoria.ferma.set()
        gunicorn.send_signal(signal.SIGTERM)
        try:
            gunicorn.wait(timeout=30)
        except subprocess.TimeoutExpired:
            gunicorn.kill()
    avviso(f"Tolgo le {pulisci_invii_di_prova()} segnalazioni inviate dalla misura…")
    connection.close()
    avviso("Misuro il comando indicatori…")
    ind = indicatori(args, env, dati["fino_al"])
    obiettivi, rapporti = valuta(misurati, ind, esportate)
    risultati = {
        "data": datetime.now(UTC).isoformat(timespec="seconds"),
        "macchina": {
            "cpu": os.cpu_count(),
            "python": platform.python_version(),
            "postgresql": versione_pg,
            "carico_medio_prima": [round(x, 2) for x in carico_prima],
            "carico_medio_dopo": [round(x, 2) for x in os.getloadavg()],
        },
        "configurazione": {
            "scala": args.scala,
            "durata_s": args.durata,
            "utenti_pagine": args.utenti,
            "utenti_carico": args.utenti_carico,
            "gunicorn_workers": args.workers,
            "giri": args.giri if args.durata >= 2 * args.giri else 1,
            "utente_staff": username,
            "database": "DATABASE_URL" if args.database_url else "embedded",
        },
        "dati": dati,
        "scenari": misurati,
        "indicatori": ind,
        "esportazioni": esportate,
        "rapporti": rapporti,
        "obiettivi": obiettivi,
        "durata_totale_s": round(time.monotonic() - inizio, 1),
    }
    output = (
        Path(args.output)
        if args.output
        else (RADICE / "bench" / "results" / f"{datetime.now(UTC):%Y-%m-%d}.json")
    )
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(json.dumps(risultati, indent=1, default=str) + "\n", encoding="utf-8")
    print()
    print(tabella(risultati))
    print(f"\nRisultati in {output} ({risultati['durata_totale_s']} s).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
