"""The printable pact: its text (pdftotext) and the signed snapshot."""

from __future__ import annotations

import datetime
import subprocess

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from patti import services
from patti.models import Patto

pytestmark = pytest.mark.django_db


def _testo_pdf(contenuto: bytes, tmp_path) -> str:
    percorso = tmp_path / "patto.pdf"
    percorso.write_bytes(contenuto)
    return subprocess.run(
        ["pdftotext", "-layout", str(percorso), "-"], capture_output=True, text=True, check=True
    ).stdout


@pytest.fixture
def firmato(san_siro, coordinatore, patto_san_siro):
    Patto.objects.filter(pk=patto_san_siro.pk).update(
        stato="approvato",
        data_firma=None,
        atto_tipo="delibera",
        atto_numero="45",
        atto_data=datetime.date(2025, 2, 20),
        sostegno_materiali=True,
        sostegno_assicurazione=True,
        copertura_assicurativa="Polizza RC del Comune n. 987",
    )
    patto_san_siro.refresh_from_db()
    return services.cambia_stato(
        patto_san_siro, "firmato", da=coordinatore, data_firma=datetime.date(2025, 3, 15)
    )


def test_il_pdf_contiene_parti_impegni_sostegno_e_firme(firmato, tmp_path):
    testo = _testo_pdf(services.pdf_patto(firmato), tmp_path)
    for atteso in (
        "Orti del cortile di via Abbiati",
        f"n. {firmato.numero}",
        "Associazione Inquilini San Siro",
        "Aprire l'orto il sabato mattina",
        # The pact is a document between its parties: the volunteer is named in it.
        "Giuseppina Riservatissima",
        "materiali e attrezzature",
        "copertura assicurativa",
        "Polizza RC del Comune n. 987",
        "delibera n. 45 del 20/02/2025",
        "Letto, approvato e sottoscritto il 15/03/2025",
        "Orto didattico",
        "2.500,00 €",
        "Firma",
    ):
        assert atteso in testo, atteso
    assert "BOZZA" not in testo


def test_il_pdf_firmato_non_cambia_con_le_modifiche_successive(firmato, tmp_path):
    # The database refuses to rewrite a signed pact (tests/patti/test_sigillo.py): even a
    # write that skips every form leaves the printed document as it was signed.
    with pytest.raises(IntegrityError), transaction.atomic():
        Patto.objects.filter(pk=firmato.pk).update(titolo="Titolo riscritto dopo la firma")
    with pytest.raises(IntegrityError), transaction.atomic():
        firmato.firmatari.filter(tipo="associazione").get().impegni.update(
            descrizione="Impegno riscritto"
        )
    firmato.refresh_from_db()
    testo = _testo_pdf(services.pdf_patto(firmato), tmp_path)
    assert "Orti del cortile di via Abbiati" in testo
    assert "Titolo riscritto" not in testo and "Impegno riscritto" not in testo


def test_la_bozza_si_stampa_con_i_dati_correnti(san_siro, tmp_path):
    from tests.patti.factories import PattoFactory

    patto = PattoFactory(quartiere=san_siro, titolo="Bozza di patto")
    testo = _testo_pdf(services.pdf_patto(patto), tmp_path)
    assert "BOZZA" in testo and "Bozza di patto" in testo


def test_il_pdf_dalla_pagina(client_di, operatore, firmato):
    risposta = client_di(operatore).get(reverse("patti:pdf", args=[firmato.pk]))
    assert risposta["Content-Type"] == "application/pdf"
    assert risposta.content.startswith(b"%PDF")
