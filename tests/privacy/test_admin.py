"""The Comune edits the notice and the register in the admin, under the rules."""

from __future__ import annotations

import datetime
import re
from html import unescape

import pytest
from django.urls import reverse
from django.utils import timezone

from quartiere.privacy.models import Informativa, Trattamento

pytestmark = pytest.mark.django_db


def _nascosti(client, url) -> dict:
    """The hidden fields of the admin form (the concurrency token of the change forms)."""
    html = client.get(url).content.decode()
    campi = {}
    for tag in re.findall(r"<input[^>]*type=\"hidden\"[^>]*>", html):
        nome = re.search(r'name="([^"]+)"', tag)
        valore = re.search(r'value="([^"]*)"', tag)
        if nome and nome[1] != "csrfmiddlewaretoken":
            campi[nome[1]] = unescape(valore[1]) if valore else ""
    return campi


def _dati(**modifiche):
    dati = {
        "codice": "2026-12",
        "titolo": "Informativa privacy",
        "testo": "## Titolare\n\nIl Comune.",
        "titolo_inglese": "",
        "testo_inglese": "",
        "in_vigore_dal": timezone.localdate().strftime("%d/%m/%Y"),
    }
    dati.update(modifiche)
    return dati


def test_il_coordinatore_scrive_una_bozza_e_la_pubblica(client_di, coordinatore):
    c = client_di(coordinatore)
    risposta = c.post(reverse("admin:quartiere_informativa_add"), _dati())
    assert risposta.status_code == 302
    bozza = Informativa.objects.get(codice="2026-12")
    assert not bozza.pubblicata and Informativa.versione_corrente() == "2026-01"
    url = reverse("admin:quartiere_informativa_change", args=[bozza.pk])
    risposta = c.post(
        url,
        {
            **_nascosti(c, url),
            **_dati(testo="## Titolare\n\nIl Comune, corretto.", pubblicata="on"),
        },
    )
    assert risposta.status_code == 302
    assert Informativa.versione_corrente() == "2026-12"
    assert bozza.history.count() == 2 and bozza.history.first().history_user == coordinatore


@pytest.mark.parametrize("ruolo", ["coordinatore", "amministratore"])
def test_una_versione_pubblicata_e_in_sola_lettura(client_di, cast, ruolo):
    c = client_di(cast[ruolo])
    iniziale = Informativa.objects.get(codice="2026-01")
    url = reverse("admin:quartiere_informativa_change", args=[iniziale.pk])
    pagina = c.get(url)
    assert pagina.status_code == 200
    html = pagina.content.decode()
    assert 'name="testo"' not in html and 'name="_save"' not in html
    assert c.post(url, _dati(codice="2026-01", testo="Riscritto")).status_code == 403
    elimina = reverse("admin:quartiere_informativa_delete", args=[iniziale.pk])
    assert c.post(elimina, {"post": "yes"}).status_code == 403
    iniziale.refresh_from_db()
    assert iniziale.testo.startswith("Informativa ai sensi") and iniziale.pubblicata


def test_non_si_pubblica_con_data_passata_dall_admin(client_di, coordinatore):
    ieri = (timezone.localdate() - datetime.timedelta(days=1)).strftime("%d/%m/%Y")
    risposta = client_di(coordinatore).post(
        reverse("admin:quartiere_informativa_add"), _dati(in_vigore_dal=ieri, pubblicata="on")
    )
    assert risposta.status_code == 200
    assert "nel passato" in risposta.content.decode()
    assert not Informativa.objects.filter(codice="2026-12").exists()


def test_xss_nel_testo_scritto_in_admin_resta_testo(client_di, coordinatore, client):
    risposta = client_di(coordinatore).post(
        reverse("admin:quartiere_informativa_add"),
        _dati(testo="## Sezione\n\n<script>alert('xss')</script>", pubblicata="on"),
    )
    assert risposta.status_code == 302
    html = client.get(reverse("quartiere:privacy")).content.decode()
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(&#x27;xss&#x27;)&lt;/script&gt;" in html


def test_l_azione_copia_in_una_bozza(client_di, coordinatore):
    iniziale = Informativa.objects.get(codice="2026-01")
    risposta = client_di(coordinatore).post(
        reverse("admin:quartiere_informativa_changelist"),
        {"action": "crea_bozza", "_selected_action": [iniziale.pk]},
    )
    assert risposta.status_code == 302
    bozza = Informativa.objects.get(codice="2026-01-bozza")
    assert not bozza.pubblicata and bozza.testo == iniziale.testo


def test_il_registro_si_modifica_con_storico(client_di, coordinatore):
    t = Trattamento.objects.get(nome="Mediazione dei conflitti di vicinato")
    url = reverse("admin:quartiere_trattamento_change", args=[t.pk])
    c = client_di(coordinatore)
    assert c.get(url).status_code == 200
    dati = {
        campo: getattr(t, campo)
        for campo in (
            "nome",
            "ordine",
            "finalita",
            "base_giuridica",
            "categorie_interessati",
            "categorie_dati",
            "categorie_particolari_dettaglio",
            "destinatari",
            "trasferimenti_extra_ue",
            "classe_conservazione",
            "termini_conservazione",
            "misure_sicurezza",
            "titolare",
            "responsabili",
            "rpd",
        )
    }
    # Special categories without saying which: refused by the model (and the database).
    risposta = c.post(
        url,
        {
            **_nascosti(c, url),
            **dati,
            "categorie_particolari": "on",
            "categorie_particolari_dettaglio": "",
        },
    )
    assert risposta.status_code == 200
    risposta = c.post(
        url,
        {**_nascosti(c, url), **dati, "categorie_particolari": "on", "rpd": "dpo@comune.example"},
    )
    assert risposta.status_code == 302
    t.refresh_from_db()
    assert t.rpd == "dpo@comune.example"
    assert t.history.first().history_user == coordinatore
