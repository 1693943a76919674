"""Walking a site as a user does: from every page without arguments, follow every link of
the same site (GET only), and record the pages that answer 5xx or raise."""

from __future__ import annotations

import re
from collections import deque
from html.parser import HTMLParser

from django.test import Client

from tests.sicurezza.test_crawler import url_senza_argomenti

# Links not to follow: leaving, acting, or the same list again with other filters.
SALTA = re.compile(r"logout|/delete/|/elimina|\?|#|^mailto:|^tel:|/static/|/media/|\.ics$")


class _Collegamenti(HTMLParser):
    def __init__(self):
        super().__init__()
        self.href: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            href = dict(attrs).get("href") or ""
            if href.startswith("/") and not href.startswith("//"):
                self.href.append(href)


def visita(client: Client, massimo: int, semi=()) -> tuple[list[str], set[str]]:
    """(the failures, the pages seen): at most ``massimo`` pages, breadth first from
    ``semi`` (pages of chosen records) and then every page without arguments."""
    guasti, viste = [], set()
    coda = deque([*semi, *sorted(set(url_senza_argomenti().values()))])
    while coda and len(viste) < massimo:
        percorso = coda.popleft()
        if percorso in viste or SALTA.search(percorso):
            continue
        viste.add(percorso)
        try:
            risposta = client.get(percorso)
        except Exception as exc:  # noqa: BLE001 - the test client re-raises view errors
            guasti.append(f"{percorso}: {type(exc).__name__}: {exc}")
            continue
        if risposta.status_code >= 500:
            guasti.append(f"{percorso}: {risposta.status_code}")
            continue
        tipo = risposta.get("Content-Type", "")
        if risposta.status_code == 200 and "html" in tipo and not risposta.streaming:
            lettore = _Collegamenti()
            lettore.feed(risposta.content.decode("utf-8", "replace"))
            coda.extend(h for h in lettore.href if h not in viste)
    return guasti, viste
