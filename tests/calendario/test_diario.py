"""The operators' diary: quick entries, the week view, who sees whose."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from quartiere.diario.models import AttivitaDiario
from tests.calendario.factories import AttivitaDiarioFactory

pytestmark = pytest.mark.django_db


def test_inserimento_rapido(client_di, operatore, san_siro):
    oggi = timezone.localdate()
    risposta = client_di(operatore).post(
        "/lavoro/diario/nuova/",
        {
            "data": oggi.isoformat(),
            "quartiere": san_siro.pk,
            "tipo": "front_office",
            "ore": "2.5",
            "nota": "Sportello",
        },
    )
    assert risposta.status_code == 302
    assert f"giorno={oggi.isoformat()}" in risposta["Location"]
    voce = AttivitaDiario.objects.get()
    assert voce.operatore == operatore and voce.ore == Decimal("2.5")


@pytest.mark.parametrize(
    ("modifiche", "campo"),
    [
        ({"ore": "0"}, "ore"),
        ({"ore": "24.5"}, "ore"),
        ({"ore": "-1"}, "ore"),
        ({"tipo": "pausa caffè"}, "tipo"),
        ({"data": "domani"}, "data"),
    ],
)
def test_inserimento_con_errori(client_di, operatore, san_siro, modifiche, campo):
    dati = {
        "data": timezone.localdate().isoformat(),
        "quartiere": san_siro.pk,
        "tipo": "back_office",
        "ore": "2",
    }
    dati.update(modifiche)
    risposta = client_di(operatore).post("/lavoro/diario/nuova/", dati)
    assert risposta.status_code == 200
    assert campo in risposta.context["form"].errors
    assert not AttivitaDiario.objects.exists()


def test_operatore_non_sceglie_un_quartiere_non_suo(client_di, operatore, gratosoglio):
    dati = {
        "data": timezone.localdate().isoformat(),
        "quartiere": gratosoglio.pk,
        "tipo": "back_office",
        "ore": "2",
    }
    risposta = client_di(operatore).post("/lavoro/diario/nuova/", dati)
    assert "quartiere" in risposta.context["form"].errors


@pytest.mark.parametrize("ore", ["0", "24.01", "-2"])
def test_vincolo_sulle_ore(operatore, san_siro, ore):
    with pytest.raises(IntegrityError), transaction.atomic():
        AttivitaDiarioFactory(operatore=operatore, quartiere=san_siro, ore=Decimal(ore))


def test_settimana_dell_operatore(
    client_di, operatore, operatore_gratosoglio, san_siro, gratosoglio
):
    oggi = timezone.localdate()
    lunedi = oggi - timedelta(days=oggi.weekday())
    AttivitaDiarioFactory(
        operatore=operatore,
        quartiere=san_siro,
        data=lunedi,
        tipo="sopralluogo",
        ore=Decimal("1.5"),
        nota="Cortile via Abbiati",
    )
    AttivitaDiarioFactory(
        operatore=operatore,
        quartiere=san_siro,
        data=lunedi - timedelta(days=7),
        nota="Settimana scorsa",
    )
    AttivitaDiarioFactory(
        operatore=operatore_gratosoglio, quartiere=gratosoglio, data=lunedi, nota="Diario di Luca"
    )
    testo = client_di(operatore).get(f"/lavoro/diario/?giorno={oggi.isoformat()}").content.decode()
    assert "Cortile via Abbiati" in testo
    assert "Settimana scorsa" not in testo
    assert "Diario di Luca" not in testo
    assert "Registra un&#x27;attività" in testo or "Registra un'attività" in testo


def test_operatore_non_apre_il_diario_di_un_altro(
    client_di, operatore, operatore_gratosoglio, gratosoglio
):
    AttivitaDiarioFactory(
        operatore=operatore_gratosoglio, quartiere=gratosoglio, nota="Diario di Luca"
    )
    testo = (
        client_di(operatore)
        .get(f"/lavoro/diario/?operatore={operatore_gratosoglio.pk}")
        .content.decode()
    )
    assert "Diario di Luca" not in testo


def test_coordinatore_vede_il_riepilogo_di_tutti_e_il_diario_di_ognuno(
    client_di, coordinatore, operatore, operatore_gratosoglio, san_siro, gratosoglio
):
    oggi = timezone.localdate()
    AttivitaDiarioFactory(operatore=operatore, quartiere=san_siro, data=oggi, ore=Decimal("3"))
    AttivitaDiarioFactory(operatore=operatore, quartiere=san_siro, data=oggi, ore=Decimal("1.25"))
    AttivitaDiarioFactory(
        operatore=operatore_gratosoglio,
        quartiere=gratosoglio,
        data=oggi,
        ore=Decimal("2"),
        nota="Diario di Luca",
    )
    c = client_di(coordinatore)
    risposta = c.get("/lavoro/diario/")
    righe = {r["persona"].username: r for r in risposta.context["riepilogo"]}
    assert righe["operatore.sansiro"]["totale"] == Decimal("4.25")
    assert righe["operatore.gratosoglio"]["totale"] == Decimal("2")
    testo = c.get(f"/lavoro/diario/?operatore={operatore_gratosoglio.pk}").content.decode()
    assert "Diario di Luca" in testo


def test_modifica_della_propria_voce(client_di, operatore, san_siro):
    voce = AttivitaDiarioFactory(operatore=operatore, quartiere=san_siro, ore=Decimal("2"))
    risposta = client_di(operatore).post(
        f"/lavoro/diario/{voce.pk}/modifica/",
        {
            "data": voce.data.isoformat(),
            "quartiere": san_siro.pk,
            "tipo": "back_office",
            "ore": "3",
            "versione_letta": voce.versione,
        },
    )
    assert risposta.status_code == 302
    voce.refresh_from_db()
    assert voce.ore == Decimal("3") and voce.tipo == "back_office"
