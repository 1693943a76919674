"""The service card of "Segnalazione disservizio" (issue 17): the sections of the Designers
Italia model in its order, the ``data-element`` attributes its validator looks for, the
coordinators' texts, and a service that can be switched off."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from segnalazioni.models import SchedaServizio
from tests.segnalazioni.factories import CategoriaFactory

pytestmark = pytest.mark.django_db

URL = "/segnalazioni/"
# The index entries the validator checks, in its order (C.SI.1.3, C.SI.2.2).
VOCI_INDICE = [
    "A chi è rivolto",
    "Come fare",
    "Cosa serve",
    "Cosa si ottiene",
    "Tempi e scadenze",
    "Accedi al servizio",
    "Condizioni di servizio",
    "Contatti",
]


class _Elementi(HTMLParser):
    """``data-element`` -> list of (tag, attributes, text inside)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.trovati: dict[str, list[dict]] = {}
        self._aperti: list[dict] = []
        self._dentro_footer = 0

    def handle_starttag(self, tag, attrs):
        attributi = dict(attrs)
        if tag == "footer":
            self._dentro_footer += 1
        if "data-element" in attributi:
            voce = {"tag": tag, "attr": attributi, "testo": "", "footer": self._dentro_footer}
            self.trovati.setdefault(attributi["data-element"], []).append(voce)
            self._aperti.append(voce | {"_tag": tag, "_voce": voce})
        for aperto in self._aperti:
            aperto.setdefault("_profondita", 0)
            if tag == aperto["_tag"]:
                aperto["_profondita"] += 1

    def handle_endtag(self, tag):
        if tag == "footer":
            self._dentro_footer -= 1
        for aperto in list(self._aperti):
            if tag == aperto["_tag"]:
                aperto["_profondita"] -= 1
                if aperto["_profondita"] == 0:
                    self._aperti.remove(aperto)

    def handle_data(self, data):
        for aperto in self._aperti:
            aperto["_voce"]["testo"] += data


def elementi(html: str) -> dict[str, list[dict]]:
    parser = _Elementi()
    parser.feed(html)
    parser.close()
    return parser.trovati


def _testo(voce: dict) -> str:
    return " ".join(voce["testo"].split())


def test_la_scheda_ha_gli_attributi_che_il_validatore_cerca(client):
    CategoriaFactory(nome="Illuminazione", giorni_risposta=15)
    html = client.get(URL).content.decode()
    trovati = elementi(html)

    assert _testo(trovati["service-title"][0]) == "Segnalazione disservizio"
    assert trovati["service-title"][0]["tag"] == "h1"
    assert _testo(trovati["service-description"][0]).startswith("Segnala al Comune")
    assert "attivo" in _testo(trovati["service-status"][0]).lower()
    assert trovati["service-area"][0]["tag"] == "a" and trovati["service-area"][0]["attr"]["href"]

    indice = trovati["page-index"][0]
    assert indice["tag"] == "ul"
    voci = re.findall(r'href="#([^"]+)"><span>([^<]+)</span>', html)
    assert [titolo for _ancora, titolo in voci] == VOCI_INDICE
    for ancora, _titolo in voci:
        assert f'id="{ancora}"' in html  # every entry leads to its section

    metadati = json.loads(_testo(trovati["metatag"][0]))
    assert trovati["metatag"][0]["attr"]["type"] == "application/ld+json"
    assert metadati["name"] == "Segnalazione disservizio"
    assert metadati["availableChannel"]["serviceUrl"].endswith(reverse("segnalazioni:invia"))

    # The footer of every page: the report link, the privacy notice, the accessibility
    # statement (C.SI.2.4, C.SI.3.2, C.SI.3.3).
    for nome, url in [
        ("report-inefficiency", URL),
        ("privacy-policy-link", reverse("quartiere:privacy")),
        ("accessibility-link", reverse("quartiere:accessibilita")),
    ]:
        (voce,) = trovati[nome]
        assert voce["tag"] == "a" and voce["footer"] and voce["attr"]["href"] == url, nome
    assert _testo(trovati["report-inefficiency"][0]) == "Segnalazione disservizio"


