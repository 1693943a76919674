"""Recording attendance: the database constraint, the service and the desk endpoints."""

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from laboratori import services
from laboratori.models import Presenza
from quartiere.registro.models import Persona
from tests.factories import OrganizzazioneFactory, PersonaFactory

pytestmark = pytest.mark.django_db

JSON = {"HTTP_ACCEPT": "application/json"}


def test_il_database_rifiuta_la_stessa_persona_due_volte(incontro_san_siro, residente):
    Presenza.objects.create(incontro=incontro_san_siro, persona=residente)
    with pytest.raises(IntegrityError), transaction.atomic():
        Presenza.objects.create(incontro=incontro_san_siro, persona=residente)


def test_il_database_rifiuta_la_stessa_persona_anche_con_organizzazione(
    incontro_san_siro, residente, associazione
):
    Presenza.objects.create(incontro=incontro_san_siro, persona=residente)
    with pytest.raises(IntegrityError), transaction.atomic():
        Presenza.objects.create(
            incontro=incontro_san_siro, persona=residente, organizzazione=associazione
        )


def test_il_database_rifiuta_una_presenza_senza_nessuno(incontro_san_siro):
    with pytest.raises(IntegrityError), transaction.atomic():
        Presenza.objects.create(incontro=incontro_san_siro)


def test_organizzazione_sola_una_volta_ma_anche_tramite_persone(
    incontro_san_siro, residente, associazione
):
    services.registra_presenza(incontro_san_siro, organizzazione=associazione)
    with pytest.raises(services.PresenzaDuplicata, match="Associazione Inquilini"):
        services.registra_presenza(incontro_san_siro, organizzazione=associazione)
    # A member present for the organisation is another fact.
    services.registra_presenza(incontro_san_siro, persona=residente, organizzazione=associazione)
    assert incontro_san_siro.presenze.count() == 2


def test_servizio_traduce_il_vincolo_in_un_messaggio(incontro_san_siro, residente, operatore):
    services.registra_presenza(incontro_san_siro, persona=residente, da=operatore)
    with pytest.raises(services.PresenzaDuplicata, match="Rossi Giulia è già registrata"):
        services.registra_presenza(incontro_san_siro, persona=residente, da=operatore)
    assert incontro_san_siro.presenze.count() == 1


def test_niente_presenze_a_un_incontro_annullato(incontro_san_siro, residente):
    incontro_san_siro.stato = "annullato"
    incontro_san_siro.save()
    with pytest.raises(services.ErroreDominio, match="annullato"):
        services.registra_presenza(incontro_san_siro, persona=residente)


def _url(nome, incontro, *altri):
    return reverse(f"laboratori:{nome}", args=[incontro.pk, *altri])


def test_aggiungi_json_restituisce_riga_e_totali(
    client_di, operatore, incontro_san_siro, residente
):
    c = client_di(operatore)
    r = c.post(_url("presenza_aggiungi", incontro_san_siro), {"persona": residente.pk}, **JSON)
    assert r.status_code == 201
    dati = r.json()
    assert dati["ok"] is True
    assert dati["totale"] == 1 and dati["persone"] == 1
    assert "Rossi Giulia" in dati["html"]
    assert f'id="presenza-{dati["presenza"]}"' in dati["html"]
    assert "csrfmiddlewaretoken" in dati["html"]
    presenza = Presenza.objects.get()
    assert presenza.registrata_da == operatore


def test_aggiungi_due_volte_risponde_409_con_un_messaggio(
    client_di, operatore, incontro_san_siro, residente
):
    c = client_di(operatore)
    url = _url("presenza_aggiungi", incontro_san_siro)
    c.post(url, {"persona": residente.pk}, **JSON)
    r = c.post(url, {"persona": residente.pk}, **JSON)
    assert r.status_code == 409
    assert r.json() == {
        "ok": False,
        "messaggio": "Rossi Giulia è già registrata a questo incontro.",
        "totale": 1,
        "persone": 1,
        "annuncio": "1 presenze, 1 persone.",
    }


def test_aggiungi_persona_e_organizzazione(
    client_di, operatore, incontro_san_siro, residente, associazione
):
    r = client_di(operatore).post(
        _url("presenza_aggiungi", incontro_san_siro),
        {"persona": residente.pk, "organizzazione": associazione.pk},
        **JSON,
    )
    assert r.status_code == 201
    assert "per Associazione Inquilini San Siro" in r.json()["messaggio"]
    assert Presenza.objects.get().organizzazione == associazione


def test_non_si_registra_una_persona_fuori_dal_proprio_registro(
    client_di, operatore, incontro_san_siro, gratosoglio
):
    estranea = PersonaFactory(quartiere=gratosoglio)
    r = client_di(operatore).post(
        _url("presenza_aggiungi", incontro_san_siro), {"persona": estranea.pk}, **JSON
    )
    assert r.status_code == 400
    assert r.json()["messaggio"] == "Scheda non trovata."
    assert not Presenza.objects.exists()


def test_richiesta_vuota_rifiutata(client_di, operatore, incontro_san_siro):
    r = client_di(operatore).post(_url("presenza_aggiungi", incontro_san_siro), {}, **JSON)
    assert r.status_code == 400
    assert "persona o un'organizzazione" in r.json()["messaggio"]


def test_rimuovi_presenza(client_di, operatore, incontro_san_siro, residente):
    p = services.registra_presenza(incontro_san_siro, persona=residente)
    r = client_di(operatore).post(_url("presenza_rimuovi", incontro_san_siro, p.pk), **JSON)
    assert r.status_code == 200
    assert r.json()["totale"] == 0
    assert not Presenza.objects.exists()
    from django.contrib.admin.models import LogEntry

    assert LogEntry.objects.get().change_message == "Presenza rimossa: Rossi Giulia"


