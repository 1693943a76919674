"""The director's report ("relazione di andamento del servizio") as a PDF."""

from __future__ import annotations

import contextlib
import gc
import importlib
import threading
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from quartiere.relazioni.figure import sono_tutti
from quartiere.relazioni.relazione import Relazione, prepara
from quartiere.territorio.models import Quartiere

TEMPLATE = "quartiere/pdf/relazione.html"


def _css(testo: str) -> str:
    """A CSS string literal (for the page margins), safe inside <style>."""
    testo = str(testo).replace("\n", " ")
    testo = testo.replace("\\", "\\5c ").replace('"', "\\22 ").replace("<", "\\3c ")
    return mark_safe(f'"{testo}"')  # noqa: S308 - escaped for CSS just above


# The theme's Titillium Web (the font of the web pages), embedded in the PDF: narrower than
# the system's fallback and the same on every server. Weight -> file in the theme's static.
FONT = {
    ("normal", 400): "regular",
    ("italic", 400): "italic",
    ("normal", 600): "600",
    ("normal", 700): "700",
}


def _font_face() -> str:
    """``@font-face`` rules for the fonts found among the static files (none: fallback)."""
    regole = []
    for (stile, peso), nome in FONT.items():
        percorso = finders.find(f"fonts/Titillium_Web/titillium-web-v10-latin-ext_latin-{nome}.ttf")
        if percorso:
            url = _css(Path(percorso).as_uri())
            regole.append(
                f'@font-face {{ font-family: "Titillium Web"; font-style: {stile}; '
                f"font-weight: {peso}; src: url({url}); }}"
            )
    return mark_safe("\n".join(regole))  # noqa: S308 - constants and a CSS-escaped path


def html_relazione(relazione: Relazione) -> str:
    periodo = f"{relazione.dal:%d/%m/%Y} – {relazione.al:%d/%m/%Y}"
    stampa = timezone.localtime(relazione.creata_il)
    return render_to_string(
        TEMPLATE,
        {
            "r": relazione,
            "font_face": _font_face(),
            "css": {
                "comune": _css(settings.COMUNE_NOME),
                "titolo": _css(f"{_('Relazione di andamento del servizio')} · {periodo}"),
                "stampa": _css(f"{_('Stampata il')} {stampa:%d/%m/%Y %H:%M}"),
                "pagina": _css(f"{_('Pagina')} "),
                "di": _css(f" {_('di')} "),
            },
            "COMUNE_NOME": settings.COMUNE_NOME,
            "diario": relazione.operatori,
            "tutti_i_quartieri": sono_tutti(relazione.quartieri),
        },
    )


def _importa_weasyprint() -> None:
    # A failure here is raised again by the import in pdf_relazione, in the caller's thread.
    with contextlib.suppress(Exception):
        importlib.import_module("weasyprint")


@contextlib.contextmanager
def _senza_raccolta_cicli():
    """The cyclic garbage collector paused during the layout.

    WeasyPrint allocates hundreds of thousands of objects while laying out the report; the
    collector's passes over them (and over everything Django loaded) cost ~10 % of the
    layout. What becomes garbage meanwhile is left to the collector's next ordinary pass:
    forcing one here would cost the command ~0.1 s just before the process exits.
    """
    attivo = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if attivo:
            gc.enable()


@dataclass
class Stampa:
    """A printed report: its bytes, its number of pages and the figures it shows."""

    contenuto: bytes
    pagine: int
    relazione: Relazione


def stampa_relazione(
    dal: date,
    al: date,
    quartieri: list[Quartiere],
    link=None,
    modo_confronto: str | None = None,
    periodo_confronto: tuple[date, date] | None = None,
    commenti: dict[str, str] | None = None,
) -> Stampa:
    """Render the report for ``quartieri`` (already in the reader's scope), compared with
    the period ``modo_confronto`` names (see :func:`~quartiere.relazioni.relazione.prepara`),
    with the dirigente's ``commenti`` (section key -> text) under the sections' titles."""
    # Importing WeasyPrint costs ~0.5 s of CPU in a fresh process (the command): do it
    # while PostgreSQL computes the figures, which is mostly waiting on the database.
    anticipo = threading.Thread(target=_importa_weasyprint, daemon=True)
    anticipo.start()
    with translation.override("it"):
        # The trends cost one call per app and period (each app's calcola_andamento).
        relazione = prepara(
            dal,
            al,
            quartieri,
            link=link,
            per_stampa=True,
            con_andamento=True,
            modo_confronto=modo_confronto,
            periodo_confronto=periodo_confronto,
        )
        relazione.commenti = dict(commenti or {})
        html = html_relazione(relazione)
        anticipo.join()
        from weasyprint import HTML

        with _senza_raccolta_cicli():
            documento = HTML(string=html, base_url=str(settings.BASE_DIR)).render()
            return Stampa(documento.write_pdf(), len(documento.pages), relazione)


def pdf_relazione(
    dal: date,
    al: date,
    quartieri: list[Quartiere],
    link=None,
    modo_confronto: str | None = None,
    periodo_confronto: tuple[date, date] | None = None,
) -> bytes:
    """The report's PDF bytes (:func:`stampa_relazione` without commentary)."""
    return stampa_relazione(dal, al, quartieri, link, modo_confronto, periodo_confronto).contenuto
