"""Answers at the edges of production (issue 16): a Host header that is not ours is a 400,
and ``/healthz`` says 503 when PostgreSQL is down, even for a request with a session."""

import pytest
from django.db import connection
from django.test import Client


@pytest.mark.django_db
def test_host_sconosciuto_risponde_400_non_500():
    client = Client(raise_request_exception=False)
    risposta = client.get("/", HTTP_HOST="attaccante.example")
    assert risposta.status_code == 400
    assert "Richiesta non valida" in risposta.content.decode()


@pytest.mark.django_db
def test_host_sconosciuto_su_un_modulo_risponde_400():
    client = Client(raise_request_exception=False)
    risposta = client.post("/segnalazioni/invia/dati/", {"oggetto": "x"}, HTTP_HOST="evil.example")
    assert risposta.status_code == 400


@pytest.mark.django_db
def test_healthz_con_database_acceso():
    assert Client().get("/healthz").json() == {"status": "ok", "database": "ok"}


@pytest.mark.django_db(transaction=True)
def test_healthz_503_con_database_spento_anche_con_una_sessione(operatore):
    client = Client(raise_request_exception=False)
    client.force_login(operatore, backend="django.contrib.auth.backends.ModelBackend")
    assert client.get("/healthz").status_code == 200
    impostazioni = connection.settings_dict
    host, porta = impostazioni["HOST"], impostazioni["PORT"]
    connection.close()
    # Where no server listens: the next connection fails as if PostgreSQL were down.
    impostazioni["HOST"], impostazioni["PORT"] = "127.0.0.1", "9"
    try:
        risposta = client.get("/healthz")
    finally:
        connection.close()
        impostazioni["HOST"], impostazioni["PORT"] = host, porta
    assert risposta.status_code == 503
    assert risposta.json()["status"] == "error"
