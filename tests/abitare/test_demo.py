"""The demo building: 40 flats on two staircases, 30 households at every step."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from abitare import demo
from abitare.models import (
    Adesione,
    Alloggio,
    Assegnazione,
    AzioneComunicazione,
    Contatto,
    Immobile,
    NotaRiservata,
    Nucleo,
    Percorso,
    Problema,
    Regolamento,
    Turno,
)
from quartiere.sviluppo import demo as demo_nucleo

pytestmark = pytest.mark.django_db


def test_la_demo_copre_ogni_passo_ed_e_idempotente():
    demo_nucleo.popola()
    demo.popola()
    immobile = Immobile.objects.get(codice=demo.CODICE)
    assert immobile.alloggi.count() == 40 and Nucleo.objects.count() == 30
    assert set(Assegnazione.objects.values_list("stato", flat=True)) == {
        "pre_assegnata",
        "assegnata",
        "abitata",
        "conclusa",
    }
    assert set(Alloggio.objects.values_list("stato", flat=True)) == {
        "in_ristrutturazione",
        "disponibile",
        "pre_assegnato",
        "assegnato",
        "occupato",
        "sfitto",
    }
    demo.popola()
    assert Immobile.objects.count() == 1 and Assegnazione.objects.count() == 26
    # The pages of the demo open for the operator of Lorenteggio.
    from django.contrib.auth import get_user_model

    client = Client()
    client.force_login(get_user_model().objects.get(username="operatore.sansiro"))
    for url in (
        "/abitare/lavoro/immobili/",
        immobile.get_absolute_url(),
        "/abitare/lavoro/nuclei/",
        Nucleo.objects.first().get_absolute_url(),
        "/abitare/lavoro/contatti/",
        "/abitare/lavoro/in-attesa/",
        "/abitare/lavoro/piano/",
    ):
        assert client.get(url).status_code == 200, url
    # The accompaniment: paths, contacts in the last weeks, two households followed closely
    # with a measure (one overdue) and a confidential note their operator reads.
    assert Percorso.objects.count() == 12 and Contatto.objects.count() >= 12
    verifiche = client.get("/abitare/lavoro/in-attesa/").context["verifiche"]
    assert len(verifiche) == 2 and verifiche[0].verifica_il < timezone.localdate()
    assert Problema.objects.count() == 3
    assert Regolamento.objects.count() == 2 and Adesione.objects.count() == 5
    assert Turno.objects.count() == 4
    assert AzioneComunicazione.objects.filter(pubblica=True).count() == 2
    pubblica = Client().get(
        reverse("quartiere:quartiere_pubblico", args=[immobile.quartiere.codice])
    )
    assert "Festa del cortile aperta al quartiere" in pubblica.content.decode()
    piano = client.get("/abitare/lavoro/piano/").context["object_list"][0].righe_piano
    assert sum(r["obiettivo"] for r in piano) == 36 and sum(r["entrati"] for r in piano) == 9
    assert Problema.objects.filter(segnalazione__stato="chiusa").count() == 1
    seguito = NotaRiservata.objects.first().nucleo
    assert client.get(f"{seguito.get_absolute_url()}note-riservate/").status_code == 200
