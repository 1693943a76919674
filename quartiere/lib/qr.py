"""QR codes as SVG: one path with a viewBox, so it scales to its box and carries no style
attribute (the strict CSP), in a page, a PDF or a file of its own."""

from __future__ import annotations

import base64
from io import BytesIO


def svg(testo: str) -> bytes:
    import qrcode
    import qrcode.image.svg

    buffer = BytesIO()
    qrcode.make(testo, image_factory=qrcode.image.svg.SvgPathImage).save(buffer)
    return buffer.getvalue()


def data_uri(testo: str) -> str:
    """For an ``<img src>`` in a page (the CSP allows ``data:`` images) or in a PDF."""
    return "data:image/svg+xml;base64," + base64.b64encode(svg(testo)).decode("ascii")
