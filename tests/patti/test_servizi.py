"""The pact workflow: allowed transitions, guards, history, signature snapshot, renewal."""

from __future__ import annotations

import datetime

import pytest
from django.db import IntegrityError, transaction

from patti import services
from patti.models import Firmatario, Impegno, PassaggioStato, Patto, Progetto, StatoPatto
from quartiere.lib.errori import ErroreDominio
from tests.factories import OrganizzazioneFactory, PersonaFactory
from tests.patti import factories as f

pytestmark = pytest.mark.django_db

S = StatoPatto


def _porta(patto, *stati, da, **kwargs):
    for stato in stati:
        patto = services.cambia_stato(patto, stato, da=da, **kwargs)
    return patto


def _atto():
    return {"atto_tipo": "delibera", "atto_numero": "123", "atto_data": datetime.date(2025, 2, 1)}


def test_ogni_stato_ha_transizioni_definite_e_gli_stati_finali_nessuna():
    assert set(services.TRANSIZIONI) == set(S.values)
    for arrivi in services.TRANSIZIONI.values():
        assert set(arrivi) <= set(S.values)
    for finale in (S.CONCLUSO, S.REVOCATO, S.RESPINTO, S.INTEGRATO):
        assert services.transizioni_da(finale) == ()


def test_crea_patto_assegna_il_numero_e_apre_la_storia(san_siro, operatore):
    primo = services.crea_patto(Patto(titolo="Uno", quartiere=san_siro), da=operatore)
    secondo = services.crea_patto(Patto(titolo="Due", quartiere=san_siro), da=operatore)
    anno = datetime.date.today().year
    assert (primo.numero, secondo.numero) == (f"{anno}/001", f"{anno}/002")
    assert list(primo.passaggi.values_list("da_stato", "a_stato", "da")) == [
        ("", "proposta", operatore.pk)
    ]


def test_percorso_completo_con_storia_datata(patto_san_siro, coordinatore):
    patto = patto_san_siro
    Patto.objects.filter(pk=patto.pk).update(stato=S.PROPOSTA, data_firma=None)
    patto = _porta(patto, S.ISTRUTTORIA, S.CO_PROGETTAZIONE, da=coordinatore)
    patto = services.cambia_stato(patto, S.APPROVATO, da=coordinatore, **_atto())
    patto = services.cambia_stato(
        patto, S.FIRMATO, da=coordinatore, data_firma=datetime.date(2025, 3, 1)
    )
    patto = _porta(patto, S.IN_ATTUAZIONE, S.CONCLUSO, da=coordinatore)
    passi = list(PassaggioStato.objects.filter(patto=patto).values_list("da_stato", "a_stato"))
    assert passi == [
        ("proposta", "istruttoria"),
        ("istruttoria", "co_progettazione"),
        ("co_progettazione", "approvato"),
        ("approvato", "firmato"),
        ("firmato", "in_attuazione"),
        ("in_attuazione", "concluso"),
    ]
    assert all(p.il and p.da == coordinatore for p in PassaggioStato.objects.filter(patto=patto))
    assert patto.data_firma == datetime.date(2025, 3, 1)


@pytest.mark.parametrize(
    ("da_stato", "a_stato"),
    [
        (S.PROPOSTA, S.FIRMATO),
        (S.PROPOSTA, S.APPROVATO),
        (S.ISTRUTTORIA, S.IN_ATTUAZIONE),
        (S.CONCLUSO, S.IN_ATTUAZIONE),
        (S.RESPINTO, S.ISTRUTTORIA),
        (S.REVOCATO, S.FIRMATO),
    ],
)
def test_transizioni_non_ammesse_rifiutate(da_stato, a_stato, san_siro, coordinatore):
    patto = f.PattoFactory(quartiere=san_siro, stato=da_stato, data_firma=datetime.date(2025, 1, 1))
    with pytest.raises(ErroreDominio):
        services.cambia_stato(patto, a_stato, da=coordinatore, **_atto())
    patto.refresh_from_db()
    assert patto.stato == da_stato
    assert not patto.passaggi.exists()


def test_approvare_spetta_al_coordinatore(san_siro, operatore, coordinatore):
    patto = f.PattoFactory(quartiere=san_siro, stato=S.ISTRUTTORIA)
    with pytest.raises(ErroreDominio, match="permesso"):
        services.cambia_stato(patto, S.APPROVATO, da=operatore, **_atto())
    services.cambia_stato(patto, S.APPROVATO, da=coordinatore, **_atto())
    patto.refresh_from_db()
    assert patto.stato == S.APPROVATO
    assert patto.atto_numero == "123"


def test_approvare_richiede_l_atto(san_siro, coordinatore):
    patto = f.PattoFactory(quartiere=san_siro, stato=S.ISTRUTTORIA)
    with pytest.raises(ErroreDominio, match="atto"):
        services.cambia_stato(patto, S.APPROVATO, da=coordinatore)


def test_operatore_di_altro_quartiere_non_cambia_stato(san_siro, operatore_gratosoglio):
    patto = f.PattoFactory(quartiere=san_siro)
    with pytest.raises(ErroreDominio):
        services.cambia_stato(patto, S.ISTRUTTORIA, da=operatore_gratosoglio)


def test_firmare_richiede_comune_e_un_altro_firmatario(san_siro, coordinatore):
    patto = f.PattoFactory(quartiere=san_siro, stato=S.APPROVATO)
    with pytest.raises(ErroreDominio, match="Comune"):
        services.cambia_stato(patto, S.FIRMATO, da=coordinatore)
    f.FirmatarioComuneFactory(patto=patto)
    with pytest.raises(ErroreDominio, match="oltre al Comune"):
        services.cambia_stato(patto, S.FIRMATO, da=coordinatore)
    f.FirmatarioOrganizzazioneFactory(patto=patto)
    patto = services.cambia_stato(patto, S.FIRMATO, da=coordinatore)
    assert patto.data_firma is not None


