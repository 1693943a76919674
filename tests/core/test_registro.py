"""The shared registry: duplicate warning, normalisation, merge, optimistic locking."""

import pytest
from django.contrib.admin.models import LogEntry
from django.core.exceptions import ValidationError
from django.urls import reverse

from quartiere.lib.errori import ErroreDominio
from quartiere.lib.validators import normalizza_codice_fiscale, normalizza_telefono
from quartiere.registro.models import Organizzazione, Persona
from quartiere.registro.services import unisci_persone
from tests.factories import OrganizzazioneFactory, PersonaFactory
from tests.privacy.factories import pubblica

pytestmark = pytest.mark.django_db

CF_VALIDO = "RSSMRA85T10A562S"


def _dati_persona(quartiere, **extra):
    dati = {
        "nome": "Mario",
        "cognome": "Rossi",
        "codice_fiscale": "",
        "email": "",
        "telefono": "",
        "indirizzo": "",
        "quartiere": quartiere.pk,
        "note": "",
    }
    dati.update(extra)
    return dati


def test_codice_fiscale_validato_e_normalizzato():
    assert normalizza_codice_fiscale(" rssmra85t10a562s ") == CF_VALIDO
    with pytest.raises(ValidationError):
        normalizza_codice_fiscale("RSSMRA85T10A562X")


def test_telefono_normalizzato_in_formato_internazionale():
    assert normalizza_telefono("02 1234 5678") == "+390212345678"
    assert normalizza_telefono("+39 333 123 4567") == "+393331234567"
    with pytest.raises(ValidationError):
        normalizza_telefono("abc")


def test_nuova_persona_normalizza_email_e_telefono(operatore, san_siro, client_di):
    risposta = client_di(operatore).post(
        reverse("quartiere:persona_create"),
        _dati_persona(
            san_siro,
            email=" Mario.Rossi@Example.ORG ",
            telefono="333 123 4567",
            codice_fiscale="rssmra85t10a562s",
        ),
    )
    assert risposta.status_code == 302
    persona = Persona.objects.get()
    assert persona.email == "mario.rossi@example.org"
    assert persona.telefono == "+393331234567"
    assert persona.codice_fiscale == CF_VALIDO


def test_codice_fiscale_errato_mostra_errore_e_conserva_i_dati(operatore, san_siro, client_di):
    risposta = client_di(operatore).post(
        reverse("quartiere:persona_create"),
        _dati_persona(san_siro, codice_fiscale="XXXXXX00X00X000X"),
    )
    assert risposta.status_code == 200
    assert "codice_fiscale" in risposta.context["form"].errors
    assert 'value="Mario"' in risposta.content.decode()
    assert not Persona.objects.exists()


def test_possibile_doppione_avvisa_e_chiede_conferma(operatore, san_siro, client_di):
    esistente = PersonaFactory(
        nome="Mario", cognome="Rossi", email="mario@example.org", quartiere=san_siro
    )
    client = client_di(operatore)
    dati = _dati_persona(san_siro, email="MARIO@example.org")
    risposta = client.post(reverse("quartiere:persona_create"), dati)
    assert risposta.status_code == 200
    assert esistente in risposta.context["form"].doppioni
    assert esistente.get_absolute_url() in risposta.content.decode()
    assert Persona.objects.count() == 1

    dati["conferma_non_doppione"] = "on"
    risposta = client.post(reverse("quartiere:persona_create"), dati)
    assert risposta.status_code == 302
    assert Persona.objects.count() == 2


def test_stesso_nome_senza_contatti_in_comune_non_e_doppione(operatore, san_siro, client_di):
    PersonaFactory(nome="Mario", cognome="Rossi", email="altro@example.org", quartiere=san_siro)
    risposta = client_di(operatore).post(
        reverse("quartiere:persona_create"),
        _dati_persona(san_siro, email="mario@example.org"),
    )
    assert risposta.status_code == 302


def test_codice_fiscale_duplicato_rifiutato(operatore, san_siro, client_di):
    PersonaFactory(codice_fiscale=CF_VALIDO, quartiere=san_siro)
    risposta = client_di(operatore).post(
        reverse("quartiere:persona_create"),
        _dati_persona(san_siro, codice_fiscale=CF_VALIDO, conferma_non_doppione="on"),
    )
    assert risposta.status_code == 200
    assert "codice_fiscale" in risposta.context["form"].errors


def test_operatore_non_puo_assegnare_un_quartiere_altrui(operatore, gratosoglio, client_di):
    risposta = client_di(operatore).post(
        reverse("quartiere:persona_create"), _dati_persona(gratosoglio)
    )
    assert risposta.status_code == 200
    assert "quartiere" in risposta.context["form"].errors


