"""The communication plan: actions by phase, audience and channel, with their material;
the upcoming public ones on the quartiere's page, nothing else (issue 18)."""

from __future__ import annotations

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from abitare.models import AzioneComunicazione
from tests.abitare.factories import ImmobileFactory
from tests.permessi.dati import jpeg

OGGI = timezone.localdate()


def _azione(immobile, **campi):
    dati = {
        "immobile": immobile,
        "fase": "ingresso",
        "destinatari": "quartiere",
        "canale": "incontro",
        "titolo": "Festa del cortile",
        "data": OGGI + datetime.timedelta(days=10),
        "pubblica": True,
    }
    return AzioneComunicazione.objects.create(**{**dati, **campi})


@pytest.mark.django_db
def test_l_operatore_programma_un_azione_con_il_suo_volantino(client_di, operatore, san_siro):
    borgo = ImmobileFactory(quartiere=san_siro, nome="Borgo Volantini")
    op = client_di(operatore)
    dati = {
        "immobile": borgo.pk,
        "fase": "pre_assegnazione",
        "destinatari": "abitanti",
        "canale": "volantino",
        "titolo": "Come si entra nel Borgo",
        "data": (OGGI + datetime.timedelta(days=7)).isoformat(),
        "stato": "programmata",
        "pubblica": "on",
    }
    # A page pretending to be a PDF is refused, with what was typed kept.
    finto = SimpleUploadedFile("volantino.pdf", b"<html><script>x</script></html>")
    risposta = op.post(reverse("abitare:azione_nuova"), {**dati, "materiale": finto})
    assert risposta.status_code == 200 and risposta.context["form"].errors["materiale"]
    assert "Come si entra nel Borgo" in risposta.content.decode()
    vero = SimpleUploadedFile("Volantino ingresso.jpg", jpeg(), content_type="image/jpeg")
    risposta = op.post(reverse("abitare:azione_nuova"), {**dati, "materiale": vero})
    assert risposta.status_code == 302
    azione = AzioneComunicazione.objects.get()
    assert azione.materiale.name.endswith(".jpg")
    elenco = op.get(reverse("abitare:comunicazione")).content.decode()
    assert "Come si entra nel Borgo" in elenco
    file = op.get(reverse("abitare:materiale", args=[azione.pk]))
    assert file.status_code == 200 and file["X-Content-Type-Options"] == "nosniff"
    # Changed later: done, with the version read.
    risposta = op.post(
        reverse("abitare:azione", args=[azione.pk]),
        {**dati, "stato": "svolta", "versione_letta": azione.versione},
    )
    assert risposta.status_code == 302
    azione.refresh_from_db()
    assert azione.stato == "svolta" and azione.materiale  # the material stays
    assert azione.history.count() == 2


@pytest.mark.django_db
def test_sulla_pagina_del_quartiere_solo_le_prossime_azioni_pubbliche(client, san_siro):
    borgo = ImmobileFactory(quartiere=san_siro, nome="Borgo Pubblico")
    pubblica = _azione(
        borgo,
        titolo="Assemblea degli abitanti",
        materiale=SimpleUploadedFile("locandina.jpg", jpeg(), content_type="image/jpeg"),
    )
    riservata = _azione(
        borgo,
        titolo="Incontro con il gestore",
        pubblica=False,
        materiale=SimpleUploadedFile("interno.jpg", jpeg(), content_type="image/jpeg"),
    )
    _azione(borgo, titolo="Festa passata", data=OGGI - datetime.timedelta(days=1))
    _azione(borgo, titolo="Festa annullata", stato="annullata")
    testo = client.get(reverse("quartiere:quartiere_pubblico", args=[san_siro.codice])).content
    testo = testo.decode()
    assert "Assemblea degli abitanti" in testo
    assert reverse("abitare:materiale_pubblico", args=[pubblica.pk]) in testo
    for assente in ("Incontro con il gestore", "Festa passata", "Festa annullata"):
        assert assente not in testo
    assert client.get(reverse("abitare:materiale_pubblico", args=[pubblica.pk])).status_code == 200
    risposta = client.get(reverse("abitare:materiale_pubblico", args=[riservata.pk]))
    assert risposta.status_code == 404


@pytest.mark.django_db
def test_il_piano_di_un_altro_quartiere_non_si_vede(client_di, operatore_gratosoglio, san_siro):
    azione = _azione(ImmobileFactory(quartiere=san_siro), titolo="Azione di San Siro")
    op = client_di(operatore_gratosoglio)
    assert "Azione di San Siro" not in op.get(reverse("abitare:comunicazione")).content.decode()
    assert op.get(reverse("abitare:azione", args=[azione.pk])).status_code == 404
    # Nor can an action be filed on another quartiere's building.
    risposta = op.post(
        reverse("abitare:azione_nuova"),
        {
            "immobile": azione.immobile_id,
            "fase": "gestione",
            "destinatari": "abitanti",
            "canale": "bacheca",
            "titolo": "Intrusa",
            "data": OGGI.isoformat(),
            "stato": "programmata",
        },
    )
    assert risposta.status_code == 200 and risposta.context["form"].errors["immobile"]
