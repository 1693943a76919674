"""The comparison presets: same months of last year, previous period, a chosen period."""

from __future__ import annotations

import datetime
import subprocess

import pytest
from django.urls import reverse

from quartiere.relazioni.figure import (
    ANNO_PRECEDENTE,
    PRECEDENTE,
    SCELTO,
    ErroreIndicatori,
    confronto_predefinito,
    periodo_di_confronto,
    stesso_periodo_anno_precedente,
)

D = datetime.date


@pytest.mark.parametrize(
    ("dal", "al", "atteso"),
    [
        (D(2026, 1, 1), D(2026, 12, 7), (D(2025, 1, 1), D(2025, 12, 7))),
        (D(2024, 2, 29), D(2024, 3, 31), (D(2023, 2, 28), D(2023, 3, 31))),
        (D(2025, 3, 1), D(2025, 3, 31), (D(2024, 3, 1), D(2024, 3, 31))),
    ],
)
def test_stesso_periodo_dell_anno_precedente(dal, al, atteso):
    assert stesso_periodo_anno_precedente(dal, al) == atteso


@pytest.mark.parametrize(
    ("dal", "al", "atteso"),
    [
        # Year to date: the same months of last year, not the 11 months before January.
        (D(2026, 1, 1), D(2026, 12, 7), ANNO_PRECEDENTE),
        (D(2026, 1, 1), D(2026, 1, 31), ANNO_PRECEDENTE),
        (D(2026, 3, 1), D(2026, 3, 31), PRECEDENTE),
        # Across two years it is not "year to date".
        (D(2025, 1, 1), D(2026, 6, 30), PRECEDENTE),
    ],
)
def test_confronto_predefinito(dal, al, atteso):
    assert confronto_predefinito(dal, al) == atteso


def test_periodo_di_confronto():
    assert periodo_di_confronto(D(2026, 1, 1), D(2026, 12, 7)) == (
        ANNO_PRECEDENTE,
        D(2025, 1, 1),
        D(2025, 12, 7),
    )
    assert periodo_di_confronto(D(2026, 1, 1), D(2026, 12, 7), PRECEDENTE) == (
        PRECEDENTE,
        D(2025, 1, 25),
        D(2025, 12, 31),
    )
    scelto = (D(2020, 5, 1), D(2020, 5, 31))
    assert periodo_di_confronto(D(2026, 1, 1), D(2026, 1, 31), SCELTO, scelto) == (
        SCELTO,
        *scelto,
    )
    with pytest.raises(ErroreIndicatori):
        periodo_di_confronto(D(2026, 1, 1), D(2026, 1, 31), SCELTO)
    with pytest.raises(ErroreIndicatori):
        periodo_di_confronto(D(2026, 1, 1), D(2026, 1, 31), SCELTO, scelto[::-1])
    with pytest.raises(ErroreIndicatori):
        periodo_di_confronto(D(2026, 1, 1), D(2026, 1, 31), "ieri")


URL = "quartiere:cruscotto"
# Half of 2025: the data (tests/indicatori/conftest.py) holds a meeting held on
# 1 June 2024, in the same months of 2024 but not in the six months before.
META = {"dal": "2025-01-01", "al": "2025-06-30", "quartiere": "san-siro"}


def _incontri(relazione):
    return relazione.precedenti["laboratori"]["incontri_svolti"]


@pytest.mark.django_db
def test_cruscotto_anno_precedente_per_l_anno_in_corso(client_di, cast, dati):
    risposta = client_di(cast["dirigente"]).get(reverse(URL), META)
    r = risposta.context["relazione"]
    assert (r.confronto, r.precedente_dal, r.precedente_al) == (
        ANNO_PRECEDENTE,
        D(2024, 1, 1),
        D(2024, 6, 30),
    )
    assert _incontri(r) == 1
    pagina = risposta.content.decode()
    assert "stesso periodo dell&#x27;anno precedente, dal 01/01/2024 al 30/06/2024" in pagina

    r = client_di(cast["dirigente"]).get(reverse(URL), {**META, "confronto": PRECEDENTE})
    r = r.context["relazione"]
    assert (r.precedente_dal, r.precedente_al) == (D(2024, 7, 1), D(2024, 12, 31))
    assert _incontri(r) == 0


@pytest.mark.django_db
def test_cruscotto_periodo_scelto(client_di, cast, dati):
    c = client_di(cast["dirigente"])
    mancante = c.get(reverse(URL), {**META, "confronto": SCELTO})
    assert "relazione" not in mancante.context
    assert mancante.context["form"].errors["confronto_dal"]
    rovesciato = c.get(
        reverse(URL),
        {**META, "confronto": SCELTO, "confronto_dal": "2024-06-30", "confronto_al": "2024-06-01"},
    )
    assert rovesciato.context["form"].errors["confronto_al"]
    scelto = {"confronto": SCELTO, "confronto_dal": "2024-06-01", "confronto_al": "2024-06-30"}
    risposta = c.get(reverse(URL), {**META, **scelto})
    r = risposta.context["relazione"]
    assert (r.confronto, r.precedente_dal, r.precedente_al) == (
        SCELTO,
        D(2024, 6, 1),
        D(2024, 6, 30),
    )
    assert _incontri(r) == 1
    # The PDF and the exports keep the same comparison.
    assert "confronto_dal=2024-06-01" in risposta.content.decode()
    pdf = c.get(reverse("quartiere:cruscotto_pdf"), {**META, **scelto})
    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"


@pytest.mark.django_db
def test_pdf_dice_quale_confronto(client_di, cast, tmp_path):
    uscita = tmp_path / "r.pdf"
    pdf = client_di(cast["dirigente"]).get(reverse("quartiere:cruscotto_pdf"), META)
    uscita.write_bytes(pdf.content)
    testo = subprocess.run(  # noqa: S603 - fixed arguments
        ["pdftotext", "-layout", str(uscita), "-"],  # noqa: S607
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "Stesso periodo dell'anno precedente, dal 01/01/2024 al 30/06/2024" in testo
