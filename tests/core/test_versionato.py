"""One shape for the optimistic-locking counter: every model with ``versione`` is a
``Versionato``, and the database gives the column its default (bulk COPY loaders)."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.db import connection

from quartiere.accesso.models import Versionato
from quartiere.accesso.versioni import e_versionato


def _con_versione():
    for modello in apps.get_models():
        if modello._meta.label.split(".")[1].startswith("Historical"):
            continue
        if any(f.name == "versione" for f in modello._meta.concrete_fields):
            yield modello


def test_ogni_modello_con_versione_e_un_versionato():
    modelli = list(_con_versione())
    assert len(modelli) >= 20
    copie = [m._meta.label for m in modelli if not issubclass(m, Versionato)]
    assert not copie, f"versione written again instead of inheriting Versionato: {copie}"
    assert all(e_versionato(m) for m in modelli)


@pytest.mark.django_db
def test_la_colonna_versione_ha_il_default_nel_database():
    tabelle = [m._meta.db_table for m in _con_versione()]
    with connection.cursor() as cur:
        cur.execute(
            "SELECT table_name, column_default FROM information_schema.columns "
            "WHERE column_name = 'versione' AND table_name = ANY(%s)",
            [tabelle],
        )
        default = dict(cur.fetchall())
    assert set(default) == set(tabelle)
    assert {t: d for t, d in default.items() if d != "1"} == {}
