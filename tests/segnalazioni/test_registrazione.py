"""Filing a report through the ORM (segnalazioni/services.py: crea_segnalazione): the public
form, the desk and Open311 all write the report, its history row and its first timeline
entry with ``Model.save()``, in one transaction, so that every ``post_save`` receiver runs."""

import pytest
from django.db import DatabaseError, IntegrityError
from django.db.models.signals import post_save
from django.urls import reverse
from django.utils import timezone

from segnalazioni import services
from segnalazioni.forms import SegnalazionePubblicaForm
from segnalazioni.models import Allegato, Evento, InvioEmail, Segnalazione
from tests.segnalazioni.factories import chiave_api
from tests.segnalazioni.passi import invia_online

pytestmark = pytest.mark.django_db


@pytest.fixture
def dati_pubblici(san_siro, categoria):
    return {
        "tipo": "problema",
        "categoria": categoria.pk,
        "quartiere": san_siro.pk,
        "oggetto": "Lampione spento",
        "descrizione": "Da una settimana il lampione al civico 4 non si accende.",
        "indirizzo": "Via Abbiati 4",
        "consenso_privacy": "on",
    }


def _dati_servizio(categoria, quartiere, **altro) -> dict:
    return {
        "categoria": categoria,
        "quartiere": quartiere,
        "oggetto": "Lampione spento",
        "descrizione": "Da una settimana.",
        "indirizzo": "Via Abbiati 4",
        "consenso_privacy": True,
        # Given, so that the notice in force is not read (pinned elsewhere).
        "informativa_versione": "1.0",
        **altro,
    }


def _verifica_righe(s: Segnalazione, *, utente, canale: str) -> None:
    """The three rows of a new report, as the ORM and simple-history write them."""
    storia = s.history.get()
    assert storia.history_type == "+"
    assert storia.history_change_reason == "Segnalazione ricevuta"
    assert storia.history_user == utente
    assert (storia.oggetto, storia.quartiere_id, storia.canale) == (
        s.oggetto,
        s.quartiere_id,
        canale,
    )
    evento = s.eventi.get()
    assert (evento.tipo, evento.stato_a, evento.autore) == ("creazione", "nuova", utente)
    # What save() derives: the deadline from the category and the search text.
    assert (s.scadenza - timezone.localtime(s.creata_il).date()).days == s.categoria.giorni_risposta
    assert Segnalazione.objects.cerca(s.oggetto.split()[0]).filter(pk=s.pk).exists()


def test_dal_modulo_pubblico(client, dati_pubblici):
    assert invia_online(client, dati_pubblici).status_code == 302
    s = Segnalazione.objects.get()
    _verifica_righe(s, utente=None, canale="online")


def test_allo_sportello_la_storia_ha_l_operatore(client_di, operatore, dati_sportello):
    r = client_di(operatore).post(reverse("segnalazioni:sportello"), dati_sportello)
    assert r.status_code == 302
    s = Segnalazione.objects.get()
    _verifica_righe(s, utente=operatore, canale="sportello")


def test_allo_sportello_senza_richiesta_la_storia_ha_l_operatore(operatore, categoria, san_siro):
    # A service called outside a request (a command, a task) still records who filed it.
    s = services.crea_allo_sportello(
        dati=_dati_servizio(categoria, san_siro, canale="telefono"), da=operatore
    )
    _verifica_righe(s, utente=operatore, canale="telefono")


def test_da_open311(client, categoria, san_siro):
    chiave = chiave_api("chiave-buona")
    r = client.post(
        "/open311/v2/requests.json",
        {
            "api_key": "chiave-buona",
            "service_code": categoria.codice,
            "address_string": "Via Abbiati 4",
            "attribute[quartiere]": san_siro.codice,
            "attribute[oggetto]": "Lampione spento",
            "description": "Lampione spento davanti al civico 4",
        },
    )
    assert r.status_code == 200, r.content
    s = Segnalazione.objects.get()
    assert s.chiave_api == chiave
    _verifica_righe(s, utente=None, canale="online")


@pytest.fixture
def ricevute():
    """What a ``post_save`` receiver on Segnalazione saw, connected for the test only."""
    viste = []

    def ricevitore(sender, instance, created, **kwargs):
        # Within the filing transaction, before the timeline entry.
        viste.append((instance.pk, created, Evento.objects.filter(segnalazione=instance).count()))

    post_save.connect(ricevitore, sender=Segnalazione, dispatch_uid="test_registrazione")
    yield viste
    post_save.disconnect(sender=Segnalazione, dispatch_uid="test_registrazione")


