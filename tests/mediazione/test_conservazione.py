"""``manage.py mediazione_retention``: dry run lists, --anonymize replaces personal data
and notes but keeps the figures; nothing is deleted; every run is recorded."""

import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from mediazione import indicators, services
from mediazione.models import Accordo, Attivita, Dossier, EsecuzioneConservazione, Parte
from tests.mediazione.conftest import NOTA_RISERVATA
from tests.mediazione.factories import DossierFactory

pytestmark = pytest.mark.django_db

OGGI = timezone.localdate()


def _vecchio(dossier, anni_fa: int, mediatore):
    """Backdate ``dossier`` (opened and closed ``anni_fa`` years ago) and close it."""
    aperto = OGGI.replace(year=OGGI.year - anni_fa) - datetime.timedelta(days=60)
    Dossier.objects.filter(pk=dossier.pk).update(aperto_il=aperto)
    Attivita.objects.filter(dossier=dossier).update(data=aperto + datetime.timedelta(days=1))
    Accordo.objects.filter(dossier=dossier).update(
        data=aperto + datetime.timedelta(days=5), data_verifica=aperto + datetime.timedelta(days=20)
    )
    dossier.refresh_from_db()
    services.chiudi(
        dossier,
        esito="accordo_raggiunto",
        chiuso_il=aperto + datetime.timedelta(days=30),
        da=mediatore,
    )
    dossier.refresh_from_db()
    return dossier


@pytest.fixture
def vecchio(dossier, mediatore):
    return _vecchio(dossier, 6, mediatore)


@pytest.fixture
def recente(mediatore, san_siro):
    d = DossierFactory(
        creato_da=mediatore, quartiere=san_siro, descrizione="Caso recente riservato"
    )
    services.chiudi(d, esito="nessun_accordo", da=mediatore)
    return d


def _esegui(*args):
    out = StringIO()
    call_command("mediazione_retention", *args, stdout=out)
    return out.getvalue()


def _figure():
    dal, al = OGGI.replace(year=OGGI.year - 10), OGGI
    return (
        indicators.calcola(dal, al, None),
        indicators.per_canale(dal, al, None),
        list(
            Dossier.objects.order_by("pk").values_list(
                "numero",
                "tipo_conflitto",
                "canale_arrivo",
                "fase",
                "esito",
                "aperto_il",
                "chiuso_il",
                "quartiere",
            )
        ),
        list(Attivita.objects.order_by("pk").values_list("tipo", "data", "fase", "durata_minuti")),
    )


def test_prova_a_vuoto_elenca_e_non_cambia_nulla(vecchio, recente):
    testo = _esegui()
    assert vecchio.numero in testo
    assert recente.numero not in testo
    vecchio.refresh_from_db()
    assert vecchio.descrizione and not vecchio.anonimizzato
    assert Attivita.objects.filter(note=NOTA_RISERVATA).exists()
    run = EsecuzioneConservazione.objects.get()
    assert (run.anonimizza, run.anni, run.dossier_trovati, run.dossier_anonimizzati) == (
        False,
        5,
        1,
        0,
    )
    assert vecchio.numero in run.numeri


def test_anonimizza_tenendo_le_cifre(vecchio, recente, mediatore):
    prima = _figure()
    persone = set(Parte.objects.filter(dossier=vecchio).values_list("persona", flat=True))
    testo = _esegui("--anonymize")
    assert vecchio.numero in testo
    vecchio.refresh_from_db()
    assert vecchio.anonimizzato
    assert vecchio.descrizione == ""
    assert not Parte.objects.filter(dossier=vecchio, persona__isnull=False).exists()
    assert not Parte.objects.filter(dossier=vecchio).exclude(note="").exists()
    assert not Attivita.objects.filter(dossier=vecchio, note__contains="depressione").exists()
    assert Accordo.objects.get(dossier=vecchio).testo == services.TESTO_ANONIMIZZATO
    # ... and no earlier version survives in the history tables.
    assert not Dossier.history.filter(id=vecchio.pk).exclude(descrizione="").exists()
    assert not Parte.history.filter(dossier_id=vecchio.pk, persona__isnull=False).exists()
    assert not Attivita.history.filter(note__contains="depressione").exists()
    assert not Accordo.history.filter(testo__contains="Silenzio").exists()
    # The figures stay the same; nothing is deleted, persons of the registry included.
    assert _figure() == prima
    from quartiere.registro.models import Persona

    assert Persona.objects.filter(pk__in=persone).count() == len(persone)
    # The recent dossier is untouched.
    recente.refresh_from_db()
    assert recente.descrizione == "Caso recente riservato"
    run = EsecuzioneConservazione.objects.get()
    assert (run.anonimizza, run.dossier_trovati, run.dossier_anonimizzati) == (True, 1, 1)
    assert vecchio.accessi.filter(azione="anonimizzazione").exists()
    # A second run finds nothing left and is recorded too.
    assert vecchio.numero not in _esegui("--anonymize")
    assert EsecuzioneConservazione.objects.count() == 2


def test_il_periodo_viene_dalle_impostazioni(vecchio, settings):
    settings.MEDIAZIONE_RETENTION_YEARS = 7
    assert vecchio.numero not in _esegui()
    settings.MEDIAZIONE_RETENTION_YEARS = 6
    assert vecchio.numero in _esegui()


def test_i_dossier_aperti_non_si_toccano(dossier):
    Dossier.objects.filter(pk=dossier.pk).update(aperto_il=OGGI.replace(year=OGGI.year - 9))
    assert dossier.numero not in _esegui("--anonymize")
    dossier.refresh_from_db()
    assert not dossier.anonimizzato
