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


def _dal_browser(ip: str, cliente: str):
    richiesta = _richiesta(ip)
    richiesta.COOKIES["csrftoken"] = cliente
    return richiesta


def test_in_una_rete_condivisa_ogni_browser_ha_il_suo_limite(settings, monkeypatch):
    """An office behind one address (QUARTIERE_LIMITI_RETI): the address may do the action
    factor times the limit, each browser in it the ordinary limit; outside, as before."""
    monkeypatch.setattr(limiti, "PULIZIA_PROBABILITA", 0)
    settings.QUARTIERE_LIMITI_RETI = [("203.0.113.0/24", 3), ("203.0.113.9/32", 1)]
    ufficio = "203.0.113.7"
    for cliente in ("tablet-sportello", "pc-operatore"):
        esiti = [
            limiti.superato(_dal_browser(ufficio, cliente), "invio", 2, 3600) for _ in range(3)
        ]
        assert esiti == [False, False, True], cliente  # each browser: its own 2
    # The office's share (3 × 2 = 6 attempts) is used up: a new browser is refused too.
    assert limiti.superato(_dal_browser(ufficio, "nuovo"), "invio", 2, 3600)
    # Without a cookie the address's share still holds.
    assert limiti.superato(_richiesta(ufficio), "invio", 2, 3600)
    # The most specific network wins: this host is held to the ordinary limit.
    esiti = [
        limiti.superato(_dal_browser("203.0.113.9", f"b{i}"), "invio", 2, 3600) for i in range(3)
    ]
    assert esiti == [False, False, True]
    # Elsewhere nothing changes: one address, one limit, whatever the cookie.
    esiti = [
        limiti.superato(_dal_browser("192.0.2.50", f"b{i}"), "invio", 2, 3600) for i in range(3)
    ]
    assert esiti == [False, False, True]


def test_raggiunto_e_registra_seguono_la_rete(settings, monkeypatch):
    monkeypatch.setattr(limiti, "PULIZIA_PROBABILITA", 0)
    settings.QUARTIERE_LIMITI_RETI = [("2001:db8::/32", 2)]
    ufficio = "2001:db8::1"
    for _ in range(2):
        assert not limiti.raggiunto(_dal_browser(ufficio, "a"), "invio", 2)
        limiti.registra(_dal_browser(ufficio, "a"), "invio", 3600)
    assert limiti.raggiunto(_dal_browser(ufficio, "a"), "invio", 2)
    assert not limiti.raggiunto(_dal_browser(ufficio, "b"), "invio", 2)
    limiti.registra(_dal_browser(ufficio, "b"), "invio", 3600)
    limiti.registra(_dal_browser(ufficio, "b"), "invio", 3600)
    assert limiti.raggiunto(_dal_browser(ufficio, "c"), "invio", 2)  # 4 = 2 × 2


@pytest.mark.parametrize(
    ("valore", "atteso"),
    [
        ("", []),
        ("10.1.2.0/24=20, 203.0.113.7=5", [("10.1.2.0/24", 20), ("203.0.113.7/32", 5)]),
        ("2001:db8::/32=3", [("2001:db8::/32", 3)]),
    ],
)
def test_lettura_delle_reti_dall_ambiente(monkeypatch, valore, atteso):
    from quartiere.lib import env

    monkeypatch.setenv("QUARTIERE_LIMITI_RETI", valore)
    assert env.get_reti("QUARTIERE_LIMITI_RETI") == atteso


@pytest.mark.parametrize("valore", ["10.1.2.0/24", "10.1.2.3/24=2", "10.1.2.0/24=0", "rete=2"])
def test_reti_scritte_male_fermano_l_avvio(monkeypatch, valore):
    from django.core.exceptions import ImproperlyConfigured

    from quartiere.lib import env

    monkeypatch.setenv("QUARTIERE_LIMITI_RETI", valore)
    with pytest.raises(ImproperlyConfigured, match="QUARTIERE_LIMITI_RETI"):
        env.get_reti("QUARTIERE_LIMITI_RETI")
