"""Take the user guide's screenshots from a running demo (``make run``).

    make run                                   # in another terminal: demo data on :8000
    .venv/bin/python docs/guida/cattura.py     # writes docs/guida/img/*.jpg

Options: ``--url`` (default http://127.0.0.1:8000), ``--chromium`` (default
/usr/bin/chromium), ``--solo NAME`` to retake one picture. The demo accounts log in
with the demo password; two-factor authentication is off with DJANGO_DEBUG=1.

Each picture is a page as one role sees it; a step ``"primo"`` opens the first link
of the list it names, so pictures of detail pages follow the demo data as it changes.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

CARTELLA = Path(__file__).resolve().parent / "img"
PASSWORD_DEMO = "quartiere-demo"

# name, account (None: a visitor), path, optional CSS selector of a link to follow
SCATTI = [
    # Cittadino
    ("cittadino-home", None, "/", None),
    ("cittadino-quartiere", None, "/quartieri/san-siro/", None),
    ("cittadino-servizio", None, "/segnalazioni/", None),
    ("cittadino-segnalazione", None, "/segnalazioni/invia/dati/", None),
    ("cittadino-elenco-segnalazioni", None, "/segnalazioni/elenco/", None),
    ("cittadino-segui", None, "/segnalazioni/segui/", None),
    ("cittadino-calendario", None, "/calendario/", None),
    ("cittadino-sala", None, "/calendario/", "h3 a:text('Sala della Città')"),
    ("cittadino-richiesta-sala", None, "/prenota-la-sala/", None),
    ("cittadino-patti", None, "/patti/", None),
    ("cittadino-laboratori", None, "/laboratori/", None),
    # Operatore
    ("operatore-scrivania", "operatore.sansiro", "/lavoro/", None),
    ("operatore-segnalazioni", "operatore.sansiro", "/segnalazioni/lavoro/", None),
    ("operatore-segnalazione", "operatore.sansiro", "/segnalazioni/lavoro/", "table tbody a"),
    ("operatore-sportello", "operatore.sansiro", "/segnalazioni/lavoro/nuova/", None),
    ("operatore-laboratori", "operatore.sansiro", "/laboratori/lavoro/", None),
    ("operatore-laboratorio", "operatore.sansiro", "/laboratori/lavoro/", "table tbody a"),
    ("operatore-patti", "operatore.sansiro", "/patti/lavoro/", None),
    ("operatore-calendario", "operatore.sansiro", "/lavoro/calendario/", None),
    ("operatore-richiesta", "operatore.sansiro", "/lavoro/calendario/", "#titolo-attesa + ul a"),
    ("operatore-nuova-prenotazione", "operatore.sansiro", "/lavoro/calendario/nuova/", None),
    ("operatore-diario", "operatore.sansiro", "/lavoro/diario/", None),
    ("operatore-persone", "operatore.sansiro", "/lavoro/persone/", None),
    ("operatore-abitare", "operatore.sansiro", "/abitare/lavoro/immobili/", None),
    ("operatore-immobile", "operatore.sansiro", "/abitare/lavoro/immobili/", "table tbody a"),
    ("operatore-nucleo", "operatore.sansiro", "/abitare/lavoro/contatti/", "section ul a"),
    ("operatore-in-attesa", "operatore.sansiro", "/abitare/lavoro/in-attesa/", None),
    ("operatore-contatti", "operatore.sansiro", "/abitare/lavoro/contatti/", None),
    # Mediatore
    ("mediatore-dossier", "mediatore", "/mediazione/", None),
    ("mediatore-scheda", "mediatore", "/mediazione/", "table tbody a"),
    ("mediatore-nuovo", "mediatore", "/mediazione/nuovo/", None),
    # Coordinatore
    ("coordinatore-scrivania", "coordinatore", "/lavoro/", None),
    ("coordinatore-segnalazioni", "coordinatore", "/segnalazioni/lavoro/", None),
    ("coordinatore-patti", "coordinatore", "/patti/lavoro/", None),
    ("coordinatore-diario", "coordinatore", "/lavoro/diario/", None),
    ("coordinatore-calendario", "coordinatore", "/lavoro/calendario/?vista=elenco", None),
    ("coordinatore-admin", "coordinatore", "/admin/", None),
    ("coordinatore-piano", "coordinatore", "/abitare/lavoro/piano/", None),
    # Dirigente
    ("dirigente-cruscotto", "dirigente", "/lavoro/indicatori/", None),
    ("dirigente-mediazione", "dirigente", "/mediazione/cifre/", None),
    ("dirigente-diario", "dirigente", "/lavoro/diario/", None),
    # Amministratore
    ("amministratore-admin", "admin", "/admin/", None),
    ("amministratore-sedi", "admin", "/admin/quartiere/sede/", None),
    ("amministratore-profili", "admin", "/admin/quartiere/profilostaff/", None),
]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="http://127.0.0.1:8000")
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    parser.add_argument("--solo", action="append", default=[])
    args = parser.parse_args(argv)

    from playwright.sync_api import sync_playwright

    CARTELLA.mkdir(exist_ok=True)
    errori = 0
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=args.chromium,
            args=["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run"],
        )
        contesti: dict = {}
        for nome, utente, percorso, segui in SCATTI:
            if args.solo and nome not in args.solo:
                continue
            if utente not in contesti:
                contesto = browser.new_context(
                    viewport={"width": 1280, "height": 1000},
                    locale="it-IT",
                    timezone_id="Europe/Rome",
                )
                pagina = contesto.new_page()
                if utente:
                    pagina.goto(f"{args.url}/accounts/login/")
                    pagina.get_by_label("Nome utente").fill(utente)
                    pagina.get_by_label("Password").fill(PASSWORD_DEMO)
                    pagina.get_by_role("button", name="Accedi").click()
                    pagina.wait_for_load_state()
                contesti[utente] = pagina
            pagina = contesti[utente]
            risposta = pagina.goto(f"{args.url}{percorso}")
            if segui:
                link = pagina.locator(segui).first
                if not link.count():
                    errori += 1
                    print(f"ERRORE: {nome}: nessun link «{segui}» in {percorso}", file=sys.stderr)
                    continue
                with pagina.expect_navigation() as navigazione:
                    link.click()
                risposta = navigazione.value
            stato = risposta.status if risposta else 0
            if stato >= 400:
                errori += 1
                print(f"ERRORE {stato}: {nome} {pagina.url}", file=sys.stderr)
                continue
            pagina.screenshot(path=CARTELLA / f"{nome}.jpg", type="jpeg", quality=70)
            print(f"{nome}: {pagina.title()}")
        browser.close()
    return 1 if errori else 0


if __name__ == "__main__":
    sys.exit(main())
