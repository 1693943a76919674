"""The citizen's personal area (issue 17): their reports with the office's replies, the
labs they attended, the pacts they signed, their hall requests, their consents, and their
own data to download; a report filed while logged in is theirs; nothing of anybody else."""

from __future__ import annotations

import datetime
import io
import json

import pytest
from django.contrib.admin.models import LogEntry
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from quartiere.calendario.models import Prenotazione
from quartiere.identita.models import AccountCittadino
from quartiere.identita.services import Identita, accedi
from quartiere.registro.models import Persona
from segnalazioni import services
from segnalazioni.models import BozzaSegnalazione, Segnalazione
from tests.identita.conftest import LAURA, MARIO
from tests.laboratori.factories import PresenzaFactory
from tests.patti.factories import FirmatarioVolontarioFactory, PattoFirmatoFactory
from tests.segnalazioni.factories import CategoriaFactory, SegnalazioneFactory

pytestmark = pytest.mark.django_db

PREFISSO = "procedura_segnalazione"
AREA = reverse("quartiere:area_personale")


def cittadino(cf=MARIO, nome="Mario", cognome="Rossi", email="mario.rossi@example.org"):
    utente = accedi(Identita(cf, nome, cognome, email, metodo="spid", fornitore="idp"))
    client = Client()
    client.force_login(utente, backend="quartiere.identita.backends.BackendSaml")
    return client, AccountCittadino.objects.select_related("persona").get(utente=utente)


def passo(nome: str) -> str:
    return reverse("segnalazioni:invia_passo", args=[nome])


def test_chi_non_e_cittadino(client, client_di, operatore):
    r = client.get(AREA)
    assert r.status_code == 302 and r.url.startswith(reverse("quartiere:accedi"))
    assert client_di(operatore).get(AREA).url == reverse("quartiere:scrivania")
    assert client.get(reverse("quartiere:miei_dati")).status_code == 302


def test_la_segnalazione_inviata_da_cittadino_e_sua(san_siro, operatore):
    categoria = CategoriaFactory()
    client, account = cittadino()
    client.get(reverse("segnalazioni:invia"))
    client.post(
        passo("informativa"),
        {f"{PREFISSO}-current_step": "informativa", "informativa-consenso_privacy": "on"},
    )
    pagina = client.get(passo("dati")).content.decode()
    assert 'value="Mario Rossi"' in pagina and 'value="mario.rossi@example.org"' in pagina
    client.post(
        passo("dati"),
        {
            f"{PREFISSO}-current_step": "dati",
            "dati-tipo": "problema",
            "dati-categoria": categoria.pk,
            "dati-quartiere": san_siro.pk,
            "dati-oggetto": "Lampione spento in via Abbiati",
            "dati-descrizione": "Da una settimana.",
            "dati-indirizzo": "Via Abbiati 4",
            "dati-nome_segnalante": "Mario Rossi",
            "dati-email_segnalante": "mario.rossi@example.org",
        },
    )
    r = client.post(passo("riepilogo"), {f"{PREFISSO}-current_step": "riepilogo"})
    assert r.url == reverse("segnalazioni:inviata")
    s = Segnalazione.objects.get()
    assert s.persona == account.persona
    assert 'id="link-area-personale"' in client.get(r.url).content.decode()
    # The office answers in public and writes an internal note: only the answer shows.
    services.rispondi(s, "Abbiamo avvisato il gestore dell'illuminazione.", da=operatore)
    services.aggiungi_nota(s, "Nota interna da non mostrare.", da=operatore)
    pagina = client.get(AREA).content.decode()
    assert "Lampione spento in via Abbiati" in pagina and s.codice in pagina
    assert "Abbiamo avvisato il gestore" in pagina
    assert "Nota interna" not in pagina


def test_solo_i_propri_dati(san_siro):
    client, account = cittadino()
    _, altro = cittadino(LAURA, "Laura", "Bianchi", "laura@example.org")
    SegnalazioneFactory(persona=account.persona, oggetto="La mia buca")
    SegnalazioneFactory(persona=altro.persona, oggetto="La buca di Laura")
    SegnalazioneFactory(oggetto="Una buca anonima", email_segnalante="mario.rossi@example.org")
    PresenzaFactory(persona=account.persona, incontro__laboratorio__titolo="Laboratorio orti")
    PresenzaFactory(persona=altro.persona, incontro__laboratorio__titolo="Laboratorio murales")
    FirmatarioVolontarioFactory(
        persona=account.persona, patto=PattoFirmatoFactory(titolo="Cura del giardino")
    )
    inizio = timezone.now() + datetime.timedelta(days=3)
    Prenotazione.objects.create(
        sede=_sede(san_siro),
        titolo="Festa di via",
        inizio=inizio,
        fine=inizio + datetime.timedelta(hours=2),
        richiedente_nome="Mario Rossi",
        richiedente_email="MARIO.ROSSI@example.org",
    )
    pagina = client.get(AREA).content.decode()
    for mio in ("La mia buca", "Laboratorio orti", "Cura del giardino", "Festa di via"):
        assert mio in pagina, mio
    for altrui in ("La buca di Laura", "Laboratorio murales", "Una buca anonima"):
        assert altrui not in pagina, altrui


def _sede(quartiere):
    from quartiere.territorio.models import Sede

    return Sede.objects.create(nome="Sala di via Abbiati", quartiere=quartiere)


