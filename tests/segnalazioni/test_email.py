"""E-mails go through the outbox and the task queue: sent after commit, retried on
failure, never lost."""

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend

from segnalazioni import services, tasks
from segnalazioni.models import InvioEmail

pytestmark = pytest.mark.django_db


class BackendRotto(BaseEmailBackend):
    def send_messages(self, messages):
        raise ConnectionRefusedError("SMTP non raggiungibile")


class BackendAlSecondoTentativo(BaseEmailBackend):
    tentativi = 0

    def send_messages(self, messages):
        BackendAlSecondoTentativo.tentativi += 1
        if BackendAlSecondoTentativo.tentativi == 1:
            raise TimeoutError("timeout")
        mail.outbox.extend(messages)
        return len(messages)


def test_email_solo_dopo_il_commit(
    segnalazione_san_siro, operatore, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.rispondi(segnalazione_san_siro, "Ciao", da=operatore)
    assert mail.outbox == [] and len(callbacks) == 1
    assert InvioEmail.objects.get().stato == InvioEmail.Stato.IN_CODA


def test_invio_fallito_riprovato_e_poi_riuscito(
    segnalazione_san_siro, operatore, settings, django_capture_on_commit_callbacks
):
    BackendAlSecondoTentativo.tentativi = 0
    settings.EMAIL_BACKEND = "tests.segnalazioni.test_email.BackendAlSecondoTentativo"
    with django_capture_on_commit_callbacks(execute=True):
        services.rispondi(segnalazione_san_siro, "Risposta", da=operatore)
    invio = InvioEmail.objects.get()
    assert (invio.stato, invio.tentativi) == (InvioEmail.Stato.INVIATA, 2)
    assert "timeout" in invio.ultimo_errore
    assert len(mail.outbox) == 1


def test_invio_sempre_fallito_si_ferma_e_resta_visibile(
    segnalazione_san_siro, operatore, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "tests.segnalazioni.test_email.BackendRotto"
    with django_capture_on_commit_callbacks(execute=True):
        services.rispondi(segnalazione_san_siro, "Risposta", da=operatore)
    invio = InvioEmail.objects.get()
    assert invio.stato == InvioEmail.Stato.FALLITA
    assert invio.tentativi == tasks.TENTATIVI_MASSIMI
    assert "SMTP non raggiungibile" in invio.ultimo_errore
    # The report and the reply are there regardless.
    assert segnalazione_san_siro.eventi.filter(tipo="risposta_pubblica").exists()


def test_riprova_differita_con_un_backend_che_lo_permette(
    segnalazione_san_siro, operatore, settings, django_capture_on_commit_callbacks
):
    """With the database backend the retry is enqueued for later (run_after)."""
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.EMAIL_BACKEND = "tests.segnalazioni.test_email.BackendRotto"
    with django_capture_on_commit_callbacks(execute=True):
        services.rispondi(segnalazione_san_siro, "Risposta", da=operatore)
    invio = InvioEmail.objects.get()
    assert DBTaskResult.objects.count() == 1  # queued, not run in the request
    with django_capture_on_commit_callbacks(execute=True):
        tasks.invia_email.call(invio.pk)
    invio.refresh_from_db()
    assert invio.stato == InvioEmail.Stato.RIPROVA and invio.tentativi == 1
    differito = DBTaskResult.objects.order_by("-enqueued_at").first()
    assert differito.run_after is not None and differito.run_after > invio.creata_il


def test_ricevuta_email_solo_con_indirizzo(san_siro, categoria, django_capture_on_commit_callbacks):
    dati = dict(
        categoria=categoria,
        quartiere=san_siro,
        oggetto="x",
        descrizione="y",
        indirizzo="z",
        consenso_privacy=True,
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.crea_segnalazione(dati=dati)
        services.crea_segnalazione(dati={**dati, "email_segnalante": "a@example.org"})
    assert [m.to for m in mail.outbox] == [["a@example.org"]]
