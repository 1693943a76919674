"""The optional read replica (issue 29): the figures read from it, nothing that must see
the request's own writes does.

The replica here is the same test server under a second alias (a mirror: this machine
runs no streaming replication), which is enough to see which connection each query takes.
"""

from __future__ import annotations

import re

import pytest
from django.db import connections
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.segnalazioni.passi import dati_segnalazione, invia_online

# Transactional: the replica's connection sees only what is committed, as a real one.
pytestmark = pytest.mark.django_db(transaction=True, databases=["default", "replica"])


@pytest.fixture
def con_replica(settings):
    settings.QUARTIERE_DB_REPLICA = "replica"
    yield
    # Its own session on the test database: closed, or the database cannot be dropped.
    connections["replica"].close()


TABELLE_DELLE_CIFRE = re.compile(
    r'"(segnalazioni|laboratori|patti|mediazione|abitare)_\w+"|"quartiere_attivitadiario"'
)
_ultime: dict[str, list[str]] = {}


def _conta(vista):
    with (
        CaptureQueriesContext(connections["replica"]) as replica,
        CaptureQueriesContext(connections["default"]) as primaria,
    ):
        risposta = vista()
    _ultime["primaria"] = [q["sql"] for q in primaria.captured_queries]
    return risposta, len(replica), len(primaria)


def test_cruscotto_pdf_ed_esportazioni_leggono_dalla_replica(client_di, cast, con_replica):
    c = client_di(cast["dirigente"])
    periodo = {"dal": "2025-01-01", "al": "2025-12-31"}
    for nome, argomenti in (
        ("quartiere:cruscotto", []),
        ("quartiere:cruscotto_pdf", []),
        ("quartiere:cruscotto_esporta", ["csv"]),
    ):
        risposta, replica, primaria = _conta(
            lambda n=nome, a=argomenti: c.get(reverse(n, args=a), periodo)
        )
        assert risposta.status_code == 200, nome
        # The figures: every aggregate on the replica.
        assert replica >= 10, (nome, replica)
        # On the primary the session, the user and their permissions (the middleware), the
        # form's list of quartieri drawn by the template: none of the apps' tables.
        assert primaria <= 10, (nome, primaria)
        assert not [q for q in _ultime["primaria"] if TABELLE_DELLE_CIFRE.search(q)], nome


def test_senza_replica_tutto_sulla_primaria(client_di, cast):
    c = client_di(cast["dirigente"])
    risposta, replica, primaria = _conta(lambda: c.get(reverse("quartiere:cruscotto")))
    assert risposta.status_code == 200
    assert replica == 0 and primaria >= 10


def test_chi_scrive_e_rilegge_non_passa_dalla_replica(
    client, client_di, cast, con_replica, san_siro
):
    from tests.segnalazioni.factories import CategoriaFactory

    categoria = CategoriaFactory()
    dati = dati_segnalazione(
        categoria.pk,
        san_siro.pk,
        "Panchina rotta",
        descrizione="La panchina del parco è rotta.",
    )
    risposta, replica, _primaria = _conta(lambda: invia_online(client, dati))
    assert risposta.status_code == 302
    # Filed, then the receipt page reads the report it has just written: the primary only.
    ricevuta, replica_dopo, _ = _conta(lambda: client.get(risposta.url))
    assert ricevuta.status_code == 200
    assert (replica, replica_dopo) == (0, 0)
    # The staff's pages too: only the figures go to the replica.
    pagina, replica_staff, _ = _conta(
        lambda: client_di(cast["coordinatore"]).get(reverse("segnalazioni:lista"))
    )
    assert pagina.status_code == 200 and replica_staff == 0
