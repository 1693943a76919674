import pytest
from django.core.management import call_command

from patti.models import Firmatario, PassaggioStato, Patto, StatoPatto

pytestmark = pytest.mark.django_db


def test_seed_demo_crea_patti_in_ogni_stato_con_una_catena_di_rinnovi(settings):
    settings.DEBUG = True
    call_command("seed_demo", stdout=__import__("io").StringIO())
    assert set(Patto.objects.values_list("stato", flat=True)) == set(StatoPatto.values)
    terzo = Patto.objects.get(codice="DEMO-PAT-03")
    assert terzo.rinnova.codice == "DEMO-PAT-02"
    assert terzo.rinnova.rinnova.codice == "DEMO-PAT-01"
    assert Firmatario.objects.filter(organizzazione__codice__startswith="ORG-0").exists()
    assert Firmatario.objects.filter(persona__codice__startswith="DEMO-P").exists()
    firmato = Patto.objects.get(codice="DEMO-PAT-04")
    assert firmato.documento_firmato["firmatari"]
    prima = (Patto.objects.count(), PassaggioStato.objects.count(), Firmatario.objects.count())
    call_command("seed_demo", stdout=__import__("io").StringIO())
    assert (
        Patto.objects.count(),
        PassaggioStato.objects.count(),
        Firmatario.objects.count(),
    ) == prima
