"""Upload probes against the attachments of segnalazioni (segnalazioni/allegati.py).

HTML or SVG renamed .jpg, forged magic bytes, polyglots (an image carrying HTML, a ZIP or
metadata), an oversize file, a decompression bomb, path-traversal and markup in the file
name; and how a stored attachment is served back.
"""

import io
import re
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils.html import escape
from PIL import Image

from segnalazioni import allegati
from segnalazioni.models import Allegato
from tests.segnalazioni.conftest import PDF_MINIMO
from tests.segnalazioni.factories import SegnalazioneFactory

HTML = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"
SVG = (
    b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)">'
    b"<script>alert(2)</script></svg>"
)
NOME_SU_DISCO = re.compile(r"^segnalazioni/\d{4}/\d{2}/[0-9a-f]{32}\.(jpg|png|webp|pdf)$")


def _immagine(formato="PNG", dimensioni=(16, 16), **opzioni) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", dimensioni, "orange").save(buffer, format=formato, **opzioni)
    return buffer.getvalue()


def _file(contenuto: bytes, nome="foto.jpg", tipo="image/jpeg"):
    return SimpleUploadedFile(nome, contenuto, content_type=tipo)


def _codici(errore: ValidationError) -> set[str]:
    return {e.code for e in errore.error_list}


# --- What the check accepts and how it cleans it ----------------------------------------------


@pytest.mark.parametrize(
    ("contenuto", "codice"),
    [
        (HTML, "tipo_non_ammesso"),
        (SVG, "tipo_non_ammesso"),
        (b"\xef\xbb\xbf" + SVG, "tipo_non_ammesso"),  # BOM first
        (b"GIF89a" + HTML, "tipo_non_ammesso"),  # a GIF header is not an accepted type
        (b"\xff\xd8\xff\xe0" + SVG, "immagine"),  # JPEG magic bytes, no JPEG behind them
        (b"\x89PNG\r\n\x1a\n" + HTML, "immagine"),  # PNG signature, then HTML
        (b"", "tipo_non_ammesso"),
    ],
    ids=["html", "svg", "svg-bom", "gif-html", "jpeg-magic-svg", "png-magic-html", "vuoto"],
)
def test_html_e_svg_travestiti_da_jpg_rifiutati(contenuto, codice):
    with pytest.raises(ValidationError) as errore:
        allegati.verifica(_file(contenuto))
    assert codice in _codici(errore.value)


@pytest.mark.parametrize("coda", [HTML, b"PK\x03\x04" + b"\x00" * 26 + b"evil.html" + HTML])
@pytest.mark.parametrize("formato", ["PNG", "JPEG", "WEBP"])
def test_poliglotta_immagine_piu_html_o_zip_ripulita(formato, coda):
    mime, pulito = allegati.verifica(_file(_immagine(formato) + coda, nome="x.jpg"))
    assert mime == f"image/{formato.lower()}"
    assert b"<script" not in pulito
    assert b"PK\x03\x04" not in pulito
    assert b"evil.html" not in pulito
    with Image.open(io.BytesIO(pulito)) as immagine:
        assert immagine.format == formato
        assert immagine.size == (16, 16)


def test_metadati_con_markup_e_posizione_rimossi():
    exif = Image.Exif()
    exif[0x010E] = "<script>alert(1)</script>"  # ImageDescription
    exif[0x8825] = {2: (45.0, 28.0, 0.0)}  # GPSInfo: latitude
    originale = _immagine("JPEG", exif=exif, comment=b"<html><script>alert(3)</script>")
    assert b"<script" in originale
    _mime, pulito = allegati.verifica(_file(originale))
    assert b"<script" not in pulito
    with Image.open(io.BytesIO(pulito)) as immagine:
        assert not immagine.getexif()
        assert "comment" not in immagine.info


def test_file_oltre_i_5_mb_rifiutato():
    troppo = _immagine("PNG") + b"\x00" * (Allegato.DIMENSIONE_MASSIMA)
    with pytest.raises(ValidationError) as errore:
        allegati.verifica(_file(troppo, nome="grande.png", tipo="image/png"))
    assert _codici(errore.value) == {"troppo_grande"}
    assert "5 MB" in str(errore.value.error_list[0].message % errore.value.error_list[0].params)


