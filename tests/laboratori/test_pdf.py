"""The minutes PDF: what it prints, read back with pdftotext."""

import subprocess
from datetime import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from laboratori import services
from tests.factories import OrganizzazioneFactory, PersonaFactory, SedeFactory

pytestmark = pytest.mark.django_db


def _testo(pdf: bytes, tmp_path) -> str:
    percorso = tmp_path / "verbale.pdf"
    percorso.write_bytes(pdf)
    return subprocess.run(
        ["pdftotext", str(percorso), "-"], capture_output=True, check=True, text=True
    ).stdout


@pytest.fixture
def incontro_completo(incontro_san_siro, san_siro, operatore):
    operatore.first_name, operatore.last_name = "Sara", "Bianchi"
    operatore.save()
    inc = incontro_san_siro
    inc.inizio = timezone.make_aware(datetime(2025, 3, 12, 18, 0))
    inc.fine = timezone.make_aware(datetime(2025, 3, 12, 20, 0))
    inc.sede = SedeFactory(nome="Sala della Città condivisa", indirizzo="Viale XVIII Dicembre 124")
    inc.luogo = ""
    inc.ordine_del_giorno = "1. Presentazioni\n2. Mappa dei cortili"
    inc.verbale = "Si decide una giornata di pulizia del cortile di via Abbiati."
    inc.save()
    org = OrganizzazioneFactory(nome="Associazione Inquilini San Siro", quartiere=san_siro)
    services.registra_presenza(
        inc, persona=PersonaFactory(nome="Giulia", cognome="Rossi", quartiere=san_siro)
    )
    services.registra_presenza(
        inc,
        persona=PersonaFactory(nome="Ahmed", cognome="El Amrani", quartiere=san_siro),
        organizzazione=org,
    )
    services.registra_presenza(inc, organizzazione=OrganizzazioneFactory(nome="ALER Milano"))
    return inc


def test_testo_del_verbale(incontro_completo, tmp_path):
    testo = _testo(services.verbale_pdf(incontro_completo), tmp_path)
    piatto = " ".join(testo.split())
    assert "Verbale di incontro" in piatto
    assert "«Cortili di San Siro»" in piatto
    assert "mercoledì 12 marzo 2025, 18:00 – 20:00" in piatto
    assert "Sala della Città condivisa, Viale XVIII Dicembre 124" in piatto
    assert "Sara Bianchi" in piatto
    assert "3 presenze (2 persone, 2 organizzazioni)" in piatto
    assert "2. Mappa dei cortili" in piatto
    assert "giornata di pulizia del cortile di via Abbiati" in piatto
    assert "Associazione Inquilini San Siro; ALER Milano" in piatto or (
        "ALER Milano; Associazione Inquilini San Siro" in piatto
    )
    assert "El Amrani Ahmed (Associazione Inquilini San Siro)" in piatto
    assert "Rossi Giulia" in piatto
    assert "Pagina 1 di 1" in piatto


def test_verbale_vuoto_lo_dice(incontro_san_siro, tmp_path):
    incontro_san_siro.verbale = ""
    incontro_san_siro.save()
    piatto = " ".join(_testo(services.verbale_pdf(incontro_san_siro), tmp_path).split())
    assert "Verbale non ancora redatto." in piatto
    assert "Nessuna presenza registrata." in piatto


def test_verbale_sempre_in_italiano(client_di, operatore, incontro_completo, tmp_path):
    c = client_di(operatore)
    c.post(reverse("set_language"), {"language": "en", "next": "/"})
    r = c.get(reverse("laboratori:verbale_pdf", args=[incontro_completo.pk]))
    assert r["Content-Type"] == "application/pdf"
    assert r["Content-Disposition"].startswith('inline; filename="verbale-cortili-di-san-siro')
    assert "Verbale di incontro" in _testo(r.content, tmp_path)
