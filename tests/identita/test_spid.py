"""Citizens log in with SPID and CIE (issue 17): SAML 2.0 through djangosaml2, against a real
identity provider the tests start; the login is tied to the registry's Persona by codice
fiscale, never merged silently with somebody else."""

from __future__ import annotations

import base64
import os
import re
import subprocess
import sys
import urllib.error
import urllib.request

import pytest
import requests
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from playwright.sync_api import expect

from quartiere.identita.models import AccountCittadino
from quartiere.registro.models import Persona
from tests.identita.conftest import LAURA, MARIO, configura, risposta_dell_idp
from tests.identita.idp_saml import IdPDiProva

pytestmark = pytest.mark.django_db


def accedi(client: Client, idp, cf: str = MARIO, successivo: str = ""):
    campi = risposta_dell_idp(client, idp, cf, successivo)
    return client.post(reverse("saml2_acs"), campi)


def test_spento_senza_configurazione(client):
    assert client.get("/spid/metadata/").status_code == 404
    assert client.get("/spid/login/").status_code == 404
    pagina = client.get(reverse("quartiere:accedi")).content.decode()
    assert "non è ancora attivo" in pagina


def test_metadati_del_fornitore_di_servizi(client, spid):
    r = client.get("/spid/metadata/")
    assert r.status_code == 200
    xml = r.content.decode()
    assert 'AuthnRequestsSigned="true"' in xml
    assert 'WantAssertionsSigned="true"' in xml
    assert "http://testserver/spid/acs/" in xml
    for attributo in ("fiscalNumber", "name", "familyName", "email"):
        assert f'Name="{attributo}"' in xml


def test_pagina_di_accesso_elenca_i_gestori(client, spid):
    pagina = client.get(reverse("quartiere:accedi")).content.decode()
    assert "Entra con SPID" in pagina
    assert "IdP di prova" in pagina
    assert "/spid/login/?idp=" in pagina


def test_primo_accesso_crea_la_persona_e_apre_l_area_personale(client, spid):
    r = accedi(client, spid)
    assert r.status_code == 302 and r.url == reverse("quartiere:area_personale")
    # The request was signed and asked for SPID level 2.
    assert spid.rifiutate == 0
    account = AccountCittadino.objects.select_related("persona", "utente").get()
    assert account.codice_fiscale == MARIO and account.metodo == "spid"
    assert account.persona.codice_fiscale == MARIO
    assert (account.persona.nome, account.persona.cognome) == ("Mario", "Rossi")
    assert account.persona.email == "mario.rossi@example.org"
    utente = account.utente
    assert not utente.has_usable_password() and not utente.is_staff
    assert not utente.groups.exists()
    pagina = client.get(reverse("quartiere:area_personale")).content.decode()
    assert MARIO in pagina and "Mario Rossi" in pagina
    # A citizen is nobody on the staff's pages.
    assert client.get(reverse("quartiere:scrivania")).status_code in (403, 404)
    assert client.get("/admin/").status_code == 302


def test_secondo_accesso_stesso_account(client, spid):
    accedi(client, spid)
    client.post(reverse("quartiere:esci"))
    assert client.get(reverse("quartiere:area_personale")).status_code == 302
    accedi(client, spid)
    assert AccountCittadino.objects.count() == 1 and Persona.objects.count() == 1


def test_persona_del_registro_collegata_per_codice_fiscale(client, spid, san_siro):
    persona = Persona.objects.create(
        nome="MARIO", cognome="Rossi", codice_fiscale=MARIO, quartiere=san_siro
    )
    accedi(client, spid)
    account = AccountCittadino.objects.get()
    assert account.persona == persona and not account.da_verificare
    assert Persona.objects.count() == 1
    persona.refresh_from_db()
    assert persona.email == "mario.rossi@example.org"  # an empty field filled, nothing overwritten


def test_stesso_codice_fiscale_altro_nome_non_si_unisce(client, spid):
    altra = Persona.objects.create(nome="Luigi", cognome="Verdi", codice_fiscale=MARIO)
    r = accedi(client, spid)
    assert r.status_code == 302
    account = AccountCittadino.objects.get()
    assert account.persona is None and account.da_verificare
    altra.refresh_from_db()
    assert (altra.nome, altra.email) == ("Luigi", "")
    pagina = client.get(reverse("quartiere:area_personale")).content.decode()
    assert "un operatore controlla" in pagina


def test_senza_email_e_con_next(client, spid):
    r = accedi(client, spid, LAURA, successivo=reverse("segnalazioni:servizio"))
    assert r.url == reverse("segnalazioni:servizio")
    assert AccountCittadino.objects.get().persona.email == ""


def test_risposta_manomessa_rifiutata(client, spid):
    campi = risposta_dell_idp(client, spid, MARIO)
    xml = base64.b64decode(campi["SAMLResponse"]).decode()
    campi["SAMLResponse"] = base64.b64encode(xml.replace(MARIO, LAURA).encode()).decode()
    r = client.post(reverse("saml2_acs"), campi)
    assert r.status_code == 403
    assert "Accesso non riuscito" in r.content.decode()
    assert not AccountCittadino.objects.exists()