def test_consenso_registra_data_e_versione_informativa(operatore, san_siro, client_di, settings):
    pubblica("2026-07")  # the notice in force today, not the setting
    client_di(operatore).post(
        reverse("quartiere:persona_create"), _dati_persona(san_siro, consenso_privacy="on")
    )
    persona = Persona.objects.get()
    assert persona.consenso_privacy
    assert persona.consenso_data is not None
    assert persona.informativa_versione == "2026-07"


def test_unione_sposta_i_collegamenti_in_una_transazione(coordinatore, san_siro):
    tenuta = PersonaFactory(nome="Mario", cognome="Rossi", email="", quartiere=san_siro)
    doppione = PersonaFactory(
        nome="Mario",
        cognome="Rossi",
        email="mario@example.org",
        codice_fiscale=CF_VALIDO,
        quartiere=san_siro,
    )
    org = OrganizzazioneFactory(referente=doppione)

    unisci_persone(tenuta, doppione, da=coordinatore)

    assert not Persona.objects.filter(pk=doppione.pk).exists()
    tenuta.refresh_from_db()
    assert tenuta.email == "mario@example.org"
    assert tenuta.codice_fiscale == CF_VALIDO
    assert Organizzazione.objects.get(pk=org.pk).referente == tenuta
    assert LogEntry.objects.filter(object_id=str(tenuta.pk)).exists()


def test_unione_scarta_i_collegamenti_che_diventerebbero_doppi(coordinatore, san_siro):
    from laboratori.models import Incontro, Laboratorio, Presenza

    tenuta = PersonaFactory(quartiere=san_siro)
    doppione = PersonaFactory(quartiere=san_siro)
    lab = Laboratorio.objects.create(titolo="Lab", quartiere=san_siro, data_inizio="2026-01-10")
    incontro = Incontro.objects.create(laboratorio=lab, inizio="2026-02-01T18:00:00+01:00")
    altro = Incontro.objects.create(laboratorio=lab, inizio="2026-03-01T18:00:00+01:00")
    Presenza.objects.create(incontro=incontro, persona=tenuta)
    Presenza.objects.create(incontro=incontro, persona=doppione)
    Presenza.objects.create(incontro=altro, persona=doppione)

    unisci_persone(tenuta, doppione, da=coordinatore)

    assert Presenza.objects.filter(persona=tenuta).count() == 2
    assert Presenza.objects.count() == 2


def test_unione_con_se_stessa_rifiutata(coordinatore, san_siro):
    persona = PersonaFactory(quartiere=san_siro)
    with pytest.raises(ErroreDominio):
        unisci_persone(persona, persona, da=coordinatore)


def test_coordinatore_unisce_dalla_pagina(coordinatore, san_siro, client_di):
    tenuta = PersonaFactory(quartiere=san_siro)
    doppione = PersonaFactory(quartiere=san_siro)
    url = reverse("quartiere:persona_unisci", args=[tenuta.pk, doppione.pk])
    client = client_di(coordinatore)
    assert client.post(url, {}).status_code == 200  # confirmation required
    assert Persona.objects.filter(pk=doppione.pk).exists()
    risposta = client.post(url, {"conferma": "on"})
    assert risposta.status_code == 302
    assert not Persona.objects.filter(pk=doppione.pk).exists()


def test_due_modifiche_concorrenti_la_seconda_e_rifiutata(operatore, san_siro, client_di):
    persona = PersonaFactory(nome="Anna", cognome="Bruno", quartiere=san_siro)
    url = reverse("quartiere:persona_update", args=[persona.pk])
    client = client_di(operatore)
    versione = persona.versione
    prima = _dati_persona(
        san_siro, nome="Anna", cognome="Bruno", note="prima modifica", versione_letta=versione
    )
    seconda = _dati_persona(
        san_siro, nome="Anna", cognome="Bruno", note="seconda modifica", versione_letta=versione
    )
    assert client.post(url, prima).status_code == 302
    risposta = client.post(url, seconda)
    assert risposta.status_code == 200
    assert "Qualcun altro ha salvato" in risposta.content.decode()
    persona.refresh_from_db()
    assert persona.note == "prima modifica"
    assert persona.versione == versione + 1


def test_ricerca_ignora_accenti_e_maiuscole(operatore, san_siro, client_di):
    persona = PersonaFactory(nome="Niccolò", cognome="Società", quartiere=san_siro)
    risposta = client_di(operatore).get(reverse("quartiere:persona_list"), {"q": "niccolo SOCIETA"})
    assert list(risposta.context["object_list"]) == [persona]


def test_storia_delle_modifiche_visibile_al_coordinatore(coordinatore, san_siro, client_di):
    persona = PersonaFactory(quartiere=san_siro)
    persona.note = "aggiornata"
    persona.save()
    risposta = client_di(coordinatore).get(persona.get_absolute_url())
    assert len(risposta.context["storia"]) == 2
