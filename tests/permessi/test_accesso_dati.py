"""The access request (art. 15 GDPR): a coordinator exports everything linked to a Persona
as JSON and PDF; nobody else can; other people's data stays out; every export is logged."""

from __future__ import annotations

import datetime
import json
import subprocess

import pytest
from django.contrib.admin.models import LogEntry
from django.urls import reverse

from mediazione import services as servizi_mediazione
from mediazione.models import Parte
from quartiere.privacy import accesso_dati as privacy
from quartiere.registro.models import Persona
from segnalazioni import services as servizi_segnalazioni
from tests import factories as core
from tests.calendario.factories import PrenotazioneFactory, SalaFactory
from tests.laboratori.factories import IncontroFactory, PresenzaFactory, PropostaFactory
from tests.mediazione.factories import DossierFactory
from tests.patti.factories import FirmatarioVolontarioFactory, ImpegnoFactory, PattoFactory
from tests.segnalazioni.factories import SegnalazioneFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def richiedente(san_siro, operatore, mediatore):
    """Ada, with a record in every app; Bruno, the other party, shares some of them."""
    ada = core.PersonaFactory(
        nome="Ada",
        cognome="Accessini",
        email="ada@example.org",
        telefono="3331234567",
        quartiere=san_siro,
        note="Preferisce essere chiamata al mattino.",
    )
    bruno = core.PersonaFactory(nome="Bruno", cognome="Altrui", quartiere=san_siro)
    s = SegnalazioneFactory(quartiere=san_siro, persona=ada, oggetto="Buca in via Ada")
    servizi_segnalazioni.aggiungi_nota(s, "Nota interna: la vicina Bruna dice che...", da=operatore)
    servizi_segnalazioni.rispondi(s, "Abbiamo inoltrato all'ufficio strade.", da=operatore)
    SegnalazioneFactory(quartiere=san_siro, persona=bruno, oggetto="Segnalazione di Bruno")
    incontro = IncontroFactory(laboratorio__quartiere=san_siro, titolo="Incontro dei cortili")
    PresenzaFactory(incontro=incontro, persona=ada)
    PresenzaFactory(incontro=incontro, persona=bruno)
    PropostaFactory(
        laboratorio=incontro.laboratorio, proponente_persona=ada, titolo="Orto condiviso"
    )
    patto = PattoFactory(quartiere=san_siro, numero="P/2026/001", titolo="Cura del giardino")
    firma = FirmatarioVolontarioFactory(patto=patto, persona=ada)
    ImpegnoFactory(firmatario=firma, descrizione="Annaffiare le aiuole")
    altra_firma = FirmatarioVolontarioFactory(patto=patto, persona=bruno)
    ImpegnoFactory(firmatario=altra_firma, descrizione="Impegno di Bruno")
    PrenotazioneFactory(
        sede=SalaFactory(quartiere=san_siro),
        titolo="Festa del cortile",
        richiedente_nome="Ada Accessini",
        richiedente_email="ADA@example.org",
    )
    dossier = DossierFactory(
        creato_da=mediatore,
        quartiere=san_siro,
        descrizione="Descrizione riservata del conflitto",
        aperto_il=datetime.date(2026, 1, 10),
    )
    servizi_mediazione.aggiungi_parte(
        dossier,
        da=mediatore,
        persona=ada,
        ruolo=Parte.Ruolo.RICHIEDENTE,
        note="Nota riservata su Ada",
    )
    servizi_mediazione.aggiungi_parte(
        dossier,
        da=mediatore,
        persona=bruno,
        ruolo=Parte.Ruolo.CONTROPARTE,
        note="Nota riservata su Bruno",
    )
    ada.dossier_numero = dossier.numero
    return ada


ALTRI = (
    "Altrui",
    "Bruno",
    "Impegno di Bruno",
    "Segnalazione di Bruno",
    "Nota interna",
    "Nota riservata",
    "Descrizione riservata",
)


def _url(persona):
    return reverse("quartiere:persona_accesso_dati", args=[persona.pk])


def _scarica(client, persona, formato):
    risposta = client.post(_url(persona), {"formato": formato})
    assert risposta.status_code == 200, risposta.status_code
    assert risposta["Content-Disposition"].startswith("attachment;")
    assert risposta["X-Content-Type-Options"] == "nosniff"
    return risposta.content


