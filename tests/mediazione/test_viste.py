"""The staff pages at work: opening (also from a segnalazione), parties, activities,
the agreement, closing and reopening, the optimistic lock; query counts of the lists."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from mediazione import services
from mediazione.models import Dossier, Fase
from tests import factories as core
from tests.mediazione.factories import DossierFactory

pytestmark = pytest.mark.django_db

OGGI = timezone.localdate()


def test_il_mediatore_apre_un_dossier(client_di, mediatore, san_siro):
    risposta = client_di(mediatore).post(
        reverse("mediazione:nuovo"),
        {
            "quartiere": san_siro.pk,
            "tipo_conflitto": "animali",
            "canale_arrivo": "accesso_diretto",
            "aperto_il": OGGI.isoformat(),
            "descrizione": "Cane che abbaia",
        },
    )
    d = Dossier.objects.get()
    assert risposta.status_code == 302 and risposta["Location"] == d.get_absolute_url()
    assert d.numero == f"MED-{OGGI.year}-0001"
    assert list(d.mediatori.all()) == [mediatore]


def test_apri_da_una_segnalazione_tiene_il_collegamento(
    client_di, coordinatore, mediatore, san_siro
):
    from tests.segnalazioni.factories import SegnalazioneFactory

    segnalazione = SegnalazioneFactory(quartiere=san_siro)
    url = reverse("mediazione:da_segnalazione", args=[segnalazione.pk])
    c = client_di(coordinatore)
    pagina = c.get(url)
    assert pagina.status_code == 200
    assert segnalazione.codice in pagina.content.decode()
    risposta = c.post(
        url,
        {
            "quartiere": san_siro.pk,
            "tipo_conflitto": "rumori",
            "canale_arrivo": "segnalazione",
            "aperto_il": OGGI.isoformat(),
            "mediatori": [mediatore.pk],
        },
    )
    assert risposta.status_code == 302
    d = Dossier.objects.get()
    assert d.segnalazione == segnalazione
    assert list(segnalazione.dossier_mediazione.all()) == [d]


def test_il_mediatore_apre_da_una_segnalazione_vedendone_solo_il_codice(
    client_di, mediatore, gratosoglio
):
    from tests.segnalazioni.factories import SegnalazioneFactory

    segnalazione = SegnalazioneFactory(quartiere=gratosoglio)
    url = reverse("mediazione:da_segnalazione", args=[segnalazione.pk])
    c = client_di(mediatore)
    pagina = c.get(url)
    assert pagina.status_code == 200
    assert segnalazione.codice in pagina.content.decode()
    assert segnalazione.oggetto not in pagina.content.decode()
    risposta = c.post(
        url,
        {
            "quartiere": gratosoglio.pk,
            "tipo_conflitto": "rumori",
            "canale_arrivo": "segnalazione",
            "aperto_il": OGGI.isoformat(),
            "mediatori": [mediatore.pk],
        },
    )
    assert risposta.status_code == 302
    assert Dossier.objects.get().segnalazione == segnalazione


@pytest.mark.parametrize("ruolo", ["operatore", "dirigente", "amministratore"])
def test_apri_da_segnalazione_rispetta_lo_scope_delle_segnalazioni(
    ruolo, cast, client_di, gratosoglio
):
    """Roles that cannot open dossiers find no report here."""
    from tests.segnalazioni.factories import SegnalazioneFactory

    segnalazione = SegnalazioneFactory(quartiere=gratosoglio)
    risposta = client_di(cast[ruolo]).get(
        reverse("mediazione:da_segnalazione", args=[segnalazione.pk])
    )
    assert risposta.status_code == 404
    assert segnalazione.oggetto not in risposta.content.decode()


def test_aggiungere_una_parte_con_consenso(client_di, mediatore, dossier, san_siro):
    persona = core.PersonaFactory(quartiere=san_siro)
    risposta = client_di(mediatore).post(
        reverse("mediazione:parte_nuova", args=[dossier.pk]),
        {"persona": persona.pk, "ruolo": "altro", "consenso_mediazione": "on"},
    )
    assert risposta.status_code == 302
    parte = dossier.parti.get(persona=persona)
    assert parte.consenso_mediazione and parte.consenso_data == OGGI


def test_la_scelta_della_persona_passa_da_una_ricerca(client_di, mediatore, dossier, san_siro):
    cercata = core.PersonaFactory(nome="Ottavia", cognome="Introvabile", quartiere=san_siro)
    altra = core.PersonaFactory(nome="Mario", cognome="Qualunque", quartiere=san_siro)
    url = reverse("mediazione:parte_nuova", args=[dossier.pk])
    c = client_di(mediatore)
    senza = c.get(url).content.decode()
    assert f'value="{cercata.pk}"' not in senza and f'value="{altra.pk}"' not in senza
    con = c.get(url, {"cerca": "introvabile"}).content.decode()
    assert f'value="{cercata.pk}"' in con and f'value="{altra.pk}"' not in con


def test_la_ricerca_rispetta_lo_scope_del_registro(client_di, mediatore, dossier):
    risposta = client_di(mediatore).post(
        reverse("mediazione:parte_nuova", args=[dossier.pk]), {"persona": "x1", "ruolo": "altro"}
    )
    assert risposta.status_code == 200
    assert dossier.parti.count() == 2


def test_la_stessa_persona_non_e_due_volte_parte(client_di, mediatore, dossier):
    persona = dossier.parti.first().persona
    risposta = client_di(mediatore).post(
        reverse("mediazione:parte_nuova", args=[dossier.pk]),
        {"persona": persona.pk, "ruolo": "altro"},
    )
    assert risposta.status_code == 200
    assert "già una parte" in risposta.content.decode()


def test_la_nota_riservata_si_vede_con_l_avviso(client_di, mediatore, dossier):
    corpo = client_di(mediatore).get(dossier.get_absolute_url()).content.decode()
    assert (
        "Da non condividere con l&#x27;altra parte" in corpo
        or "Da non condividere con l'altra parte" in corpo
    )
    assert "depressione" in corpo


def test_partecipanti_di_un_altro_dossier_rifiutati(client_di, mediatore, dossier, san_siro):
    altro = DossierFactory(creato_da=mediatore, quartiere=san_siro)
    estranea = services.aggiungi_parte(
        altro, da=mediatore, persona=core.PersonaFactory(), ruolo="richiedente"
    )
    risposta = client_di(mediatore).post(
        reverse("mediazione:attivita_nuova", args=[dossier.pk]),
        {"tipo": "telefonata", "data": OGGI.isoformat(), "partecipanti": [estranea.pk]},
    )
    assert risposta.status_code == 200
    assert not dossier.attivita.filter(tipo="telefonata").exists()


def test_modifica_concorrente_rifiutata(client_di, mediatore, coordinatore, dossier):
    url = reverse("mediazione:modifica", args=[dossier.pk])
    dati = {
        "quartiere": dossier.quartiere_id,
        "tipo_conflitto": "condominiale",
        "canale_arrivo": dossier.canale_arrivo,
        "descrizione": "Prima versione",
        "mediatori": [mediatore.pk],
        "versione_letta": dossier.versione,
    }
    assert client_di(coordinatore).post(url, dati).status_code == 302
    risposta = client_di(mediatore).post(url, {**dati, "descrizione": "Seconda versione"})
    assert risposta.status_code == 200
    dossier.refresh_from_db()
    assert dossier.descrizione == "Prima versione"


def test_accordo_chiusura_e_riapertura_dalle_pagine(client_di, mediatore, coordinatore, dossier):
    c = client_di(mediatore)
    parti = list(dossier.parti.values_list("pk", flat=True))
    dossier.accordo.delete()
    risposta = c.post(
        reverse("mediazione:accordo", args=[dossier.pk]),
        {
            "testo": "Orari di silenzio concordati",
            "data": OGGI.isoformat(),
            "parti_aderenti": parti,
            "data_verifica": (OGGI + datetime.timedelta(days=5)).isoformat(),
        },
    )
    assert risposta.status_code == 302
    dossier.refresh_from_db()
    assert dossier.fase == Fase.ACCORDO
    assert set(dossier.accordo.parti_aderenti.values_list("pk", flat=True)) == set(parti)
    assert dossier.numero in c.get(reverse("mediazione:verifiche")).content.decode()

    senza_esito = c.post(reverse("mediazione:chiudi", args=[dossier.pk]), {"esito": ""})
    assert senza_esito.status_code == 200
    assert (
        c.post(
            reverse("mediazione:chiudi", args=[dossier.pk]), {"esito": "accordo_raggiunto"}
        ).status_code
        == 302
    )
    dossier.refresh_from_db()
    assert dossier.chiuso and dossier.esito == "accordo_raggiunto"
    assert dossier.numero not in c.get(reverse("mediazione:verifiche")).content.decode()

    assert (
        c.post(reverse("mediazione:riapri", args=[dossier.pk]), {"motivo": "x"}).status_code == 403
    )
    r = client_di(coordinatore).post(
        reverse("mediazione:riapri", args=[dossier.pk]), {"motivo": "nuovo episodio"}
    )
    assert r.status_code == 302
    dossier.refresh_from_db()
    assert dossier.fase == Fase.ACCORDO and not dossier.esito


def test_un_dossier_chiuso_non_si_modifica(client_di, mediatore, dossier):
    services.chiudi(dossier, esito="nessun_accordo", da=mediatore)
    c = client_di(mediatore)
    risposta = c.post(
        reverse("mediazione:attivita_nuova", args=[dossier.pk]),
        {"tipo": "telefonata", "data": OGGI.isoformat()},
    )
    assert risposta.status_code == 302
    assert not dossier.attivita.filter(tipo="telefonata").exists()


def test_il_csv_contiene_le_parti_e_neutralizza_le_formule(client_di, mediatore, dossier):
    parte = dossier.parti.first()
    parte.persona.cognome = "=HYPERLINK(1)"
    parte.persona.save()
    risposta = client_di(mediatore).get(reverse("mediazione:esporta"))
    testo = risposta.content.decode()
    assert dossier.numero in testo
    assert "=HYPERLINK" not in testo.replace("'=HYPERLINK", "")
    assert risposta["Content-Disposition"].startswith("attachment;")


@pytest.mark.parametrize("url_name", ["mediazione:lista", "mediazione:verifiche"])
def test_query_costanti_nelle_liste(
    url_name, client_di, coordinatore, mediatore, altro_mediatore, quartieri
):
    def crea(n):
        for i in range(n):
            d = DossierFactory(
                creato_da=mediatore,
                mediatori=[mediatore, altro_mediatore],
                quartiere=list(quartieri.values())[i % 4],
                aperto_il=OGGI - datetime.timedelta(days=20),
            )
            from mediazione.models import Accordo

            Accordo.objects.create(dossier=d, testo="t", data=OGGI, data_verifica=OGGI)

    def conta():
        c = client_di(coordinatore)
        c.get(reverse(url_name))  # warm the session and the per-user caches
        with CaptureQueriesContext(connection) as q:
            assert c.get(reverse(url_name)).status_code == 200
        return len(q)

    crea(5)
    con_5 = conta()
    crea(45)
    assert conta() == con_5


def test_una_parte_di_un_altro_dossier_non_esiste_qui(
    client_di, coordinatore, dossier, dossier_altrui
):
    estranea = services.aggiungi_parte(
        dossier_altrui, da=coordinatore, persona=core.PersonaFactory(), ruolo="richiedente"
    )
    url = reverse("mediazione:parte_modifica", args=[dossier.pk, estranea.pk])
    assert client_di(coordinatore).get(url).status_code == 404


def test_query_costanti_nella_scheda(client_di, mediatore, dossier):
    def conta():
        c = client_di(mediatore)
        c.get(dossier.get_absolute_url())
        with CaptureQueriesContext(connection) as q:
            assert c.get(dossier.get_absolute_url()).status_code == 200
        return len(q)

    prima = conta()
    parti = list(dossier.parti.all())
    for _ in range(15):
        services.registra_attivita(
            dossier, da=mediatore, tipo="telefonata", data=OGGI, partecipanti=parti, note="n"
        )
        services.aggiungi_parte(dossier, da=mediatore, persona=core.PersonaFactory(), ruolo="altro")
    assert conta() == prima
