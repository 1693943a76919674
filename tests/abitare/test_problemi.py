"""Problems with a flat go to the gestore as reports of ``segnalazioni``: one ticket system,
the report's states and dates, shown on the household and the building (issue 18)."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from abitare import services
from abitare.models import Componente, Problema
from segnalazioni import services as servizi_segnalazioni
from segnalazioni.models import InvioEmail, Segnalazione
from tests.abitare.factories import AlloggioFactory, ImmobileFactory, NucleoFactory
from tests.factories import PersonaFactory
from tests.segnalazioni.factories import CategoriaFactory, UfficioFactory

GIORNO = datetime.date(2026, 3, 2)


@pytest.fixture
def borgo(san_siro):
    ufficio = UfficioFactory(nome="ALER — pronto intervento", email="manutenzione@aler.example")
    categoria = CategoriaFactory(nome="Alloggi: guasti per il gestore", ufficio=ufficio)
    return ImmobileFactory(quartiere=san_siro, nome="Borgo", categoria_problemi=categoria)


@pytest.fixture
def entrato(borgo, san_siro):
    """A household living in flat A-7 of the building, its tenant in the registry."""
    nucleo = NucleoFactory(quartiere=san_siro, nome="Nucleo Caldaia")
    persona = PersonaFactory(quartiere=san_siro, email="inquilina@example.org")
    Componente.objects.create(nucleo=nucleo, persona=persona, intestatario=True)
    a = services.pre_assegna(AlloggioFactory(immobile=borgo, codice="A-7"), nucleo, il=GIORNO)
    services.avanza(services.avanza(a, "assegna", il=GIORNO), "ingresso", il=GIORNO)
    return nucleo


@pytest.mark.django_db
def test_la_caldaia_guasta_va_al_gestore_e_torna_chiusa(client_di, operatore, borgo, entrato):
    op = client_di(operatore)
    url = reverse("abitare:problema", args=[entrato.pk])
    pagina = op.get(url)
    assert pagina.context["form"]["alloggio"].value() == entrato.assegnazioni.get().alloggio_id
    dati = {
        "alloggio": entrato.assegnazioni.get().alloggio_id,
        "ambito": "impianti",
        "oggetto": "Caldaia guasta",
        "descrizione": "Niente acqua calda da due giorni.",
        "canale": "telefono",
    }
    # Without the household's consent nothing is filed.
    risposta = op.post(url, dati)
    assert risposta.status_code == 200 and "Serve il consenso" in risposta.content.decode()
    assert not Segnalazione.objects.exists()
    risposta = op.post(url, {**dati, "consenso": "on"})
    assert risposta.status_code == 302
    problema = Problema.objects.select_related("segnalazione").get()
    s = problema.segnalazione
    assert (problema.nucleo, problema.alloggio.codice) == (entrato, "A-7")
    assert (
        s.stato == "inoltrata"
        and s.canale == "telefono"
        and s.categoria == borgo.categoria_problemi
    )
    assert s.persona == entrato.componenti.get().persona and not s.pubblicabile
    assert s.quartiere_id == borgo.quartiere_id and s.indirizzo.startswith(borgo.indirizzo)
    # The gestore's office got the forwarding e-mail; the tenant the receipt.
    destinatari = set(InvioEmail.objects.values_list("motivo", "destinatario"))
    assert ("inoltro", "manutenzione@aler.example") in destinatari
    assert ("ricevuta", "inquilina@example.org") in destinatari
    # Shown on the household and, while open, on the building.
    assert "Caldaia guasta" in op.get(entrato.get_absolute_url()).content.decode()
    assert "Caldaia guasta" in op.get(borgo.get_absolute_url()).content.decode()
    # The gestore answers: the report is closed through its own workflow.
    servizi_segnalazioni.chiudi(s, "risolta", da=operatore, nota="Caldaia sostituita")
    assert "Caldaia guasta" not in op.get(borgo.get_absolute_url()).content.decode()
    testo = op.get(entrato.get_absolute_url()).content.decode()
    assert "Caldaia guasta" in testo and "risolta" in testo


@pytest.mark.django_db
def test_parti_comuni_e_rifiuti(client_di, operatore, dirigente, borgo, entrato, san_siro):
    op = client_di(operatore)
    url = reverse("abitare:problema_immobile", args=[borgo.pk])
    assert "consenso" not in op.get(url).context["form"].fields  # nobody's data
    risposta = op.post(
        url,
        {
            "ambito": "parti_comuni",
            "oggetto": "Ascensore fermo, scala A",
            "descrizione": "Fermo da stamattina.",
            "canale": "territorio",
        },
    )
    assert risposta.status_code == 302
    problema = Problema.objects.get()
    assert problema.alloggio is None and problema.nucleo is None
    assert problema.segnalazione.persona is None
    # A building with no category for its gestore: a clear refusal, nothing filed.
    senza = ImmobileFactory(quartiere=san_siro)
    risposta = op.post(
        reverse("abitare:problema_immobile", args=[senza.pk]),
        {
            "ambito": "manutenzione",
            "oggetto": "Infiltrazione",
            "descrizione": "x",
            "canale": "sportello",
        },
    )
    assert risposta.status_code == 200 and "categoria" in risposta.content.decode()
    assert Segnalazione.objects.count() == 1
    # A flat of another building is refused by the form's choices.
    altro = AlloggioFactory(immobile=senza)
    risposta = op.post(
        url,
        {
            "alloggio": altro.pk,
            "ambito": "manutenzione",
            "oggetto": "Infiltrazione",
            "descrizione": "x",
            "canale": "sportello",
        },
    )
    assert risposta.status_code == 200 and risposta.context["form"].errors["alloggio"]
    # A household with no flat has nothing to report on; the dirigente files nothing.
    assert (
        op.get(reverse("abitare:problema", args=[NucleoFactory(quartiere=san_siro).pk])).status_code
        == 404
    )
    assert client_di(dirigente).get(url).status_code == 403
