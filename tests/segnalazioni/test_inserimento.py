"""Filing a report in one statement (quartiere/inserimento.py, docs/performance.md 4.7):
the rows it writes are the ones the ORM's ``save()`` and simple-history would write, in
one round trip, all or none."""

import pytest
from django.db import IntegrityError, connection
from django.forms.models import model_to_dict
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from quartiere.inserimento import inserisci_insieme
from segnalazioni import services
from segnalazioni.models import Evento, Segnalazione

pytestmark = pytest.mark.django_db

# What differs between two reports filed a moment apart.
DIVERSI = {"id", "codice", "ricerca", "creata_il", "modificata_il", "consenso_il"}
DIVERSI_STORIA = DIVERSI | {"history_id", "history_date"}


def _dati(categoria, quartiere, **altro):
    return {
        "categoria": categoria,
        "quartiere": quartiere,
        "oggetto": "Lampione spento",
        "descrizione": "Da una settimana.",
        "indirizzo": "Via Abbiati 4",
        "consenso_privacy": True,
        "informativa_versione": "1.0",
        **altro,
    }


def _campi(riga, esclusi) -> dict:
    return {
        f.attname: getattr(riga, f.attname)
        for f in riga._meta.concrete_fields
        if f.attname not in esclusi and not f.generated
    }


def _con_l_orm(dati) -> Segnalazione:
    """The report as ``Model.save()`` files it, simple-history's ``post_save`` included."""
    s = Segnalazione(**dati)
    s._change_reason = "Segnalazione ricevuta"
    s.save()
    return s


def test_una_sola_istruzione_senza_transazione(categoria, san_siro):
    with CaptureQueriesContext(connection) as catturate:
        s = services.crea_segnalazione(dati=_dati(categoria, san_siro))
    [sql] = [q["sql"] for q in catturate.captured_queries]
    assert sql.startswith("WITH n0 AS (INSERT INTO")
    assert s.pk and not s._state.adding
    evento = Evento.objects.get(segnalazione=s)
    assert evento.tipo == "creazione" and evento.stato_a == "nuova"
    assert s.history.get().history_type == "+"


def test_le_righe_sono_quelle_dell_orm(categoria, san_siro):
    veloce = services.crea_segnalazione(dati=_dati(categoria, san_siro))
    orm = _con_l_orm(_dati(categoria, san_siro, consenso_il=veloce.consenso_il))
    assert _campi(Segnalazione.objects.get(pk=veloce.pk), DIVERSI) == _campi(
        Segnalazione.objects.get(pk=orm.pk), DIVERSI
    )
    storia_veloce, storia_orm = veloce.history.get(), orm.history.get()
    assert storia_veloce.id == veloce.pk and storia_orm.id == orm.pk
    assert _campi(storia_veloce, DIVERSI_STORIA) == _campi(storia_orm, DIVERSI_STORIA)
    assert storia_veloce.history_change_reason == "Segnalazione ricevuta"
    # The search vector is the database's, computed from the same text.
    assert Segnalazione.objects.cerca("lampione").filter(pk=veloce.pk).exists()


def test_la_chiave_arriva_alle_righe_dipendenti(categoria, san_siro):
    s = Segnalazione(**_dati(categoria, san_siro))
    s.completa()
    [evento] = inserisci_insieme(s, lambda pk: [Evento(segnalazione_id=pk, tipo="creazione")])
    assert s.history.get().id == s.pk == evento.segnalazione_id
    assert evento.pk and not evento._state.adding
    assert Evento.objects.get(pk=evento.pk).segnalazione_id == s.pk


def test_senza_storia_se_disattivata(settings, categoria, san_siro):
    settings.SIMPLE_HISTORY_ENABLED = False
    s = services.crea_segnalazione(dati=_dati(categoria, san_siro))
    assert not s.history.exists() and s.eventi.count() == 1


@pytest.mark.django_db(transaction=True)
def test_tutto_o_niente_anche_fuori_da_una_transazione(categoria, san_siro):
    """In autocommit each ORM ``save()`` would commit on its own: a failing timeline entry
    would leave the report behind. One statement leaves nothing."""
    s = Segnalazione(**_dati(categoria, san_siro))
    s.completa()
    with pytest.raises(IntegrityError):
        inserisci_insieme(s, lambda pk: [Evento(segnalazione_id=pk, tipo="sconosciuto")])
    assert not Segnalazione.objects.exists()
    assert not Segnalazione.history.exists() and not Evento.objects.exists()


def test_con_ricevuta_email_in_una_transazione(
    categoria, san_siro, django_capture_on_commit_callbacks
):
    with (
        CaptureQueriesContext(connection) as catturate,
        django_capture_on_commit_callbacks() as callbacks,
    ):
        s = services.crea_segnalazione(
            dati=_dati(categoria, san_siro, email_segnalante="giulia@example.org")
        )
    sql = [q["sql"] for q in catturate.captured_queries]
    assert sum(q.startswith("WITH n0 AS (INSERT") for q in sql) == 1
    assert s.email.count() == 1 and len(callbacks) == 1


def test_allo_sportello_la_storia_ha_l_operatore(client_di, operatore, san_siro, dati_sportello):
    dati = dati_sportello
    assert client_di(operatore).post(reverse("segnalazioni:sportello"), dati).status_code == 302
    s = Segnalazione.objects.get()
    assert s.history.get().history_user == operatore
    assert s.eventi.get().autore == operatore
    assert model_to_dict(s.history.get())["quartiere"] == san_siro.pk
