"""A proposal shows what it became: the pacts and reports that name it as their origin."""

import pytest

from tests.laboratori.factories import LaboratorioFactory, PropostaFactory
from tests.patti.factories import PattoFactory
from tests.segnalazioni.factories import SegnalazioneFactory

pytestmark = pytest.mark.django_db


def test_la_proposta_mostra_il_patto_e_la_segnalazione_che_ne_sono_nati(
    client_di, coordinatore, san_siro
):
    lab = LaboratorioFactory(quartiere=san_siro)
    proposta = PropostaFactory(laboratorio=lab)
    patto = PattoFactory(quartiere=san_siro, laboratorio=lab, proposta=proposta)
    segnalazione = SegnalazioneFactory(quartiere=san_siro, proposta=proposta)

    html = client_di(coordinatore).get(lab.get_absolute_url()).content.decode()

    assert patto.get_absolute_url() in html
    assert segnalazione.get_absolute_url() in html
    assert list(proposta.patti.all()) == [patto]
    assert list(proposta.segnalazioni.all()) == [segnalazione]


def test_il_patto_non_accetta_una_proposta_di_un_altro_laboratorio(coordinatore, san_siro):
    from patti.forms import PattoForm

    lab, altro = LaboratorioFactory(quartiere=san_siro), LaboratorioFactory(quartiere=san_siro)
    proposta = PropostaFactory(laboratorio=altro)
    form = PattoForm(
        data={
            "titolo": "Cortile",
            "quartiere": san_siro.pk,
            "laboratorio": lab.pk,
            "proposta": proposta.pk,
            "tipo": "ordinario",
            "livello": "cura_occasionale",
        },
        user=coordinatore,
    )
    assert not form.is_valid()
    assert "proposta" in form.errors
