"""Attributing an activity to a funded programme (issue 19): one nullable choice of an axis,
owned by the activity, only among the programmes running on its day for its quartiere.
The operators' diary is the first activity that carries it."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db.models import ProtectedError
from django.utils import timezone

from quartiere.diario.models import AttivitaDiario
from quartiere.programmi.models import Programma

pytestmark = pytest.mark.django_db


@pytest.fixture
def programmi(san_siro):
    oggi = timezone.localdate()
    in_corso = Programma.objects.create(
        codice="in-corso",
        nome="Laboratorio San Siro",
        finanziatore="Regione",
        strumento="por_fse",
        inizio=oggi - datetime.timedelta(days=100),
        fine=oggi + datetime.timedelta(days=100),
    )
    in_corso.quartieri.add(san_siro)
    cittadino = Programma.objects.create(
        codice="comune",
        nome="Fondi comunali",
        finanziatore="Comune",
        strumento="comunale",
        inizio=oggi - datetime.timedelta(days=100),
        fine=oggi + datetime.timedelta(days=100),
    )
    finito = Programma.objects.create(
        codice="finito",
        nome="Programma concluso",
        finanziatore="Stato",
        strumento="periferie",
        inizio=oggi - datetime.timedelta(days=900),
        fine=oggi - datetime.timedelta(days=500),
    )
    return {
        "in_corso": in_corso.assi.create(codice="B", titolo="Presidio locale"),
        "comune": cittadino.assi.create(codice="A", titolo="Ascolto"),
        "finito": finito.assi.create(codice="A", titolo="Vecchio asse"),
    }


def _voce(operatore, quartiere, asse, giorno=None):
    return {
        "data": (giorno or timezone.localdate()).isoformat(),
        "quartiere": quartiere.pk if quartiere else "",
        "tipo": "front_office",
        "ore": "2",
        "asse": asse.pk if asse else "",
    }


def test_il_diario_si_attribuisce_a_un_asse_in_corso(client_di, operatore, san_siro, programmi):
    c = client_di(operatore)
    pagina = c.get("/lavoro/diario/nuova/").content.decode()
    assert "Laboratorio San Siro · B — Presidio locale" in pagina
    assert "Programma concluso" not in pagina  # ended long ago: not offered
    r = c.post("/lavoro/diario/nuova/", _voce(operatore, san_siro, programmi["in_corso"]))
    assert r.status_code == 302
    voce = AttivitaDiario.objects.get()
    assert voce.asse == programmi["in_corso"] and voce.asse.programma.codice == "in-corso"
    # A programme without quartieri covers the whole Comune; no programme is fine too.
    for asse in (programmi["comune"], None):
        r = c.post("/lavoro/diario/nuova/", _voce(operatore, san_siro, asse))
        assert r.status_code == 302
    assert AttivitaDiario.objects.count() == 3


def test_fuori_dal_programma_rifiutato(client_di, operatore, san_siro, programmi):
    from tests.calendario.factories import AttivitaDiarioFactory

    c = client_di(operatore)
    prima = timezone.localdate() - datetime.timedelta(days=200)
    for dati in (
        _voce(operatore, san_siro, programmi["finito"]),  # not running today
        _voce(operatore, san_siro, programmi["in_corso"], giorno=prima),  # before its start
    ):
        r = c.post("/lavoro/diario/nuova/", dati)
        assert r.status_code == 200 and "asse" in r.context["form"].errors, dati
    assert not AttivitaDiario.objects.exists()
    # The model says it too (the admin, any other form).
    voce = AttivitaDiarioFactory(operatore=operatore, quartiere=san_siro, ore=Decimal("1"))
    voce.asse = programmi["finito"]
    with pytest.raises(ValidationError) as errore:
        voce.full_clean()
    assert "asse" in errore.value.message_dict


def test_un_quartiere_fuori_dal_programma_rifiutato(operatore, gratosoglio, programmi):
    from tests.calendario.factories import AttivitaDiarioFactory

    voce = AttivitaDiarioFactory(operatore=operatore, quartiere=gratosoglio, ore=Decimal("1"))
    voce.asse = programmi["in_corso"]  # San Siro's programme
    with pytest.raises(ValidationError):
        voce.full_clean()
    voce.asse = programmi["comune"]
    voce.full_clean()


def test_un_asse_con_attivita_non_si_cancella(operatore, san_siro, programmi):
    from tests.calendario.factories import AttivitaDiarioFactory

    AttivitaDiarioFactory(
        operatore=operatore, quartiere=san_siro, ore=Decimal("1"), asse=programmi["in_corso"]
    )
    with pytest.raises(ProtectedError):
        programmi["in_corso"].delete()


# --- Every app's activities carry the same attribution ----------------------------------------


def _incontro(quartiere):
    from tests.laboratori.factories import IncontroFactory, LaboratorioFactory

    return IncontroFactory(laboratorio=LaboratorioFactory(quartiere=quartiere))


def _patto(quartiere):
    from tests.patti.factories import PattoFactory

    return PattoFactory(quartiere=quartiere)


def _dossier(quartiere):
    from tests.mediazione.factories import DossierFactory

    return DossierFactory(quartiere=quartiere)


def _segnalazione(quartiere):
    from tests.segnalazioni.factories import SegnalazioneFactory

    return SegnalazioneFactory(quartiere=quartiere)


def _percorso(quartiere):
    from abitare.models import Percorso
    from tests.abitare.factories import NucleoFactory

    return Percorso.objects.create(
        nucleo=NucleoFactory(quartiere=quartiere), avviato_il=timezone.localdate()
    )


ATTIVITA = {
    "incontro": (_incontro, lambda o: f"/laboratori/lavoro/incontri/{o.pk}/modifica/"),
    "patto": (_patto, lambda o: f"/patti/lavoro/{o.pk}/modifica/"),
    "dossier": (_dossier, lambda o: f"/mediazione/{o.pk}/modifica/"),
    "segnalazione": (_segnalazione, lambda o: f"/segnalazioni/lavoro/{o.pk}/modifica/"),
    "percorso": (_percorso, lambda o: f"/abitare/lavoro/nuclei/{o.nucleo_id}/percorso/"),
}


@pytest.mark.parametrize("tipo", list(ATTIVITA))
def test_ogni_attivita_si_attribuisce_solo_a_un_programma_in_corso(
    tipo, san_siro, gratosoglio, programmi
):
    crea, _url = ATTIVITA[tipo]
    attivita = crea(san_siro)
    for asse in (programmi["in_corso"], programmi["comune"], None):
        attivita.asse = asse
        attivita.full_clean()
    attivita.asse = programmi["finito"]
    with pytest.raises(ValidationError) as errore:
        attivita.full_clean()
    assert "asse" in errore.value.message_dict
    altrove = crea(gratosoglio)
    altrove.asse = programmi["in_corso"]  # San Siro's programme
    with pytest.raises(ValidationError):
        altrove.full_clean()


@pytest.mark.parametrize("tipo", list(ATTIVITA))
def test_ogni_modulo_offre_gli_assi_in_corso(tipo, client_di, coordinatore, san_siro, programmi):
    crea, url = ATTIVITA[tipo]
    attivita = crea(san_siro)
    attivita.asse = programmi["in_corso"]
    attivita.save()
    pagina = client_di(coordinatore).get(url(attivita))
    assert pagina.status_code == 200, url(attivita)
    html = pagina.content.decode()
    assert "Laboratorio San Siro · B — Presidio locale" in html
    assert "Fondi comunali · A — Ascolto" in html
    assert "Programma concluso" not in html


def test_una_prenotazione_di_sala_si_attribuisce_al_programma(
    client_di, operatore, san_siro, programmi
):
    from quartiere.calendario.models import Prenotazione
    from quartiere.territorio.models import Sede

    sede = Sede.objects.filter(quartiere=san_siro).first() or Sede.objects.create(
        nome="Sala di San Siro", quartiere=san_siro, indirizzo="Via Abbiati 4"
    )
    c = client_di(operatore)
    pagina = c.get("/lavoro/calendario/nuova/").content.decode()
    assert "Laboratorio San Siro · B — Presidio locale" in pagina
    domani = timezone.localdate() + datetime.timedelta(days=1)

    def prenota(asse, **altro):
        return c.post(
            "/lavoro/calendario/nuova/",
            {
                "sede": sede.pk,
                "titolo": "Assemblea di cortile",
                "data": domani.isoformat(),
                "ora_inizio": "18:00",
                "ora_fine": "19:30",
                "conferma": "on",
                "asse": asse.pk,
                **altro,
            },
        )

    r = prenota(programmi["finito"])
    assert r.status_code == 200 and "asse" in r.context["form"].errors
    # A weekly series that runs past the programme's end is refused whole.
    fine = programmi["in_corso"].programma.fine
    r = prenota(
        programmi["in_corso"],
        ripeti="on",
        ripeti_fino_al=(fine + datetime.timedelta(days=14)).isoformat(),
    )
    assert r.status_code == 200 and not Prenotazione.objects.exists()
    assert prenota(programmi["in_corso"]).status_code == 302
    assert Prenotazione.objects.get().asse == programmi["in_corso"]
