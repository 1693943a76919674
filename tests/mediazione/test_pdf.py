"""The dossier PDF: marked "Riservato" on every page, with the timeline and the
warning on notes not to be shared."""

import subprocess

import pytest
from django.urls import reverse

from mediazione import services

pytestmark = pytest.mark.django_db


def _testo(pdf: bytes, tmp_path) -> str:
    percorso = tmp_path / "dossier.pdf"
    percorso.write_bytes(pdf)
    return subprocess.run(
        ["pdftotext", "-layout", str(percorso), "-"], capture_output=True, text=True, check=True
    ).stdout


def test_il_pdf_e_riservato_e_ha_la_linea_del_tempo(client_di, mediatore, dossier, tmp_path):
    risposta = client_di(mediatore).get(reverse("mediazione:pdf", args=[dossier.pk]))
    assert risposta["Content-Type"] == "application/pdf"
    assert "no-store" in risposta["Cache-Control"]
    testo = _testo(risposta.content, tmp_path)
    assert "RISERVATO" in testo
    assert dossier.numero in testo
    assert "Segreti Giovanna" in testo and "Rumorosi Bruno" in testo
    # The timeline in date order, with the warning on the separate session.
    percorso = testo[testo.index("Percorso: attività svolte") : testo.index("Accordo")]
    assert percorso.index("colloquio individuale") < percorso.index("incontro congiunto")
    assert "Da non condividere con l'altra parte" in testo
    assert "depressione" in testo
    assert "Silenzio dopo le 22" in testo
    pagine = testo.count("\f") or 1
    assert testo.count("Riservato — pagina") == pagine
    (tmp_path / "dossier.pdf").write_bytes(risposta.content)
    subprocess.run(
        ["pdftoppm", "-png", "-r", "60", str(tmp_path / "dossier.pdf"), str(tmp_path / "p")],
        check=True,
    )
    assert list(tmp_path.glob("p*.png"))


def test_il_pdf_di_un_dossier_anonimizzato_non_ha_dati_personali(mediatore, dossier, tmp_path):
    services.chiudi(dossier, esito="nessun_accordo", da=mediatore)
    services.anonimizza(dossier)
    testo = _testo(services.genera_pdf(dossier, da=mediatore), tmp_path)
    assert "Segreti" not in testo and "depressione" not in testo
    assert "persona anonimizzata" in testo
