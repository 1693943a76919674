"""The booking workflow: overlaps, weekly series, decisions and e-mails."""

from __future__ import annotations

from datetime import UTC, date, timedelta

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from quartiere.calendario.models import Prenotazione
from quartiere.calendario.services import (
    ConflittoPrenotazione,
    annulla_prenotazione,
    conferma_prenotazione,
    crea_prenotazione,
    occorrenze,
    richiedi_sala,
    rifiuta_prenotazione,
)
from quartiere.lib.errori import ErroreDominio
from tests.calendario.factories import PrenotazioneFactory, alle, domani
from tests.privacy.factories import pubblica

pytestmark = pytest.mark.django_db


def _richiesta(sala, inizio, fine, **extra):
    dati = dict(
        sede=sala,
        titolo="Assemblea dei genitori",
        descrizione="",
        richiedente_ente="Associazione Genitori",
        richiedente_nome="Anna Verdi",
        richiedente_email="anna@example.org",
        richiedente_telefono="",
        inizio=inizio,
        fine=fine,
        pubblico=True,
    )
    dati.update(extra)
    return richiedi_sala(**dati)


def test_prenotazione_sovrapposta_rifiutata_con_la_prenotazione_in_conflitto(sala, coordinatore):
    giorno = domani()
    esistente = PrenotazioneFactory(
        sede=sala, titolo="Coro", inizio=alle(giorno, 18), fine=alle(giorno, 20)
    )
    with pytest.raises(ConflittoPrenotazione) as errore:
        crea_prenotazione(
            sede=sala,
            titolo="Assemblea",
            inizio=alle(giorno, 19),
            fine=alle(giorno, 21),
            da=coordinatore,
        )
    assert errore.value.con == esistente
    assert "«Coro»" in str(errore.value)
    assert "18:00" in str(errore.value) and "20:00" in str(errore.value)
    assert Prenotazione.objects.count() == 1


def test_prenotazioni_adiacenti_non_si_sovrappongono(sala, coordinatore):
    giorno = domani()
    PrenotazioneFactory(sede=sala, inizio=alle(giorno, 18), fine=alle(giorno, 20))
    righe = crea_prenotazione(
        sede=sala, titolo="Dopo", inizio=alle(giorno, 20), fine=alle(giorno, 22), da=coordinatore
    )
    assert righe[0].stato == Prenotazione.Stato.CONFERMATA


def test_le_prenotazioni_non_confermate_non_occupano_la_sala(sala, coordinatore):
    giorno = domani()
    for stato in ("richiesta", "rifiutata", "annullata"):
        PrenotazioneFactory(sede=sala, stato=stato, inizio=alle(giorno, 18), fine=alle(giorno, 20))
    crea_prenotazione(
        sede=sala, titolo="Ok", inizio=alle(giorno, 18), fine=alle(giorno, 20), da=coordinatore
    )


def test_altra_sede_non_in_conflitto(sala, ufficio_san_siro, coordinatore):
    giorno = domani()
    PrenotazioneFactory(sede=sala, inizio=alle(giorno, 18), fine=alle(giorno, 20))
    crea_prenotazione(
        sede=ufficio_san_siro,
        titolo="Altrove",
        inizio=alle(giorno, 18),
        fine=alle(giorno, 20),
        da=coordinatore,
    )


def test_incontro_di_laboratorio_occupa_la_sala(sala, laboratorio, coordinatore):
    from laboratori.models import Incontro

    giorno = domani()
    Incontro.objects.create(
        laboratorio=laboratorio, titolo="Mappa del cortile", sede=sala, inizio=alle(giorno, 17)
    )  # no end: two hours by default
    with pytest.raises(ConflittoPrenotazione) as errore:
        crea_prenotazione(
            sede=sala, titolo="X", inizio=alle(giorno, 18), fine=alle(giorno, 19), da=coordinatore
        )
    assert "Mappa del cortile" in str(errore.value)
    assert "Il cortile di via Abbiati" in str(errore.value)
    # From 19:00 the hall is free again.
    crea_prenotazione(
        sede=sala, titolo="Y", inizio=alle(giorno, 19), fine=alle(giorno, 20), da=coordinatore
    )


