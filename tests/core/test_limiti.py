"""The per-address rate limit on its own table: one statement per attempt, fixed windows
that start again once ended, expired windows cleaned."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from quartiere.accesso import limiti
from quartiere.accesso.models import LimiteFrequenza

pytestmark = pytest.mark.django_db


def _richiesta(ip="192.0.2.1"):
    return RequestFactory().post("/", REMOTE_ADDR=ip)


@pytest.fixture
def orologio(monkeypatch):
    """A clock the test moves by hand (the limit reads ``timezone.now`` once per call)."""
    stato = {"adesso": timezone.now()}
    monkeypatch.setattr(limiti.timezone, "now", lambda: stato["adesso"])
    return stato


def test_un_solo_statement_per_tentativo(monkeypatch):
    monkeypatch.setattr(limiti, "PULIZIA_PROBABILITA", 0)
    for atteso in (1, 1, 1):
        with CaptureQueriesContext(connection) as ctx:
            limiti.superato(_richiesta(), "invio", 5, 3600)
        assert len(ctx.captured_queries) == atteso
    assert "ON CONFLICT" in ctx.captured_queries[0]["sql"]


def test_blocca_oltre_il_massimo_e_per_indirizzo_e_azione(monkeypatch):
    monkeypatch.setattr(limiti, "PULIZIA_PROBABILITA", 0)
    esiti = [limiti.superato(_richiesta(), "invio", 3, 3600) for _ in range(5)]
    assert esiti == [False, False, False, True, True]
    assert not limiti.superato(_richiesta("192.0.2.2"), "invio", 3, 3600)
    assert not limiti.superato(_richiesta(), "consulta", 3, 3600)
    assert sorted(LimiteFrequenza.objects.values_list("conteggio", flat=True)) == [1, 1, 5]
    riga = LimiteFrequenza.objects.get(conteggio=5)
    assert riga.chiave.startswith("invio:")
    # The address is stored only as part of a hash.
    assert "192.0.2.1" not in riga.chiave


def test_la_finestra_finita_riparte_da_uno(orologio, monkeypatch):
    monkeypatch.setattr(limiti, "PULIZIA_PROBABILITA", 0)
    for _ in range(3):
        limiti.superato(_richiesta(), "invio", 2, 600)
    assert limiti.superato(_richiesta(), "invio", 2, 600)
    orologio["adesso"] += timedelta(seconds=599)
    assert limiti.superato(_richiesta(), "invio", 2, 600)
    orologio["adesso"] += timedelta(seconds=1)
    assert not limiti.superato(_richiesta(), "invio", 2, 600)
    riga = LimiteFrequenza.objects.get()
    assert riga.conteggio == 1
    assert riga.scade_il == orologio["adesso"] + timedelta(seconds=600)


def test_le_finestre_scadute_sono_cancellate(orologio, monkeypatch):
    monkeypatch.setattr(limiti, "PULIZIA_PROBABILITA", 1)
    limiti.superato(_richiesta("192.0.2.1"), "invio", 5, 60)
    limiti.superato(_richiesta("192.0.2.2"), "invio", 5, 3600)
    orologio["adesso"] += timedelta(seconds=120)
    limiti.superato(_richiesta("192.0.2.3"), "invio", 5, 60)
    # The first window has ended and is gone; the hour-long one and the new one remain.
    assert LimiteFrequenza.objects.count() == 2
    assert limiti.pulisci(orologio["adesso"] + timedelta(hours=2)) == 2
    assert not LimiteFrequenza.objects.exists()


def test_massimo_non_positivo_e_un_errore_di_configurazione():
    from django.core.exceptions import ImproperlyConfigured

    with pytest.raises(ImproperlyConfigured):
        limiti.superato(_richiesta(), "invio", 0, 60)
