"""The workflow rules, enforced by the services whoever calls them."""

import pytest
from django.core import mail

from quartiere.lib.errori import ErroreDominio
from segnalazioni import services
from segnalazioni.models import Esito, Evento, InvioEmail, Stato
from tests.segnalazioni.factories import SegnalazioneFactory

pytestmark = pytest.mark.django_db


def test_percorso_completo_fino_alla_chiusura(
    segnalazione_san_siro, operatore, django_capture_on_commit_callbacks
):
    s = segnalazione_san_siro
    with django_capture_on_commit_callbacks(execute=True):
        services.prendi_in_carico(s, da=operatore)
        services.cambia_stato(s, Stato.INOLTRATA, da=operatore, nota="Urgente")
        services.cambia_stato(s, Stato.IN_LAVORAZIONE, da=operatore)
        services.chiudi(s, Esito.RISOLTA, da=operatore)
    s.refresh_from_db()
    assert s.stato == Stato.CHIUSA and s.esito == Esito.RISOLTA and s.chiusa_il
    assert s.versione == 5
    tipi = list(s.eventi.values_list("tipo", flat=True))
    assert tipi.count(Evento.Tipo.CAMBIO_STATO) == 4
    assert Evento.Tipo.INOLTRO in tipi
    # Forwarding e-mails the office with the summary and a link to the staff page.
    assert [m.to for m in mail.outbox] == [["luce@example.org"]]
    assert s.oggetto in mail.outbox[0].body
    assert f"/segnalazioni/lavoro/{s.pk}/" in mail.outbox[0].body
    assert "Urgente" in mail.outbox[0].body
    assert s.email_segnalante not in mail.outbox[0].body


@pytest.mark.parametrize(
    ("da", "a"),
    [
        (Stato.NUOVA, Stato.INOLTRATA),
        (Stato.NUOVA, Stato.IN_LAVORAZIONE),
        (Stato.INOLTRATA, Stato.PRESA_IN_CARICO),
        (Stato.INOLTRATA, Stato.NUOVA),
        (Stato.PRESA_IN_CARICO, Stato.NUOVA),
    ],
)
def test_operatore_non_salta_i_passaggi(segnalazione_san_siro, operatore, da, a):
    s = segnalazione_san_siro
    s.stato = da
    s.save()
    with pytest.raises(ErroreDominio):
        services.cambia_stato(s, a, da=operatore)
    s.refresh_from_db()
    assert s.stato == da


def test_coordinatore_puo_forzare_e_resta_traccia(segnalazione_san_siro, coordinatore):
    s = segnalazione_san_siro
    services.cambia_stato(s, Stato.IN_LAVORAZIONE, da=coordinatore)
    s.refresh_from_db()
    assert s.stato == Stato.IN_LAVORAZIONE
    assert s.eventi.get(tipo=Evento.Tipo.CAMBIO_STATO).forzato is True


def test_dirigente_non_modifica(segnalazione_san_siro, dirigente):
    with pytest.raises(ErroreDominio):
        services.prendi_in_carico(segnalazione_san_siro, da=dirigente)


def test_operatore_non_tocca_altri_quartieri(segnalazione_gratosoglio, operatore):
    with pytest.raises(ErroreDominio):
        services.prendi_in_carico(segnalazione_gratosoglio, da=operatore)


def test_chiusura_senza_esito_rifiutata(segnalazione_san_siro, operatore):
    with pytest.raises(ErroreDominio, match="esito"):
        services.cambia_stato(segnalazione_san_siro, Stato.CHIUSA, da=operatore)


def test_esito_solo_alla_chiusura(segnalazione_san_siro, operatore):
    with pytest.raises(ErroreDominio):
        services.cambia_stato(
            segnalazione_san_siro, Stato.PRESA_IN_CARICO, da=operatore, esito=Esito.RISOLTA
        )


def test_riapertura_toglie_esito(segnalazione_san_siro, operatore):
    s = segnalazione_san_siro
    services.chiudi(s, Esito.RESPINTA, da=operatore)
    services.riapri(s, da=operatore, nota="Il cittadino ha scritto di nuovo")
    s.refresh_from_db()
    assert s.stato == Stato.PRESA_IN_CARICO and s.esito == "" and s.chiusa_il is None


def test_versione_vecchia_rifiutata(segnalazione_san_siro, operatore):
    s = segnalazione_san_siro
    letta = s.versione
    services.prendi_in_carico(s, da=operatore, versione_letta=letta)
    with pytest.raises(ErroreDominio, match="Qualcun altro"):
        services.assegna(s, operatore, da=operatore, versione_letta=letta)


