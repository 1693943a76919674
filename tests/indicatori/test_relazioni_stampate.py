"""The report printed with the dirigente's commentary, kept as it was printed."""

from __future__ import annotations

import io
import subprocess

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from pypdf import PdfReader

from quartiere.relazioni.models import LUNGHEZZA_COMMENTO, RelazioneStampata

pytestmark = pytest.mark.django_db

PERIODO = "?dal=2025-01-01&al=2025-06-30&quartiere=san-siro"


def estrai(contenuto: bytes, tmp_path) -> str:
    percorso = tmp_path / "r.pdf"
    percorso.write_bytes(contenuto)
    return subprocess.run(
        ["pdftotext", str(percorso), "-"], capture_output=True, text=True, check=True
    ).stdout


def stampa(client, **commenti):
    return client.post(reverse("quartiere:relazione_prepara") + PERIODO, commenti)


def test_il_dirigente_commenta_stampa_e_conserva(client_di, cast, dati, tmp_path):
    c = client_di(cast["dirigente"])
    modulo = c.get(reverse("quartiere:relazione_prepara") + PERIODO)
    assert modulo.status_code == 200
    campi = set(modulo.context["commenti"].fields)
    assert {"sintesi", "segnalazioni", "laboratori", "patti", "attivita_operatori"} <= campi

    risposta = stampa(
        c,
        sintesi="Un semestre di crescita: <script>alert(1)</script> & più incontri.",
        laboratori="Il gruppo pilota si è riunito ogni mese.",
        sconosciuta="non è una sezione",
    )
    assert risposta.status_code == 302
    assert risposta["Location"] == reverse("quartiere:relazioni_stampate")
    versione = RelazioneStampata.objects.get()
    assert versione.commenti == {
        "sintesi": "Un semestre di crescita: <script>alert(1)</script> & più incontri.",
        "laboratori": "Il gruppo pilota si è riunito ogni mese.",
    }
    assert (versione.dal.isoformat(), versione.al.isoformat()) == ("2025-01-01", "2025-06-30")
    assert versione.confronto == "anno_precedente"
    assert (versione.confronto_dal.isoformat(), versione.confronto_al.isoformat()) == (
        "2024-01-01",
        "2024-06-30",
    )
    assert [q.codice for q in versione.quartieri.all()] == ["san-siro"]
    assert versione.creata_da == cast["dirigente"]

    scaricato = c.get(reverse("quartiere:relazione_stampata", args=[versione.pk]))
    assert scaricato.status_code == 200
    contenuto = b"".join(scaricato.streaming_content)
    with versione.documento.open("rb") as file:
        assert contenuto == file.read()
    assert len(PdfReader(io.BytesIO(contenuto)).pages) == versione.pagine
    testo = " ".join(estrai(contenuto, tmp_path).split())
    assert "commento del dirigente" in testo.lower()
    # Printed as typed, never as markup.
    assert "<script>alert(1)</script> & più incontri." in testo
    assert "Il gruppo pilota si è riunito ogni mese." in testo

    elenco = c.get(reverse("quartiere:relazioni_stampate"))
    assert elenco.status_code == 200
    assert reverse("quartiere:relazione_stampata", args=[versione.pk]) in elenco.content.decode()


def test_la_nuova_stampa_parte_dai_commenti_dell_ultima(client_di, cast, dati):
    c = client_di(cast["dirigente"])
    stampa(c, sintesi="Prima versione.")
    modulo = c.get(reverse("quartiere:relazione_prepara") + PERIODO)
    assert modulo.context["commenti"].initial == {"sintesi": "Prima versione."}
    assert "Prima versione." in modulo.content.decode()


def test_commento_troppo_lungo_nessuna_stampa(client_di, cast, dati):
    risposta = stampa(client_di(cast["dirigente"]), sintesi="x" * (LUNGHEZZA_COMMENTO + 1))
    assert risposta.status_code == 400
    assert risposta.context["commenti"].errors["sintesi"]
    assert not RelazioneStampata.objects.exists()


def test_periodo_non_valido_nessuna_stampa(client_di, cast, dati):
    risposta = client_di(cast["dirigente"]).post(
        reverse("quartiere:relazione_prepara") + "?dal=2025-06-30&al=2025-01-01", {}
    )
    assert risposta.status_code == 400
    assert not RelazioneStampata.objects.exists()


def test_la_versione_stampata_non_si_modifica_ne_si_cancella(client_di, cast, dati):
    stampa(client_di(cast["dirigente"]), sintesi="Conservata.")
    versione = RelazioneStampata.objects.get()
    versione.commenti = {"sintesi": "Riscritta."}
    with pytest.raises(IntegrityError), transaction.atomic():
        versione.save()
    with pytest.raises(IntegrityError), transaction.atomic():
        RelazioneStampata.objects.filter(pk=versione.pk).delete()
    with pytest.raises(IntegrityError), transaction.atomic():
        versione.quartieri.clear()
    assert RelazioneStampata.objects.get().commenti == {"sintesi": "Conservata."}


def test_il_cruscotto_porta_alla_relazione_con_commento(client_di, cast, dati):
    pagina = client_di(cast["dirigente"]).get(reverse("quartiere:cruscotto")).content.decode()
    assert reverse("quartiere:relazione_prepara") in pagina
    pagina = client_di(cast["operatore"]).get(reverse("quartiere:cruscotto")).content.decode()
    assert reverse("quartiere:relazione_prepara") not in pagina
    assert reverse("quartiere:relazioni_stampate") not in pagina
