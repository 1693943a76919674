"""Every read, change, PDF and export of a dossier writes one append-only entry: who,
when, what, from which address. The database itself refuses to change or delete them."""

import pytest
from django.db import DatabaseError, connection, transaction
from django.db.models import ProtectedError
from django.urls import reverse
from django.utils import timezone

from mediazione.models import AccessoDossier, EsecuzioneConservazione

pytestmark = pytest.mark.django_db

Azione = AccessoDossier.Azione
IP = "203.0.113.7"


def _ultimo(dossier):
    return dossier.accessi.order_by("-pk").first()


def test_lettura_della_scheda_registrata(client_di, mediatore, dossier):
    prima = dossier.accessi.count()
    risposta = client_di(mediatore).get(
        reverse("mediazione:dettaglio", args=[dossier.pk]), REMOTE_ADDR=IP
    )
    assert risposta.status_code == 200
    assert dossier.accessi.count() == prima + 1
    voce = _ultimo(dossier)
    assert (voce.utente, voce.nome_utente, voce.azione, voce.indirizzo_ip) == (
        mediatore,
        "mediatore",
        Azione.LETTURA,
        IP,
    )
    assert abs((timezone.now() - voce.quando).total_seconds()) < 60


@pytest.mark.parametrize(
    "pagina", ["modifica", "parte_nuova", "attivita_nuova", "accordo", "chiudi"]
)
def test_aprire_un_modulo_e_una_lettura(pagina, client_di, coordinatore, dossier):
    client_di(coordinatore).get(reverse(f"mediazione:{pagina}", args=[dossier.pk]), REMOTE_ADDR=IP)
    voce = _ultimo(dossier)
    assert (voce.utente, voce.azione) == (coordinatore, Azione.LETTURA)


def test_modifica_registrata(client_di, mediatore, dossier):
    risposta = client_di(mediatore).post(
        reverse("mediazione:attivita_nuova", args=[dossier.pk]),
        {
            "tipo": "telefonata",
            "data": timezone.localdate().isoformat(),
            "durata_minuti": "10",
            "note": "x",
        },
        REMOTE_ADDR=IP,
    )
    assert risposta.status_code == 302
    voce = _ultimo(dossier)
    assert (voce.utente, voce.azione, voce.indirizzo_ip) == (mediatore, Azione.MODIFICA, IP)
    assert "telefonata" in voce.dettaglio


def test_pdf_registrato(client_di, coordinatore, dossier):
    risposta = client_di(coordinatore).get(
        reverse("mediazione:pdf", args=[dossier.pk]), REMOTE_ADDR=IP
    )
    assert risposta.status_code == 200
    voce = _ultimo(dossier)
    assert (voce.utente, voce.azione, voce.indirizzo_ip) == (coordinatore, Azione.PDF, IP)


def test_esportazione_registrata_per_ogni_dossier(client_di, coordinatore, dossier, dossier_altrui):
    risposta = client_di(coordinatore).get(reverse("mediazione:esporta"), REMOTE_ADDR=IP)
    assert risposta.status_code == 200
    for d in (dossier, dossier_altrui):
        voce = _ultimo(d)
        assert (voce.utente, voce.azione, voce.indirizzo_ip) == (
            coordinatore,
            Azione.ESPORTAZIONE,
            IP,
        )


def test_lettura_dall_admin_registrata(client_di, amministratore, dossier):
    risposta = client_di(amministratore).get(
        reverse("admin:mediazione_dossier_change", args=[dossier.pk]), REMOTE_ADDR=IP
    )
    assert risposta.status_code == 200
    assert "depressione" in risposta.content.decode()  # the inline shows the notes
    voce = _ultimo(dossier)
    assert (voce.utente, voce.azione, voce.indirizzo_ip) == (
        amministratore,
        Azione.LETTURA_ADMIN,
        IP,
    )


def test_la_lista_non_e_una_lettura_e_non_mostra_dati_personali(client_di, mediatore, dossier):
    prima = dossier.accessi.count()
    corpo = client_di(mediatore).get(reverse("mediazione:lista")).content.decode()
    assert dossier.numero in corpo
    assert "Segreti" not in corpo and "Rumori notturni" not in corpo
    assert dossier.accessi.count() == prima


def test_il_registro_non_si_modifica(dossier):
    voce = dossier.accessi.first()
    voce.dettaglio = "ritoccato"
    with pytest.raises(DatabaseError), transaction.atomic():
        voce.save()
    with pytest.raises(DatabaseError), transaction.atomic():
        AccessoDossier.objects.filter(pk=voce.pk).update(azione=Azione.LETTURA)
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE mediazione_accessodossier SET nome_utente = 'x'")
    voce.refresh_from_db()
    assert voce.dettaglio != "ritoccato"


def test_il_registro_non_si_cancella(dossier):
    voce = dossier.accessi.first()
    with pytest.raises(DatabaseError), transaction.atomic():
        voce.delete()
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM mediazione_accessodossier")
    assert AccessoDossier.objects.filter(pk=voce.pk).exists()


def test_le_esecuzioni_della_conservazione_sono_immutabili(db):
    run = EsecuzioneConservazione.objects.create(anni=5, chiusi_prima_del=timezone.localdate())
    with pytest.raises(DatabaseError), transaction.atomic():
        EsecuzioneConservazione.objects.filter(pk=run.pk).update(dossier_trovati=9)
    with pytest.raises(DatabaseError), transaction.atomic():
        run.delete()


def test_un_dossier_con_accessi_non_si_cancella(dossier):
    with pytest.raises(ProtectedError), transaction.atomic():
        dossier.delete()
    assert type(dossier).objects.filter(pk=dossier.pk).exists()
