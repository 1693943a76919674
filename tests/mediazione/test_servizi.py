import datetime

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from mediazione import services
from mediazione.models import AccessoDossier, Dossier, Fase
from quartiere.lib.errori import ErroreDominio
from tests.mediazione.factories import DossierFactory

pytestmark = pytest.mark.django_db


def test_il_numero_segue_l_anno_di_apertura(mediatore, san_siro):
    primo = DossierFactory(
        creato_da=mediatore, quartiere=san_siro, aperto_il=datetime.date(2025, 12, 31)
    )
    secondo = DossierFactory(
        creato_da=mediatore, quartiere=san_siro, aperto_il=datetime.date(2025, 6, 1)
    )
    terzo = DossierFactory(
        creato_da=mediatore, quartiere=san_siro, aperto_il=datetime.date(2026, 1, 2)
    )
    assert [primo.numero, secondo.numero, terzo.numero] == [
        "MED-2025-0001",
        "MED-2025-0002",
        "MED-2026-0001",
    ]


def test_chi_apre_come_mediatore_e_sempre_assegnato(mediatore, coordinatore, san_siro):
    d = services.apri_dossier(
        da=mediatore,
        quartiere=san_siro,
        tipo_conflitto="animali",
        canale_arrivo="polizia_locale",
        mediatori=[coordinatore],
    )
    assert set(d.mediatori.all()) == {mediatore, coordinatore}
    assert d.accessi.get().azione == AccessoDossier.Azione.CREAZIONE


def test_il_coordinatore_deve_assegnare_un_mediatore(coordinatore, san_siro):
    with pytest.raises(ErroreDominio):
        services.apri_dossier(
            da=coordinatore,
            quartiere=san_siro,
            tipo_conflitto="odori",
            canale_arrivo="altro_servizio",
        )
    assert not Dossier.objects.exists()


def test_chiudere_richiede_un_esito(dossier, mediatore):
    with pytest.raises(ErroreDominio):
        services.chiudi(dossier, esito="", da=mediatore)
    dossier.refresh_from_db()
    assert dossier.fase != Fase.CHIUSO


def test_il_database_rifiuta_un_dossier_chiuso_senza_esito(dossier):
    with pytest.raises(IntegrityError), transaction.atomic():
        Dossier.objects.filter(pk=dossier.pk).update(fase="chiuso", chiuso_il=timezone.localdate())


def test_chiudere_e_riaprire(dossier, mediatore, coordinatore):
    fase = dossier.fase
    services.chiudi(dossier, esito="accordo_raggiunto", da=mediatore)
    dossier.refresh_from_db()
    assert (dossier.fase, dossier.esito, dossier.chiuso_il) == (
        "chiuso",
        "accordo_raggiunto",
        timezone.localdate(),
    )
    with pytest.raises(ErroreDominio):
        services.registra_attivita(
            dossier, da=mediatore, tipo="telefonata", data=timezone.localdate()
        )
    with pytest.raises(ErroreDominio):
        services.riapri(dossier, da=mediatore, motivo="ci ho ripensato")
    with pytest.raises(ErroreDominio):
        services.riapri(dossier, da=coordinatore, motivo="  ")
    services.riapri(dossier, da=coordinatore, motivo="la controparte chiede un nuovo incontro")
    dossier.refresh_from_db()
    assert (dossier.fase, dossier.esito, dossier.chiuso_il) == (fase, "", None)


def test_un_incontro_congiunto_non_e_riservato(dossier, mediatore):
    with pytest.raises(ErroreDominio):
        services.registra_attivita(
            dossier,
            da=mediatore,
            tipo="incontro_congiunto",
            data=timezone.localdate(),
            non_condividere=True,
        )


def test_attivita_porta_avanti_la_fase_ma_mai_indietro(mediatore, san_siro):
    d = DossierFactory(creato_da=mediatore, quartiere=san_siro)
    services.registra_attivita(
        d, da=mediatore, tipo="incontro_congiunto", data=timezone.localdate()
    )
    d.refresh_from_db()
    assert d.fase == Fase.INCONTRO_CONGIUNTO
    services.cambia_fase(d, Fase.VERIFICA, da=mediatore)
    services.registra_attivita(
        d, da=mediatore, tipo="incontro_congiunto", data=timezone.localdate()
    )
    d.refresh_from_db()
    assert d.fase == Fase.VERIFICA


def test_una_verifica_segna_svolta_la_verifica_dell_accordo(dossier, mediatore):
    services.registra_attivita(dossier, da=mediatore, tipo="verifica", data=timezone.localdate())
    dossier.refresh_from_db()
    assert dossier.accordo.verifica_svolta_il == timezone.localdate()
    assert dossier.fase == Fase.VERIFICA


def test_cambia_fase_non_chiude(dossier, mediatore):
    with pytest.raises(ErroreDominio):
        services.cambia_fase(dossier, Fase.CHIUSO, da=mediatore)