def test_il_json_contiene_i_dati_di_ogni_app(client_di, coordinatore, richiedente):
    dati = json.loads(_scarica(client_di(coordinatore), richiedente, "json"))
    sezioni = dati["sezioni"]
    assert sezioni["persona"]["record"][0]["cognome"] == "Accessini"
    assert sezioni["persona"]["record"][0]["telefono"] == "3331234567"
    segnalazione = sezioni["segnalazioni"]["record"][0]
    assert segnalazione["oggetto"] == "Buca in via Ada"
    assert [r["testo"] for r in segnalazione["risposte"]] == [
        "Abbiamo inoltrato all'ufficio strade."
    ]
    assert sezioni["presenze"]["record"][0]["incontro"] == "Incontro dei cortili"
    assert sezioni["proposte"]["record"][0]["titolo"] == "Orto condiviso"
    firma = sezioni["firme_patti"]["record"][0]
    assert firma["patto"].startswith("P/2026/001")
    assert [i["descrizione"] for i in firma["impegni"]] == ["Annaffiare le aiuole"]
    assert sezioni["prenotazioni"]["record"][0]["titolo"] == "Festa del cortile"
    parte = sezioni["parti_mediazione"]["record"][0]
    assert parte["dossier"] == richiedente.dossier_numero
    assert parte["ruolo"] == "richiedente"
    assert set(parte) == {
        "dossier",
        "aperto_il",
        "chiuso_il",
        "fase",
        "esito",
        "ruolo",
        "consenso_mediazione",
        "consenso_data",
    }


def test_ogni_relazione_verso_persona_ha_un_serializzatore_esplicito():
    """A new link to Persona must be decided on (what of it belongs to the person)."""
    etichette = {r.related_model._meta.label for r in Persona._meta.related_objects}
    assert etichette <= set(privacy.SERIALIZZATORI), etichette - set(privacy.SERIALIZZATORI)


@pytest.mark.parametrize("formato", ["json", "pdf"])
def test_l_esportazione_esclude_i_dati_degli_altri(client_di, coordinatore, richiedente, formato):
    contenuto = _scarica(client_di(coordinatore), richiedente, formato)
    testo = _testo_pdf(contenuto) if formato == "pdf" else contenuto.decode()
    assert "Accessini" in testo
    for altrui in ALTRI:
        assert altrui not in testo, altrui


def _testo_pdf(contenuto: bytes) -> str:
    assert contenuto.startswith(b"%PDF")
    return subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=contenuto, capture_output=True, check=True
    ).stdout.decode()


def test_il_pdf_riporta_ogni_sezione(client_di, coordinatore, richiedente):
    testo = " ".join(_testo_pdf(_scarica(client_di(coordinatore), richiedente, "pdf")).split())
    for atteso in (
        "Richiesta di accesso ai dati",
        "Accessini",
        "3331234567",
        "Buca in via Ada",
        "Abbiamo inoltrato all'ufficio strade.",
        "Incontro dei cortili",
        "Orto condiviso",
        "P/2026/001",
        "Annaffiare le aiuole",
        "Festa del cortile",
        richiedente.dossier_numero,
    ):
        assert atteso in testo, atteso


def test_ogni_esportazione_e_registrata(client_di, coordinatore, richiedente):
    client = client_di(coordinatore)
    _scarica(client, richiedente, "json")
    _scarica(client, richiedente, "pdf")
    voci = LogEntry.objects.filter(object_id=str(richiedente.pk), user=coordinatore)
    messaggi = sorted(v.change_message for v in voci)
    assert len(messaggi) == 2
    assert "JSON" in messaggi[0] and "PDF" in messaggi[1]


def test_la_pagina_mostra_il_riepilogo(client_di, coordinatore, richiedente):
    risposta = client_di(coordinatore).get(_url(richiedente))
    assert risposta.status_code == 200
    corpo = risposta.content.decode()
    assert "Buca in via Ada" in corpo and richiedente.dossier_numero in corpo
    assert "Nota riservata" not in corpo
    assert not LogEntry.objects.filter(object_id=str(richiedente.pk)).exists()


@pytest.mark.parametrize(
    ("ruolo", "atteso"),
    [
        ("anonimo", 302),
        ("operatore", 403),
        ("operatore_altro", 404),
        ("mediatore", 403),
        ("dirigente", 403),
        ("amministratore", 403),
    ],
)
def test_solo_il_coordinatore_esporta(client_di, cast, richiedente, ruolo, atteso):
    client = client_di(cast[ruolo])
    assert client.get(_url(richiedente)).status_code == atteso
    assert client.post(_url(richiedente), {"formato": "json"}).status_code == atteso
    assert not LogEntry.objects.filter(object_id=str(richiedente.pk)).exists()


def test_senza_coordinatore_niente_mediazione(richiedente, operatore):
    """The dossier part needs a coordinator even when the collection is asked directly."""
    dati = privacy.raccogli(richiedente, da=operatore)
    assert "parti_mediazione" not in {s.chiave for s in dati["sezioni"]}
    with pytest.raises(PermissionError):
        privacy.esporta(richiedente, "json", da=operatore)


def test_formato_sconosciuto(client_di, coordinatore, richiedente):
    risposta = client_di(coordinatore).post(_url(richiedente), {"formato": "exe"})
    assert risposta.status_code == 400
