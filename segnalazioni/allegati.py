"""Checking and cleaning uploaded attachments.

The type is read from the content (``filetype``), never from the name or the browser's
claim. Images are re-encoded by Pillow without their metadata (EXIF carries GPS
position, device and time), which also drops anything appended to the image data. A PDF
must parse (pypdf) and have at least one page. The name kept is the citizen's, made safe
(no folders, no odd characters) and given the extension of what the file really is.
"""

from __future__ import annotations

import io
import re
import unicodedata
from pathlib import Path, PurePosixPath

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from segnalazioni.models import Allegato

FORMATI_PILLOW = {"image/jpeg": "JPEG", "image/png": "PNG", "image/webp": "WEBP"}
MAX_PIXEL = 40_000_000  # a decompression bomb is refused rather than expanded


#: How many files one report (or one addition by staff) may carry.
MAX_ALLEGATI = 3


def regola() -> str:
    """The one rule for attachments, as every message, help text and the browser's own
    check before upload say it."""
    return _(
        "Al massimo %(n)s file: immagini JPEG, PNG o WebP oppure PDF, fino a %(mb)s MB ciascuno."
    ) % {"n": MAX_ALLEGATI, "mb": Allegato.DIMENSIONE_MASSIMA // (1024 * 1024)}


def verifica(caricato) -> tuple[str, bytes]:
    """Return ``(mime, cleaned content)`` for an uploaded file or raise ValidationError."""
    if caricato.size > Allegato.DIMENSIONE_MASSIMA:
        raise ValidationError(
            _("Il file «%(nome)s» è troppo grande. %(regola)s"),
            code="troppo_grande",
            params={"nome": caricato.name, "regola": regola()},
        )
    caricato.seek(0)
    contenuto = caricato.read()
    tipo = filetype.guess(contenuto[:8192])
    mime = tipo.mime if tipo else ""
    if mime not in Allegato.TIPI_AMMESSI:
        raise ValidationError(
            _("Il file «%(nome)s» non è un'immagine JPEG, PNG o WebP né un PDF."),
            code="tipo_non_ammesso",
            params={"nome": caricato.name},
        )
    if mime in FORMATI_PILLOW:
        contenuto = _senza_metadati(contenuto, mime, caricato.name)
    else:
        _verifica_pdf(contenuto, caricato.name)
    return mime, contenuto


ESTENSIONI = {
    "image/jpeg": "jpg",
    "image/png": "png",
    "image/webp": "webp",
    "application/pdf": "pdf",
}


def nome_sicuro(nome: str, mime: str) -> str:
    """The citizen's file name without folders or odd characters, with the extension of
    what the file is (``pdfhtml.html`` holding a PDF is kept as ``pdfhtml.pdf``)."""
    base = PurePosixPath((nome or "").replace("\\", "/")).name
    radice = base.rsplit(".", 1)[0] if "." in base.lstrip(".") else base
    radice = unicodedata.normalize("NFKC", radice)
    radice = re.sub(r"[^\w\- ]+", "_", radice, flags=re.UNICODE).strip(" ._-")[:100]
    return f"{radice or 'allegato'}.{ESTENSIONI.get(mime, 'bin')}"


def _verifica_pdf(contenuto: bytes, nome: str) -> None:
    """A PDF that pypdf can read, with at least one page and no password (pypdf imported
    here: only an uploaded PDF needs it)."""
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    errore = ValidationError(
        _("Il file «%(nome)s» non è un PDF valido."), code="pdf", params={"nome": nome}
    )
    try:
        lettore = PdfReader(io.BytesIO(contenuto), strict=False)
        if lettore.is_encrypted:
            raise ValidationError(
                _("Il PDF «%(nome)s» è protetto da password: invialo senza protezione."),
                code="pdf_protetto",
                params={"nome": nome},
            )
        if len(lettore.pages) < 1:
            raise errore
    except (PyPdfError, ValueError, TypeError, KeyError, OSError, RecursionError) as exc:
        raise errore from exc


def _senza_metadati(contenuto: bytes, mime: str, nome: str) -> bytes:
    errore = ValidationError(
        _("L'immagine «%(nome)s» è danneggiata o non leggibile."),
        code="immagine",
        params={"nome": nome},
    )
    try:
        with Image.open(io.BytesIO(contenuto)) as immagine:
            if immagine.width * immagine.height > MAX_PIXEL:
                raise errore
            immagine.load()
            # Keep the orientation the EXIF tag asked for, then drop every tag.
            ruotata = ImageOps.exif_transpose(immagine)
            if ruotata.mode in ("P", "PA", "LA", "I;16", "I", "F", "CMYK", "1"):
                ruotata = ruotata.convert(
                    "RGBA" if "A" in ruotata.mode or ruotata.mode == "P" else "RGB"
                )
            # A fresh image holds pixels only: no EXIF, XMP, ICC or text chunks.
            pulita = Image.new(ruotata.mode, ruotata.size)
            pulita.paste(ruotata)
            if mime == "image/jpeg" and pulita.mode not in ("RGB", "L"):
                pulita = pulita.convert("RGB")
            uscita = io.BytesIO()
            opzioni = {"quality": 90} if mime != "image/png" else {"optimize": True}
            pulita.save(uscita, format=FORMATI_PILLOW[mime], **opzioni)
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError) as exc:
        raise errore from exc
    return uscita.getvalue()


def crea_allegato(segnalazione, caricato, *, da=None) -> Allegato:
    """Store one already-verified upload (see :func:`verifica`)."""
    mime, contenuto = caricato.verificato if hasattr(caricato, "verificato") else verifica(caricato)
    allegato = Allegato(
        segnalazione=segnalazione,
        nome_originale=nome_sicuro(caricato.name, mime),
        tipo_mime=mime,
        dimensione=len(contenuto),
        caricato_da=da if getattr(da, "is_authenticated", False) else None,
    )
    allegato.file.save("allegato", ContentFile(contenuto), save=False)
    allegato.save()
    return allegato


def cartella_temporanea() -> Path:
    """Where the attachments of reports being filled in step by step wait until the report
    is sent (segnalazioni/views/procedura.py); retention removes the ones left behind."""
    return Path(settings.MEDIA_ROOT) / "procedure"


def archivio_temporaneo():
    """The storage of those waiting attachments: the default storage's ``procedure`` folder
    (on S3 a prefix in the same bucket), so that with several app servers the next step,
    on another machine, finds them. Built per call: MEDIA_ROOT is read when it is used."""
    from django.core.files.storage import FileSystemStorage, storages
    from django.utils.module_loading import import_string

    configurazione = settings.STORAGES["default"]
    opzioni = dict(configurazione.get("OPTIONS", {}))
    if issubclass(import_string(configurazione["BACKEND"]), FileSystemStorage):
        opzioni["location"] = cartella_temporanea()
    else:
        opzioni["location"] = "/".join(p for p in (opzioni.get("location", ""), "procedure") if p)
    return storages.create_storage({**configurazione, "OPTIONS": opzioni})
