"""The staff pages at work: from a draft to a signed pact and its renewal."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from patti.models import Firmatario, Patto
from quartiere.territorio.models import Quartiere
from tests.factories import OrganizzazioneFactory, PersonaFactory
from tests.patti import factories as f

pytestmark = pytest.mark.django_db


def test_dalla_proposta_al_patto_firmato_e_rinnovato(client_di, operatore, coordinatore, san_siro):
    op, co = client_di(operatore), client_di(coordinatore)
    risposta = op.post(
        reverse("patti:crea"),
        {
            "titolo": "  Giardino   condiviso ",
            "quartiere": san_siro.pk,
            "tipo": "ordinario",
            "livello": "gestione_condivisa",
            "bene_materiale": "on",
            "finalita": "Curare il giardino",
            "data_fine": "2026-12-31",
            "data_inizio": "2026-01-01",
        },
    )
    patto = Patto.objects.get()
    assert risposta.status_code == 302 and risposta["Location"] == patto.get_absolute_url()
    assert patto.titolo == "Giardino condiviso"
    assert patto.stato == "proposta"

    associazione = OrganizzazioneFactory(quartiere=san_siro, nome="Amici del giardino")
    volontario = PersonaFactory(quartiere=san_siro)
    url_firmatario = reverse("patti:firmatario_crea", args=[patto.pk])
    for dati in (
        {"tipo": "comune", "ufficio": "Direzione Verde", "ordine": 0},
        {"tipo": "associazione", "organizzazione": associazione.pk, "ordine": 1},
        {"tipo": "volontario", "persona": volontario.pk, "ordine": 2},
    ):
        assert op.post(url_firmatario, dati).status_code == 302
    # The same party twice, or a Comune row naming a person, is refused by the form.
    doppione = op.post(
        url_firmatario, {"tipo": "volontario", "persona": volontario.pk, "ordine": 3}
    )
    assert doppione.status_code == 200
    assert "firma già questo patto" in doppione.content.decode()
    incoerente = op.post(url_firmatario, {"tipo": "comune", "persona": volontario.pk, "ordine": 3})
    assert incoerente.status_code == 200
    assert patto.firmatari.count() == 3

    comune = patto.firmatari.get(tipo="comune")
    op.post(
        reverse("patti:impegno_crea", args=[comune.pk]),
        {"descrizione": "Fornire gli attrezzi", "scadenza": "2026-03-01"},
    )
    op.post(
        reverse("patti:progetto_crea", args=[patto.pk]),
        {"titolo": "Aiuole", "ambito": "cura_citta", "budget": "1500", "avanzamento": 0},
    )
    url_stato = reverse("patti:stato", args=[patto.pk])
    op.post(url_stato, {"a_stato": "istruttoria"})
    # The operator cannot approve: the choice is not even offered.
    negato = op.post(url_stato, {"a_stato": "approvato"})
    assert negato.status_code == 200
    co.post(
        url_stato,
        {
            "a_stato": "approvato",
            "atto_tipo": "determina",
            "atto_numero": "77",
            "atto_data": "2025-12-20",
        },
    )
    co.post(url_stato, {"a_stato": "firmato", "data_firma": "2026-01-10"})
    patto.refresh_from_db()
    assert patto.stato == "firmato"
    assert str(patto.data_firma) == "2026-01-10"
    assert patto.documento_firmato["progetti"][0]["titolo"] == "Aiuole"
    assert [p.a_stato for p in patto.passaggi.all()] == [
        "proposta",
        "istruttoria",
        "approvato",
        "firmato",
    ]

    risposta = op.post(reverse("patti:rinnova", args=[patto.pk]))
    rinnovo = Patto.objects.get(rinnova=patto)
    assert risposta["Location"] == rinnovo.get_absolute_url()
    assert rinnovo.firmatari.count() == 3
    assert rinnovo.progetti.get().titolo == "Aiuole"


def test_modifica_concorrente_rifiutata(client_di, operatore, coordinatore, san_siro):
    patto = f.PattoFactory(quartiere=san_siro)
    url = reverse("patti:modifica", args=[patto.pk])
    dati = {
        "titolo": "Primo",
        "quartiere": san_siro.pk,
        "tipo": "ordinario",
        "livello": "cura_occasionale",
        "versione_letta": patto.versione,
    }
    assert client_di(operatore).post(url, dati).status_code == 302
    risposta = client_di(coordinatore).post(url, {**dati, "titolo": "Secondo"})
    assert risposta.status_code == 200
    assert "Qualcun altro ha salvato" in risposta.content.decode()
    patto.refresh_from_db()
    assert patto.titolo == "Primo"


def test_operatore_non_sceglie_quartieri_altrui(client_di, operatore, gratosoglio):
    risposta = client_di(operatore).post(
        reverse("patti:crea"),
        {
            "titolo": "Fuori zona",
            "quartiere": gratosoglio.pk,
            "tipo": "ordinario",
            "livello": "cura_occasionale",
        },
    )
    assert risposta.status_code == 200
    assert not Patto.objects.exists()


def test_firmatario_di_un_registro_fuori_portata_rifiutato(
    client_di, operatore, san_siro, gratosoglio
):
    patto = f.PattoFactory(quartiere=san_siro)
    lontana = OrganizzazioneFactory(quartiere=gratosoglio)
    risposta = client_di(operatore).post(
        reverse("patti:firmatario_crea", args=[patto.pk]),
        {"tipo": "associazione", "organizzazione": lontana.pk, "ordine": 0},
    )
    assert risposta.status_code == 200
    assert not Firmatario.objects.exists()


def test_l_admin_importa_i_fogli_tutto_o_niente(client_di, coordinatore, dirigente):
    from pathlib import Path

    cartella = Path(__file__).parent / "dati_import" / "pulito"
    url = reverse("admin:patti_patto_importa_fogli")
    c = client_di(coordinatore)
    sbagliato = SimpleUploadedFile(
        "quartieri.csv", b"codice,nome\nrivalta,Rivalta\nrivalta,Doppio\n", "text/csv"
    )
    risposta = c.post(url, {"file": [sbagliato]})
    assert "quartieri.csv:3: codice: duplicato" in risposta.content.decode()
    assert not Patto.objects.exists()
    file = [
        SimpleUploadedFile(p.name, p.read_bytes(), "text/csv") for p in sorted(cartella.iterdir())
    ]
    risposta = c.post(url, {"file": file})
    assert risposta.status_code == 200
    assert Patto.objects.count() == 3
    assert client_di(dirigente).get(url).status_code in (302, 403)


def test_l_admin_accetta_i_fogli_xlsx_e_rifiuta_gli_altri_nomi(client_di, coordinatore):
    import io

    from openpyxl import Workbook

    libro = Workbook()
    libro.active.append(["codice", "nome"])
    libro.active.append(["rivalta", "Rivalta"])
    contenuto = io.BytesIO()
    libro.save(contenuto)
    url = reverse("admin:patti_patto_importa_fogli")
    c = client_di(coordinatore)
    xlsx = SimpleUploadedFile("quartieri.xlsx", contenuto.getvalue())
    risposta = c.post(url, {"file": [xlsx]})
    assert risposta.status_code == 200
    assert Quartiere.objects.filter(codice="rivalta").exists()
    altro = SimpleUploadedFile("bilancio.xlsx", contenuto.getvalue())
    risposta = c.post(url, {"file": [altro]})
    assert "File non previsti: bilancio.xlsx" in risposta.content.decode()


def test_l_admin_esporta_i_patti_per_codice(client_di, coordinatore, san_siro):
    f.PattoFactory(quartiere=san_siro, codice="EXP-1", titolo="Esportato")
    risposta = client_di(coordinatore).post(
        reverse("admin:patti_patto_export"),
        {
            "format": "0",
            "resource": "0",
            **{f"pattoresource_{c}": "on" for c in ("codice", "titolo", "quartiere")},
        },
    )
    assert risposta.status_code == 200
    testo = risposta.content.decode()
    assert "EXP-1" in testo and "san-siro" in testo
