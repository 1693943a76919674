"""Every consent records the version of the notice in force when it is given."""

from __future__ import annotations

import datetime
import json

import pytest
from django.urls import reverse
from django.utils import timezone

from quartiere.calendario.models import Prenotazione
from quartiere.registro.models import Persona
from segnalazioni.models import Segnalazione
from tests.calendario.factories import SalaFactory, domani
from tests.factories import utente
from tests.privacy.factories import pubblica
from tests.segnalazioni.factories import CategoriaFactory, chiave_api
from tests.segnalazioni.passi import invia_online

pytestmark = pytest.mark.django_db


@pytest.fixture
def categoria():
    return CategoriaFactory(codice="illuminazione", nome="Illuminazione")


def _segnala(client, quartiere, categoria, oggetto):
    risposta = invia_online(
        client,
        {
            "tipo": "problema",
            "categoria": categoria.pk,
            "quartiere": quartiere.pk,
            "oggetto": oggetto,
            "descrizione": "Da una settimana il lampione al civico 4 non si accende.",
            "indirizzo": "Via Abbiati 4",
            "nome_segnalante": "Giulia Rossi",
            "email_segnalante": "giulia@example.org",
            "consenso_privacy": "on",
            "sito_web": "",
        },
    )
    assert risposta.status_code == 302, risposta.context["form"].errors
    return Segnalazione.objects.get(oggetto=oggetto)


def test_modulo_pubblico_registra_la_versione_in_vigore(client, san_siro, categoria):
    prima = _segnala(client, san_siro, categoria, "Lampione spento")
    assert prima.informativa_versione == "2026-01"
    pubblica("2026-11")
    dopo = _segnala(client, san_siro, categoria, "Altro lampione spento")
    assert dopo.informativa_versione == "2026-11"
    prima.refresh_from_db()
    assert prima.informativa_versione == "2026-01"
    # The citizen can still read what they agreed to.
    pagina = client.get(reverse("quartiere:privacy_versione", args=[prima.informativa_versione]))
    assert pagina.status_code == 200 and "Titolare del trattamento" in pagina.content.decode()


def test_una_versione_pubblicata_per_domani_non_vale_ancora(client, san_siro, categoria):
    pubblica("2027-01", giorno=timezone.localdate() + datetime.timedelta(days=1))
    assert _segnala(client, san_siro, categoria, "Buca").informativa_versione == "2026-01"


def test_open311_registra_la_versione_in_vigore(client, san_siro, categoria):
    san_siro.lat, san_siro.lon = 45.468, 9.138
    san_siro.save()
    chiave_api("chiave-buona")
    pubblica("2026-11")
    risposta = client.post(
        "/open311/v2/requests.json",
        {
            "api_key": "chiave-buona",
            "service_code": "illuminazione",
            "lat": "45.4685",
            "long": "9.1390",
            "description": "Lampione spento davanti al civico 4",
            "attribute[tipo]": "problema",
        },
    )
    assert risposta.status_code == 200, risposta.content
    pk = json.loads(risposta.content)[0]["service_request_id"]
    s = Segnalazione.objects.get(pk=pk)
    assert s.consenso_privacy and s.informativa_versione == "2026-11"


def test_richiesta_della_sala_registra_la_versione_in_vigore(client):
    sala = SalaFactory()
    pubblica("2026-11")
    giorno = domani() + datetime.timedelta(days=6)
    risposta = client.post(
        reverse("quartiere:richiesta_sala"),
        {
            "sede": sala.pk,
            "titolo": "Assemblea dei genitori",
            "descrizione": "Incontro aperto.",
            "data": giorno.isoformat(),
            "ora_inizio": "18:00",
            "ora_fine": "20:00",
            "richiedente_ente": "Associazione Genitori",
            "richiedente_nome": "Anna Verdi",
            "richiedente_email": "anna@example.org",
            "consenso_privacy": "on",
            "sito_web": "",
        },
    )
    assert risposta.status_code == 302
    p = Prenotazione.objects.get()
    assert p.consenso_privacy and p.informativa_versione == "2026-11"


def test_consenso_della_persona_registra_la_versione_in_vigore(client_di, operatore, san_siro):
    pubblica("2026-11")
    risposta = client_di(operatore).post(
        reverse("quartiere:persona_create"),
        {
            "nome": "Maria",
            "cognome": "Bianchi",
            "quartiere": san_siro.pk,
            "consenso_privacy": "on",
            "conferma_non_doppione": "on",
        },
    )
    assert risposta.status_code == 302, risposta.context["form"].errors
    persona = Persona.objects.get(cognome="Bianchi")
    assert persona.consenso_privacy and persona.informativa_versione == "2026-11"
    # The version stays when the record is edited after a newer notice is published.
    pubblica("2026-12", giorno=timezone.localdate() + datetime.timedelta(days=1))
    assert Persona.objects.get(pk=persona.pk).informativa_versione == "2026-11"


def test_sportello_nuova_persona_registra_la_versione_in_vigore(san_siro, categoria):
    from segnalazioni import services

    pubblica("2026-11")
    operatore = utente("operatore", "op.sportello", san_siro)
    s = services.crea_allo_sportello(
        dati={
            "tipo": "problema",
            "categoria": categoria,
            "quartiere": san_siro,
            "oggetto": "Rifiuti abbandonati",
            "descrizione": "Sacchi davanti al portone.",
            "indirizzo": "Via Zamagna 2",
            "canale": "sportello",
            "consenso_privacy": True,
        },
        nuova_persona=Persona(nome="Luca", cognome="Neri", quartiere=san_siro),
        da=operatore,
    )
    assert s.informativa_versione == "2026-11"
    assert s.persona.informativa_versione == "2026-11" and s.persona.consenso_privacy


def test_le_etichette_del_consenso_collegano_l_informativa(client, client_di, operatore):
    url = reverse("quartiere:privacy")
    for pagina in (
        reverse("segnalazioni:invia_passo", args=["informativa"]),
        reverse("quartiere:richiesta_sala"),
    ):
        assert f'href="{url}"' in client.get(pagina).content.decode()
    personale = client_di(operatore)
    for pagina in (reverse("quartiere:persona_create"), reverse("segnalazioni:sportello")):
        assert f'href="{url}"' in personale.get(pagina).content.decode(), pagina
