import io

import pytest
from PIL import Image
from pytest_factoryboy import register

from tests.segnalazioni import factories

register(factories.UfficioFactory)
register(factories.CategoriaFactory)
register(factories.SegnalazioneFactory)


@pytest.fixture
def categoria(db):
    return factories.CategoriaFactory(
        codice="illuminazione",
        nome="Illuminazione",
        ufficio=factories.UfficioFactory(nome="Illuminazione pubblica", email="luce@example.org"),
        giorni_risposta=15,
    )


@pytest.fixture
def dati_sportello(san_siro, categoria):
    """What an operator fills in at the desk for a complaint in San Siro."""
    return {
        "canale": "sportello",
        "tipo": "reclamo",
        "categoria": categoria.pk,
        "quartiere": san_siro.pk,
        "oggetto": "Ascensore fermo",
        "descrizione": "Fermo da tre giorni nella scala B.",
        "indirizzo": "Via Zamagna 7",
        "consenso_privacy": "on",
    }


@pytest.fixture
def segnalazione_san_siro(san_siro, categoria):
    return factories.SegnalazioneFactory(
        quartiere=san_siro, categoria=categoria, email_segnalante="cittadina@example.org"
    )


@pytest.fixture
def segnalazione_gratosoglio(gratosoglio, categoria):
    return factories.SegnalazioneFactory(quartiere=gratosoglio, categoria=categoria)


def immagine(formato="JPEG", exif_gps=True, dimensione=(40, 30)) -> bytes:
    img = Image.new("RGB", dimensione, (200, 10, 10))
    uscita = io.BytesIO()
    opzioni = {}
    if exif_gps and formato in ("JPEG", "WEBP", "PNG"):
        exif = Image.Exif()
        exif[0x010F] = "Fotocamera Segreta"  # Make
        exif[0x0132] = "2026:01:01 10:00:00"  # DateTime
        gps = {1: "N", 2: (45.0, 28.0, 0.0), 3: "E", 4: (9.0, 11.0, 0.0)}
        exif[0x8825] = gps
        opzioni["exif"] = exif.tobytes()
    img.save(uscita, format=formato, **opzioni)
    return uscita.getvalue()


def _pdf_di_una_pagina() -> bytes:
    """The smallest real PDF: one blank page, as pypdf writes it (uploads are parsed)."""
    from pypdf import PdfWriter

    scrittore = PdfWriter()
    scrittore.add_blank_page(width=200, height=200)
    uscita = io.BytesIO()
    scrittore.write(uscita)
    return uscita.getvalue()


PDF_MINIMO = _pdf_di_una_pagina()
