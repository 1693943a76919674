"""axe on the register and staff pages; the signatory type-ahead.

The register without JavaScript is covered in test_registro.py."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.accessibilita import accedi, assert_accessibile
from tests.patti import factories as f

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def registro(san_siro, gratosoglio):
    san_siro.lat, san_siro.lon = 45.468, 9.138
    san_siro.save()
    patti = []
    for i, (quartiere, stato) in enumerate(
        [(san_siro, "firmato"), (san_siro, "in_attuazione"), (gratosoglio, "concluso")]
    ):
        patto = f.PattoFactory(
            quartiere=quartiere,
            stato=stato,
            data_firma=f"202{3 + i}-04-0{i + 1}",
            lat=45.41 + i / 100 if i != 1 else None,
            lon=9.17 if i != 1 else None,
        )
        f.FirmatarioComuneFactory(patto=patto)
        firmatario = f.FirmatarioOrganizzazioneFactory(patto=patto)
        f.ImpegnoFactory(firmatario=firmatario)
        f.FirmatarioVolontarioFactory(patto=patto)
        f.ProgettoFactory(patto=patto)
        f.IndicatoreFactory(patto=patto).misurazioni.create(data="2025-01-01", valore=4)
        patti.append(patto)
    return patti


def test_axe_sul_registro_e_sulle_schede(page, live_server, registro):
    page.goto(f"{live_server.url}{reverse('patti:registro')}")
    # The map shows up when the script runs, and has a marker per located pact.
    page.wait_for_selector("#mappa-patti .leaflet-marker-icon")
    assert page.locator("#mappa-patti .leaflet-marker-icon").count() == 3
    assert_accessibile(page)
    page.goto(f"{live_server.url}{reverse('patti:registro')}?anno=2024")
    assert_accessibile(page)
    for patto in registro:
        page.goto(f"{live_server.url}{reverse('patti:registro_dettaglio', args=[patto.pk])}")
        assert page.get_by_role("heading", level=1).inner_text() == patto.titolo
        assert_accessibile(page)


def test_axe_sulle_pagine_di_lavoro(page, live_server, registro, operatore):
    accedi(page, live_server, "operatore.sansiro")
    patto = registro[0]
    firmatario = patto.firmatari.get(tipo="comune")
    for url in [
        reverse("patti:lista"),
        reverse("patti:crea"),
        reverse("patti:dettaglio", args=[patto.pk]),
        reverse("patti:modifica", args=[patto.pk]),
        reverse("patti:firmatario_crea", args=[patto.pk]),
        reverse("patti:impegno_crea", args=[firmatario.pk]),
        reverse("patti:progetto_crea", args=[patto.pk]),
    ]:
        page.goto(f"{live_server.url}{url}")
        assert_accessibile(page)


def test_il_firmatario_si_cerca_per_nome(page, live_server, registro, operatore, san_siro):
    from tests.factories import OrganizzazioneFactory

    cercata = OrganizzazioneFactory(nome="Compagnia della Bicicletta", quartiere=san_siro)
    accedi(page, live_server, "operatore.sansiro")
    patto = registro[0]
    page.goto(f"{live_server.url}{reverse('patti:firmatario_crea', args=[patto.pk])}")
    page.get_by_label("Tipo").select_option("associazione")
    page.get_by_label("Cerca l'organizzazione per nome").fill("biciclet")
    page.get_by_role("button", name="Compagnia della Bicicletta — San Siro").click()
    assert page.get_by_label("Organizzazione (numero di scheda)").input_value() == str(cercata.pk)
    page.get_by_role("button", name="Salva").click()
    page.wait_for_url(f"**{patto.get_absolute_url()}*")
    assert patto.firmatari.filter(organizzazione=cercata).exists()


def test_l_esportazione_dall_admin_seleziona_e_deseleziona_i_campi(
    page, live_server, registro, coordinatore
):
    # Our override of import-export's export.html: no inline handler, the toggle still works.
    accedi(page, live_server, "coordinatore")
    violazioni = []
    page.on("console", lambda m: violazioni.append(m.text) if "Content Security" in m.text else 0)
    page.goto(f"{live_server.url}{reverse('admin:patti_patto_export')}")
    campi = page.locator(".selectable-field-export-row input[type=checkbox]:visible")
    assert campi.count() > 2
    interruttore = page.get_by_label("Select all").or_(page.get_by_label("Seleziona tutto"))
    interruttore.uncheck()
    assert all(not c.is_checked() for c in campi.all())
    interruttore.check()
    assert all(c.is_checked() for c in campi.all())
    assert violazioni == []