def test_bomba_di_decompressione_rifiutata():
    # 8000 x 8000 pixels of one colour: a few KB on disk, 192 MB once decoded.
    buffer = io.BytesIO()
    Image.new("1", (8000, 8000)).save(buffer, format="PNG")
    assert len(buffer.getvalue()) < 100_000
    with pytest.raises(ValidationError) as errore:
        allegati.verifica(_file(buffer.getvalue(), nome="bomba.png", tipo="image/png"))
    assert "immagine" in _codici(errore.value)


def test_un_pdf_finto_e_rifiutato():
    """The first bytes are not enough: a PDF must parse and have a page."""
    with pytest.raises(ValidationError) as errore:
        allegati.verifica(_file(b"%PDF-1.4\n" + HTML, nome="pdfhtml.html"))
    assert "pdf" in _codici(errore.value)


def test_un_pdf_protetto_da_password_e_rifiutato():
    from pypdf import PdfReader, PdfWriter

    scrittore = PdfWriter(clone_from=PdfReader(io.BytesIO(PDF_MINIMO)))
    scrittore.encrypt("segreta")
    uscita = io.BytesIO()
    scrittore.write(uscita)
    with pytest.raises(ValidationError) as errore:
        allegati.verifica(_file(uscita.getvalue(), nome="protetto.pdf"))
    assert "pdf_protetto" in _codici(errore.value)


def test_un_pdf_vero_con_html_in_coda_resta_un_pdf():
    """What a real PDF carries after its end is served as a PDF download, in a sandbox."""
    mime, contenuto = allegati.verifica(_file(PDF_MINIMO + HTML, nome="a.jpg"))
    assert mime == "application/pdf"
    assert contenuto.startswith(b"%PDF-")


@pytest.mark.parametrize(
    ("nome", "mime", "atteso"),
    [
        ("pdfhtml.html", "application/pdf", "pdfhtml.pdf"),
        ("../../etc/passwd", "application/pdf", "passwd.pdf"),
        ("C:\\Documenti\\foto del cortile.JPG", "image/jpeg", "foto del cortile.jpg"),
        ("<b>a&b</b>.png", "image/png", "b.png"),
        ("<img onerror=x>.png", "image/png", "img onerror_x.png"),
        ("", "image/webp", "allegato.webp"),
    ],
)
def test_il_nome_conservato_e_sicuro_e_ha_l_estensione_giusta(nome, mime, atteso):
    assert allegati.nome_sicuro(nome, mime) == atteso


# --- Through the staff upload and download --------------------------------------------------


def _multipart(nome_file: str, contenuto: bytes, tipo: str) -> tuple[bytes, str]:
    """A multipart body with a raw file name (the test client would strip its path)."""
    confine = "----sonda-quartiere"
    corpo = (
        (
            f"--{confine}\r\n"
            f'Content-Disposition: form-data; name="allegati"; filename="{nome_file}"\r\n'
            f"Content-Type: {tipo}\r\n\r\n"
        ).encode()
        + contenuto
        + f"\r\n--{confine}--\r\n".encode()
    )
    return corpo, f"multipart/form-data; boundary={confine}"


@pytest.fixture
def segnalazione(san_siro):
    return SegnalazioneFactory(quartiere=san_siro)


