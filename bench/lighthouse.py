"""Lighthouse scores of the citizen's pages against the production configuration (issue 17):
gunicorn with the checkout's gunicorn.conf.py, WhiteNoise's compressed static files after
collectstatic, DEBUG off, the demo data in a database of its own (var/lighthouse/).

    make lighthouse                       # every page, the scores in bench/results/
    .venv/bin/python -m bench.lighthouse --solo home,servizio
    .venv/bin/python -m bench.lighthouse --solo home --rapporti /tmp/lh   # whole reports

Lighthouse 12.2.3 (npm, the last release for Node 20) runs the system Chromium headless with
its default mobile emulation and simulated throttling, as the Modello Comuni's validator
does. The stepper's second and third steps need the session of a citizen who went through
the steps before: the script walks them with HTTP and hands the session cookie to Lighthouse.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import re
import secrets
import shutil
import subprocess
import sys
import urllib.parse
import urllib.request
from pathlib import Path

from bench.harness import BIN, RADICE, avvia_gunicorn, avviso, porta_libera

VERSIONE = "12.2.3"
CATEGORIE = ("performance", "accessibility", "best-practices", "seo")
# The targets of issue 17, per category.
OBIETTIVI = {"performance": 90, "accessibility": 100, "best-practices": 95, "seo": 95}


def argomenti(argv=None):
    p = argparse.ArgumentParser(description="Punteggi Lighthouse delle pagine dei cittadini.")
    p.add_argument("--dati", default=str(RADICE / "var" / "lighthouse"))
    p.add_argument("--solo", help="solo queste pagine (nomi separati da virgole)")
    p.add_argument("--output", default=str(RADICE / "bench" / "results" / "lighthouse.json"))
    p.add_argument("--workers", type=int, default=2)
    p.add_argument("--rapporti", help="cartella dove salvare il rapporto intero di ogni pagina")
    return p.parse_args(argv)


def ambiente(dati: Path) -> dict[str, str]:
    return {
        "DJANGO_SETTINGS_MODULE": "quartiere.settings",
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(40),
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "DJANGO_HSTS_SECONDS": "0",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "QUARTIERE_VAR_DIR": str(dati),
        # seed_demo lives in the development tooling; nothing else of it is served.
        "QUARTIERE_SVILUPPO": "1",
        "DJANGO_LOG_LEVEL": "ERROR",
    }


def manage(env: dict, *comando: str) -> str:
    risultato = subprocess.run(  # noqa: S603
        [str(BIN / "python"), "manage.py", *comando],
        cwd=RADICE,
        env={**os.environ, **env},
        check=True,
        capture_output=True,
        text=True,
    )
    return risultato.stdout


def lighthouse_installato(dati: Path) -> Path:
    cartella = dati / "node"
    eseguibile = cartella / "node_modules" / ".bin" / "lighthouse"
    if not eseguibile.exists():
        avviso(f"Installo lighthouse {VERSIONE} (npm)…")
        npm = shutil.which("npm")
        if npm is None:
            raise SystemExit("Serve npm (Debian: apt-get install npm) per installare Lighthouse.")
        cartella.mkdir(parents=True, exist_ok=True)
        subprocess.run(  # noqa: S603
            [npm, "i", "-E", "--silent", "--no-audit", "--no-fund", f"lighthouse@{VERSIONE}"],
            cwd=cartella,
            check=True,
        )
    return eseguibile


class Sessione:
    """A browser's cookies over plain HTTP (the production cookies are Secure, which an HTTP
    client would not send back to 127.0.0.1), to walk the report's steps."""

    def __init__(self, base: str):
        self.base = base
        self.biscotti: dict[str, str] = {}

    def _richiesta(self, percorso: str, dati: dict | None = None) -> str:
        corpo = urllib.parse.urlencode(dati).encode() if dati is not None else None
        richiesta = urllib.request.Request(f"{self.base}{percorso}", data=corpo)  # noqa: S310
        richiesta.add_header("Cookie", self.cookie)
        if dati is not None:
            richiesta.add_header("Referer", f"{self.base}{percorso}")
        apri = urllib.request.build_opener(_SenzaRedirect)
        try:
            risposta = apri.open(richiesta, timeout=30)
        except urllib.error.HTTPError as errore:  # the 302 of each step
            risposta = errore
        for intestazione in risposta.headers.get_all("Set-Cookie") or []:
            nome, valore = intestazione.split(";", 1)[0].split("=", 1)
            self.biscotti[nome] = valore
        return risposta.read().decode()

    @property
    def cookie(self) -> str:
        return "; ".join(f"{k}={v}" for k, v in self.biscotti.items())

    def get(self, percorso: str) -> str:
        return self._richiesta(percorso)

    def post(self, percorso: str, dati: dict) -> str:
        return self._richiesta(percorso, {**dati, "csrfmiddlewaretoken": self._csrf(percorso)})

    def _csrf(self, percorso: str) -> str:
        pagina = self.get(percorso)
        return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', pagina)[1]