def test_query_costanti(san_siro, coordinatore):
    client, account = cittadino()
    SegnalazioneFactory(persona=account.persona)
    PresenzaFactory(persona=account.persona)
    client.get(AREA)
    with CaptureQueriesContext(connection) as poche:
        client.get(AREA)
    for _ in range(5):
        s = SegnalazioneFactory(persona=account.persona)
        services.rispondi(s, "Risposta.", da=coordinatore)
        PresenzaFactory(persona=account.persona)
        FirmatarioVolontarioFactory(persona=account.persona)
    with CaptureQueriesContext(connection) as molte:
        client.get(AREA)
    assert len(molte) == len(poche)


def test_scarica_i_miei_dati(san_siro):
    client, account = cittadino()
    _, altro = cittadino(LAURA, "Laura", "Bianchi", "laura@example.org")
    SegnalazioneFactory(persona=account.persona, oggetto="La mia buca")
    SegnalazioneFactory(persona=altro.persona, oggetto="La buca di Laura")
    r = client.get(reverse("quartiere:miei_dati") + "?formato=json")
    assert r.status_code == 200 and "attachment" in r["Content-Disposition"]
    testo = r.content.decode()
    dati = json.loads(testo)
    assert dati["persona_id"] == account.persona_id
    assert "La mia buca" in testo and MARIO in testo
    assert "La buca di Laura" not in testo and LAURA not in testo
    traccia = LogEntry.objects.get(object_id=str(account.persona_id))
    assert traccia.user_id == account.utente_id and "area personale" in traccia.change_message
    pdf = client.get(reverse("quartiere:miei_dati") + "?formato=pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert client.get(reverse("quartiere:miei_dati") + "?formato=xml").status_code == 404


def test_account_da_verificare_non_vede_le_pratiche():
    Persona.objects.create(nome="Luigi", cognome="Verdi", codice_fiscale=MARIO)
    client, account = cittadino()
    assert account.da_verificare
    pagina = client.get(AREA).content.decode()
    assert "un operatore controlla" in pagina and "Scarica i tuoi dati" not in pagina
    assert client.get(reverse("quartiere:miei_dati")).status_code == 404


def _inizia(client):
    client.get(reverse("segnalazioni:invia"))
    client.post(
        passo("informativa"),
        {f"{PREFISSO}-current_step": "informativa", "informativa-consenso_privacy": "on"},
    )


def test_bozza_salvata_ripresa_da_un_altro_dispositivo_e_inviata(san_siro):
    categoria = CategoriaFactory()
    client, account = cittadino()
    _inizia(client)
    r = client.post(
        passo("dati"),
        {
            f"{PREFISSO}-current_step": "dati",
            "dati-oggetto": "Panchina rotta nel parco",
            "dati-descrizione": "Manca una doga.",
            "salva_bozza": "1",
        },
    )
    assert r.status_code == 302 and r.url == passo("dati")
    bozza = BozzaSegnalazione.objects.get(account=account)
    assert bozza.oggetto == "Panchina rotta nel parco"
    assert "csrfmiddlewaretoken" not in json.dumps(bozza.passi)
    # Another device, the same citizen: the area and the first step offer the draft.
    altro = Client()
    altro.force_login(account.utente, backend="quartiere.identita.backends.BackendSaml")
    assert "Panchina rotta nel parco" in altro.get(AREA).content.decode()
    inizio = altro.get(passo("informativa")).content.decode()
    assert 'id="bozza-salvata"' in inizio
    r = altro.get(reverse("segnalazioni:invia") + "?bozza=riprendi")
    assert r.url == passo("dati")
    pagina = altro.get(passo("dati")).content.decode()
    assert "Panchina rotta nel parco" in pagina and "Manca una doga." in pagina
    altro.post(
        passo("dati"),
        {
            f"{PREFISSO}-current_step": "dati",
            "dati-tipo": "problema",
            "dati-categoria": categoria.pk,
            "dati-quartiere": san_siro.pk,
            "dati-oggetto": "Panchina rotta nel parco",
            "dati-descrizione": "Manca una doga.",
            "dati-indirizzo": "Piazza Selinunte",
        },
    )
    r = altro.post(passo("riepilogo"), {f"{PREFISSO}-current_step": "riepilogo"})
    assert r.url == reverse("segnalazioni:inviata")
    assert Segnalazione.objects.get().oggetto == "Panchina rotta nel parco"
    assert not BozzaSegnalazione.objects.exists()


def test_bozza_eliminata_e_scaduta(san_siro):
    client, account = cittadino()
    _inizia(client)
    dati = {f"{PREFISSO}-current_step": "dati", "dati-oggetto": "Bozza", "salva_bozza": "1"}
    client.post(passo("dati"), dati)
    assert client.post(reverse("segnalazioni:elimina_bozza")).url == AREA
    assert not BozzaSegnalazione.objects.exists()
    client.post(passo("dati"), dati)
    BozzaSegnalazione.objects.update(aggiornata_il=timezone.now() - datetime.timedelta(days=31))
    call_command("retention", "--anonymize", stdout=io.StringIO())
    assert not BozzaSegnalazione.objects.exists()


def test_senza_accesso_niente_bozza(client, san_siro):
    _inizia(client)
    pagina = client.get(passo("dati")).content.decode()
    assert "salva_bozza" not in pagina
    client.post(passo("dati"), {f"{PREFISSO}-current_step": "dati", "salva_bozza": "1"})
    assert not BozzaSegnalazione.objects.exists()
    assert client.post(reverse("segnalazioni:elimina_bozza")).status_code == 404