def test_incontro_annullato_non_occupa_la_sala(sala, laboratorio, coordinatore):
    from laboratori.models import Incontro

    giorno = domani()
    Incontro.objects.create(
        laboratorio=laboratorio,
        sede=sala,
        inizio=alle(giorno, 17),
        fine=alle(giorno, 20),
        stato=Incontro.Stato.ANNULLATO,
    )
    crea_prenotazione(
        sede=sala, titolo="Y", inizio=alle(giorno, 18), fine=alle(giorno, 19), da=coordinatore
    )


def test_conferma_di_una_richiesta_che_si_sovrappone_e_rifiutata(sala, coordinatore):
    giorno = domani()
    a = PrenotazioneFactory(
        sede=sala, stato="richiesta", inizio=alle(giorno, 18), fine=alle(giorno, 20)
    )
    b = PrenotazioneFactory(
        sede=sala, stato="richiesta", inizio=alle(giorno, 19), fine=alle(giorno, 21)
    )
    conferma_prenotazione(a, da=coordinatore)
    with pytest.raises(ConflittoPrenotazione) as errore:
        conferma_prenotazione(b, da=coordinatore)
    assert errore.value.con == a
    b.refresh_from_db()
    assert b.stato == Prenotazione.Stato.RICHIESTA


def test_conferma_due_volte_e_un_errore(sala, coordinatore):
    p = PrenotazioneFactory(sede=sala, stato="richiesta")
    conferma_prenotazione(p, da=coordinatore)
    with pytest.raises(ErroreDominio):
        conferma_prenotazione(p, da=coordinatore)


def test_vincolo_fine_dopo_inizio(sala):
    with pytest.raises(IntegrityError), transaction.atomic():
        PrenotazioneFactory(sede=sala, inizio=alle(domani(), 18), fine=alle(domani(), 18))


def test_vincolo_stato_valido(sala):
    with pytest.raises(IntegrityError), transaction.atomic():
        PrenotazioneFactory(sede=sala, stato="boh")


# --- Weekly repetition -------------------------------------------------------------------------


def test_ripetizione_settimanale_crea_una_riga_per_data(sala, coordinatore):
    primo = domani()
    righe = crea_prenotazione(
        sede=sala,
        titolo="Corso di italiano",
        inizio=alle(primo, 17, 30),
        fine=alle(primo, 19, 30),
        ripeti_fino_al=primo + timedelta(weeks=4, days=2),
        da=coordinatore,
    )
    assert [timezone.localtime(r.inizio).date() for r in righe] == [
        primo + timedelta(weeks=i) for i in range(5)
    ]
    assert len({r.serie for r in righe}) == 1 and righe[0].serie is not None
    assert all(r.stato == "confermata" for r in righe)


def test_ripetizione_mantiene_l_ora_locale_col_cambio_dell_ora():
    # 2026-10-25: Italy goes back from CEST to CET.
    inizio = alle(date(2026, 10, 20), 18)
    elenco = occorrenze(inizio, inizio + timedelta(hours=2), date(2026, 11, 3))
    assert [timezone.localtime(o.inizio).hour for o in elenco] == [18, 18, 18]
    assert [timezone.localtime(o.fine).hour for o in elenco] == [20, 20, 20]
    utc = [o.inizio.astimezone(UTC) for o in elenco]
    assert utc[1] - utc[0] == timedelta(days=7, hours=1)


def test_serie_con_una_data_occupata_non_salva_niente(sala, coordinatore):
    primo = domani()
    PrenotazioneFactory(
        sede=sala,
        titolo="Festa",
        inizio=alle(primo + timedelta(weeks=2), 18),
        fine=alle(primo + timedelta(weeks=2), 23),
    )
    with pytest.raises(ConflittoPrenotazione) as errore:
        crea_prenotazione(
            sede=sala,
            titolo="Corso",
            inizio=alle(primo, 17),
            fine=alle(primo, 19),
            ripeti_fino_al=primo + timedelta(weeks=3),
            da=coordinatore,
        )
    assert "Festa" in str(errore.value)
    assert Prenotazione.objects.count() == 1