class _SenzaRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def sessione_ai_passi(base: str, fino_a: str, categoria: str, quartiere: str) -> str:
    """The Cookie header of a citizen who reached step ``fino_a`` of the report."""
    s = Sessione(base)
    prefisso = "procedura_segnalazione"
    s.get("/segnalazioni/invia/")
    s.post(
        "/segnalazioni/invia/informativa/",
        {f"{prefisso}-current_step": "informativa", "informativa-consenso_privacy": "on"},
    )
    if fino_a == "riepilogo":
        s.post(
            "/segnalazioni/invia/dati/",
            {
                f"{prefisso}-current_step": "dati",
                "dati-tipo": "problema",
                "dati-categoria": categoria,
                "dati-quartiere": quartiere,
                "dati-oggetto": "Lampione spento in via Abbiati",
                "dati-descrizione": "Spento da una settimana, la sera la via è buia.",
                "dati-indirizzo": "Via Abbiati 4",
            },
        )
    return s.cookie


def misura(
    lighthouse: Path, url: str, cookie: str = "", rapporto_intero: Path | None = None
) -> dict:
    comando = [
        str(lighthouse),
        url,
        "--quiet",
        "--output=json",
        "--output-path=stdout",
        "--chrome-flags=--headless=new --no-sandbox",
        f"--only-categories={','.join(CATEGORIE)}",
    ]
    if cookie:
        comando.append(f"--extra-headers={json.dumps({'Cookie': cookie})}")
    # Chromium now and then fails to start under load: one more try before giving up.
    for tentativo in (1, 2):
        uscita = subprocess.run(  # noqa: S603
            comando,
            check=False,
            capture_output=True,
            text=True,
            env={**os.environ, "CHROME_PATH": "/usr/bin/chromium"},
        )
        if uscita.returncode == 0:
            break
        avviso(f"Lighthouse non riuscito ({tentativo}/2): {uscita.stderr.strip()[-500:]}")
    else:
        raise SystemExit(f"Lighthouse non riesce a misurare {url}.")
    rapporto = json.loads(uscita.stdout)
    if rapporto_intero is not None:
        rapporto_intero.write_text(uscita.stdout)
    punteggi = {c: round(rapporto["categories"][c]["score"] * 100) for c in CATEGORIE}
    audit = rapporto["audits"]
    punteggi["fcp_s"] = round(audit["first-contentful-paint"]["numericValue"] / 1000, 2)
    punteggi["lcp_s"] = round(audit["largest-contentful-paint"]["numericValue"] / 1000, 2)
    punteggi["peso_kib"] = round(audit["total-byte-weight"]["numericValue"] / 1024)
    punteggi["url_finale"] = rapporto.get("finalDisplayedUrl", url)
    # What costs points, per category: the next session's to-do list.
    punteggi["audit_mancati"] = {
        c: sorted(
            ref["id"]
            for ref in rapporto["categories"][c]["auditRefs"]
            if ref.get("weight")
            and audit[ref["id"]].get("score") is not None
            and audit[ref["id"]]["score"] < 1
        )
        for c in CATEGORIE
    }
    punteggi["errori_console"] = [
        f"{voce.get('source', '')}: {voce.get('description', '')}"[:300]
        for voce in (audit["errors-in-console"].get("details") or {}).get("items", [])
    ][:10]
    return punteggi


