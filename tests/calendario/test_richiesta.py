"""The public request form: bad inputs, honeypot, privacy consent and rate limit."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from quartiere.calendario.models import Prenotazione
from tests.calendario.factories import PrenotazioneFactory, alle, domani
from tests.privacy.factories import pubblica

pytestmark = pytest.mark.django_db

URL = "/prenota-la-sala/"


def _dati(sala, **modifiche):
    giorno = domani() + timedelta(days=6)
    dati = {
        "sede": sala.pk,
        "titolo": "  Assemblea   dei genitori ",
        "descrizione": "Incontro aperto sul doposcuola.",
        "data": giorno.isoformat(),
        "ora_inizio": "18:00",
        "ora_fine": "20:00",
        "pubblico": "on",
        "richiedente_ente": "Associazione Genitori",
        "richiedente_nome": "Anna Verdi",
        "richiedente_email": "Anna.Verdi@Example.org",
        "richiedente_telefono": "333 123 4567",
        "consenso_privacy": "on",
        "sito_web": "",
    }
    dati.update(modifiche)
    return {k: v for k, v in dati.items() if v is not None}


def test_url_della_richiesta():
    assert reverse("quartiere:richiesta_sala") == URL


def test_la_pagina_collega_l_informativa(client, sala):
    risposta = client.get(URL)
    assert risposta.status_code == 200
    assert reverse("quartiere:privacy") in risposta.content.decode()
    assert 'name="sito_web"' in risposta.content.decode()


def test_richiesta_valida_salva_normalizza_e_scrive(
    client, sala, settings, mailoutbox, django_capture_on_commit_callbacks
):
    pubblica("2026-03")  # the notice in force today, not the setting
    with django_capture_on_commit_callbacks(execute=True):
        risposta = client.post(URL, _dati(sala))
    assert risposta.status_code == 302
    assert risposta["Location"] == reverse("quartiere:richiesta_sala_inviata")
    p = Prenotazione.objects.get()
    assert p.stato == "richiesta" and p.pubblico
    assert p.titolo == "Assemblea dei genitori"
    assert p.richiedente_email == "anna.verdi@example.org"
    assert p.richiedente_telefono == "+393331234567"
    assert p.informativa_versione == "2026-03" and p.consenso_privacy
    assert timezone.localtime(p.inizio).hour == 18
    assert mailoutbox[0].to == ["anna.verdi@example.org"]


def test_richiesta_settimanale(client, sala):
    giorno = domani() + timedelta(days=6)
    dati = _dati(sala, ripeti="on", ripeti_fino_al=(giorno + timedelta(weeks=3)).isoformat())
    assert client.post(URL, dati).status_code == 302
    righe = list(Prenotazione.objects.order_by("inizio"))
    assert len(righe) == 4 and len({r.serie for r in righe}) == 1


@pytest.mark.parametrize(
    ("modifiche", "campo"),
    [
        ({"consenso_privacy": None}, "consenso_privacy"),
        ({"titolo": ""}, "titolo"),
        ({"richiedente_email": "non-una-email"}, "richiedente_email"),
        ({"richiedente_telefono": "12"}, "richiedente_telefono"),
        ({"richiedente_ente": ""}, "richiedente_ente"),
        ({"data": "31/02/2027"}, "data"),
        ({"data": "2020-01-01"}, "data"),
        ({"ora_inizio": "20:00", "ora_fine": "18:00"}, "ora_fine"),
        ({"ora_inizio": "07:00", "ora_fine": "23:00"}, "ora_fine"),
        ({"ora_inizio": "25:00"}, "ora_inizio"),
        ({"ripeti": "on"}, "ripeti_fino_al"),
        ({"ripeti": "on", "ripeti_fino_al": "2020-01-01"}, "ripeti_fino_al"),
        ({"sede": "999999"}, "sede"),
        ({"sede": "abc"}, "sede"),
        ({"titolo": "x" * 201}, "titolo"),
    ],
)
def test_input_sbagliati_spiegati_accanto_al_campo(client, sala, modifiche, campo):
    dati = _dati(sala, **modifiche)
    risposta = client.post(URL, dati)
    assert risposta.status_code == 200
    form = risposta.context["form"]
    assert campo in form.errors, form.errors
    assert Prenotazione.objects.count() == 0
    # What the requester typed is kept.
    assert "Associazione Genitori" in risposta.content.decode() or campo == "richiedente_ente"


def test_sala_non_prenotabile_non_si_sceglie(client, ufficio_san_siro, sala):
    risposta = client.post(URL, _dati(sala, sede=str(ufficio_san_siro.pk)))
    assert "sede" in risposta.context["form"].errors


def test_orario_occupato_spiegato_senza_dire_chi(client, sala):
    giorno = domani() + timedelta(days=6)
    PrenotazioneFactory(
        sede=sala,
        titolo="Riunione riservata",
        pubblico=False,
        inizio=alle(giorno, 19),
        fine=alle(giorno, 21),
    )
    risposta = client.post(URL, _dati(sala))
    assert risposta.status_code == 200
    testo = risposta.content.decode()
    assert "già occupata" in testo
    assert "Riunione riservata" not in testo
    assert Prenotazione.objects.count() == 1


def test_honeypot_finge_successo_e_non_salva(client, sala, mailoutbox):
    risposta = client.post(URL, _dati(sala, sito_web="http://spam.example"))
    assert risposta.status_code == 302
    assert Prenotazione.objects.count() == 0
    assert mailoutbox == []


def test_limite_per_ip_con_pagina_cortese(client, sala, settings):
    settings.QUARTIERE_RICHIESTE_SALA_ORA = 3
    for _ in range(3):
        assert client.post(URL, _dati(sala, titolo="")).status_code == 200
    risposta = client.post(URL, _dati(sala))
    assert risposta.status_code == 429
    assert "riprova tra un'ora" in risposta.content.decode()
    assert Prenotazione.objects.count() == 0
    # Another address is not affected.
    altra = client.post(URL, _dati(sala), REMOTE_ADDR="10.1.2.3")
    assert altra.status_code == 302


def test_limite_funziona_con_la_cache_su_database(client, sala, settings):
    from django.core.cache import caches
    from django.core.management import call_command

    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "cache_test_calendario",
        }
    }
    settings.QUARTIERE_RICHIESTE_SALA_ORA = 2
    call_command("createcachetable", verbosity=0)
    try:
        for _ in range(2):
            client.post(URL, _dati(sala, titolo=""))
        assert client.post(URL, _dati(sala)).status_code == 429
    finally:
        caches["default"].clear()


def test_pagina_di_conferma(client):
    risposta = client.get(reverse("quartiere:richiesta_sala_inviata"))
    assert risposta.status_code == 200
    assert "noindex" in risposta.content.decode()
