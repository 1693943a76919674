"""Citizens log in through the Comune's identity broker (issue 17): OpenID Connect with
mozilla-django-oidc, against a real provider (django-oidc-provider, a second Django project
in its own process, tests/identita/op/)."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urljoin, urlsplit

import pytest
import requests
from django.test import Client
from django.urls import reverse
from playwright.sync_api import expect

from quartiere.identita.models import AccountCittadino
from tests.identita.conftest import LAURA, MARIO, PASSWORD_OP, configura_oidc

pytestmark = pytest.mark.django_db


def autorizza(client: Client, broker, cf: str, successivo: str = "") -> str:
    """Start the login on the service, log ``cf`` in on the broker; the callback path with the
    broker's code, as the browser would be sent back to it."""
    r = client.get(
        reverse("oidc_authentication_init") + (f"?next={successivo}" if successivo else "")
    )
    assert r.status_code == 302 and r.url.startswith(broker.endpoint("authorize"))
    domanda = parse_qs(urlsplit(r.url).query)
    assert domanda["code_challenge_method"] == ["S256"] and domanda["nonce"][0]
    sessione = requests.Session()
    url = r.url
    while True:
        risposta = sessione.get(url, allow_redirects=False, timeout=10)
        if risposta.status_code == 200 and "csrfmiddlewaretoken" in risposta.text:
            token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', risposta.text)[1]
            prossimo = re.search(r'name="next" value="([^"]*)"', risposta.text)[1]
            risposta = sessione.post(
                url,
                data={
                    "csrfmiddlewaretoken": token,
                    "username": cf,
                    "password": PASSWORD_OP,
                    "next": prossimo.replace("&amp;", "&"),
                },
                allow_redirects=False,
                timeout=10,
            )
        assert risposta.status_code == 302, risposta.text[:500]
        url = urljoin(url, risposta.headers["Location"])
        if url.startswith("http://testserver/"):
            return url.removeprefix("http://testserver")


def test_spento_senza_configurazione(client):
    assert client.get(reverse("oidc_authentication_init")).status_code == 404
    assert client.get(reverse("oidc_authentication_callback")).status_code == 404
    assert "Broker di prova" not in client.get(reverse("quartiere:accedi")).content.decode()


def test_accesso_con_il_broker(client, oidc):
    pagina = client.get(reverse("quartiere:accedi")).content.decode()
    assert "Entra con Broker di prova" in pagina
    r = client.get(autorizza(client, oidc, MARIO))
    assert r.status_code == 302 and r.url == reverse("quartiere:area_personale")
    account = AccountCittadino.objects.select_related("persona").get()
    assert account.codice_fiscale == MARIO and account.metodo == "oidc"
    assert account.fornitore == f"{oidc.base}/openid"
    assert (account.persona.nome, account.persona.cognome) == ("Mario", "Rossi")
    assert MARIO in client.get(reverse("quartiere:area_personale")).content.decode()


def test_stesso_account_con_spid_e_con_il_broker(client, oidc):
    """One person, one account, whichever way in: the tax code is the key."""
    client.get(autorizza(client, oidc, LAURA, successivo=reverse("segnalazioni:servizio")))
    client.post(reverse("quartiere:esci"))
    r = client.get(autorizza(client, oidc, LAURA))
    assert r.url == reverse("quartiere:area_personale")
    assert AccountCittadino.objects.count() == 1


def test_codice_riusato_o_stato_sconosciuto_rifiutati(client, oidc):
    ritorno = autorizza(client, oidc, MARIO)
    assert client.get(ritorno).url == reverse("quartiere:area_personale")
    client.post(reverse("quartiere:esci"))
    # The same code again (a replay), here and from another browser: no login.
    assert Client().get(ritorno).url.startswith(reverse("quartiere:accedi"))
    r = client.get(ritorno)
    assert r.status_code in (302, 400)
    assert client.get(reverse("quartiere:area_personale")).url.startswith(
        reverse("quartiere:accedi")
    )


def test_accesso_con_il_broker_nel_browser(page, live_server, settings, broker):
    configura_oidc(settings, broker, live_server.url)
    page.goto(f"{live_server.url}{reverse('quartiere:accedi')}")
    page.get_by_role("link", name="Entra con Broker di prova").click()
    page.get_by_label("Codice fiscale").fill(MARIO)
    page.get_by_label("Password").fill(PASSWORD_OP)
    page.get_by_role("button", name="Entra").click()
    expect(page).to_have_url(f"{live_server.url}{reverse('quartiere:area_personale')}")
    expect(page.get_by_text(MARIO)).to_be_visible()
