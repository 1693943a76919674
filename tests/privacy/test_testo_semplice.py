"""The plain-text format of the admin-edited notice: structure in, escaped HTML out."""

from quartiere.lib.testo_semplice import in_html, sezioni


def test_titoli_paragrafi_ed_elenchi():
    html = in_html(
        "Introduzione\nsu due righe.\n\n## Finalità\n- prima voce\n- seconda voce\n\n"
        "### Dettaglio\nTesto finale."
    )
    assert html == (
        "<p>Introduzione<br>su due righe.</p>\n"
        '<h2 id="sezione-finalita" class="h4">Finalità</h2>\n'
        "<ul><li>prima voce</li><li>seconda voce</li></ul>\n"
        '<h3 id="sezione-dettaglio" class="h5">Dettaglio</h3>\n'
        "<p>Testo finale.</p>"
    )


def test_html_digitato_resta_testo():
    html = in_html(
        '## <script>alert(1)</script>\n<img src=x onerror="alert(2)">\n- <b>voce</b>\n\n'
        'Vedi javascript:alert(3) e <a href="https://male.example">qui</a>'
    )
    assert "<script" not in html and "<img" not in html and "<b>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;img src=x onerror=&quot;alert(2)&quot;&gt;" in html
    # The typed anchor stays text; its bare address is linked like any other, shown as is.
    assert '<a href="https://male.example">qui</a>' not in html and "&lt;a href=" in html
    assert 'href="javascript' not in html


def test_indirizzi_web_diventano_collegamenti():
    html = in_html("Reclamo al Garante (www.garanteprivacy.it).")
    assert '<a href="https://www.garanteprivacy.it" rel="nofollow">www.garanteprivacy.it</a>' in (
        html.replace("http://", "https://")
    )


def test_ancore_uniche_per_titoli_ripetuti():
    assert [s.ancora for s in sezioni("## Dati\n\n## Dati\n\n## !!!\n")] == [
        "sezione-dati",
        "sezione-dati-2",
        "sezione-senza-titolo",
    ]
