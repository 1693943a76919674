"""``manage.py retention``: dry run by default, anonymises on request keeping the figures,
never deletes, hands dossiers to ``mediazione_retention``, logs every run."""

from __future__ import annotations

import datetime
import io
import json

import pytest
from django.core.management import call_command
from django.utils import timezone

from mediazione.models import Dossier, EsecuzioneConservazione
from quartiere.calendario.models import Prenotazione
from quartiere.registro.models import Persona
from segnalazioni.models import Segnalazione
from tests import factories as core
from tests.calendario.factories import PrenotazioneFactory, SalaFactory
from tests.segnalazioni.factories import SegnalazioneFactory

pytestmark = pytest.mark.django_db

ANNI_FA = timezone.now() - datetime.timedelta(days=365 * 12)


@pytest.fixture
def registro(settings, tmp_path):
    settings.RETENTION_LOG = tmp_path / "retention.log"
    return settings.RETENTION_LOG


@pytest.fixture
def vecchi(san_siro):
    """A report closed 12 years ago by a person seen only then; a recent one; an old
    hall booking and a recent one."""
    vecchia = core.PersonaFactory(nome="Vecchia", cognome="Storia", quartiere=san_siro)
    recente = core.PersonaFactory(nome="Nuova", cognome="Attiva", quartiere=san_siro)
    s_vecchia = SegnalazioneFactory(
        quartiere=san_siro,
        persona=vecchia,
        oggetto="Buca di Vecchia Storia",
        nome_segnalante="Vecchia Storia",
        email_segnalante="vecchia@example.org",
        stato="chiusa",
        esito="risolta",
        chiusa_il=ANNI_FA,
        creata_il=ANNI_FA,
    )
    s_recente = SegnalazioneFactory(quartiere=san_siro, persona=recente, oggetto="Recente")
    Persona.objects.filter(pk=vecchia.pk).update(modificata_il=ANNI_FA)
    sala = SalaFactory(quartiere=san_siro)
    p_vecchia = PrenotazioneFactory(
        sede=sala,
        inizio=ANNI_FA,
        fine=ANNI_FA + datetime.timedelta(hours=2),
        richiedente_nome="Referente Antico",
        richiedente_email="antico@example.org",
    )
    p_recente = PrenotazioneFactory(sede=sala, richiedente_nome="Referente Attuale")
    return {
        "persona_vecchia": vecchia,
        "persona_recente": recente,
        "segnalazione_vecchia": s_vecchia,
        "segnalazione_recente": s_recente,
        "prenotazione_vecchia": p_vecchia,
        "prenotazione_recente": p_recente,
    }


def _esegui(*argomenti) -> str:
    uscita = io.StringIO()
    call_command("retention", *argomenti, stdout=uscita)
    return uscita.getvalue()


def test_la_prova_a_vuoto_elenca_e_non_cambia_nulla(vecchi, registro):
    testo = _esegui()
    assert "segnalazioni: 1 oltre 5 anni" in testo
    assert "prenotazioni: 1 oltre 2 anni" in testo
    assert "persone: 1 oltre 10 anni" in testo
    assert "Prova a vuoto" in testo
    vecchi["segnalazione_vecchia"].refresh_from_db()
    assert vecchi["segnalazione_vecchia"].nome_segnalante == "Vecchia Storia"
    assert Persona.objects.get(pk=vecchi["persona_vecchia"].pk).cognome == "Storia"
    riga = json.loads(registro.read_text().splitlines()[-1])
    assert riga["anonimizza"] is False
    assert riga["esito"]["segnalazioni"]["trovati"] == 1


def test_anonimizza_tenendo_le_statistiche(vecchi, registro):
    prima = (Segnalazione.objects.count(), Persona.objects.count(), Prenotazione.objects.count())
    _esegui("--anonymize")
    dopo = (Segnalazione.objects.count(), Persona.objects.count(), Prenotazione.objects.count())
    assert prima == dopo  # nothing deleted
    s = Segnalazione.objects.get(pk=vecchi["segnalazione_vecchia"].pk)
    assert (s.nome_segnalante, s.email_segnalante, s.persona_id) == ("", "", None)
    assert "Vecchia" not in s.oggetto
    assert (s.stato, s.esito, s.categoria_id, s.quartiere_id) == (
        "chiusa",
        "risolta",
        vecchi["segnalazione_vecchia"].categoria_id,
        vecchi["segnalazione_vecchia"].quartiere_id,
    )
    # The history keeps no copy of what was anonymised.
    assert not s.history.filter(nome_segnalante="Vecchia Storia").exists()
    persona = Persona.objects.get(pk=vecchi["persona_vecchia"].pk)
    assert persona.anonimizzata and "Storia" not in str(persona) and persona.email == ""
    assert not Persona.history.filter(id=persona.pk, cognome="Storia").exists()
    p = Prenotazione.objects.get(pk=vecchi["prenotazione_vecchia"].pk)
    assert (p.richiedente_nome, p.richiedente_email) == ("", "")
    # Recent records untouched.
    assert Segnalazione.objects.get(pk=vecchi["segnalazione_recente"].pk).oggetto == "Recente"
    assert Persona.objects.get(pk=vecchi["persona_recente"].pk).cognome == "Attiva"
    assert (
        Prenotazione.objects.get(pk=vecchi["prenotazione_recente"].pk).richiedente_nome
        == "Referente Attuale"
    )
    # A second run finds nothing left.
    testo = _esegui()
    assert "segnalazioni: 0" in testo and "persone: 0" in testo and "prenotazioni: 0" in testo
    righe = [json.loads(r) for r in registro.read_text().splitlines()]
    assert [r["anonimizza"] for r in righe] == [True, False]


def test_i_dossier_passano_per_mediazione_retention(vecchi, registro, mediatore, san_siro):
    from mediazione import services
    from tests.mediazione.factories import DossierFactory

    d = DossierFactory(creato_da=mediatore, quartiere=san_siro, aperto_il=ANNI_FA.date())
    services.chiudi(d, esito="accordo_raggiunto", chiuso_il=ANNI_FA.date(), da=mediatore)
    _esegui()
    _esegui("--anonymize")
    esecuzioni = list(EsecuzioneConservazione.objects.order_by("pk"))
    assert [e.anonimizza for e in esecuzioni] == [False, True]
    assert d.numero in esecuzioni[0].numeri
    assert Dossier.objects.get(pk=d.pk).anonimizzato_il is not None


def test_una_classe_sconosciuta_e_un_errore(settings, registro):
    from django.core.management.base import CommandError

    settings.RETENTION = {**settings.RETENTION, "fantasia": 3}
    with pytest.raises(CommandError):
        _esegui()
