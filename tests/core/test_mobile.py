"""Every public page fits a phone: at 360 and 390 px nothing scrolls sideways (issue 17).

The pages are the rows of the URL x role matrix that the anonymous visitor may open (so a
public page added tomorrow is checked the day its row is written), asked with the matrix's
own records. A page wider than the screen hides its right edge from a citizen on a phone:
the "Area riservata" button, a calendar, a table. Tables may scroll inside their own box
(``.table-responsive``); the page itself never does.
"""

from __future__ import annotations

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.permessi import matrice
from tests.permessi.dati import RUOLI, completa_per_admin, costruisci

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LARGHEZZE = (360, 390)
# How far a page is wider than the window, and which element sticks out the most.
MISURA = """() => {
  const larga = document.documentElement.scrollWidth;
  const finestra = window.innerWidth;
  let peggiore = null, destra = finestra;
  const tagliato = el => {
    for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) {
      if (getComputedStyle(a).overflowX !== 'visible') return true;
    }
    return false;
  };
  for (const el of document.body.querySelectorAll('*')) {
    const r = el.getBoundingClientRect();
    if (r.right <= destra + 0.5 || tagliato(el)) continue;
    if (r.width && r.right > destra + 0.5) { destra = r.right; peggiore = el; }
  }
  const classi = el => typeof el.className === 'string' && el.className.trim()
    ? '.' + el.className.trim().split(/\\s+/).join('.') : '';
  const descrivi = el => el ? el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + classi(el)
    : '';
  return {larga, finestra, peggiore: descrivi(peggiore), destra};
}"""


def pagine_pubbliche(mondo) -> list[tuple[str, str]]:
    anonimo = RUOLI.index("anonimo")
    pagine = []
    for chiave, riga in sorted(matrice.TABELLA.items()):
        codici = riga.codici.split()
        if riga.metodo != "get" or codici[anonimo] != "200" or riga.nome.startswith("admin:"):
            continue
        argomenti = riga.argomenti(mondo) if riga.argomenti else None
        pagine.append((chiave, reverse(riga.nome, args=argomenti)))
    return pagine


def _tipo(page, url: str) -> bool:
    risposta = page.request.get(url, max_redirects=0)
    assert risposta.status == 200, (url, risposta.status)
    return risposta.headers.get("content-type", "").startswith("text/html")


def test_le_pagine_pubbliche_stanno_nello_schermo_di_un_telefono(page, live_server):
    mondo = costruisci()
    completa_per_admin(mondo)
    pagine = pagine_pubbliche(mondo)
    assert len(pagine) > 30, pagine
    larghe, html, tipi = [], 0, {}
    for larghezza in LARGHEZZE:
        page.set_viewport_size({"width": larghezza, "height": 800})
        for chiave, percorso in pagine:
            if not tipi.setdefault(chiave, _tipo(page, f"{live_server.url}{percorso}")):
                continue  # a calendar file, a feed, a PDF: nothing to lay out
            risposta = page.goto(f"{live_server.url}{percorso}")
            assert risposta is not None and risposta.status == 200, (chiave, percorso)
            html += 1
            misura = page.evaluate(MISURA)
            if misura["larga"] > misura["finestra"]:
                larghe.append(
                    f"{larghezza}px {chiave} {percorso}: {misura['larga']}px "
                    f"(sporge {misura['peggiore']} fino a {misura['destra']:.0f}px)"
                )
    assert html > 40
    assert not larghe, "\n".join(larghe)


def test_il_menu_si_apre_sul_telefono_coi_moduli_del_tema(page, live_server):
    """The pages load Bootstrap Italia's behaviours as ES modules (static/js/tema.js), not its
    1 MB bundle: every module arrives, and on a phone the main menu opens from its button,
    lets the citizen reach a section, and closes again."""
    falliti = []
    page.on("response", lambda r: falliti.append(r.url) if r.status >= 400 else None)
    page.on("requestfailed", lambda r: falliti.append(r.url))
    chieste = []
    page.on("request", lambda r: chieste.append(r.url))
    page.set_viewport_size({"width": 390, "height": 800})
    risposta = page.goto(f"{live_server.url}{reverse('quartiere:home')}")
    page.wait_for_load_state("load")
    assert not falliti, falliti
    assert any(u.endswith("/static/plugins/navbar-collapsible.js") for u in chieste), chieste
    assert not [u for u in chieste if "bundle" in u or u.endswith("bootstrap-italia.min.js")]
    # The page itself travels compressed (GZipMiddleware).
    assert risposta.headers.get("content-encoding") == "gzip"

    voce = page.locator("#menu-principale .nav-link").first
    expect(voce).to_be_hidden()
    pulsante = page.get_by_role("button", name="Mostra o nascondi il menu")
    pulsante.click()
    expect(voce).to_be_visible()
    expect(pulsante).to_have_attribute("aria-expanded", "true")
    # Once open, the focus is held in the menu, on its close button; Escape closes it.
    chiudi = page.get_by_role("button", name="Chiudi il menu")
    expect(chiudi).to_be_focused()
    page.keyboard.press("Escape")
    expect(voce).to_be_hidden()
    expect(pulsante).to_have_attribute("aria-expanded", "false")
    # The keyboard reaches it too: the button takes focus and opens the menu with Enter.
    pulsante.focus()
    page.keyboard.press("Enter")
    expect(voce).to_be_visible()
    expect(chiudi).to_be_focused()
    chiudi.click()
    expect(voce).to_be_hidden()
    pulsante.click()
    expect(chiudi).to_be_focused()
    with page.expect_navigation():
        voce.click()
    assert not falliti, falliti
