"""Bar and line charts drawn on the server as SVG.

No JavaScript and no ``style`` attributes (strict CSP): only SVG presentation
attributes. Each chart carries ``role="img"`` and an ``aria-label``; the page or the PDF
puts the same numbers in a table next to it for screen readers.
"""

from __future__ import annotations

import textwrap

from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from quartiere.relazioni.tabelle import formatta, numero

COLORE = "#0066cc"
COLORE_PRECEDENTE = "#767676"
COLORI_SERIE = ("#0066cc", "#b3541e", "#2e7d32", "#6a1b9a", "#995c00", "#00796b")
TESTO = "#1a1a1a"
GRIGLIA = "#d9dadb"
FONT = "Titillium Web, Helvetica, Arial, sans-serif"


def _accorcia(testo: str, massimo: int) -> str:
    testo = str(testo)
    return testo if len(testo) <= massimo else testo[: massimo - 1] + "…"


def _fmt(valore) -> str:
    return formatta(valore)


def _scala(massimo: float) -> float:
    """A round upper bound for an axis."""
    if massimo <= 0:
        return 1
    passo = 1
    while passo * 10 < massimo:
        passo *= 10
    for fattore in (1, 2, 2.5, 5, 10):
        if passo * fattore >= massimo:
            return passo * fattore
    return massimo


# A generous average advance of a character at 13 px (DejaVu Sans, the widest font a
# printer or a browser may fall back to, is ~7 px): labels are measured with it.
LARGHEZZA_CARATTERE = 7.4
MAX_RIGHE_ETICHETTA = 2


def _righe_etichetta(testo: str, caratteri: int) -> list[str]:
    """``testo`` on at most two lines of ``caratteri`` (the last one cut with "…")."""
    testo = " ".join(str(testo).split())
    if len(testo) <= caratteri:
        return [testo]
    righe = textwrap.wrap(testo, caratteri, break_long_words=True) or [""]
    if len(righe) > MAX_RIGHE_ETICHETTA:
        resto = " ".join(righe[MAX_RIGHE_ETICHETTA - 1 :])
        righe = [*righe[: MAX_RIGHE_ETICHETTA - 1], _accorcia(resto, caratteri)]
    return righe


def barre(
    titolo: str,
    voci: list[tuple[str, object, object]],
    confronto: bool = False,
    larghezza: int = 640,
) -> SafeString:
    """Horizontal bars, one per ``(etichetta, valore, precedente)``.

    With ``confronto`` a thinner grey bar shows the comparison period under each bar.
    Masked values ("<3") have no bar, only their text. Labels take the room they need up
    to 45 % of the width and wrap on a second line beyond it; the longest value keeps its
    room on the right: no text leaves the chart.
    """
    car = LARGHEZZA_CARATTERE
    testi = [_fmt(v) for _e, v, _p in voci]
    lunghezza = max((len(" ".join(str(e).split())) for e, _v, _p in voci), default=0)
    margine_sx = round(min(max(lunghezza * car + 14, 60), larghezza * 0.45))
    caratteri = max(int((margine_sx - 14) / car), 4)
    etichette = [_righe_etichetta(e, caratteri) for e, _v, _p in voci]
    margine_dx = round(max((len(t) for t in testi), default=1) * car + 12)
    a_capo = any(len(r) > 1 for r in etichette)
    alto_riga = 34 if confronto or a_capo else 24
    alto_testa = 8
    altezza = alto_testa + alto_riga * max(len(voci), 1) + (26 if confronto else 8)
    numeri = [numero(v) or 0 for _e, v, _p in voci]
    if confronto:
        numeri += [numero(p) or 0 for _e, _v, p in voci]
    massimo = _scala(max(numeri, default=0))
    area = larghezza - margine_sx - margine_dx
    parti = [
        format_html(
            '<svg xmlns="http://www.w3.org/2000/svg" class="grafico" role="img" '
            'aria-label="{}" viewBox="0 0 {} {}" width="{}" height="{}" '
            'font-family="{}" font-size="13">',
            titolo,
            larghezza,
            altezza,
            larghezza,
            altezza,
            FONT,
        ),
        format_html("<title>{}</title>", titolo),
    ]
    for i, ((_etichetta, valore, precedente), righe, testo) in enumerate(
        zip(voci, etichette, testi, strict=True)
    ):
        y = alto_testa + i * alto_riga
        n = numero(valore)
        w = 0 if n is None else area * n / massimo
        for k, riga in enumerate(righe):
            parti.append(
                format_html(
                    '<text x="{}" y="{}" text-anchor="end" fill="{}">{}</text>',
                    margine_sx - 8,
                    y + (14 if len(righe) == 1 else 11 + 14 * k),
                    TESTO,
                    riga,
                )
            )
        parti.append(
            format_html(
                '<rect x="{}" y="{}" width="{}" height="16" fill="{}"/>',
                margine_sx,
                y + 2,
                f"{w:.1f}",
                COLORE,
            )
        )
        parti.append(
            format_html(
                '<text x="{}" y="{}" fill="{}">{}</text>',
                f"{margine_sx + w + 5:.1f}",
                y + 14,
                TESTO,
                testo,
            )
        )
        if confronto:
            p = numero(precedente)
            wp = 0 if p is None else area * p / massimo
            parti.append(
                format_html(
                    '<rect x="{}" y="{}" width="{}" height="7" fill="{}"/>',
                    margine_sx,
                    y + 20,
                    f"{wp:.1f}",
                    COLORE_PRECEDENTE,
                )
            )
    parti.append(
        format_html(
            '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{}"/>',
            margine_sx,
            alto_testa,
            margine_sx,
            alto_testa + alto_riga * max(len(voci), 1),
            TESTO,
        )
    )
    if confronto:
        # The legend starts at the left edge: it must fit even in a narrow chart.
        y = altezza - 10
        scelto = _("periodo scelto")
        x2 = 16 + round(len(scelto) * car) + 24
        parti.append(
            format_html(
                '<rect x="{}" y="{}" width="12" height="10" fill="{}"/>'
                '<text x="{}" y="{}" fill="{}" font-size="12">{}</text>'
                '<rect x="{}" y="{}" width="12" height="6" fill="{}"/>'
                '<text x="{}" y="{}" fill="{}" font-size="12">{}</text>',
                0,
                y - 9,
                COLORE,
                16,
                y,
                TESTO,
                scelto,
                x2,
                y - 7,
                COLORE_PRECEDENTE,
                x2 + 16,
                y,
                TESTO,
                _("periodo di confronto"),
            )
        )
    parti.append(mark_safe("</svg>"))  # noqa: S308 - a constant
    return mark_safe("".join(parti))  # noqa: S308 - every part is escaped above