def _carica(client, segnalazione, nome_file, contenuto, tipo="image/jpeg"):
    corpo, content_type = _multipart(nome_file, contenuto, tipo)
    return client.generic(
        "POST",
        reverse("segnalazioni:aggiungi_allegati", args=[segnalazione.pk]),
        corpo,
        content_type=content_type,
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    "nome_file",
    [
        "../../../../../tmp/evaso.jpg",
        "..\\..\\..\\evaso.jpg",
        "/etc/passwd.jpg",
        "%2e%2e%2f%2e%2e%2fevaso.jpg",
        "....//....//evaso.jpg",
        "&lt;img src=x onerror=alert(1)&gt;.jpg",
        "<img src=x onerror=alert(1)>.jpg",
        'virgolette" onmouseover="alert(1).jpg',
    ],
)
def test_nome_del_file_non_decide_dove_si_scrive_ne_cosa_si_mostra(
    nome_file, segnalazione, coordinatore, client_di, settings
):
    client = client_di(coordinatore)
    risposta = _carica(client, segnalazione, nome_file, _immagine("JPEG"))
    assert risposta.status_code == 302
    allegato = Allegato.objects.get(segnalazione=segnalazione)
    assert NOME_SU_DISCO.match(allegato.file.name), allegato.file.name
    percorso = Path(allegato.file.path).resolve()
    assert percorso.is_relative_to(Path(settings.MEDIA_ROOT).resolve())
    assert "/" not in allegato.nome_originale
    assert "\\" not in allegato.nome_originale
    radice_temporanea = Path(settings.MEDIA_ROOT).parent
    assert not list(radice_temporanea.rglob("evaso*"))
    assert not Path("/tmp/evaso.jpg").exists()

    pagina = client.get(reverse("segnalazioni:dettaglio", args=[segnalazione.pk]))
    assert pagina.status_code == 200
    html = pagina.content.decode()
    assert escape(allegato.nome_originale) in html  # shown, as text
    assert "<img src=x onerror" not in html
    assert 'onmouseover="alert' not in html

    scaricato = client.get(
        reverse("segnalazioni:allegato", args=[segnalazione.pk, allegato.pk]) + "?scarica=1"
    )
    assert scaricato.status_code == 200
    disposizione = scaricato["Content-Disposition"]
    assert disposizione.startswith("attachment")
    assert "/" not in disposizione.split("filename", 1)[1].replace("utf-8''", "")
    assert "\n" not in disposizione
    b"".join(scaricato.streaming_content)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("contenuto", "tipo"),
    [(HTML, "image/jpeg"), (SVG, "image/svg+xml"), (b"\xff\xd8\xff\xe0" + SVG, "image/jpeg")],
    ids=["html", "svg", "jpeg-magic-svg"],
)
def test_caricamento_travestito_rifiutato_e_non_salvato(
    contenuto, tipo, segnalazione, coordinatore, client_di, settings
):
    client = client_di(coordinatore)
    risposta = _carica(client, segnalazione, "foto.jpg", contenuto, tipo)
    assert risposta.status_code == 302
    assert not Allegato.objects.filter(segnalazione=segnalazione).exists()
    assert not list(Path(settings.MEDIA_ROOT).rglob("*.*"))


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("contenuto", "mime", "disposizione"),
    [
        (_immagine("PNG") + HTML, "image/png", "inline"),
        (PDF_MINIMO + HTML, "application/pdf", "attachment"),
    ],
    ids=["png-poliglotta", "pdf-con-html"],
)
def test_allegato_servito_senza_sniffing_e_in_sandbox(
    contenuto, mime, disposizione, segnalazione, coordinatore, client_di
):
    client = client_di(coordinatore)
    assert _carica(client, segnalazione, "prova.jpg", contenuto).status_code == 302
    allegato = Allegato.objects.get(segnalazione=segnalazione)
    risposta = client.get(reverse("segnalazioni:allegato", args=[segnalazione.pk, allegato.pk]))
    assert risposta.status_code == 200
    assert risposta["Content-Type"] == mime
    assert risposta["X-Content-Type-Options"] == "nosniff"
    assert risposta["Content-Disposition"].startswith(disposizione)
    csp = risposta["Content-Security-Policy"]
    assert "sandbox" in csp
    assert "default-src 'none'" in csp
    assert "private" in risposta["Cache-Control"]
    servito = b"".join(risposta.streaming_content)
    if mime.startswith("image/"):
        assert b"<script" not in servito


@pytest.mark.django_db
def test_allegato_non_raggiungibile_da_altri_quartieri_ne_da_anonimi(
    segnalazione, coordinatore, operatore_gratosoglio, client_di
):
    assert _carica(client_di(coordinatore), segnalazione, "a.png", _immagine()).status_code == 302
    allegato = Allegato.objects.get(segnalazione=segnalazione)
    url = reverse("segnalazioni:allegato", args=[segnalazione.pk, allegato.pk])
    assert client_di(operatore_gratosoglio).get(url).status_code == 404
    anonimo = client_di(None).get(url)
    assert anonimo.status_code == 302
    assert anonimo["Location"].startswith(reverse("login"))