def test_il_link_del_footer_c_e_in_ogni_pagina_pubblica(client):
    for url in ["/", reverse("segnalazioni:cerca_codice"), reverse("quartiere:privacy")]:
        (voce,) = elementi(client.get(url).content.decode())["report-inefficiency"]
        assert voce["attr"]["href"] == URL and voce["footer"]
    assert client.get(URL).status_code == 200


def test_la_scheda_da_i_termini_di_ogni_categoria_attiva(client):
    CategoriaFactory(nome="Illuminazione", giorni_risposta=15)
    CategoriaFactory(nome="Verde", giorni_risposta=1)
    CategoriaFactory(nome="Vecchia", attiva=False)
    html = client.get(URL).content.decode()
    assert re.search(r"Illuminazione</td><td>15 giorni", html)
    assert re.search(r"Verde</td><td>1 giorno<", html)
    assert "Vecchia" not in html


def test_il_coordinatore_scrive_la_scheda_nell_admin(client_di, client, coordinatore):
    c = client_di(coordinatore)
    dati = {
        "titolo": "Segnalazione disservizio",
        "attivo": "on",
        "descrizione": "Scrivici di un guasto nel quartiere.",
        "ufficio_responsabile": "Direzione Quartieri",
        "a_chi_e_rivolto": "A tutte e tutti.",
        "come_fare": "Tre passi <b>semplici</b>.",
        "cosa_serve": "Il luogo.",
        "cosa_si_ottiene": "Un codice.",
        "tempi_e_scadenze": "Trenta giorni.",
        "accedi_canale_fisico": "Allo sportello.",
        "condizioni_di_servizio": "L'informativa.",
        "contatti": "Via Abbiati 4.",
    }
    r = c.post(reverse("admin:segnalazioni_schedaservizio_add"), dati)
    assert r.status_code == 302, r.content.decode()[:3000]
    scheda = SchedaServizio.objects.get()
    assert scheda.history.get().history_user == coordinatore

    html = client.get(URL).content.decode()
    assert "Scrivici di un guasto nel quartiere." in html
    assert "Direzione Quartieri" in html
    assert "Tre passi &lt;b&gt;semplici&lt;/b&gt;." in html  # text, never markup

    # One card only: the add page is closed once it exists, and it cannot be deleted.
    assert c.get(reverse("admin:segnalazioni_schedaservizio_add")).status_code == 403
    elimina = reverse("admin:segnalazioni_schedaservizio_delete", args=[scheda.pk])
    assert c.post(elimina, {"post": "yes"}).status_code == 403
    assert SchedaServizio.objects.count() == 1


def test_un_operatore_non_scrive_la_scheda(client_di, operatore):
    r = client_di(operatore).get(reverse("admin:segnalazioni_schedaservizio_changelist"))
    assert r.status_code in (302, 403)


def test_una_sola_scheda_anche_nel_database():
    from django.db import IntegrityError, transaction

    SchedaServizio.objects.create()
    with pytest.raises(IntegrityError), transaction.atomic():
        SchedaServizio.objects.create()


def test_servizio_spento_chiude_il_modulo(client, san_siro, categoria):
    SchedaServizio.objects.create(attivo=False)
    html = client.get(URL).content.decode()
    assert _testo(elementi(html)["service-status"][0]) == "Servizio non attivo"
    assert (
        reverse("segnalazioni:invia")
        not in html.split('data-element="metatag"')[1].split("</script>")[1]
    )
    for url in (reverse("segnalazioni:invia"), reverse("segnalazioni:invia_passo", args=["dati"])):
        for metodo in (client.get, client.post):
            r = metodo(url)
            assert r.status_code == 302 and r.url == URL, url
    assert "non è attivo" in client.get(URL).content.decode()


def test_la_home_porta_alla_scheda_prima_del_modulo(client):
    html = client.get("/").content.decode()
    assert f'href="{URL}"' in html


def test_i_metadati_non_chiudono_lo_script(client):
    ostile = "</script><script>alert(1)</script> & <!--"
    SchedaServizio.objects.create(descrizione=ostile)
    html = client.get(URL).content.decode()
    blocco = html.split('data-element="metatag" type="application/ld+json">')[1]
    blocco = blocco.split("</script>")[0]
    assert "<" not in blocco and ">" not in blocco and "&" not in blocco.replace("\\u0026", "")
    assert json.loads(blocco)["description"] == ostile
    assert "<script>alert(1)" not in html
