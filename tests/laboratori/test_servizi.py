"""The state changes of labs, meetings and proposals."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from laboratori import services
from laboratori.models import Incontro, Laboratorio, Proposta
from tests.laboratori.factories import IncontroFactory, PropostaFactory

pytestmark = pytest.mark.django_db


def test_concludere_un_laboratorio_fissa_la_data_di_fine(lab_san_siro, operatore):
    lab = services.cambia_stato_laboratorio(lab_san_siro, "concluso", da=operatore)
    assert lab.stato == "concluso"
    assert lab.data_fine == timezone.localdate()
    assert lab.versione == 2
    ultima = lab.history.latest()
    assert ultima.history_user == operatore
    assert ultima.history_change_reason == "Stato: attivo → concluso"


def test_concludere_mantiene_la_data_di_fine_gia_indicata(lab_san_siro, operatore):
    lab_san_siro.data_fine = date(2025, 6, 30)
    lab_san_siro.save()
    lab = services.cambia_stato_laboratorio(lab_san_siro, "concluso", da=operatore)
    assert lab.data_fine == date(2025, 6, 30)


@pytest.mark.parametrize(
    ("da", "a", "ammesso"),
    [
        ("attivo", "sospeso", True),
        ("sospeso", "attivo", True),
        ("concluso", "attivo", True),
        ("concluso", "sospeso", False),
        ("attivo", "attivo", False),
        ("attivo", "chiuso", False),
    ],
)
def test_transizioni_del_laboratorio(lab_san_siro, operatore, da, a, ammesso):
    Laboratorio.objects.filter(pk=lab_san_siro.pk).update(stato=da)
    if ammesso:
        assert services.cambia_stato_laboratorio(lab_san_siro, a, da=operatore).stato == a
    else:
        with pytest.raises(services.ErroreDominio):
            services.cambia_stato_laboratorio(lab_san_siro, a, da=operatore)
        assert Laboratorio.objects.get(pk=lab_san_siro.pk).stato == da


def test_cambia_fase(lab_san_siro, operatore):
    lab = services.cambia_fase(lab_san_siro, "progettazione", da=operatore)
    assert lab.fase == "progettazione"
    assert lab.history.latest().history_change_reason == "Fase: ascolto → progettazione"
    with pytest.raises(services.ErroreDominio, match="già in questa fase"):
        services.cambia_fase(lab, "progettazione", da=operatore)
    with pytest.raises(services.ErroreDominio, match="sconosciuta"):
        services.cambia_fase(lab, "festa", da=operatore)
    services.cambia_stato_laboratorio(lab, "concluso", da=operatore)
    with pytest.raises(services.ErroreDominio, match="concluso"):
        services.cambia_fase(lab, "realizzazione", da=operatore)


def test_un_incontro_futuro_non_si_segna_svolto(lab_san_siro, operatore):
    futuro = IncontroFactory(
        laboratorio=lab_san_siro, stato="programmato", inizio=timezone.now() + timedelta(days=2)
    )
    with pytest.raises(services.ErroreDominio, match="non ancora iniziato"):
        services.cambia_stato_incontro(futuro, "svolto", da=operatore)
    passato = IncontroFactory(laboratorio=lab_san_siro, stato="programmato")
    assert services.cambia_stato_incontro(passato, "svolto", da=operatore).stato == "svolto"


def test_un_incontro_svolto_resta_svolto(incontro_san_siro, operatore):
    for stato in ("programmato", "annullato"):
        with pytest.raises(services.ErroreDominio, match="Non si può passare"):
            services.cambia_stato_incontro(incontro_san_siro, stato, da=operatore)


def test_annullare_e_riprogrammare(lab_san_siro, operatore):
    inc = IncontroFactory(laboratorio=lab_san_siro, stato="programmato")
    inc = services.cambia_stato_incontro(inc, "annullato", da=operatore)
    assert inc.stato == "annullato" and inc.versione == 2
    inc = services.cambia_stato_incontro(inc, "programmato", da=operatore)
    assert inc.stato == "programmato"


def test_non_si_annulla_un_incontro_con_presenze(lab_san_siro, operatore, residente):
    inc = IncontroFactory(laboratorio=lab_san_siro, stato="programmato")
    services.registra_presenza(inc, persona=residente)
    with pytest.raises(services.ErroreDominio, match="presenze registrate"):
        services.cambia_stato_incontro(inc, "annullato", da=operatore)
    assert Incontro.objects.get(pk=inc.pk).stato == "programmato"


def test_percorso_di_una_proposta(lab_san_siro, operatore):
    p = PropostaFactory(laboratorio=lab_san_siro)
    with pytest.raises(services.ErroreDominio):
        services.cambia_stato_proposta(p, "accolta", da=operatore)
    p = services.cambia_stato_proposta(p, "in_valutazione", da=operatore)
    p = services.cambia_stato_proposta(p, "accolta", da=operatore, esito="  Finanziata.  ")
    assert (p.stato, p.esito, p.versione) == ("accolta", "Finanziata.", 3)
    assert Proposta.objects.get(pk=p.pk).history.count() == 3


def test_azione_dalla_pagina_riporta_l_errore(client_di, operatore, lab_san_siro):
    from django.urls import reverse

    inc = IncontroFactory(
        laboratorio=lab_san_siro, stato="programmato", inizio=timezone.now() + timedelta(days=1)
    )
    r = client_di(operatore).post(
        reverse("laboratori:incontro_stato", args=[inc.pk]), {"stato": "svolto"}, follow=True
    )
    assert "Un incontro non ancora iniziato non può essere svolto." in r.content.decode()
    r = client_di(operatore).post(
        reverse("laboratori:incontro_stato", args=[inc.pk]), {"stato": "annullato"}, follow=True
    )
    assert "Stato dell&#x27;incontro aggiornato." in r.content.decode()
    assert Incontro.objects.get(pk=inc.pk).stato == "annullato"
