"""The demo data: idempotent, deterministic, and shaped like a real year of labs."""

import pytest
from django.utils import timezone

from laboratori import demo
from laboratori.indicators import calcola
from laboratori.models import Incontro, Laboratorio, Presenza, Proposta
from quartiere.sviluppo import demo as demo_core

pytestmark = pytest.mark.django_db


def _firma():
    return (
        list(Laboratorio.objects.order_by("codice").values_list("codice", "titolo", "stato")),
        list(
            Incontro.objects.order_by("codice").values_list(
                "codice", "inizio", "stato", "sede__nome", "luogo", "titolo"
            )
        ),
        sorted(
            Presenza.objects.values_list(
                "incontro__codice", "persona__codice", "organizzazione__codice"
            ),
            key=str,
        ),
        sorted(
            Proposta.objects.values_list(
                "laboratorio__codice", "titolo", "stato", "proponente_persona__codice"
            ),
            key=str,
        ),
    )


def test_demo_idempotente_e_deterministica():
    demo_core.popola()
    demo.popola()
    prima = _firma()
    demo.popola()
    assert _firma() == prima
    Laboratorio.objects.all().delete()
    demo.popola()
    assert _firma() == prima


def test_demo_ha_tutto_quello_che_serve():
    demo_core.popola()
    demo.popola()
    codici = set(Laboratorio.objects.values_list("quartiere__codice", flat=True))
    assert codici == {
        "san-siro",
        "lorenteggio",
        "gratosoglio",
        "ponte-lambro",
        "molise-calvairate",
        "mazzini",
    }
    adesso = timezone.now()
    assert Incontro.objects.filter(stato="svolto", inizio__lt=adesso).count() >= 20
    assert Incontro.objects.filter(stato="programmato", inizio__gt=adesso).count() >= 8
    assert Incontro.objects.filter(stato="annullato").exists()
    assert Incontro.objects.filter(sede__nome="Sala della Città condivisa").count() >= 5
    assert Incontro.objects.filter(sede__isnull=True).exclude(luogo="").exists()
    assert not Incontro.objects.filter(stato="svolto", verbale="").exists()
    assert not Presenza.objects.exclude(incontro__stato="svolto").exists()
    assert (
        not Presenza.objects.exclude(persona__codice__startswith="DEMO-P")
        .filter(persona__isnull=False)
        .exists()
    )
    assert Presenza.objects.filter(organizzazione__codice__startswith="ORG-0").exists()
    assert set(Proposta.objects.values_list("stato", flat=True)) == {
        "raccolta",
        "in_valutazione",
        "accolta",
        "non_accolta",
    }
    facilitatori = set(
        Laboratorio.objects.filter(quartiere__codice__in=["san-siro", "gratosoglio"]).values_list(
            "facilitatori__username", flat=True
        )
    )
    assert facilitatori == {"operatore.sansiro", "operatore.gratosoglio"}
    oggi = timezone.localdate()
    cifre = calcola(oggi.replace(year=oggi.year - 2), oggi, None)
    assert cifre["partecipanti_unici"] < cifre["presenze"]
    # All seven overlap the two years; the suspended one counts because it held meetings.
    # Gratosoglio's pilot group and its thematic group are labs too.
    assert cifre["laboratori_attivi"] == 9
    pilota = Laboratorio.objects.get(codice="DEMO-GP-GRATOSOGLIO")
    assert pilota.tipo == "gruppo_pilota" and pilota.gruppi_tematici.count() == 1
    assert pilota.mandato.filter(tipo="vulnerabilita").exists()
    assert pilota.mandato.filter(tipo="priorita").exists()
    assert pilota.aderenti.filter(ruolo="promotore", organizzazione__isnull=False).exists()
    assert pilota.aderenti.filter(persona__codice__startswith="DEMO-P").exists()
