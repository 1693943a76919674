""" "Aperte oltre il termine" for a period that is not over is measured today, and the
dashboard's link opens the same reports (issue 16: the figure said 140, the list 127)."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from segnalazioni import indicators
from segnalazioni.models import Segnalazione, Stato
from tests.segnalazioni.factories import SegnalazioneFactory

pytestmark = pytest.mark.django_db


def test_periodo_non_finito_conta_le_scadute_di_oggi_come_la_lista(
    client_di, coordinatore, san_siro, categoria
):
    oggi = timezone.localdate()
    ieri, fra_dieci = oggi - timedelta(days=1), oggi + timedelta(days=10)
    scaduta = SegnalazioneFactory(quartiere=san_siro, categoria=categoria)
    non_ancora = SegnalazioneFactory(quartiere=san_siro, categoria=categoria)
    chiusa = SegnalazioneFactory(quartiere=san_siro, categoria=categoria)
    Segnalazione.objects.filter(pk=scaduta.pk).update(scadenza=ieri)
    # Its deadline falls before the end of the period, but it is not overdue yet.
    Segnalazione.objects.filter(pk=non_ancora.pk).update(scadenza=fra_dieci)
    Segnalazione.objects.filter(pk=chiusa.pk).update(
        scadenza=ieri, stato=Stato.CHIUSA, esito="risolta", chiusa_il=timezone.now()
    )

    dal, al = oggi.replace(month=1, day=1), oggi.replace(month=12, day=31)
    figura = indicators.calcola(dal, al)["aperte_scadute"]
    assert figura == 1

    risposta = client_di(coordinatore).get(reverse("segnalazioni:lista"), {"scadute": "on"})
    assert risposta.status_code == 200
    nella_lista = {s.pk for s in risposta.context["object_list"]}
    assert nella_lista == {scaduta.pk}


def test_periodo_passato_conta_chi_era_aperta_e_scaduta_alla_fine(san_siro, categoria):
    oggi = timezone.localdate()
    fine = oggi - timedelta(days=30)
    s = SegnalazioneFactory(quartiere=san_siro, categoria=categoria)
    Segnalazione.objects.filter(pk=s.pk).update(
        creata_il=timezone.now() - timedelta(days=60), scadenza=fine - timedelta(days=5)
    )
    assert indicators.calcola(fine - timedelta(days=29), fine)["aperte_scadute"] == 1
    # Its deadline had not passed yet at the end of an earlier period.
    assert (
        indicators.calcola(fine - timedelta(days=40), fine - timedelta(days=10))["aperte_scadute"]
        == 0
    )
