"""Rows the import, a migration or a deleted account leave without a user render like
the others (issue 28: an imported pact's staff page was a 500)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from patti.models import PassaggioStato
from tests.patti.factories import PattoFirmatoFactory

pytestmark = pytest.mark.django_db


def test_la_scheda_di_un_patto_con_passaggi_senza_utente(client_di, coordinatore, san_siro):
    patto = PattoFirmatoFactory(quartiere=san_siro)
    PassaggioStato.objects.create(patto=patto, da_stato="", a_stato="proposta", da=None)
    PassaggioStato.objects.create(
        patto=patto, da_stato="proposta", a_stato="firmato", da=coordinatore, nota="Firmato"
    )
    risposta = client_di(coordinatore).get(reverse("patti:dettaglio", args=[patto.pk]))
    assert risposta.status_code == 200
    testo = risposta.content.decode()
    assert "sistema" in testo
    assert (coordinatore.get_full_name() or coordinatore.username) in testo
