"""Citizens log in with CIE (issue 17): the CIE ID federation beside SPID, against a real
identity provider the tests start with the service provider's CIE metadata; one account per
codice fiscale whichever of the two the citizen uses."""

from __future__ import annotations

from urllib.parse import quote

import pytest
from django.test import Client
from django.urls import reverse
from playwright.sync_api import expect

from quartiere.identita.models import AccountCittadino
from tests.identita.conftest import MARIO, configura, risposta_dell_idp

pytestmark = pytest.mark.django_db


@pytest.fixture
def federazioni(settings, tmp_path, idp_spid, idp_cie, db):
    """SPID and CIE on together, for the Django test client."""
    configura(settings, tmp_path, "http://testserver", spid=[idp_spid], cie=[idp_cie])
    return idp_spid, idp_cie


def accedi(client: Client, idp, cf: str = MARIO):
    return client.post(reverse("saml2_acs"), risposta_dell_idp(client, idp, cf))


def test_pagina_di_accesso_col_pulsante_cie(client, federazioni):
    _, cie = federazioni
    pagina = client.get(reverse("quartiere:accedi")).content.decode()
    assert 'class="btn btn-cie"' in pagina and "Entra con CIE" in pagina
    assert "img/cie-carta.svg" in pagina
    assert f"/spid/login/?idp={quote(cie.entity_id)}" in pagina


def test_con_cie_e_con_spid_la_stessa_persona(client, federazioni):
    spid, cie = federazioni
    r = accedi(client, spid)
    assert r.status_code == 302 and r.url == reverse("quartiere:area_personale")
    prima = AccountCittadino.objects.select_related("persona", "utente").get()
    assert prima.metodo == "spid"
    client.logout()

    r = accedi(Client(), cie)
    assert r.status_code == 302 and r.url == reverse("quartiere:area_personale"), r
    assert cie.rifiutate == 0
    account = AccountCittadino.objects.select_related("persona", "utente").get()
    assert account.pk == prima.pk and account.persona_id == prima.persona_id
    assert account.metodo == "cie" and account.fornitore == cie.entity_id
    # The CIE profile asks for no e-mail: the address SPID gave is kept, not blanked.
    assert account.utente.email == "mario.rossi@example.org"
    assert account.persona.email == "mario.rossi@example.org"


def test_l_idp_cie_riceve_il_profilo_cie(client, federazioni):
    """The IdP releases what the CIE metadata ask for: the identity, without the e-mail."""
    _, cie = federazioni
    r = accedi(client, cie)
    assert r.status_code == 302
    account = AccountCittadino.objects.select_related("utente").get()
    assert account.metodo == "cie"
    assert (account.utente.first_name, account.utente.last_name) == ("Mario", "Rossi")
    assert account.utente.email == ""


@pytest.fixture
def cie_nel_browser(settings, tmp_path, idp_cie, live_server):
    configura(settings, tmp_path, live_server.url, cie=[idp_cie])
    return idp_cie


def test_accesso_cie_nel_browser(page, live_server, cie_nel_browser):
    """The whole round trip: the CIE button, the IdP's page, its POST back, the area."""
    page.goto(f"{live_server.url}{reverse('quartiere:accedi')}")
    expect(page.get_by_text("Entra con SPID")).to_have_count(0)
    page.get_by_role("link", name="Entra con CIE").click()
    page.get_by_label("Utente").select_option(MARIO)
    page.get_by_role("button", name="Autorizza").click()
    expect(page).to_have_url(f"{live_server.url}{reverse('quartiere:area_personale')}")
    expect(page.get_by_text(MARIO)).to_be_visible()
    assert AccountCittadino.objects.get().metodo == "cie"
