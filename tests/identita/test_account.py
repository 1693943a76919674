"""The citizen's account outside the login: the coordinators' admin, retention, the art. 15
export."""

from __future__ import annotations

import datetime
import io
import json

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from quartiere.identita.models import AccountCittadino
from quartiere.identita.services import Identita, accedi
from quartiere.privacy.accesso_dati import come_json, raccogli
from quartiere.registro.models import Persona
from tests.identita.conftest import LAURA, MARIO

pytestmark = pytest.mark.django_db


def identita(cf=MARIO, nome="Mario", cognome="Rossi", email="mario@example.org"):
    return Identita(cf, nome, cognome, email, metodo="spid", fornitore="https://idp.example/")


def test_codice_fiscale_non_valido_rifiutato():
    assert accedi(identita(cf="TINIT-RSSMRA80A01F205A")) is None
    assert accedi(identita(cf="")) is None
    assert not AccountCittadino.objects.exists() and not Persona.objects.exists()


def test_il_coordinatore_collega_la_persona_giusta(client_di, coordinatore):
    Persona.objects.create(nome="Luigi", cognome="Verdi", codice_fiscale=MARIO)
    accedi(identita())
    account = AccountCittadino.objects.get()
    assert account.da_verificare and account.persona is None
    giusta = Persona.objects.create(nome="Mario", cognome="Rossi")  # no tax code yet
    altra = Persona.objects.create(nome="Mario", cognome="Rossi", codice_fiscale=LAURA)
    c = client_di(coordinatore)
    url = reverse("admin:quartiere_accountcittadino_change", args=[account.pk])
    r = c.post(url, {"persona": altra.pk, "da_verificare": "on"})
    assert r.status_code == 200 and "un altro codice fiscale" in r.content.decode()
    r = c.post(url, {"persona": giusta.pk, "da_verificare": "on"})
    assert r.status_code == 302
    account.refresh_from_db()
    assert account.persona == giusta and not account.da_verificare
    assert account.history.first().history_user == coordinatore
    # Accounts are opened by a login only, and never deleted by hand.
    assert c.get(reverse("admin:quartiere_accountcittadino_add")).status_code == 403


def test_conservazione_elimina_gli_account_non_usati(settings):
    vecchio = accedi(identita())
    recente = accedi(identita(cf=LAURA, nome="Laura", cognome="Bianchi"))
    AccountCittadino.objects.filter(utente=vecchio).update(
        ultimo_accesso=timezone.now() - datetime.timedelta(days=3 * 366)
    )
    call_command("retention", "--anonymize", stdout=io.StringIO())
    assert list(AccountCittadino.objects.values_list("codice_fiscale", flat=True)) == [LAURA]
    assert not get_user_model().objects.filter(pk=vecchio.pk).exists()
    assert get_user_model().objects.filter(pk=recente.pk).exists()
    assert not AccountCittadino.history.filter(codice_fiscale=MARIO).exists()
    # The person in the registry stays (its own class decides), and a new login works.
    assert Persona.objects.filter(codice_fiscale=MARIO).exists()
    assert accedi(identita()) is not None


def test_l_accesso_ai_dati_comprende_l_account(coordinatore):
    accedi(identita())
    persona = Persona.objects.get(codice_fiscale=MARIO)
    dati = json.loads(come_json(raccogli(persona, da=coordinatore)))
    sezione = dati["sezioni"]["account_cittadino"]
    assert sezione["titolo"] == "Accesso all'area personale (SPID, CIE)"
    [record] = sezione["record"]
    assert record["codice_fiscale"] == MARIO and record["fornitore"] == "https://idp.example/"