def test_la_firma_congela_il_documento(san_siro, coordinatore):
    patto = f.PattoFactory(quartiere=san_siro, stato=S.APPROVATO, titolo="Titolo firmato")
    f.FirmatarioComuneFactory(patto=patto)
    firmatario = f.FirmatarioOrganizzazioneFactory(
        patto=patto, organizzazione__nome="Associazione Prima"
    )
    f.ImpegnoFactory(firmatario=firmatario, descrizione="Impegno originale")
    services.cambia_stato(patto, S.FIRMATO, da=coordinatore, data_firma=datetime.date(2025, 5, 2))
    # Later edits cannot rewrite what was signed: the database refuses them.
    with pytest.raises(IntegrityError), transaction.atomic():
        Patto.objects.filter(pk=patto.pk).update(titolo="Titolo cambiato dopo")
    with pytest.raises(IntegrityError), transaction.atomic():
        Impegno.objects.update(descrizione="Impegno cambiato dopo")
    patto.refresh_from_db()
    doc = patto.documento_firmato
    assert doc["titolo"] == "Titolo firmato"
    assert doc["data_firma"] == "02/05/2025"
    assert doc["firmatari"][1]["nome"] == "Associazione Prima"
    assert doc["firmatari"][1]["impegni"] == [{"descrizione": "Impegno originale", "scadenza": ""}]


def test_rinnovo_copia_firmatari_impegni_e_progetti(patto_san_siro, operatore):
    originale = patto_san_siro
    f.IndicatoreFactory(patto=originale, nome="Ore di cura")
    nuovo = services.rinnova(originale, da=operatore)
    assert nuovo.rinnova == originale
    assert nuovo.stato == S.PROPOSTA
    assert nuovo.quartiere == originale.quartiere
    assert nuovo.numero != originale.numero
    assert nuovo.data_inizio == originale.data_fine + datetime.timedelta(days=1)
    chiavi = lambda p: sorted(  # noqa: E731
        (x.tipo, x.persona_id, x.organizzazione_id) for x in p.firmatari.all()
    )
    assert chiavi(nuovo) == chiavi(originale)
    assert sorted(
        Impegno.objects.filter(firmatario__patto=nuovo).values_list("descrizione", flat=True)
    ) == sorted(
        Impegno.objects.filter(firmatario__patto=originale).values_list("descrizione", flat=True)
    )
    assert list(nuovo.progetti.values_list("titolo", "budget")) == list(
        originale.progetti.values_list("titolo", "budget")
    )
    assert list(nuovo.indicatori.values_list("nome", flat=True)) == ["Ore di cura"]
    # The original is untouched.
    assert originale.firmatari.count() == 3
    assert Progetto.objects.filter(patto=originale).count() == 1


def test_un_patto_non_firmato_non_si_rinnova_e_non_due_volte(san_siro, patto_san_siro, operatore):
    with pytest.raises(ErroreDominio):
        services.rinnova(f.PattoFactory(quartiere=san_siro, stato=S.APPROVATO), da=operatore)
    services.rinnova(patto_san_siro, da=operatore)
    with pytest.raises(ErroreDominio, match="già un rinnovo"):
        services.rinnova(patto_san_siro, da=operatore)


def _integrity(**campi):
    with pytest.raises(IntegrityError), transaction.atomic():
        Firmatario.objects.create(**campi)


def test_un_firmatario_compare_una_sola_volta_per_patto(san_siro):
    patto = f.PattoFactory(quartiere=san_siro)
    persona, organizzazione = PersonaFactory(), OrganizzazioneFactory()
    Firmatario.objects.create(patto=patto, tipo="comune")
    Firmatario.objects.create(patto=patto, tipo="volontario", persona=persona)
    Firmatario.objects.create(patto=patto, tipo="associazione", organizzazione=organizzazione)
    _integrity(patto=patto, tipo="comune")
    _integrity(patto=patto, tipo="volontario", persona=persona)
    _integrity(patto=patto, tipo="gruppo_informale", persona=persona)
    _integrity(patto=patto, tipo="scuola", organizzazione=organizzazione)
    # The same party may sign another pact.
    altro = f.PattoFactory(quartiere=san_siro)
    Firmatario.objects.create(patto=altro, tipo="volontario", persona=persona)


def test_vincolo_sulla_parte_del_firmatario(san_siro):
    patto = f.PattoFactory(quartiere=san_siro)
    persona, organizzazione = PersonaFactory(), OrganizzazioneFactory()
    _integrity(patto=patto, tipo="comune", persona=persona)
    _integrity(patto=patto, tipo="comune", organizzazione=organizzazione)
    _integrity(patto=patto, tipo="associazione")
    _integrity(patto=patto, tipo="volontario")
    _integrity(patto=patto, tipo="volontario", organizzazione=organizzazione)
    _integrity(patto=patto, tipo="associazione", persona=persona)
    _integrity(patto=patto, tipo="gruppo_informale", persona=persona, organizzazione=organizzazione)


def test_un_patto_firmato_ha_sempre_la_data_di_firma(san_siro):
    with pytest.raises(IntegrityError), transaction.atomic():
        f.PattoFactory(quartiere=san_siro, stato=S.IN_ATTUAZIONE, data_firma=None)