def test_rimuovi_presenza_di_un_altro_incontro_404(
    client_di, operatore, incontro_san_siro, lab_san_siro, residente
):
    from tests.laboratori.factories import IncontroFactory

    altro = IncontroFactory(laboratorio=lab_san_siro)
    p = services.registra_presenza(altro, persona=residente)
    r = client_di(operatore).post(_url("presenza_rimuovi", incontro_san_siro, p.pk), **JSON)
    assert r.status_code == 404
    assert Presenza.objects.filter(pk=p.pk).exists()


def test_senza_javascript_si_torna_alla_pagina_con_un_messaggio(
    client_di, operatore, incontro_san_siro, residente
):
    c = client_di(operatore)
    url = _url("presenza_aggiungi", incontro_san_siro)
    r = c.post(url, {"persona": residente.pk}, follow=True)
    assert r.redirect_chain[-1][0] == _url("presenze", incontro_san_siro)
    assert "Presenza registrata: Rossi Giulia." in r.content.decode()
    r = c.post(url, {"persona": residente.pk}, follow=True)
    assert "Rossi Giulia è già registrata a questo incontro." in r.content.decode()
    assert Presenza.objects.count() == 1


def test_ricerca_senza_javascript_elenca_i_risultati(
    client_di, operatore, incontro_san_siro, residente, associazione
):
    r = client_di(operatore).get(_url("presenze", incontro_san_siro) + "?q=rossi")
    html = r.content.decode()
    assert f'name="persona" value="{residente.pk}"' in html
    r = client_di(operatore).get(_url("presenze", incontro_san_siro) + "?q=inquilini")
    assert f'name="organizzazione" value="{associazione.pk}"' in r.content.decode()


def test_nuova_persona_creata_e_registrata(client_di, operatore, incontro_san_siro, san_siro):
    r = client_di(operatore).post(
        _url("presenza_nuova_persona", incontro_san_siro),
        {"nome": " Ada ", "cognome": "Neri", "email": "ADA@example.org", "quartiere": san_siro.pk},
        **JSON,
    )
    assert r.status_code == 201, r.content
    persona = Persona.objects.get(cognome="Neri")
    assert persona.nome == "Ada" and persona.email == "ada@example.org"
    assert Presenza.objects.get().persona == persona
    assert "Neri Ada" in r.json()["html"]


def test_nuova_persona_con_doppioni_chiede_conferma(
    client_di, operatore, incontro_san_siro, residente
):
    c = client_di(operatore)
    url = _url("presenza_nuova_persona", incontro_san_siro)
    dati = {"nome": "giulia", "cognome": "ROSSI", "email": residente.email}
    r = c.post(url, dati, **JSON)
    assert r.status_code == 409
    assert [d["id"] for d in r.json()["doppioni"]] == [residente.pk]
    assert Persona.objects.count() == 1 and not Presenza.objects.exists()
    r = c.post(url, {**dati, "conferma_non_doppione": "on"}, **JSON)
    assert r.status_code == 201
    assert Persona.objects.count() == 2


def test_nuova_persona_dati_mancanti(client_di, operatore, incontro_san_siro):
    r = client_di(operatore).post(
        _url("presenza_nuova_persona", incontro_san_siro), {"nome": "Ada"}, **JSON
    )
    assert r.status_code == 400
    assert "cognome" in r.json()["errori"]
    assert not Persona.objects.exists()


def test_nuova_persona_senza_javascript_mostra_i_doppioni(
    client_di, operatore, incontro_san_siro, residente
):
    r = client_di(operatore).post(
        _url("presenza_nuova_persona", incontro_san_siro),
        {"nome": "Giulia", "cognome": "Rossi", "email": residente.email},
    )
    assert r.status_code == 400
    html = r.content.decode()
    assert "nel registro ci sono già persone simili" in html
    assert f'id="usa-doppione-{residente.pk}"' in html


def test_nuova_persona_annullata_se_la_presenza_fallisce(
    client_di, operatore, incontro_san_siro, san_siro
):
    incontro_san_siro.stato = "annullato"
    incontro_san_siro.save()
    r = client_di(operatore).post(
        _url("presenza_nuova_persona", incontro_san_siro),
        {"nome": "Ada", "cognome": "Neri"},
        **JSON,
    )
    assert r.status_code == 400
    assert not Persona.objects.exists()


def test_pagina_presenze_mostra_contatore_e_regione_live(
    client_di, operatore, incontro_san_siro, residente
):
    services.registra_presenza(incontro_san_siro, persona=residente)
    services.registra_presenza(
        incontro_san_siro, organizzazione=OrganizzazioneFactory(quartiere=residente.quartiere)
    )
    html = client_di(operatore).get(_url("presenze", incontro_san_siro)).content.decode()
    assert '<span class="cifra" id="n-totale">2</span>' in html
    assert '<span id="n-persone">1</span>' in html
    assert 'role="status" aria-live="polite"' in html
    assert "presenze.js" in html
    assert "<script>" not in html and 'style="' not in html


def test_nuova_persona_propone_il_quartiere_del_laboratorio(
    client_di, operatore, incontro_san_siro, san_siro
):
    r = client_di(operatore).get(_url("presenze", incontro_san_siro))
    assert r.context["persona_form"]["quartiere"].value() == san_siro.pk
