"""A session expires after SESSION_IDLE_MINUTES without requests, and a session in use is
written at most once a minute (quartiere/accesso/middleware.py, RinnovoSessioneMiddleware)."""

from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from quartiere.accesso.middleware import RinnovoSessioneMiddleware

pytestmark = pytest.mark.django_db

CHIAVE = RinnovoSessioneMiddleware.CHIAVE


def _scritture_della_sessione(client, url):
    with CaptureQueriesContext(connection) as query:
        risposta = client.get(url)
    assert risposta.status_code == 200
    scritture = [
        q["sql"]
        for q in query.captured_queries
        if '"django_session"' in q["sql"] and not q["sql"].lstrip().upper().startswith("SELECT")
    ]
    return len(scritture), risposta


def _sessione(client):
    return Session.objects.get(session_key=client.cookies["sessionid"].value)


def _accedi(client):
    risposta = client.post(
        reverse("login"), {"username": "operatore.sansiro", "password": "quartiere-demo"}
    )
    assert risposta.status_code == 302


def test_una_sessione_in_uso_si_scrive_al_piu_una_volta_al_minuto(client, operatore):
    url = reverse("quartiere:scrivania")
    _accedi(client)  # the login writes the session and its renewal time
    for _ in range(3):
        scritture, risposta = _scritture_della_sessione(client, url)
        assert scritture == 0
        assert "sessionid" not in risposta.cookies  # nothing to renew: no cookie re-sent

    # Twenty minutes later the next request renews it: a new expiry and a new cookie.
    sessione = client.session
    sessione[CHIAVE] -= 20 * 60
    sessione.save()
    Session.objects.filter(pk=_sessione(client).pk).update(
        expire_date=timezone.now() + timedelta(minutes=10)
    )
    scritture, risposta = _scritture_della_sessione(client, url)
    assert scritture == 1
    assert risposta.cookies["sessionid"]["max-age"] == 30 * 60
    assert _sessione(client).expire_date > timezone.now() + timedelta(minutes=29)


def test_una_sessione_ferma_oltre_il_limite_scade(client, operatore):
    url = reverse("quartiere:scrivania")
    _accedi(client)
    assert client.get(url).status_code == 200
    Session.objects.filter(pk=_sessione(client).pk).update(
        expire_date=timezone.now() - timedelta(seconds=1)
    )
    risposta = client.get(url)
    assert risposta.status_code == 302
    assert risposta["Location"].startswith(reverse("login"))
    assert not Session.objects.filter(expire_date__gt=timezone.now()).exists()


def test_un_orologio_indietro_rinnova_comunque(client, operatore):
    """A renewal time in the future (a clock set back, a tampered store) is not trusted."""
    url = reverse("quartiere:scrivania")
    _accedi(client)
    sessione = client.session
    sessione[CHIAVE] = int(timezone.now().timestamp()) + 3600
    sessione.save()
    assert _scritture_della_sessione(client, url)[0] == 1
    assert _scritture_della_sessione(client, url)[0] == 0


def test_chi_non_ha_una_sessione_non_ne_riceve_una(client):
    with CaptureQueriesContext(connection) as query:
        risposta = client.get(reverse("quartiere:home"))
    assert risposta.status_code == 200
    assert "sessionid" not in risposta.cookies
    assert not any('"django_session"' in q["sql"] for q in query.captured_queries)
    assert not Session.objects.exists()


def test_all_uscita_la_sessione_non_torna(client, operatore):
    _accedi(client)
    client.get(reverse("quartiere:scrivania"))
    assert client.post(reverse("logout")).status_code == 302
    assert not Session.objects.exists()
