"""The whole request has a size cap, and each refusal ends on a clear Italian page."""

import re

import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.test import RequestFactory, override_settings
from django.urls import reverse

from segnalazioni.models import Segnalazione
from tests.segnalazioni.passi import gestione, passo

pytestmark = pytest.mark.django_db

MB = 1024 * 1024


@override_settings(QUARTIERE_MAX_RICHIESTA=20 * MB)
@pytest.mark.parametrize(
    ("nome", "argomenti"),
    [
        ("segnalazioni:invia_passo", {"step": "dati"}),
        ("login", {}),
        ("quartiere:prenotazione_nuova", {}),
        ("open311:richieste", {"formato": "json"}),
    ],
)
def test_un_corpo_oltre_il_limite_e_rifiutato(client, nome, argomenti):
    percorso = reverse(nome, kwargs=argomenti)
    risposta = client.post(percorso, {"descrizione": "x"}, CONTENT_LENGTH=str(21 * MB))
    assert risposta.status_code == 413
    testo = risposta.content.decode()
    assert "Invio troppo grande" in testo
    # No second limit to contradict the form's own rule (3 files of 5 MB each). A size is
    # a number and the unit as words: the page's random CSRF token may hold "6MBM".
    assert not re.search(r"\b\d+(?:[.,]\d+)?\s?MB\b", testo) and "Torna indietro" in testo
    assert "Content-Security-Policy" in risposta
    assert Segnalazione.objects.count() == 0


class _CorpoCheNonSiDeveLeggere:
    def read(self, *args):
        raise AssertionError("il corpo della richiesta è stato letto")

    readline = read


@override_settings(QUARTIERE_MAX_RICHIESTA=20 * MB)
def test_il_corpo_oltre_il_limite_non_viene_mai_letto():
    ambiente = RequestFactory()._base_environ(
        PATH_INFO=reverse("segnalazioni:invia_passo", args=["dati"]),
        REQUEST_METHOD="POST",
        CONTENT_TYPE="multipart/form-data; boundary=confine",
        CONTENT_LENGTH=str(500 * MB),
        **{"wsgi.input": _CorpoCheNonSiDeveLeggere()},
    )
    stati = []
    corpo = b"".join(WSGIHandler()(ambiente, lambda stato, intestazioni: stati.append(stato)))
    assert stati == ["413 Request Entity Too Large"]
    assert b"Invio troppo grande" in corpo


@override_settings(QUARTIERE_MAX_RICHIESTA=20 * MB)
def test_un_corpo_entro_il_limite_arriva_alla_vista(client):
    risposta = client.post(passo("informativa"), gestione("informativa"))
    assert risposta.status_code == 200  # the step again, with its errors


@override_settings(DATA_UPLOAD_MAX_NUMBER_FIELDS=10)
def test_troppi_campi_danno_la_pagina_di_richiesta_non_valida(client):
    dati = {f"campo{i}": "x" for i in range(50)}
    risposta = client.post(passo("dati"), dati)
    assert risposta.status_code == 400
    assert "Richiesta non valida" in risposta.content.decode()
    assert Segnalazione.objects.count() == 0


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=1024)
def test_un_modulo_troppo_grande_da_la_pagina_di_richiesta_non_valida(client):
    risposta = client.post(passo("dati"), {"dati-descrizione": "x" * 5000})
    assert risposta.status_code == 400
    assert "Richiesta non valida" in risposta.content.decode()
