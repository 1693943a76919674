import pytest
from django.core.management import call_command

from mediazione import demo
from mediazione.models import AccessoDossier, Dossier, Fase

pytestmark = pytest.mark.django_db


def test_seed_demo_dossier_in_ogni_fase_idempotente(settings):
    settings.DEBUG = True
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    mediatore = Dossier.objects.first().mediatori.get()
    assert mediatore.username == "mediatore"
    qs = Dossier.objects.filter(mediatori=mediatore)
    assert qs.count() >= 30
    assert set(qs.values_list("fase", flat=True)) == set(Fase.values)
    assert (
        qs.filter(fase=Fase.CHIUSO).exclude(esito="").count() == qs.filter(fase=Fase.CHIUSO).count()
    )
    assert qs.filter(attivita__non_condividere=True).exists()
    assert qs.con_verifica_scaduta().exists()
    # The timeline follows the phases, as a mediator would record it.
    fasi_attivita = set(qs.values_list("attivita__fase", flat=True))
    assert {"colloquio_richiedente", "invito_controparte", "incontro_congiunto"} <= fasi_attivita
    numeri = sorted(qs.values_list("numero", flat=True))
    accessi = AccessoDossier.objects.count()
    demo.popola()
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert sorted(Dossier.objects.values_list("numero", flat=True)) == numeri
    assert AccessoDossier.objects.count() == accessi
