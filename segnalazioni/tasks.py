"""Work done outside the request: sending the e-mails of the outbox.

Every e-mail is first a row of :class:`~segnalazioni.models.InvioEmail`, written in the
same transaction as the change that causes it; the task only delivers it. A failed
delivery is recorded on the row and tried again later, up to ``TENTATIVI_MASSIMI``
times; after that the row stays ``fallita`` and shows on the report's page, where staff
can send it again.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import timezone
from django_tasks import default_task_backend, task

logger = logging.getLogger(__name__)

TENTATIVI_MASSIMI = 5


def attesa_prima_del_tentativo(tentativi: int) -> timedelta:
    """Back off: 1, 4, 16, 64 minutes..."""
    return timedelta(minutes=4 ** max(tentativi - 1, 0))


def accoda_invio(invio_id: int, run_after=None) -> None:
    """Enqueue delivery; with a backend that cannot defer, retry at once."""
    da_eseguire = invia_email
    if run_after is not None and default_task_backend.supports_defer:
        da_eseguire = invia_email.using(run_after=run_after)
    da_eseguire.enqueue(invio_id)


@task()
def invia_email(invio_id: int) -> str:
    from segnalazioni.models import InvioEmail

    with transaction.atomic():
        invio = InvioEmail.objects.select_for_update().filter(pk=invio_id).first()
        if invio is None or invio.stato == InvioEmail.Stato.INVIATA:
            return "niente da fare"
        invio.tentativi += 1
        messaggio = EmailMessage(
            subject=invio.oggetto,
            body=invio.corpo,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[invio.destinatario],
        )
        try:
            messaggio.send(fail_silently=False)
        except Exception as errore:  # noqa: BLE001 - any SMTP/network failure is retried
            logger.warning("Invio e-mail %s non riuscito: %s", invio.pk, errore)
            invio.ultimo_errore = f"{type(errore).__name__}: {errore}"[:2000]
            if invio.tentativi >= TENTATIVI_MASSIMI:
                invio.stato = InvioEmail.Stato.FALLITA
                invio.prossimo_tentativo = None
            else:
                invio.stato = InvioEmail.Stato.RIPROVA
                invio.prossimo_tentativo = timezone.now() + attesa_prima_del_tentativo(
                    invio.tentativi
                )
            invio.save(update_fields=["tentativi", "ultimo_errore", "stato", "prossimo_tentativo"])
            if invio.stato == InvioEmail.Stato.RIPROVA:
                quando = invio.prossimo_tentativo
                transaction.on_commit(lambda: accoda_invio(invio_id, run_after=quando))
            return invio.stato
        invio.stato = InvioEmail.Stato.INVIATA
        invio.inviata_il = timezone.now()
        invio.prossimo_tentativo = None
        invio.save(update_fields=["tentativi", "stato", "inviata_il", "prossimo_tentativo"])
        return invio.stato
