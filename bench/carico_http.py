"""The load generator of the benchmark: locust, headless, as a library, in its own process.

    python bench/carico_http.py PIANO.json RISULTATI.json

``PIANO.json`` (written by ``bench/harness.py``) lists the scenarios: each has a host, a
method, a list of URLs used round-robin, headers (the session cookie of a logged-in
user), a form to POST, the expected status, a number of concurrent users, a warm-up and
a measured window. Scenarios run one after another; for each one it writes the latency
percentiles, throughput, errors and the query counts that the app reported in the
``X-Quartiere-Queries`` header (quartiere/sviluppo/middleware.py). Only 127.0.0.1 is ever
contacted.
"""

from __future__ import annotations

from gevent import monkey

monkey.patch_all()

import itertools  # noqa: E402
import json  # noqa: E402
import re  # noqa: E402
import statistics  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from urllib.parse import urlsplit  # noqa: E402

import gevent  # noqa: E402
from locust import FastHttpUser, constant, task  # noqa: E402
from locust.env import Environment  # noqa: E402

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
COOKIE_CSRF = re.compile(r"csrftoken=([^;]+)")
COOKIE_SESSIONE = re.compile(r"sessionid=([^;]+)")


def set_cookie(risposta) -> str:
    """The Set-Cookie headers of a response as one string: a response that sets two cookies
    (the steps' session and the CSRF token) has them as a list."""
    valore = risposta.headers.get("Set-Cookie", "") or ""
    return "; ".join(valore) if isinstance(valore, list) else valore


def percentile(valori: list[float], p: float) -> float | None:
    if not valori:
        return None
    ordinati = sorted(valori)
    k = (len(ordinati) - 1) * p
    basso = int(k)
    alto = min(basso + 1, len(ordinati) - 1)
    return ordinati[basso] + (ordinati[alto] - ordinati[basso]) * (k - basso)


class Misura:
    """Collects every request of the measured window (after the warm-up)."""

    def __init__(self, nome: str):
        self.nome = nome  # the form GETs before an intake POST are not measured
        self.attiva = False
        self.latenze: list[float] = []
        self.query: list[int] = []
        self.tempi_db: list[float] = []
        self.errori = 0
        self.esempi_errori: list[str] = []
        self.stati: dict[str, int] = {}
        self.finestre: list[tuple[float, float]] = []

    def ascolta(
        self,
        request_type,
        name,
        response_time,
        response_length,
        response=None,
        exception=None,
        **kwargs,
    ):
        if not self.attiva or name != self.nome:
            return
        stato = str(getattr(response, "status_code", "") or "")
        self.stati[stato] = self.stati.get(stato, 0) + 1
        if exception is not None:
            self.errori += 1
            if len(self.esempi_errori) < 5:
                self.esempi_errori.append(f"{stato} {str(exception)[:200]}")
            return
        self.latenze.append(response_time)
        intestazioni = getattr(response, "headers", None) or {}
        query = intestazioni.get("X-Quartiere-Queries")
        if query is not None:
            self.query.append(int(query))
        tempo_db = intestazioni.get("X-Quartiere-DB-ms")
        if tempo_db is not None:
            self.tempi_db.append(float(tempo_db))


def classe_utente(scenario: dict) -> type[FastHttpUser]:
    urls = itertools.cycle(scenario["urls"])
    atteso = scenario.get("stato_atteso", 200)
    luogo = scenario.get("luogo_atteso")
    intestazioni = dict(scenario.get("intestazioni") or {})

    class Utente(FastHttpUser):
        host = scenario["host"]
        wait_time = constant(0)
        network_timeout = 60.0
        connection_timeout = 10.0

        def on_start(self):
            self.token = None
            self.cookie = intestazioni.get("Cookie", "")
            if scenario["metodo"] == "POST":
                # A real visitor first loads the form: it gives the CSRF cookie and token.
                with self.client.get(
                    scenario["modulo"], headers=intestazioni, name="modulo", catch_response=True
                ) as r:
                    trovato = CSRF.search(r.text or "")
                    cookie = COOKIE_CSRF.search(set_cookie(r))
                    if not trovato or not cookie:
                        r.failure("token CSRF non trovato nel modulo")
                        return
                    self.token = trovato.group(1)
                    self.cookie = "; ".join(
                        c for c in (self.cookie, f"csrftoken={cookie.group(1)}") if c
                    )
                    self._ricorda_sessione(set_cookie(r))
                    r.success()

        def _ricorda_sessione(self, intestazione: str) -> None:
            trovata = COOKIE_SESSIONE.search(intestazione)
            if trovata:
                altri = [c for c in self.cookie.split("; ") if c and not c.startswith("sessionid=")]
                self.cookie = "; ".join([*altri, f"sessionid={trovata.group(1)}"])

        @task
        def richiesta(self):
            url = next(urls)
            headers = {**intestazioni}
            if self.cookie:
                headers["Cookie"] = self.cookie
            nome = scenario["nome"]
            if scenario["metodo"] == "POST":
                if self.token is None:
                    gevent.sleep(0.1)
                    return
                for passo, campi in scenario.get("passi", []):
                    # The steps before the last POST (the online report's first two), with
                    # the session they open: measured with it, as the intake's requests.
                    with self.client.post(
                        passo,
                        data={**campi, "csrfmiddlewaretoken": self.token},
                        headers=headers,
                        name=nome,
                        allow_redirects=False,
                        catch_response=True,
                    ) as r:
                        self._ricorda_sessione(set_cookie(r))
                        headers["Cookie"] = self.cookie
                        if r.status_code != 302:
                            r.failure(f"passo {passo}: stato {r.status_code} invece di 302")
                dati = {**scenario["dati"], "csrfmiddlewaretoken": self.token}
                risposta = self.client.post(
                    url,
                    data=dati,
                    headers=headers,
                    name=nome,
                    allow_redirects=False,
                    catch_response=True,
                )
            else:
                risposta = self.client.get(
                    url, headers=headers, name=nome, allow_redirects=False, catch_response=True
                )
            with risposta as r:
                if r.status_code != atteso:
                    r.failure(f"stato {r.status_code} invece di {atteso}")
                elif luogo and not (r.headers.get("Location") or "").endswith(luogo):
                    # A 302 back to the first step is a report not filed.
                    r.failure(f"rimandato a {r.headers.get('Location')} invece di {luogo}")
                else:
                    r.success()

    return Utente


