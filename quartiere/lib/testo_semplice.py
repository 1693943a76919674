"""Plain text with headings, for pages the Comune writes in the admin (the privacy notice).

The format is deliberately tiny, so that nobody has to learn Markdown and nothing typed
in the admin can become markup:

- a line starting with ``## `` is a section heading (``### `` a sub-heading);
- a line starting with ``- `` (or ``* ``) is a list item, consecutive items form one list;
- other lines are text; a blank line ends a paragraph, a single line break is kept;
- web addresses become links (``urlize``).

Every piece of text is escaped before it is wrapped in tags, so ``<script>`` typed in the
admin shows as text. The output is the only place that builds HTML, and it builds it
from escaped strings only.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.html import format_html, format_html_join, urlize
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import slugify


@dataclass(frozen=True)
class Sezione:
    livello: int
    titolo: str
    ancora: str


def _in_linea(testo: str) -> SafeString:
    # urlize(autoescape=True) escapes everything that is not the link it makes.
    return mark_safe(urlize(testo, nofollow=True, autoescape=True))  # noqa: S308


def _ancora(titolo: str, usate: set[str]) -> str:
    base = f"sezione-{slugify(titolo) or 'senza-titolo'}"
    ancora, n = base, 2
    while ancora in usate:
        ancora, n = f"{base}-{n}", n + 1
    usate.add(ancora)
    return ancora


def analizza(testo: str) -> tuple[list[tuple[str, object]], list[Sezione]]:
    """Split ``testo`` into blocks (``("h", Sezione)``, ``("p", [lines])``,
    ``("ul", [items])``) and the list of its sections."""
    blocchi: list[tuple[str, object]] = []
    sezioni: list[Sezione] = []
    usate: set[str] = set()
    paragrafo: list[str] = []
    elenco: list[str] = []

    def chiudi():
        if paragrafo:
            blocchi.append(("p", paragrafo.copy()))
            paragrafo.clear()
        if elenco:
            blocchi.append(("ul", elenco.copy()))
            elenco.clear()

    for riga in (testo or "").replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        pulita = riga.strip()
        if not pulita:
            chiudi()
        elif pulita.startswith(("## ", "### ")):
            chiudi()
            livello = 3 if pulita.startswith("### ") else 2
            titolo = pulita[livello + 1 :].strip()
            sezione = Sezione(livello, titolo, _ancora(titolo, usate))
            sezioni.append(sezione)
            blocchi.append(("h", sezione))
        elif pulita.startswith(("- ", "* ")):
            if paragrafo:
                chiudi()
            elenco.append(pulita[2:].strip())
        else:
            if elenco:
                chiudi()
            paragrafo.append(pulita)
    chiudi()
    return blocchi, sezioni


def in_html(testo: str) -> SafeString:
    """``testo`` as HTML: headings (h2/h3 with an anchor), paragraphs, lists, links."""
    blocchi, _sezioni = analizza(testo)
    parti: list[SafeString] = []
    for tipo, contenuto in blocchi:
        if tipo == "h":
            parti.append(
                format_html(
                    '<h{} id="{}" class="{}">{}</h{}>',
                    contenuto.livello,
                    contenuto.ancora,
                    "h4" if contenuto.livello == 2 else "h5",
                    contenuto.titolo,
                    contenuto.livello,
                )
            )
        elif tipo == "p":
            righe = mark_safe("<br>".join(_in_linea(r) for r in contenuto))  # noqa: S308
            parti.append(format_html("<p>{}</p>", righe))
        else:
            voci = format_html_join("", "<li>{}</li>", ((_in_linea(v),) for v in contenuto))
            parti.append(format_html("<ul>{}</ul>", voci))
    return mark_safe("\n".join(parti))  # noqa: S308


def sezioni(testo: str) -> list[Sezione]:
    """The headings of ``testo``, for a table of contents."""
    return analizza(testo)[1]