def test_conferma_della_serie_intera_o_di_nessuna_data(sala, coordinatore):
    primo = domani()
    righe = _richiesta(
        sala, alle(primo, 17), alle(primo, 19), ripeti_fino_al=primo + timedelta(weeks=3)
    )
    assert len(righe) == 4
    PrenotazioneFactory(
        sede=sala,
        inizio=alle(primo + timedelta(weeks=3), 18),
        fine=alle(primo + timedelta(weeks=3), 20),
    )
    with pytest.raises(ConflittoPrenotazione):
        conferma_prenotazione(righe[0], da=coordinatore, tutta_la_serie=True)
    assert Prenotazione.objects.filter(serie=righe[0].serie, stato="richiesta").count() == 4
    # The first three dates alone can be confirmed one by one.
    for r in righe[:3]:
        conferma_prenotazione(r, da=coordinatore)
    assert Prenotazione.objects.filter(serie=righe[0].serie, stato="confermata").count() == 3


def test_serie_troppo_lunga_rifiutata(sala, coordinatore):
    primo = domani()
    with pytest.raises(ErroreDominio):
        crea_prenotazione(
            sede=sala,
            titolo="Per sempre",
            inizio=alle(primo, 17),
            fine=alle(primo, 19),
            ripeti_fino_al=primo + timedelta(weeks=60),
            da=coordinatore,
        )


# --- Decisions and e-mails ---------------------------------------------------------------------


def test_richiesta_registra_il_consenso_e_manda_la_ricevuta(
    sala, settings, mailoutbox, django_capture_on_commit_callbacks
):
    pubblica("2026-07")  # the notice in force today, not the setting
    giorno = domani()
    with django_capture_on_commit_callbacks(execute=True):
        [p] = _richiesta(sala, alle(giorno, 18), alle(giorno, 20))
    assert p.stato == "richiesta"
    assert p.consenso_privacy and p.informativa_versione == "2026-07"
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["anna@example.org"]
    assert "ricevuta" in mailoutbox[0].subject.lower()


def test_conferma_manda_un_email_dopo_il_commit(
    sala, coordinatore, mailoutbox, django_capture_on_commit_callbacks
):
    giorno = domani()
    [p] = _richiesta(sala, alle(giorno, 18), alle(giorno, 20))
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        conferma_prenotazione(p, da=coordinatore)
    assert mailoutbox == []  # nothing before commit
    for callback in callbacks:
        callback()
    assert len(mailoutbox) == 1
    assert "confermata" in mailoutbox[0].subject.lower()
    assert "Assemblea dei genitori" in mailoutbox[0].body
    p.refresh_from_db()
    assert p.stato == "confermata" and p.gestita_da == coordinatore
    assert p.history.count() == 2


def test_rifiuto_vuole_il_motivo_e_lo_scrive_al_richiedente(
    sala, coordinatore, mailoutbox, django_capture_on_commit_callbacks
):
    giorno = domani()
    [p] = _richiesta(sala, alle(giorno, 18), alle(giorno, 20))
    with pytest.raises(ErroreDominio):
        rifiuta_prenotazione(p, da=coordinatore, motivo="  ")
    with django_capture_on_commit_callbacks(execute=True):
        rifiuta_prenotazione(p, da=coordinatore, motivo="La sala è chiusa per lavori.")
    assert "La sala è chiusa per lavori." in mailoutbox[-1].body
    p.refresh_from_db()
    assert p.stato == "rifiutata"


def test_annullare_libera_la_sala(sala, coordinatore):
    giorno = domani()
    p = PrenotazioneFactory(sede=sala, inizio=alle(giorno, 18), fine=alle(giorno, 20))
    annulla_prenotazione(p, da=coordinatore)
    crea_prenotazione(
        sede=sala,
        titolo="Al suo posto",
        inizio=alle(giorno, 18),
        fine=alle(giorno, 20),
        da=coordinatore,
    )


def test_richiesta_pubblica_su_orario_occupato_non_dice_chi_occupa(sala):
    giorno = domani()
    PrenotazioneFactory(
        sede=sala,
        titolo="Riunione riservata",
        pubblico=False,
        inizio=alle(giorno, 18),
        fine=alle(giorno, 20),
    )
    with pytest.raises(ConflittoPrenotazione) as errore:
        _richiesta(sala, alle(giorno, 19), alle(giorno, 21))
    assert "Riunione riservata" not in str(errore.value)
    assert "18:00" in str(errore.value)


def test_sede_non_prenotabile_dal_sito(ufficio_san_siro):
    giorno = domani()
    with pytest.raises(ErroreDominio):
        _richiesta(ufficio_san_siro, alle(giorno, 18), alle(giorno, 20))
