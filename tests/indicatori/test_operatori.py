"""The operators' activity on the dashboard and in the PDF: hours by kind and quartiere,
and the presence of every week against the days the service must be open."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from quartiere.relazioni.operatori import giorni_feriali, settimane

D = datetime.date


def test_giorni_feriali():
    assert giorni_feriali(D(2025, 1, 1), D(2025, 1, 5)) == 3  # Wednesday to Sunday
    assert giorni_feriali(D(2025, 1, 6), D(2025, 1, 12)) == 5
    assert giorni_feriali(D(2025, 1, 11), D(2025, 1, 12)) == 0


def test_ogni_settimana_anche_senza_presenze():
    figure = {
        "presenza_per_settimana": [
            {"settimana": D(2025, 1, 6), "giorni": 4, "giorni_persona": 7, "operatori": 2}
        ]
    }
    elenco = settimane(figure, D(2025, 1, 1), D(2025, 1, 19), richiesti=5)
    assert [(s.dal, s.al, s.giorni, s.richiesti, s.sotto) for s in elenco] == [
        # The period starts on a Wednesday: three working days can be asked of that week.
        (D(2025, 1, 1), D(2025, 1, 5), 0, 3, True),
        (D(2025, 1, 6), D(2025, 1, 12), 4, 5, True),
        # A week without a single entry is listed: it is the miss that matters.
        (D(2025, 1, 13), D(2025, 1, 19), 0, 5, True),
    ]
    figure["presenza_per_settimana"][0]["giorni"] = 5
    assert not settimane(figure, D(2025, 1, 6), D(2025, 1, 12), richiesti=5)[0].sotto


@pytest.mark.django_db
def test_il_cruscotto_mostra_l_attivita_degli_operatori(client_di, cast, dati, settings):
    from tests.calendario.factories import AttivitaDiarioFactory

    settings.QUARTIERE_GIORNI_PRESENZA_SETTIMANA = 3
    san_siro = dati["san-siro"]
    for giorno, tipo, ore in [
        (D(2025, 3, 3), "front_office", "3.5"),
        (D(2025, 3, 4), "sopralluogo", "2"),
        (D(2025, 3, 5), "sopralluogo", "1"),
        (D(2025, 3, 10), "front_office", "4"),
    ]:
        AttivitaDiarioFactory(
            operatore=cast["operatore"],
            quartiere=san_siro,
            data=giorno,
            tipo=tipo,
            ore=Decimal(ore),
        )
    risposta = client_di(cast["dirigente"]).get(
        reverse("quartiere:cruscotto"),
        {"dal": "2025-03-03", "al": "2025-03-16", "quartiere": "san-siro"},
    )
    d = risposta.context["relazione"].operatori
    assert {r.chiave: r.valore for r in d["per_tipo"]}["sopralluogo"] == "3.00"
    assert [(s["giorni"], s["richiesti"], s["sotto"]) for s in d["per_settimana"]] == [
        ("3", 3, False),
        ("1", 3, True),
    ]
    pagina = risposta.content.decode()
    assert 'id="sezione-operatori"' in pagina
    assert "1 / 3 · sotto il minimo" in pagina
    assert 'id="tabella-operatori-per-tipo"' in pagina
    assert 'aria-label="Ore per quartiere"' in pagina
    # An operator of other quartieri sees only theirs: here, nothing of San Siro.
    altro = client_di(cast["operatore_altro"]).get(
        reverse("quartiere:cruscotto"), {"dal": "2025-03-03", "al": "2025-03-16"}
    )
    assert altro.context["relazione"].operatori["per_tipo"][0].valore == "0.00"
