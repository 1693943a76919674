"""The admin: pages open for the coordinator, statuses change only through services."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from laboratori.models import Incontro
from tests.laboratori.factories import IncontroFactory, PropostaFactory

pytestmark = pytest.mark.django_db


def test_pagine_di_modifica(client_di, coordinatore, incontro_san_siro):
    c = client_di(coordinatore)
    lab = incontro_san_siro.laboratorio
    proposta = PropostaFactory(laboratorio=lab)
    for url in [
        reverse("admin:laboratori_laboratorio_change", args=[lab.pk]),
        reverse("admin:laboratori_incontro_change", args=[incontro_san_siro.pk]),
        reverse("admin:laboratori_proposta_change", args=[proposta.pk]),
        reverse("admin:laboratori_laboratorio_history", args=[lab.pk]),
    ]:
        assert c.get(url).status_code == 200, url


def test_azione_segna_svolti_passa_dal_servizio(client_di, coordinatore, lab_san_siro):
    passato = IncontroFactory(laboratorio=lab_san_siro, stato="programmato")
    futuro = IncontroFactory(
        laboratorio=lab_san_siro, stato="programmato", inizio=timezone.now() + timedelta(days=3)
    )
    r = client_di(coordinatore).post(
        reverse("admin:laboratori_incontro_changelist"),
        {"action": "segna_svolti", "_selected_action": [passato.pk, futuro.pk]},
        follow=True,
    )
    assert r.status_code == 200
    assert Incontro.objects.get(pk=passato.pk).stato == "svolto"
    assert Incontro.objects.get(pk=futuro.pk).stato == "programmato"
    html = r.content.decode()
    assert "Un incontro non ancora iniziato non può essere svolto." in html
    assert "1 elemento aggiornato." in html


def test_presenza_aggiunta_dall_admin_ricorda_chi(client_di, coordinatore, incontro_san_siro):
    from laboratori.models import Presenza
    from tests.factories import PersonaFactory

    persona = PersonaFactory(quartiere=incontro_san_siro.laboratorio.quartiere)
    inc = incontro_san_siro
    url = reverse("admin:laboratori_incontro_change", args=[inc.pk])
    dati = {
        "laboratorio": inc.laboratorio_id,
        "titolo": inc.titolo,
        "inizio_0": timezone.localtime(inc.inizio).strftime("%d/%m/%Y"),
        "inizio_1": timezone.localtime(inc.inizio).strftime("%H:%M:%S"),
        "luogo": inc.luogo,
        "pubblico": "on",
        "versione_letta": inc.versione,
        "presenze-TOTAL_FORMS": "2",
        "presenze-INITIAL_FORMS": "0",
        "presenze-MIN_NUM_FORMS": "0",
        "presenze-MAX_NUM_FORMS": "1000",
        "presenze-0-persona": persona.pk,
        "presenze-1-persona": persona.pk,
    }
    r = client_di(coordinatore).post(url, dati)
    # The same person twice in one go is refused with the constraint's message.
    assert r.status_code == 200
    assert "Questa persona è già registrata all&#x27;incontro." in r.content.decode()
    assert not Presenza.objects.exists()
    dati["presenze-TOTAL_FORMS"] = "1"
    r = client_di(coordinatore).post(url, dati)
    assert r.status_code == 302, r.content.decode()[:2000]
    assert Presenza.objects.get().registrata_da == coordinatore