def test_risposta_riusata_o_non_richiesta_rifiutata(client, spid):
    campi = risposta_dell_idp(client, spid, MARIO)
    assert client.post(reverse("saml2_acs"), campi).status_code == 302
    # The same response again, in this browser or in another one: refused.
    client.post(reverse("quartiere:esci"))
    assert client.post(reverse("saml2_acs"), campi).status_code == 403
    assert Client().post(reverse("saml2_acs"), campi).status_code == 403
    assert AccountCittadino.objects.count() == 1


def test_account_disattivato_non_entra(client, spid):
    accedi(client, spid)
    get_user_model().objects.filter(account_cittadino__isnull=False).update(is_active=False)
    client.post(reverse("quartiere:esci"))
    assert accedi(client, spid).status_code == 403
    assert client.get(reverse("quartiere:area_personale")).status_code == 302


def test_l_idp_rifiuta_una_richiesta_non_firmata(client, spid):
    r = client.get(f"/spid/login/?idp={spid.entity_id}")
    senza_firma = r.url.split("&Signature=")[0]
    with pytest.raises(urllib.error.HTTPError) as errore:
        urllib.request.urlopen(senza_firma)
    assert errore.value.code == 400 and spid.rifiutate == 1


def test_accesso_spid_nel_browser(page, live_server, spid_nel_browser):
    """The whole round trip: the SPID button, the IdP's page, its POST back, the area."""
    page.goto(f"{live_server.url}{reverse('quartiere:home')}")
    page.get_by_role("link", name="Accedi all'area personale").click()
    page.get_by_text("Entra con SPID").click()
    page.get_by_role("link", name="IdP di prova").click()
    expect(page.locator("#livello")).to_have_text("https://www.spid.gov.it/SpidL2")
    page.get_by_label("Utente").select_option(MARIO)
    page.get_by_role("button", name="Autorizza").click()
    expect(page).to_have_url(f"{live_server.url}{reverse('quartiere:area_personale')}")
    expect(page.get_by_role("heading", name="Area personale")).to_be_visible()
    expect(page.get_by_text(MARIO)).to_be_visible()
    # Single logout through the IdP, back to the home page.
    page.get_by_role("link", name="Esci", exact=True).click()
    expect(page).to_have_url(f"{live_server.url}{reverse('quartiere:home')}")
    expect(page.get_by_text("Sei uscito dall'area personale.")).to_be_visible()
    expect(page.get_by_role("link", name="Accedi all'area personale")).to_be_visible()
    assert spid_nel_browser.uscite == 1


def test_pysaml2_si_importa_solo_dove_serve():
    """pysaml2 compiles its XML schemas at import (about a second): a process that checks the
    project, loads the URLs and renders pages must not pay for it while SAML is off."""
    codice = (
        "import django; django.setup()\n"
        "from django.core.management import call_command; call_command('check')\n"
        "from django.test import Client; assert Client().get('/accedi/').status_code == 200\n"
    )
    risultato = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", codice],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "quartiere.settings_test"},
    )
    importati = re.findall(r"\|\s+(saml2(?:\.\S+)?)$", risultato.stderr, re.MULTILINE)
    assert not importati
    assert re.search(r"\|\s+django\.urls$", risultato.stderr, re.MULTILINE)  # the probe works


def test_esci_chiude_anche_la_sessione_spid(client, spid):
    """Single logout: "Esci" (a link, see uscita_saml) sends a signed LogoutRequest to the
    IdP, whose signed answer ends the local session and lands on the home page."""
    accedi(client, spid)
    pagina = client.get(reverse("quartiere:area_personale")).content.decode()
    assert f'href="{reverse("saml2_logout")}"' in pagina
    r = client.get(reverse("saml2_logout"))
    assert r.status_code == 302 and r.url.startswith(f"{spid.base}/slo?")
    assert "Signature=" in r.url
    ritorno = requests.get(r.url, allow_redirects=False, timeout=10).headers["Location"]
    assert spid.uscite == 1 and spid.rifiutate == 0
    assert ritorno.startswith("http://testserver/spid/ls/?")
    r = client.get(ritorno.removeprefix("http://testserver"))
    assert r.status_code == 302 and r.url == reverse("quartiere:home")
    assert client.get(reverse("quartiere:area_personale")).status_code == 302


def test_i_gestori_spid_in_ordine_casuale(client, settings, tmp_path, idp_spid):
    """AgID's rules for the SPID button: the providers in random order, none favoured by
    its place; the button is AgID's (its icon, "Entra con SPID")."""
    altri = []
    for nome in ("Altro IdP", "Terzo IdP"):
        cartella = tmp_path / nome.replace(" ", "-")
        cartella.mkdir()
        altri.append(IdPDiProva(cartella, nome, {}))
    try:
        configura(settings, tmp_path, "http://testserver", spid=[idp_spid, *altri])
        ordini = set()
        for _ in range(30):
            pagina = client.get(reverse("quartiere:accedi")).content.decode()
            nomi = re.findall(r"<span>(IdP di prova|Altro IdP|Terzo IdP)</span>", pagina)
            ordini.add(tuple(nomi))
        assert all(len(ordine) == 3 for ordine in ordini)
        assert len(ordini) > 1
        assert "img/spid-ico-circle-bb" in pagina and "Entra con SPID" in pagina
    finally:
        for idp in altri:
            idp.ferma()