def linee(
    titolo: str,
    etichette_x: list[str],
    serie: list[tuple[str, list]],
    larghezza: int = 640,
    altezza: int = 260,
    tratteggiate: frozenset[int] = frozenset(),
) -> SafeString:
    """A line per ``(nome, valori)`` over ``etichette_x``; masked values break the line.

    The series whose index is in ``tratteggiate`` are drawn dashed and grey (a comparison
    period). The x labels are thinned and the legend's names cut to the room they have,
    so that no text leaves a narrow chart."""
    colonne = max(1, min(3, len(serie)))
    lunghezza_x = max((len(str(e)) for e in etichette_x), default=1)
    # The last x label is centred on the right edge of the plot: half of it must fit.
    dx = max(16, round(lunghezza_x * LARGHEZZA_CARATTERE * 12 / 13 / 2) + 4)
    sx, su, giu = 48, 12, 64 + 18 * ((len(serie) + colonne - 1) // colonne)
    area_l, area_a = larghezza - sx - dx, altezza - su - giu
    numeri = [numero(v) for _n, valori in serie for v in valori]
    massimo = _scala(max((n for n in numeri if n is not None), default=0))
    passi = max(len(etichette_x) - 1, 1)

    def x(i):
        return sx + (area_l * i / passi if len(etichette_x) > 1 else area_l / 2)

    def y(v):
        return su + area_a - area_a * v / massimo

    parti = [
        format_html(
            '<svg xmlns="http://www.w3.org/2000/svg" class="grafico" role="img" '
            'aria-label="{}" viewBox="0 0 {} {}" width="{}" height="{}" '
            'font-family="{}" font-size="12">',
            titolo,
            larghezza,
            altezza,
            larghezza,
            altezza,
            FONT,
        ),
        format_html("<title>{}</title>", titolo),
    ]
    for k in range(5):
        valore = massimo * k / 4
        yy = y(valore)
        parti.append(
            format_html(
                '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{}"/>'
                '<text x="{}" y="{}" text-anchor="end" fill="{}">{}</text>',
                sx,
                f"{yy:.1f}",
                larghezza - dx,
                f"{yy:.1f}",
                GRIGLIA,
                sx - 6,
                f"{yy + 4:.1f}",
                TESTO,
                _fmt(round(valore) if massimo >= 10 else round(valore, 1)),
            )
        )
    massimo_etichette = max(2, int(area_l // (lunghezza_x * LARGHEZZA_CARATTERE * 12 / 13 + 8)))
    ogni = max(1, -(-len(etichette_x) // min(12, massimo_etichette)))
    for i, etichetta in enumerate(etichette_x):
        if i % ogni:
            continue
        parti.append(
            format_html(
                '<text x="{}" y="{}" text-anchor="middle" fill="{}">{}</text>',
                f"{x(i):.1f}",
                su + area_a + 16,
                TESTO,
                etichetta,
            )
        )
    caratteri_legenda = max(4, int((area_l / colonne - 24) / (LARGHEZZA_CARATTERE * 12 / 13)))
    for indice, (nome, valori) in enumerate(serie):
        tratteggiata = indice in tratteggiate
        colore = COLORE_PRECEDENTE if tratteggiata else COLORI_SERIE[indice % len(COLORI_SERIE)]
        tratto: list[str] = []
        tratti = [tratto]
        for i, v in enumerate(valori):
            n = numero(v)
            if n is None:
                tratto = []
                tratti.append(tratto)
                continue
            tratto.append(f"{x(i):.1f},{y(n):.1f}")
            parti.append(
                format_html(
                    '<circle cx="{}" cy="{}" r="3" fill="{}"/>',
                    f"{x(i):.1f}",
                    f"{y(n):.1f}",
                    colore,
                )
            )
        for punti in tratti:
            if len(punti) > 1:
                parti.append(
                    format_html(
                        '<polyline points="{}" fill="none" stroke="{}" stroke-width="2"{}/>',
                        " ".join(punti),
                        colore,
                        mark_safe(' stroke-dasharray="5 3"') if tratteggiata else "",  # noqa: S308
                    )
                )
        lx = sx + (indice % colonne) * (area_l / colonne)
        ly = su + area_a + 38 + (indice // colonne) * 18
        parti.append(
            format_html(
                '<rect x="{}" y="{}" width="14" height="4" fill="{}"/>'
                '<text x="{}" y="{}" fill="{}">{}</text>',
                f"{lx:.1f}",
                ly - 4,
                colore,
                f"{lx + 19:.1f}",
                ly,
                TESTO,
                _accorcia(nome, min(30, caratteri_legenda)),
            )
        )
    parti.append(mark_safe("</svg>"))  # noqa: S308 - a constant
    return mark_safe("".join(parti))  # noqa: S308 - every part is escaped above
