"""Staff pages: every role against every page, the actions, attachments, receipts,
exports and the query counts of lists and exports."""

import csv
import io
import json

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from segnalazioni import allegati as gestione_allegati
from segnalazioni.models import Esito, Evento, InvioEmail, Segnalazione, Stato
from tests.segnalazioni.conftest import PDF_MINIMO, immagine
from tests.segnalazioni.factories import SegnalazioneFactory

pytestmark = pytest.mark.django_db


def _allegato(s, contenuto=None, nome="foto.jpg"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return gestione_allegati.crea_allegato(
        s, SimpleUploadedFile(nome, contenuto or immagine("JPEG"), content_type="image/jpeg")
    )


@pytest.fixture
def scena(segnalazione_san_siro, segnalazione_gratosoglio):
    s = segnalazione_san_siro
    a = _allegato(s)
    return {
        "s": s,
        "a": a,
        "altra": segnalazione_gratosoglio,
        "a_altra": _allegato(segnalazione_gratosoglio),
    }


def _pagine(scena):
    s, a = scena["s"], scena["a"]
    return {
        "lista": reverse("segnalazioni:lista"),
        "mappa": reverse("segnalazioni:mappa"),
        "dettaglio": reverse("segnalazioni:dettaglio", args=[s.pk]),
        "allegato": a.get_absolute_url(),
        "sportello": reverse("segnalazioni:sportello"),
        "csv": reverse("segnalazioni:esporta_csv"),
        "xlsx": reverse("segnalazioni:esporta_xlsx"),
        "geojson": reverse("segnalazioni:esporta_geojson"),
        "doppioni": reverse("segnalazioni:doppioni_json"),
        "modifica": reverse("segnalazioni:modifica", args=[s.pk]),
    }


_TUTTE = [
    "lista",
    "mappa",
    "dettaglio",
    "allegato",
    "sportello",
    "csv",
    "xlsx",
    "geojson",
    "doppioni",
    "modifica",
]
_ELENCHI = ["lista", "mappa", "sportello", "csv", "xlsx", "geojson", "doppioni"]

# role -> expected status for each page (302 = to login)
ATTESI = {
    "anonimo": dict.fromkeys(_TUTTE, 302),
    "operatore": dict.fromkeys(_TUTTE, 200),
    # Operator of other quartieri: the lists work (without San Siro), the record is a 404.
    "operatore_altro": {
        **dict.fromkeys(_ELENCHI, 200),
        "dettaglio": 404,
        "allegato": 404,
        "modifica": 404,
    },
    "mediatore": {
        **dict.fromkeys(_ELENCHI, 403),
        "dettaglio": 403,
        "allegato": 404,
        "modifica": 403,
    },
    "coordinatore": dict.fromkeys(_TUTTE, 200),
    "dirigente": {
        **dict.fromkeys(_TUTTE, 200),
        "sportello": 403,
        "doppioni": 403,
        "modifica": 403,
    },
    "amministratore": dict.fromkeys(_TUTTE, 200),
}


@pytest.mark.parametrize("ruolo", list(ATTESI))
def test_ogni_ruolo_ogni_pagina(ruolo, cast, client_di, scena):
    client = client_di(cast[ruolo])
    for nome, url in _pagine(scena).items():
        r = client.get(url)
        atteso = ATTESI[ruolo][nome]
        if atteso == 403 and r.status_code == 404:
            # A record outside the role's reach may also simply not exist for them.
            continue
        assert r.status_code == atteso, (ruolo, nome, r.status_code)
        if atteso == 302:
            assert "/accounts/login/" in r.url


POST_AZIONI = ["cambia_stato", "assegna", "nota", "risposta", "duplicato", "emetti_ricevuta"]


@pytest.mark.parametrize("azione", POST_AZIONI)
def test_operatore_di_altro_quartiere_riceve_404_sulle_azioni(
    azione, client_di, operatore_gratosoglio, segnalazione_san_siro
):
    url = reverse(f"segnalazioni:{azione}", args=[segnalazione_san_siro.pk])
    r = client_di(operatore_gratosoglio).post(url, {"stato": "presa_in_carico"})
    assert r.status_code == 404
    segnalazione_san_siro.refresh_from_db()
    assert segnalazione_san_siro.stato == Stato.NUOVA


@pytest.mark.parametrize(
    "azione", ["cambia_stato", "assegna", "nota", "risposta", "duplicato", "emetti_ricevuta"]
)
def test_dirigente_sola_lettura(azione, client_di, dirigente, segnalazione_san_siro):
    url = reverse(f"segnalazioni:{azione}", args=[segnalazione_san_siro.pk])
    assert client_di(dirigente).post(url, {"stato": "presa_in_carico"}).status_code == 403
    assert segnalazione_san_siro.eventi.count() == 0


def test_operatore_vede_solo_i_suoi_quartieri_nella_lista(client_di, operatore, scena):
    r = client_di(operatore).get(reverse("segnalazioni:lista"))
    codici = [s.codice for s in r.context["object_list"]]
    assert codici == [scena["s"].codice]
    assert scena["altra"].codice not in r.content.decode()


def test_esportazioni_rispettano_il_perimetro(client_di, operatore, scena):
    scena["s"].lat, scena["s"].lon = 45.46, 9.13
    scena["s"].save()
    scena["altra"].lat, scena["altra"].lon = 45.40, 9.17
    scena["altra"].save()
    c = client_di(operatore)
    testo = b"".join(c.get(reverse("segnalazioni:esporta_csv")).streaming_content).decode()
    righe = list(csv.reader(io.StringIO(testo.lstrip("\ufeff")), delimiter=";"))
    assert [r[0] for r in righe[1:]] == [str(scena["s"].pk)]
    geo = json.loads(b"".join(c.get(reverse("segnalazioni:esporta_geojson")).streaming_content))
    assert [f["id"] for f in geo["features"]] == [scena["s"].pk]
    assert geo["features"][0]["geometry"]["coordinates"] == [9.13, 45.46]
    r = c.get(reverse("segnalazioni:esporta_xlsx"))
    libro = load_workbook(io.BytesIO(b"".join(r.streaming_content)))
    valori = [row[0] for row in libro.active.iter_rows(min_row=2, values_only=True)]
    assert valori == [scena["s"].pk]


def test_esportazioni_senza_dati_personali_ne_codici(client_di, coordinatore, scena):
    s = scena["s"]
    s.nome_segnalante, s.lat, s.lon = "Giulia Segreta", 45.46, 9.13
    s.save()
    c = client_di(coordinatore)
    for nome in ("esporta_csv", "esporta_geojson"):
        contenuto = b"".join(c.get(reverse(f"segnalazioni:{nome}")).streaming_content).decode()
        assert "Giulia Segreta" not in contenuto and "cittadina@example.org" not in contenuto
        assert s.codice not in contenuto


def test_esportazione_filtrata_come_la_lista(client_di, coordinatore, scena, gratosoglio):
    c = client_di(coordinatore)
    testo = b"".join(
        c.get(reverse("segnalazioni:esporta_csv"), {"quartiere": gratosoglio.pk}).streaming_content
    ).decode()
    assert [r.split(";")[0] for r in testo.strip().splitlines()[1:]] == [str(scena["altra"].pk)]


def test_xlsx_in_streaming_con_i_valori_della_lista(
    client_di, coordinatore, san_siro, categoria, settings
):
    settings.LANGUAGE_CODE = "it"
    s = SegnalazioneFactory(
        quartiere=san_siro, categoria=categoria, oggetto="=HYPERLINK(1)", lat=45.5, lon=9.1
    )
    r = client_di(coordinatore).get(reverse("segnalazioni:esporta_xlsx"))
    assert r.streaming and r["Content-Type"].startswith("application/vnd.openxmlformats")
    assert r["Content-Disposition"].startswith('attachment; filename="segnalazioni-')
    foglio = load_workbook(io.BytesIO(b"".join(r.streaming_content))).active
    assert foglio.title == "Segnalazioni"
    assert foglio["A1"].value == "id" and foglio["O1"].value == "chiusa il"
    riga = {foglio.cell(1, c).value: foglio.cell(2, c) for c in range(1, 16)}
    assert riga["id"].value == s.pk and riga["latitudine"].value == 45.5
    assert riga["quartiere"].value == san_siro.nome
    # An inline string is never a formula: the subject stays as written.
    assert riga["oggetto"].value == "=HYPERLINK(1)" and riga["oggetto"].data_type == "s"


def test_csv_non_esegue_formule(client_di, coordinatore, san_siro, categoria):
    SegnalazioneFactory(quartiere=san_siro, categoria=categoria, oggetto="=HYPERLINK(1)")
    testo = b"".join(
        client_di(coordinatore).get(reverse("segnalazioni:esporta_csv")).streaming_content
    ).decode()
    assert "'=HYPERLINK(1)" in testo


def test_allegato_servito_con_intestazioni_sicure(client_di, operatore, scena):
    r = client_di(operatore).get(scena["a"].get_absolute_url() + "?scarica=1")
    assert r.status_code == 200
    assert r["X-Content-Type-Options"] == "nosniff"
    assert r["Content-Disposition"].startswith("attachment")
    assert r["Content-Type"] == "image/jpeg"
    # An attachment id with another report's id in the URL is not found.
    url = reverse("segnalazioni:allegato", args=[scena["s"].pk, scena["a_altra"].pk])
    assert client_di(operatore).get(url).status_code == 404


def test_pdf_allegato_sempre_scaricato(client_di, operatore, segnalazione_san_siro):
    from django.core.files.uploadedfile import SimpleUploadedFile

    a = gestione_allegati.crea_allegato(
        segnalazione_san_siro, SimpleUploadedFile("d.pdf", PDF_MINIMO)
    )
    r = client_di(operatore).get(a.get_absolute_url())
    assert (
        r["Content-Disposition"].startswith("attachment") and r["Content-Type"] == "application/pdf"
    )


def test_azioni_dalla_scheda(
    client_di, operatore, segnalazione_san_siro, django_capture_on_commit_callbacks
):
    s = segnalazione_san_siro
    c = client_di(operatore)
    dettaglio = reverse("segnalazioni:dettaglio", args=[s.pk])
    with django_capture_on_commit_callbacks(execute=True):
        r = c.post(
            reverse("segnalazioni:cambia_stato", args=[s.pk]),
            {"stato": "presa_in_carico", "versione_letta": 1},
        )
        assert r.status_code == 302 and r.url == dettaglio
        c.post(
            reverse("segnalazioni:assegna", args=[s.pk]),
            {"assegnata_a": operatore.pk, "versione_letta": 2},
        )
        c.post(reverse("segnalazioni:nota", args=[s.pk]), {"nota-testo": "Interna"})
        c.post(reverse("segnalazioni:risposta", args=[s.pk]), {"risposta-testo": "Pubblica"})
        c.post(
            reverse("segnalazioni:cambia_stato", args=[s.pk]),
            {"stato": "chiusa", "esito": "risolta"},
        )
    s.refresh_from_db()
    assert (s.stato, s.esito, s.assegnata_a) == (Stato.CHIUSA, Esito.RISOLTA, operatore)
    assert set(s.eventi.values_list("tipo", flat=True)) >= {
        "cambio_stato",
        "assegnazione",
        "nota_interna",
        "risposta_pubblica",
    }
    assert [m.to for m in mail.outbox] == [["cittadina@example.org"]]
    html = c.get(dettaglio).content.decode()
    assert "Interna" in html and "Pubblica" in html


def test_versione_superata_mostra_errore(client_di, operatore, segnalazione_san_siro):
    s = segnalazione_san_siro
    c = client_di(operatore)
    c.post(
        reverse("segnalazioni:cambia_stato", args=[s.pk]),
        {"stato": "presa_in_carico", "versione_letta": 1},
    )
    r = c.post(
        reverse("segnalazioni:cambia_stato", args=[s.pk]),
        {"stato": "chiusa", "esito": "risolta", "versione_letta": 1},
        follow=True,
    )
    assert "Qualcun altro" in r.content.decode()
    s.refresh_from_db()
    assert s.stato == Stato.PRESA_IN_CARICO


def test_transizione_non_ammessa_dalla_pagina(client_di, operatore, segnalazione_san_siro):
    s = segnalazione_san_siro
    r = client_di(operatore).post(
        reverse("segnalazioni:cambia_stato", args=[s.pk]), {"stato": "in_lavorazione"}, follow=True
    )
    assert r.status_code == 200
    s.refresh_from_db()
    assert s.stato == Stato.NUOVA


def test_segna_duplicato_dalla_pagina(
    client_di, operatore, segnalazione_san_siro, san_siro, categoria
):
    originale = SegnalazioneFactory(quartiere=san_siro, categoria=categoria)
    c = client_di(operatore)
    c.post(
        reverse("segnalazioni:duplicato", args=[segnalazione_san_siro.pk]),
        {"originale": originale.codice.lower()},
    )
    segnalazione_san_siro.refresh_from_db()
    assert segnalazione_san_siro.duplicato_di == originale
    assert segnalazione_san_siro.esito == Esito.DUPLICATA


def test_duplicato_di_codice_non_visibile(
    client_di, operatore, segnalazione_san_siro, segnalazione_gratosoglio
):
    r = client_di(operatore).post(
        reverse("segnalazioni:duplicato", args=[segnalazione_san_siro.pk]),
        {"originale": segnalazione_gratosoglio.codice},
        follow=True,
    )
    assert "Nessuna segnalazione con questo codice" in r.content.decode()
    segnalazione_san_siro.refresh_from_db()
    assert segnalazione_san_siro.duplicato_di is None


def test_azione_massiva(client_di, operatore, san_siro, gratosoglio, categoria):
    mie = [SegnalazioneFactory(quartiere=san_siro, categoria=categoria) for _ in range(3)]
    altrui = SegnalazioneFactory(quartiere=gratosoglio, categoria=categoria)
    c = client_di(operatore)
    url = reverse("segnalazioni:azione_massiva")
    r = c.post(
        url, {"selezionate": [s.pk for s in mie], "azione": "stato", "stato": "presa_in_carico"}
    )
    assert r.status_code == 302
    assert set(
        Segnalazione.objects.filter(pk__in=[s.pk for s in mie]).values_list("stato", flat=True)
    ) == {"presa_in_carico"}
    c.post(url, {"selezionate": [mie[0].pk], "azione": "assegna", "assegnata_a": operatore.pk})
    assert Segnalazione.objects.get(pk=mie[0].pk).assegnata_a == operatore
    # A report outside the operator's quartieri is not a valid choice: nothing happens.
    c.post(url, {"selezionate": [altrui.pk], "azione": "stato", "stato": "presa_in_carico"})
    altrui.refresh_from_db()
    assert altrui.stato == Stato.NUOVA
    assert client_di(None).post(url, {}).status_code == 302


def test_filtri_e_ricerca(client_di, coordinatore, san_siro, gratosoglio, categoria):
    a = SegnalazioneFactory(
        quartiere=san_siro,
        categoria=categoria,
        oggetto="Perdita d'acqua in città",
        canale="telefono",
    )
    b = SegnalazioneFactory(quartiere=gratosoglio, categoria=categoria, oggetto="Rumori notturni")
    Segnalazione.objects.filter(pk=b.pk).update(scadenza="2020-01-01")
    c = client_di(coordinatore)
    lista = reverse("segnalazioni:lista")

    def codici(**parametri):
        return {s.pk for s in c.get(lista, parametri).context["object_list"]}

    assert codici(q="CITTA") == {a.pk}
    assert codici(q="città acqua") == {a.pk}
    assert codici(canale="telefono") == {a.pk}
    assert codici(quartiere=gratosoglio.pk) == {b.pk}
    assert codici(scadute="on") == {b.pk}
    assert codici(stato="chiusa") == set()
    assert codici(dal="2000-01-01", al="2100-01-01") == {a.pk, b.pk}
    assert codici(ordina="scadenza") == {a.pk, b.pk}
    r = c.get(lista, {"dal": "non-una-data"})
    assert r.status_code == 200


def test_scaduta_evidenziata(client_di, coordinatore, segnalazione_san_siro):
    Segnalazione.objects.filter(pk=segnalazione_san_siro.pk).update(scadenza="2020-01-01")
    html = client_di(coordinatore).get(reverse("segnalazioni:lista")).content.decode()
    assert 'class="scaduta"' in html


def test_sportello_con_persona_nuova_e_ricevuta_pdf(client_di, operatore, dati_sportello):
    c = client_di(operatore)
    dati = {
        **dati_sportello,
        "nuova_nome": "Mario",
        "nuova_cognome": "Verdi",
        "nuova_email": "mario.verdi@example.org",
    }
    r = c.post(reverse("segnalazioni:sportello"), dati)
    assert r.status_code == 302
    s = Segnalazione.objects.get()
    assert s.canale == "sportello" and s.persona.nome_completo == "Mario Verdi"
    assert s.persona.consenso_privacy and s.eventi.get().autore == operatore
    r = c.post(reverse("segnalazioni:emetti_ricevuta", args=[s.pk]))
    assert r.status_code == 302
    pdf = c.get(r.url)
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    ricevuta = s.ricevute.get()
    assert ricevuta.dati["codice"] == s.codice and ricevuta.dati["cittadino"] == "Mario Verdi"
    # The receipt is a snapshot: a later edit does not rewrite it.
    Segnalazione.objects.filter(pk=s.pk).update(oggetto="Cambiato")
    ricevuta.refresh_from_db()
    assert ricevuta.dati["oggetto"] == "Ascensore fermo"


def test_testo_della_ricevuta_pdf(segnalazione_san_siro, operatore):
    import subprocess

    from segnalazioni import services

    ricevuta = services.emetti_ricevuta(segnalazione_san_siro, da=operatore)
    testo = subprocess.run(
        ["pdftotext", "-", "-"],
        input=services.pdf_ricevuta(ricevuta),
        capture_output=True,
        check=True,
    ).stdout.decode()
    assert segnalazione_san_siro.codice in testo and "Ricevuta di segnalazione" in testo


def test_sportello_avvisa_dei_doppioni_del_registro(
    client_di, operatore, san_siro, categoria, persona_factory
):
    esistente = persona_factory(
        nome="Mario", cognome="Verdi", email="mario.verdi@example.org", quartiere=san_siro
    )
    c = client_di(operatore)
    dati = {
        "canale": "telefono",
        "tipo": "problema",
        "categoria": categoria.pk,
        "quartiere": san_siro.pk,
        "oggetto": "Buca",
        "descrizione": "Buca profonda",
        "indirizzo": "Via Abbiati 1",
        "nuova_nome": "Mario",
        "nuova_cognome": "Verdi",
        "nuova_email": "MARIO.VERDI@example.org",
        "consenso_privacy": "on",
    }
    r = c.post(reverse("segnalazioni:sportello"), dati)
    assert r.status_code == 200 and r.context["form"].doppioni == [esistente]
    assert Segnalazione.objects.count() == 0
    r = c.post(reverse("segnalazioni:sportello"), {**dati, "conferma_non_doppione": "on"})
    assert r.status_code == 302
    # Or the operator chooses the existing person.
    r = c.post(
        reverse("segnalazioni:sportello") + f"?persona={esistente.pk}",
        {**dati, "persona": esistente.pk, "nuova_nome": "", "nuova_cognome": "", "nuova_email": ""},
    )
    assert r.status_code == 302
    assert Segnalazione.objects.filter(persona=esistente).count() == 1


def test_sportello_non_usa_persone_fuori_perimetro(
    client_di, operatore, gratosoglio, san_siro, categoria, persona_factory
):
    altrui = persona_factory(quartiere=gratosoglio)
    r = client_di(operatore).post(
        reverse("segnalazioni:sportello"),
        {
            "canale": "telefono",
            "tipo": "problema",
            "categoria": categoria.pk,
            "quartiere": gratosoglio.pk,
            "oggetto": "Buca",
            "descrizione": "Buca",
            "indirizzo": "Via X",
            "persona": altrui.pk,
            "consenso_privacy": "on",
        },
    )
    assert r.status_code == 200
    assert {"persona", "quartiere"} <= set(r.context["form"].errors)


def test_doppioni_json(client_di, operatore, segnalazione_san_siro, segnalazione_gratosoglio):
    r = client_di(operatore).get(
        reverse("segnalazioni:doppioni_json"),
        {
            "categoria": segnalazione_san_siro.categoria_id,
            "quartiere": segnalazione_san_siro.quartiere_id,
            "indirizzo": segnalazione_san_siro.indirizzo,
        },
    )
    codici = [x["codice"] for x in r.json()["risultati"]]
    assert codici == [segnalazione_san_siro.codice]


def test_email_fallita_visibile_e_reinviabile(
    client_di, operatore, segnalazione_san_siro, settings, django_capture_on_commit_callbacks
):
    from segnalazioni import services

    settings.EMAIL_BACKEND = "tests.segnalazioni.test_email.BackendRotto"
    with django_capture_on_commit_callbacks(execute=True):
        services.rispondi(segnalazione_san_siro, "Risposta", da=operatore)
    invio = InvioEmail.objects.get()
    assert invio.stato == InvioEmail.Stato.FALLITA
    c = client_di(operatore)
    html = c.get(segnalazione_san_siro.get_absolute_url()).content.decode()
    assert "Invia di nuovo" in html and "non riuscita" in html
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    with django_capture_on_commit_callbacks(execute=True):
        c.post(reverse("segnalazioni:reinvia_email", args=[segnalazione_san_siro.pk, invio.pk]))
    invio.refresh_from_db()
    assert invio.stato == InvioEmail.Stato.INVIATA and len(mail.outbox) == 1


# --- Query counts ------------------------------------------------------------------------------


def _popola(n, quartiere, categoria, operatore):
    for i in range(n):
        s = SegnalazioneFactory(
            quartiere=quartiere,
            categoria=categoria,
            lat=45.46,
            lon=9.13,
            assegnata_a=operatore if i % 2 else None,
        )
        Evento.objects.create(segnalazione=s, tipo="creazione")


def _conta(client, url):
    with CaptureQueriesContext(connection) as ctx:
        r = client.get(url)
        if hasattr(r, "streaming_content"):
            b"".join(r.streaming_content)
        else:
            r.content  # noqa: B018
    assert r.status_code == 200
    return len(ctx)


@pytest.mark.parametrize(
    "pagina", ["lista", "mappa", "esporta_csv", "esporta_xlsx", "esporta_geojson"]
)
@pytest.mark.parametrize("ruolo", ["operatore", "coordinatore"])
def test_numero_di_query_costante(pagina, ruolo, cast, client_di, san_siro, categoria):
    user = cast[ruolo]
    c = client_di(user)
    url = reverse(f"segnalazioni:{pagina}")
    _popola(5, san_siro, categoria, cast["operatore"])
    c.get(url)  # warm up session and caches
    cinque = _conta(c, url)
    _popola(45, san_siro, categoria, cast["operatore"])
    cinquanta = _conta(c, url)
    assert cinque == cinquanta


def test_numero_di_query_costante_nel_dettaglio(client_di, operatore, segnalazione_san_siro):
    c = client_di(operatore)
    s = segnalazione_san_siro
    url = s.get_absolute_url()
    for _ in range(5):
        Evento.objects.create(segnalazione=s, tipo="nota_interna", autore=operatore, testo="x")
        _allegato(s)
    c.get(url)
    cinque = _conta(c, url)
    for _ in range(45):
        Evento.objects.create(segnalazione=s, tipo="nota_interna", autore=operatore, testo="x")
    for _ in range(10):
        _allegato(s)
    assert _conta(c, url) == cinque


def test_numero_di_query_della_pagina_pubblica(client, segnalazione_san_siro, operatore):
    from segnalazioni import services

    s = segnalazione_san_siro
    url = s.get_tracking_url()
    for _ in range(5):
        services.rispondi(s, "x", da=operatore)
    cinque = _conta(client, url)
    for _ in range(45):
        services.rispondi(s, "x", da=operatore)
    assert _conta(client, url) == cinque


def test_modifica_con_blocco_ottimistico(
    client_di, operatore, coordinatore, segnalazione_san_siro, gratosoglio
):
    s = segnalazione_san_siro
    url = reverse("segnalazioni:modifica", args=[s.pk])
    dati = {
        "tipo": "reclamo",
        "categoria": s.categoria_id,
        "quartiere": s.quartiere_id,
        "oggetto": "Oggetto corretto",
        "descrizione": s.descrizione,
        "indirizzo": s.indirizzo,
        "lat": "",
        "lon": "",
        "versione_letta": s.versione,
    }
    assert client_di(operatore).get(url).status_code == 200
    r = client_di(coordinatore).post(url, {**dati, "oggetto": "Prima il coordinatore"})
    assert r.status_code == 302
    r = client_di(operatore).post(url, dati)
    assert r.status_code == 200 and "Qualcun altro" in r.content.decode()
    s.refresh_from_db()
    assert s.oggetto == "Prima il coordinatore"
    r = client_di(operatore).post(url, {**dati, "versione_letta": s.versione})
    assert r.status_code == 302
    s.refresh_from_db()
    assert (s.oggetto, s.tipo) == ("Oggetto corretto", "reclamo")
    assert s.eventi.filter(tipo="modifica").count() == 2
    # An operator cannot move it to a quartiere they do not work in.
    r = client_di(operatore).post(
        url, {**dati, "quartiere": gratosoglio.pk, "versione_letta": s.versione}
    )
    assert r.status_code == 200 and "quartiere" in r.context["form"].errors


def test_modifica_negata_a_dirigente_e_altri_quartieri(
    client_di, dirigente, operatore_gratosoglio, segnalazione_san_siro
):
    url = reverse("segnalazioni:modifica", args=[segnalazione_san_siro.pk])
    assert client_di(dirigente).get(url).status_code == 403
    assert client_di(operatore_gratosoglio).get(url).status_code == 404


@pytest.mark.parametrize(
    "ruolo", ["anonimo", "operatore", "mediatore", "coordinatore", "dirigente"]
)
def test_pagine_pubbliche_per_tutti(ruolo, cast, client_di, segnalazione_san_siro):
    c = client_di(cast[ruolo])
    assert c.get(reverse("segnalazioni:invia_passo", args=["dati"])).status_code == 200
    assert c.get(reverse("segnalazioni:cerca_codice")).status_code == 200
    assert c.get(segnalazione_san_siro.get_tracking_url()).status_code == 200
    assert c.get(reverse("segnalazioni:inviata")).status_code == 302  # nothing filed yet


def test_cronologia_del_dettaglio_con_etichette_date_e_autori(client_di, operatore, san_siro):
    """The timeline's labels, dates and authors are worked out in the view
    (docs/performance.md, 4.2): the same text as the models' get_*_display()."""
    from datetime import UTC, datetime

    s = SegnalazioneFactory(quartiere=san_siro)
    operatore.first_name, operatore.last_name = "Olga", "Operatrice"
    operatore.save()
    quando = datetime(2026, 1, 5, 23, 30, tzinfo=UTC)  # 6 January, 00:30 in Rome
    for tipo, stato_a, esito, autore in (
        ("cambio_stato", Stato.PRESA_IN_CARICO, "", operatore),
        ("cambio_stato", Stato.CHIUSA, Esito.NON_DI_COMPETENZA, operatore),
        ("nota_interna", "", "", None),
    ):
        Evento.objects.create(
            segnalazione=s, tipo=tipo, stato_a=stato_a, esito=esito, autore=autore, creato_il=quando
        )
    Evento.objects.filter(segnalazione=s).update(creato_il=quando)
    testo = client_di(operatore).get(s.get_absolute_url()).content.decode()
    cronologia = testo[testo.index('id="cronologia"') :]
    cronologia = cronologia[: cronologia.index("</ol>")]
    assert "<strong>06/01/2026 00:30</strong> · cambio di stato: presa in carico" in cronologia
    assert "cambio di stato: chiusa (non di competenza)" in cronologia
    assert cronologia.count("Olga Operatrice") == 2
    assert "cittadino o sistema" in cronologia


@pytest.mark.parametrize("pagina", ["lista", "dettaglio"])
def test_le_select_non_aprono_cursori_lato_server(
    pagina, client_di, coordinatore, operatore, san_siro, categoria
):
    """The selects of quartieri, categories and users are one ordinary query each, not a
    DECLARE/FETCH/CLOSE cursor (docs/performance.md, 4.1), and the forms still list them."""
    _popola(3, san_siro, categoria, operatore)
    s = Segnalazione.objects.first()
    url = reverse("segnalazioni:lista") if pagina == "lista" else s.get_absolute_url()
    c = client_di(coordinatore)
    c.get(url)
    with CaptureQueriesContext(connection) as ctx:
        testo = c.get(url).content.decode()
    assert not [q["sql"][:60] for q in ctx.captured_queries if "DECLARE" in q["sql"]]
    assert f'<option value="{operatore.pk}"' in testo
    if pagina == "lista":
        assert f'<option value="{san_siro.pk}">{san_siro.nome}</option>' in testo
        assert f'<option value="{categoria.pk}">{categoria.nome}</option>' in testo


def test_moduli_in_cache_per_utente_e_per_filtro(client_di, coordinatore, operatore, cast):
    """The worklist's forms are cached 30 s (docs/performance.md, 4.1): per user, so an
    operator never gets the choices of a coordinator, and per query string."""
    from quartiere.territorio.models import Quartiere

    altri = Quartiere.objects.exclude(pk__in=operatore.profilo.quartieri.all())
    assert altri.exists()
    url = reverse("segnalazioni:lista")
    testo_coordinatore = client_di(coordinatore).get(url).content.decode()
    assert all(f'<option value="{q.pk}">' in testo_coordinatore for q in altri)
    testo_operatore = client_di(operatore).get(url).content.decode()
    assert not any(f'<option value="{q.pk}">' in testo_operatore for q in altri)
    mio = operatore.profilo.quartieri.first()
    filtrato = client_di(operatore).get(url, {"quartiere": mio.pk}).content.decode()
    assert f'<option value="{mio.pk}" selected>' in filtrato


def test_modulo_di_assegnazione_segue_la_segnalazione(client_di, coordinatore, operatore, san_siro):
    s = SegnalazioneFactory(quartiere=san_siro)
    c = client_di(coordinatore)
    assert (
        f'<option value="{operatore.pk}" selected>'
        not in c.get(s.get_absolute_url()).content.decode()
    )
    r = c.post(
        reverse("segnalazioni:assegna", args=[s.pk]),
        {"assegnata_a": operatore.pk, "versione_letta": s.versione},
    )
    assert r.status_code == 302
    s.refresh_from_db()
    assert s.assegnata_a == operatore
    assert (
        f'<option value="{operatore.pk}" selected>' in c.get(s.get_absolute_url()).content.decode()
    )
