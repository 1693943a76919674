"""The forms of a pact's rows check the unique constraints that involve the pact, which
the view sets and the form does not show: a message next to the form, never an
IntegrityError."""

from __future__ import annotations

import datetime

import pytest

from patti.forms import FirmatarioForm, IndicatoreForm, MisurazioneForm
from patti.models import Firmatario, Indicatore, Misurazione
from tests.patti.factories import IndicatoreFactory, PattoFactory

pytestmark = pytest.mark.django_db


def _form(classe, dati, **istanza):
    return classe(dati, instance=classe._meta.model(**istanza))


def test_un_secondo_comune_tra_i_firmatari_e_rifiutato(coordinatore):
    patto = PattoFactory()
    Firmatario.objects.create(patto=patto, tipo="comune", ufficio="Verde")
    form = FirmatarioForm(
        {"tipo": "comune", "ufficio": "Cultura", "ordine": 2},
        instance=Firmatario(patto=patto),
        user=coordinatore,
    )
    assert not form.is_valid()
    assert "Il Comune è già tra i firmatari di questo patto." in form.non_field_errors()
    # The same row in another pact is fine.
    altro = FirmatarioForm(
        {"tipo": "comune", "ufficio": "Cultura", "ordine": 2},
        instance=Firmatario(patto=PattoFactory()),
        user=coordinatore,
    )
    assert altro.is_valid(), altro.errors


def test_indicatore_con_lo_stesso_nome_nello_stesso_patto():
    indicatore = IndicatoreFactory(nome="Ore di apertura")
    form = _form(IndicatoreForm, {"nome": "Ore di apertura"}, patto=indicatore.patto)
    assert not form.is_valid()
    assert form.non_field_errors()
    assert _form(IndicatoreForm, {"nome": "Ore di apertura"}, patto=PattoFactory()).is_valid()


def test_due_misurazioni_nella_stessa_data():
    indicatore = IndicatoreFactory()
    giorno = datetime.date(2026, 3, 1)
    Misurazione.objects.create(indicatore=indicatore, data=giorno, valore=3)
    form = _form(MisurazioneForm, {"data": "2026-03-01", "valore": "4"}, indicatore=indicatore)
    assert not form.is_valid()
    assert "C'è già una misurazione in questa data." in form.non_field_errors()
    assert Indicatore.objects.count() == 1