def main(argv=None) -> int:
    args = argomenti(argv)
    dati = Path(args.dati).resolve()
    dati.mkdir(parents=True, exist_ok=True)
    env = ambiente(dati)
    avviso("Preparo il database dimostrativo e i file statici…")
    manage(env, "migrate", "--noinput", "-v", "0")
    manage(env, "createcachetable", "-v", "0")
    # The demo accounts have a known password: seed_demo refuses to run without DEBUG. The
    # server measured below runs with DEBUG off.
    manage({**env, "DJANGO_DEBUG": "1"}, "seed_demo")
    manage(env, "collectstatic", "--noinput", "-v", "0")
    codice, categoria, quartiere = (
        manage(
            env,
            "shell",
            "-c",
            "from segnalazioni.models import Segnalazione as S;"
            "s = S.objects.order_by('pk').first();"
            "print(s.codice, s.categoria_id, s.quartiere_id)",
        )
        .splitlines()[-1]
        .split()
    )
    lighthouse = lighthouse_installato(dati)
    porta = porta_libera()
    base = f"http://127.0.0.1:{porta}"
    gunicorn = avvia_gunicorn(argparse.Namespace(workers=args.workers), env, porta)
    try:
        pagine = {
            "home": ("/", ""),
            "servizio": ("/segnalazioni/", ""),
            "passo_informativa": ("/segnalazioni/invia/informativa/", ""),
            "passo_dati": (
                "/segnalazioni/invia/dati/",
                sessione_ai_passi(base, "dati", categoria, quartiere),
            ),
            "passo_riepilogo": (
                "/segnalazioni/invia/riepilogo/",
                sessione_ai_passi(base, "riepilogo", categoria, quartiere),
            ),
            # Tracking: the public page where a citizen enters the code (indexable), and
            # the page of one code (noindex on purpose: its address is the citizen's code).
            "segui_cerca": ("/segnalazioni/segui/", ""),
            "segui": (f"/segnalazioni/segui/{codice}/", ""),
            "elenco": ("/segnalazioni/elenco/", ""),
            "accedi": ("/accedi/", ""),
        }
        if args.solo:
            pagine = {k: v for k, v in pagine.items() if k in args.solo.split(",")}
        risultati = {}
        for nome, (percorso, cookie) in pagine.items():
            avviso(f"Lighthouse: {nome} ({percorso})…")
            intero = None
            if args.rapporti:
                Path(args.rapporti).mkdir(parents=True, exist_ok=True)
                intero = Path(args.rapporti) / f"{nome}.json"
            risultati[nome] = misura(lighthouse, f"{base}{percorso}", cookie, intero)
            risultati[nome]["percorso"] = percorso
    finally:
        gunicorn.terminate()
        gunicorn.wait(timeout=30)
    uscita = {
        "eseguito_il": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "lighthouse": VERSIONE,
        "obiettivi": OBIETTIVI,
        "pagine": risultati,
    }
    Path(args.output).write_text(json.dumps(uscita, indent=2, ensure_ascii=False) + "\n")
    print(f"{'pagina':<20} {'perf':>5} {'a11y':>5} {'bp':>5} {'seo':>5} {'FCP s':>6} {'KiB':>6}")
    for nome, r in risultati.items():
        print(
            f"{nome:<20} {r['performance']:>5} {r['accessibility']:>5} "
            f"{r['best-practices']:>5} {r['seo']:>5} {r['fcp_s']:>6} {r['peso_kib']:>6}"
        )
    mancati = [
        (nome, c)
        for nome, r in risultati.items()
        for c, minimo in OBIETTIVI.items()
        if r[c] < minimo
    ]
    for nome, c in mancati:
        print(f"sotto l'obiettivo: {nome} {c} {risultati[nome][c]} < {OBIETTIVI[c]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