def esegui_finestra(scenario: dict, misura: Misura, durata: float, riscaldamento: float) -> None:
    """Run ``scenario`` for one window: start its users, warm up, measure, stop."""
    if urlsplit(scenario["host"]).hostname != "127.0.0.1":
        raise SystemExit("il carico si genera solo verso 127.0.0.1")
    env = Environment(user_classes=[classe_utente(scenario)])
    env.events.request.add_listener(misura.ascolta)
    runner = env.create_local_runner()
    utenti = scenario["utenti"]
    runner.start(utenti, spawn_rate=max(utenti, 1))
    gevent.sleep(riscaldamento)
    misura.attiva = True
    inizio = time.time()
    gevent.sleep(durata)
    # A window too short for even one slow response is stretched until one arrives.
    scadenza = time.time() + 60
    while not misura.latenze and not misura.errori and time.time() < scadenza:
        gevent.sleep(0.05)
    misura.attiva = False
    fine = time.time()
    runner.quit()
    gevent.sleep(0.1)
    misura.finestre.append((inizio, fine))


def riepilogo(scenario: dict, misura: Misura) -> dict:
    durata = sum(fine - inizio for inizio, fine in misura.finestre)
    n = len(misura.latenze)
    return {
        "nome": scenario["nome"],
        "utenti": scenario["utenti"],
        "finestre": misura.finestre,
        "secondi_misurati": round(durata, 1),
        "richieste": n + misura.errori,
        "riuscite": n,
        "errori": misura.errori,
        "esempi_errori": misura.esempi_errori,
        "stati": misura.stati,
        "mediana_ms": percentile(misura.latenze, 0.5),
        "p95_ms": percentile(misura.latenze, 0.95),
        "max_ms": max(misura.latenze) if misura.latenze else None,
        "rps": round(n / durata, 2) if durata > 0 else None,
        "query_mediana": statistics.median(misura.query) if misura.query else None,
        "query_min": min(misura.query) if misura.query else None,
        "query_max": max(misura.query) if misura.query else None,
        "db_ms_mediana": statistics.median(misura.tempi_db) if misura.tempi_db else None,
    }


def main(argv: list[str]) -> int:
    """Each scenario's time is split into ``giri`` windows, run round-robin across the
    scenarios: a burst of load from elsewhere on the machine then spreads over all of them
    instead of falling on one, so that the ratios between scenarios hold."""
    with open(argv[1], encoding="utf-8") as fh:
        piano = json.load(fh)
    giri = max(1, int(piano.get("giri", 1)))
    misure = {s["nome"]: Misura(s["nome"]) for s in piano["scenari"]}
    for giro in range(giri):
        for scenario in piano["scenari"]:
            riscaldamento = (
                scenario["riscaldamento"] if giro == 0 else min(1.0, scenario["riscaldamento"])
            )
            esegui_finestra(
                scenario, misure[scenario["nome"]], scenario["durata"] / giri, riscaldamento
            )
        risultati = [riepilogo(s, misure[s["nome"]]) for s in piano["scenari"]]
        with open(argv[2], "w", encoding="utf-8") as fh:  # partial results survive a crash
            json.dump(risultati, fh, indent=1)
        print(f"  giro {giro + 1}/{giri} fatto", flush=True)
    for r in risultati:
        print(
            f"  {r['nome']:<28} {r['riuscite']:>6} ok "
            f"{r['errori']:>4} errori  mediana {r['mediana_ms'] or 0:.1f} ms",
            flush=True,
        )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
