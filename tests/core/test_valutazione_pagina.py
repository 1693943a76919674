"""The rating component of the public pages (Modello Comuni, C.SI.2.5; issue 17): the
stars, the follow-up question that fits them, a short comment, the data-element attributes
the validator reads, and what is kept of it."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from quartiere.pubblico.models import ValutazionePagina
from tests.accessibilita import assert_accessibile
from tests.segnalazioni.test_servizio import _testo, elementi

URL = reverse("quartiere:valuta_pagina")
# The pages the component is on.
PAGINE = ["/segnalazioni/", "/segnalazioni/elenco/"]
# The texts the validator compares (pa-website-validator, feedbackComponentStructure).
TITOLO = "Quanto sono chiare le informazioni su questa pagina?"
POSITIVE = (
    "Quali sono stati gli aspetti che hai preferito?",
    [
        "Le indicazioni erano chiare",
        "Le indicazioni erano complete",
        "Capivo sempre che stavo procedendo correttamente",
        "Non ho avuto problemi tecnici",
        "Altro",
    ],
)
NEGATIVE = (
    "Dove hai incontrato le maggiori difficoltà?",
    [
        "A volte le indicazioni non erano chiare",
        "A volte le indicazioni non erano complete",
        "A volte non capivo se stavo procedendo correttamente",
        "Ho avuto problemi tecnici",
        "Altro",
    ],
)


@pytest.mark.django_db
@pytest.mark.parametrize("pagina", PAGINE)
def test_gli_attributi_del_componente(client, pagina):
    html = client.get(pagina).content.decode()
    trovati = elementi(html)
    assert len(trovati["feedback"]) == 1
    assert _testo(trovati["feedback-title"][0]) == TITOLO
    for n in range(1, 6):
        (stella,) = trovati[f"feedback-rate-{n}"]
        assert stella["tag"] == "label"
        assert f'id="{stella["attr"]["for"]}" name="voto" value="{n}"' in html
    for nome, (domanda, risposte) in [
        ("feedback-rating-positive", POSITIVE),
        ("feedback-rating-negative", NEGATIVE),
    ]:
        (gruppo,) = trovati[nome]
        assert gruppo["tag"] == "fieldset"
        assert domanda in _testo(gruppo)
        assert all(risposta in _testo(gruppo) for risposta in risposte)
    domande = [_testo(v) for v in trovati["feedback-rating-question"]]
    assert domande == [POSITIVE[0], NEGATIVE[0]]
    assert [_testo(v) for v in trovati["feedback-rating-answer"]] == POSITIVE[1] + NEGATIVE[1]
    assert trovati["feedback-input-text"][0]["tag"] == "textarea"


@pytest.mark.django_db
def test_un_parere_si_salva_e_torna_alla_pagina(client):
    r = client.post(
        URL, {"pagina": "/segnalazioni/", "voto": "5", "risposta": "chiare", "dettagli": "Ok"}
    )
    assert r.status_code == 302 and r.url == "/segnalazioni/#valutazione"
    v = ValutazionePagina.objects.get()
    assert (v.pagina, v.voto, v.risposta, v.dettagli) == ("/segnalazioni/", 5, "chiare", "Ok")
    assert "Grazie, il tuo parere" in client.get("/segnalazioni/").content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("dati", "ritorno"),
    [
        ({"pagina": "/segnalazioni/", "voto": "2", "risposta": "chiare"}, "/segnalazioni/"),
        ({"pagina": "/segnalazioni/", "voto": "5", "risposta": "incomplete"}, "/segnalazioni/"),
        ({"pagina": "/segnalazioni/", "voto": "9", "risposta": "chiare"}, "/segnalazioni/"),
        ({"pagina": "/segnalazioni/", "risposta": "chiare"}, "/segnalazioni/"),
        ({"pagina": "https://altro.example/", "voto": "5", "risposta": "chiare"}, "/"),
        ({"pagina": "//altro.example/", "voto": "5", "risposta": "chiare"}, "/"),
        ({"pagina": "/", "voto": "5", "risposta": "chiare", "dettagli": "x" * 201}, "/"),
    ],
)
def test_un_parere_incoerente_non_si_salva(client, dati, ritorno):
    r = client.post(URL, dati)
    assert r.status_code == 302 and r.url == ritorno + "#valutazione"
    assert not ValutazionePagina.objects.exists()


@pytest.mark.django_db
def test_il_database_rifiuta_risposte_incoerenti():
    with pytest.raises(IntegrityError), transaction.atomic():
        ValutazionePagina.objects.create(pagina="/", voto=1, risposta="chiare")
    with pytest.raises(IntegrityError), transaction.atomic():
        ValutazionePagina.objects.create(pagina="/", voto=0, risposta="non_chiare")


@pytest.mark.django_db
def test_troppi_pareri_dallo_stesso_collegamento(client, monkeypatch):
    from quartiere.pubblico import views

    monkeypatch.setattr(views, "LIMITE_VALUTAZIONI", 2)
    for _volta in range(3):
        client.post(URL, {"pagina": "/", "voto": "4", "risposta": "complete"})
    assert ValutazionePagina.objects.count() == 2


@pytest.mark.django_db
def test_la_conservazione_toglie_i_commenti_vecchi(settings, tmp_path):
    settings.RETENTION_LOG = tmp_path / "retention.log"
    vecchia = ValutazionePagina.objects.create(
        pagina="/", voto=2, risposta="non_chiare", dettagli="Sono Mario Rossi, via Roma 3"
    )
    ValutazionePagina.objects.filter(pk=vecchia.pk).update(
        creata_il=timezone.now() - datetime.timedelta(days=800)
    )
    nuova = ValutazionePagina.objects.create(
        pagina="/", voto=4, risposta="chiare", dettagli="Recente"
    )
    call_command("retention", "--anonymize", stdout=io.StringIO())
    vecchia.refresh_from_db()
    nuova.refresh_from_db()
    assert (vecchia.dettagli, vecchia.voto, vecchia.risposta) == ("", 2, "non_chiare")
    assert nuova.dettagli == "Recente"


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_le_stelle_mostrano_la_domanda_giusta(page, live_server):
    page.goto(f"{live_server.url}/segnalazioni/")
    blocco = page.locator("#valutazione")
    positive = blocco.locator("[data-element=feedback-rating-positive]")
    negative = blocco.locator("[data-element=feedback-rating-negative]")
    expect(positive).to_be_hidden()
    expect(negative).to_be_hidden()
    blocco.locator("label[data-element=feedback-rate-2]").click()
    expect(negative).to_be_visible()
    expect(positive).to_be_hidden()
    blocco.locator("label[data-element=feedback-rate-5]").click()
    expect(positive).to_be_visible()
    expect(negative).to_be_hidden()
    assert_accessibile(page)
    positive.get_by_text("Le indicazioni erano complete").click()
    blocco.get_by_label("Vuoi aggiungere altri dettagli?").fill("Tutto chiaro")
    blocco.get_by_role("button", name="Invia il tuo parere").click()
    expect(page.get_by_text("Grazie, il tuo parere ci aiuta")).to_be_visible()
    v = ValutazionePagina.objects.get()
    assert (v.voto, v.risposta, v.dettagli) == (5, "complete", "Tutto chiaro")


@pytest.mark.django_db
def test_i_coordinatori_trovano_le_valutazioni_nell_amministrazione(client_di, coordinatore):
    ValutazionePagina.objects.create(pagina="/", voto=5, risposta="chiare")
    c = client_di(coordinatore)
    indice = c.get(reverse("admin:index")).content.decode()
    assert reverse("admin:quartiere_valutazionepagina_changelist") in indice
    assert reverse("admin:quartiere_informativa_changelist") in indice
    assert c.get(reverse("admin:app_list", args=["quartiere"])).status_code == 200
    r = c.get(reverse("admin:quartiere_valutazionepagina_changelist"))
    assert r.status_code == 200 and "Le indicazioni erano chiare" in r.content.decode()