def test_un_ricevitore_post_save_gira_per_la_segnalazione_pubblica(client, dati_pubblici, ricevute):
    assert invia_online(client, dati_pubblici).status_code == 302
    assert ricevute == [(Segnalazione.objects.get().pk, True, 0)]


def test_un_ricevitore_post_save_gira_per_ogni_canale(
    client_di, operatore, dati_sportello, categoria, san_siro, ricevute
):
    client_di(operatore).post(reverse("segnalazioni:sportello"), dati_sportello)
    services.crea_segnalazione(dati=_dati_servizio(categoria, san_siro))
    assert [creata for _pk, creata, _e in ricevute] == [True, True]


def test_numero_di_query(categoria, san_siro, django_assert_num_queries):
    # The test runs inside a transaction, so atomic() is a savepoint; in production the
    # savepoint's two statements are BEGIN and COMMIT.
    with django_assert_num_queries(5):
        # 1. SAVEPOINT
        # 2. INSERT the report, RETURNING its id and the generated search vector
        # 3. INSERT its history row (simple-history's post_save)
        # 4. INSERT the first timeline entry
        # 5. RELEASE SAVEPOINT
        services.crea_segnalazione(dati=_dati_servizio(categoria, san_siro))


def test_numero_di_query_con_ricevuta_email(
    categoria, san_siro, django_assert_num_queries, django_capture_on_commit_callbacks
):
    dati = _dati_servizio(categoria, san_siro, email_segnalante="giulia@example.org")
    with django_capture_on_commit_callbacks() as callbacks, django_assert_num_queries(6):
        # 1. SAVEPOINT
        # 2. INSERT the report
        # 3. INSERT its history row
        # 4. INSERT the first timeline entry
        # 5. INSERT the receipt into the outbox (delivered after commit)
        # 6. RELEASE SAVEPOINT
        s = services.crea_segnalazione(dati=dati)
    assert s.email.get().motivo == InvioEmail.Motivo.RICEVUTA and len(callbacks) == 1


def _evento_rifiutato(monkeypatch):
    originale = services._nuovo_evento

    def rifiutato(*args, **kwargs):
        evento = originale(*args, **kwargs)
        evento.tipo = "sconosciuto"  # refused by the table's CHECK constraint
        return evento

    monkeypatch.setattr(services, "_nuovo_evento", rifiutato)
    return IntegrityError


def _allegato_guasto(monkeypatch):
    def guasto(*args, **kwargs):
        raise DatabaseError("disco pieno")

    monkeypatch.setattr(services.gestione_allegati, "crea_allegato", guasto)
    return DatabaseError


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("guasto", [_evento_rifiutato, _allegato_guasto])
def test_tutto_o_niente_fuori_da_una_transazione(monkeypatch, categoria, san_siro, guasto):
    """In autocommit, as in production: a failure after the report's INSERT leaves no row."""
    errore = guasto(monkeypatch)
    with pytest.raises(errore):
        services.crea_segnalazione(
            dati=_dati_servizio(categoria, san_siro, email_segnalante="giulia@example.org"),
            allegati=[object()],
        )
    assert not Segnalazione.objects.exists()
    assert not Segnalazione.history.exists()
    assert not Evento.objects.exists()
    assert not Allegato.objects.exists() and not InvioEmail.objects.exists()


def test_il_modulo_pubblico_si_convalida_con_due_query(dati_pubblici, django_assert_num_queries):
    # A plain Form over the model's fields: no model validation fetching the foreign keys
    # again or checking CHECK constraints by query (segnalazioni/forms.py). The memo of
    # the two choices is off in the test settings.
    form = SegnalazionePubblicaForm(dati_pubblici)
    with django_assert_num_queries(2):
        # 1. the category among the active ones
        # 2. the quartiere
        assert form.is_valid(), form.errors


def test_il_modulo_pubblico_rifiuta_cio_che_il_database_rifiuterebbe(dati_pubblici):
    # The constraints the form's fields touch, as form errors and never IntegrityError.
    casi = [
        ({"tipo": "sconosciuto"}, "tipo"),
        ({"lat": "91", "lon": "9"}, "lat"),
        ({"lat": "45", "lon": ""}, "lon"),
        ({"indirizzo": ""}, "indirizzo"),
    ]
    for modifiche, campo in casi:
        form = SegnalazionePubblicaForm({**dati_pubblici, **modifiche})
        assert not form.is_valid() and campo in form.errors, modifiche