def test_assegnazione_solo_a_chi_lavora_nel_quartiere(
    segnalazione_san_siro, operatore, operatore_gratosoglio, coordinatore
):
    s = segnalazione_san_siro
    with pytest.raises(ErroreDominio):
        services.assegna(s, operatore_gratosoglio, da=coordinatore)
    services.assegna(s, operatore, da=coordinatore)
    s.refresh_from_db()
    assert s.assegnata_a == operatore
    assert s.eventi.filter(tipo=Evento.Tipo.ASSEGNAZIONE, autore=coordinatore).exists()


def test_risposta_pubblica_inviata_al_cittadino(
    segnalazione_san_siro, operatore, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.rispondi(segnalazione_san_siro, "Abbiamo chiesto l'intervento.", da=operatore)
    assert mail.outbox[0].to == ["cittadina@example.org"]
    assert "Abbiamo chiesto l'intervento." in mail.outbox[0].body
    assert segnalazione_san_siro.codice in mail.outbox[0].body
    assert InvioEmail.objects.get().stato == InvioEmail.Stato.INVIATA


def test_nota_interna_non_manda_email(
    segnalazione_san_siro, operatore, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.aggiungi_nota(segnalazione_san_siro, "Sentito il custode", da=operatore)
    assert mail.outbox == []
    with pytest.raises(ErroreDominio):
        services.aggiungi_nota(segnalazione_san_siro, "   ", da=operatore)


def test_segna_duplicato(segnalazione_san_siro, operatore, san_siro, categoria):
    originale = SegnalazioneFactory(quartiere=san_siro, categoria=categoria)
    services.segna_duplicato(segnalazione_san_siro, originale, da=operatore)
    s = segnalazione_san_siro
    s.refresh_from_db()
    assert (s.stato, s.esito, s.duplicato_di) == (Stato.CHIUSA, Esito.DUPLICATA, originale)
    with pytest.raises(ErroreDominio):
        services.segna_duplicato(originale, originale, da=operatore)
    with pytest.raises(ErroreDominio):
        services.segna_duplicato(originale, s, da=operatore)  # a cycle


def test_duplicato_di_altro_quartiere_rifiutato(
    segnalazione_san_siro, segnalazione_gratosoglio, operatore
):
    with pytest.raises(ErroreDominio):
        services.segna_duplicato(segnalazione_san_siro, segnalazione_gratosoglio, da=operatore)


def test_valutazione_solo_dopo_chiusura_e_una_volta(segnalazione_san_siro, operatore):
    s = segnalazione_san_siro
    with pytest.raises(ErroreDominio):
        services.valuta(s, 5, "bene")
    services.chiudi(s, Esito.RISOLTA, da=operatore)
    services.valuta(s, 4, "Rapidi")
    s.refresh_from_db()
    assert (s.valutazione, s.valutazione_motivo) == (4, "Rapidi")
    with pytest.raises(ErroreDominio):
        services.valuta(s, 1, "ripensamento")
    with pytest.raises(ErroreDominio):
        services.valuta(SegnalazioneFactory(stato=Stato.NUOVA), 9)


def test_transizioni_definite_in_un_posto(operatore, coordinatore):
    assert services.transizioni_ammesse(Stato.NUOVA, operatore) == [
        Stato.PRESA_IN_CARICO,
        Stato.CHIUSA,
    ]
    assert services.transizioni_ammesse(Stato.CHIUSA, operatore) == [Stato.PRESA_IN_CARICO]
    assert len(services.transizioni_ammesse(Stato.NUOVA, coordinatore)) == 4


def test_possibili_doppioni(san_siro, categoria):
    from segnalazioni.models import Segnalazione

    vicina = SegnalazioneFactory(
        quartiere=san_siro, categoria=categoria, lat=45.4680, lon=9.1380, indirizzo="X 1"
    )
    lontana = SegnalazioneFactory(
        quartiere=san_siro, categoria=categoria, lat=45.4780, lon=9.1380, indirizzo="Y 1"
    )
    stessa_via = SegnalazioneFactory(
        quartiere=san_siro, categoria=categoria, indirizzo="Via Zamagna 3"
    )
    testo = SegnalazioneFactory(
        quartiere=san_siro, oggetto="Siringhe nel giardino pubblico", indirizzo="Z 2"
    )
    chiusa = SegnalazioneFactory(
        quartiere=san_siro, categoria=categoria, lat=45.4681, lon=9.1381, indirizzo="W"
    )
    Segnalazione.objects.filter(pk=chiusa.pk).update(
        stato=Stato.CHIUSA, esito=Esito.RISOLTA, chiusa_il="2026-01-01T00:00:00Z"
    )
    trovati = services.possibili_doppioni(
        Segnalazione.objects.all(),
        categoria_id=categoria.pk,
        quartiere_id=san_siro.pk,
        lat=45.46805,
        lon=9.13805,
        indirizzo="via zamagna 3",
        testo="siringhe giardino",
    )
    pks = {s.pk for s in trovati}
    assert vicina.pk in pks and stessa_via.pk in pks and testo.pk in pks
    assert lontana.pk not in pks and chiusa.pk not in pks
