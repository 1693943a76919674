"""Indicators, demo data and the admin."""

from datetime import date, datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from quartiere.territorio.models import Quartiere
from segnalazioni import indicators
from segnalazioni.models import Canale, Categoria, ChiaveAPI, Segnalazione, Stato, Tipo
from tests.segnalazioni.factories import CategoriaFactory, SegnalazioneFactory

pytestmark = pytest.mark.django_db


def _alle(giorno: date) -> datetime:
    return timezone.make_aware(datetime.combine(giorno, datetime.min.time()).replace(hour=10))


def test_indicatori(san_siro, gratosoglio, categoria):
    altra = CategoriaFactory(codice="verde", nome="Verde")
    dal, al = date(2026, 3, 1), date(2026, 3, 31)
    # Received in March in San Siro: one closed on time in 2 days, one closed late, one open.
    a = SegnalazioneFactory(
        quartiere=san_siro, categoria=categoria, creata_il=_alle(date(2026, 3, 2))
    )
    b = SegnalazioneFactory(
        quartiere=san_siro,
        categoria=altra,
        creata_il=_alle(date(2026, 3, 3)),
        canale="telefono",
        tipo="reclamo",
    )
    SegnalazioneFactory(quartiere=san_siro, categoria=categoria, creata_il=_alle(date(2026, 3, 20)))
    Segnalazione.objects.filter(pk=a.pk).update(
        stato=Stato.CHIUSA, esito="risolta", chiusa_il=_alle(date(2026, 3, 4))
    )
    Segnalazione.objects.filter(pk=b.pk).update(
        stato=Stato.CHIUSA,
        esito="respinta",
        chiusa_il=_alle(date(2026, 3, 30)),
        scadenza=date(2026, 3, 10),
    )
    # Received in February, still open and overdue at the end of March.
    c = SegnalazioneFactory(
        quartiere=san_siro, categoria=categoria, creata_il=_alle(date(2026, 2, 1))
    )
    Segnalazione.objects.filter(pk=c.pk).update(scadenza=date(2026, 3, 1))
    # Another quartiere: not counted.
    SegnalazioneFactory(
        quartiere=gratosoglio, categoria=categoria, creata_il=_alle(date(2026, 3, 5))
    )

    with CaptureQueriesContext(connection) as ctx:
        r = indicators.calcola(dal, al, Quartiere.objects.filter(pk=san_siro.pk))
    assert len(ctx) == 2
    assert set(r) == {
        "ricevute",
        "chiuse",
        "per_stato",
        "per_tipo",
        "per_categoria",
        "per_canale",
        "chiuse_entro_termine",
        "tempo_medio_chiusura_giorni",
        "aperte_scadute",
    }
    assert r["ricevute"] == 3 and r["chiuse"] == 2
    assert r["per_stato"] == dict.fromkeys(Stato.values, 0) | {"chiusa": 2, "nuova": 1}
    assert r["per_tipo"] == dict.fromkeys(Tipo.values, 0) | {"problema": 2, "reclamo": 1}
    assert r["per_canale"] == dict.fromkeys(Canale.values, 0) | {"online": 2, "telefono": 1}
    assert r["per_categoria"] == {"illuminazione": 2, "verde": 1}
    assert r["chiuse_entro_termine"] == 1
    assert r["tempo_medio_chiusura_giorni"] == round((2 + 27) / 2, 1)
    assert r["aperte_scadute"] == 1
    vuoto = indicators.calcola(date(2000, 1, 1), date(2000, 1, 31), [san_siro])
    assert vuoto["tempo_medio_chiusura_giorni"] is None and vuoto["ricevute"] == 0
    assert vuoto["per_categoria"] == {"illuminazione": 0, "verde": 0}


def test_indicatori_numero_di_query_costante(san_siro, categoria):
    for _ in range(5):
        SegnalazioneFactory(quartiere=san_siro, categoria=categoria)
    oggi = timezone.localdate()
    with CaptureQueriesContext(connection) as ctx:
        indicators.calcola(oggi - timedelta(days=1), oggi, [san_siro])
    for _ in range(45):
        SegnalazioneFactory(quartiere=san_siro, categoria=categoria)
    with CaptureQueriesContext(connection) as ctx2:
        indicators.calcola(oggi - timedelta(days=1), oggi, [san_siro])
    assert len(ctx) == len(ctx2)


def test_demo_idempotente_e_deterministica(db):
    from quartiere.sviluppo import demo as demo_core
    from segnalazioni import demo

    demo_core.popola()
    demo.popola()
    n = Segnalazione.objects.count()
    assert n >= 300
    codici = set(Segnalazione.objects.values_list("codice", flat=True))
    demo.popola()
    assert Segnalazione.objects.count() == n
    assert set(Categoria.objects.values_list("codice", flat=True)) == {
        "strade-marciapiedi",
        "verde",
        "illuminazione",
        "rifiuti-decoro",
        "edifici-pubblici",
        "sicurezza-viabilita",
        "animali",
        "convivenza",
        "altro",
    }
    assert ChiaveAPI.objects.valida("demo-open311-key") is not None
    assert set(Segnalazione.objects.values_list("quartiere__codice", flat=True)) == {
        "san-siro",
        "lorenteggio",
        "gratosoglio",
        "ponte-lambro",
        "molise-calvairate",
        "mazzini",
    }
    assert set(Segnalazione.objects.values_list("stato", flat=True)) == set(Stato.values)
    assert set(Segnalazione.objects.values_list("canale", flat=True)) == set(Canale.values)
    # Closed reports respect the database constraint (outcome and date).
    assert not Segnalazione.objects.filter(stato="chiusa", chiusa_il=None).exists()
    assert Segnalazione.objects.cerca("lampione").exists()
    assert len(codici) == n


# --- Admin -------------------------------------------------------------------------------------


def test_admin_scoping_e_chiavi(client_di, coordinatore, amministratore, segnalazione_san_siro):
    c = client_di(coordinatore)
    assert c.get("/admin/segnalazioni/segnalazione/").status_code == 200
    assert (
        c.get(f"/admin/segnalazioni/segnalazione/{segnalazione_san_siro.pk}/change/").status_code
        == 200
    )
    assert c.get("/admin/segnalazioni/categoria/").status_code == 200
    r = c.post(
        "/admin/segnalazioni/chiaveapi/add/", {"nome": "App del quartiere", "note": ""}, follow=True
    )
    assert r.status_code == 200
    chiave = ChiaveAPI.objects.get(nome="App del quartiere")
    mostrata = [str(m) for m in r.context["messages"] if "Chiave rilasciata" in str(m)][0]
    testo = mostrata.split(": ")[1].split(" ")[0]
    assert ChiaveAPI.objects.valida(testo) == chiave
    assert testo not in chiave.impronta  # only the hash is stored
    r = c.post(
        "/admin/segnalazioni/chiaveapi/",
        {"action": "revoca", "_selected_action": [chiave.pk]},
        follow=True,
    )
    chiave.refresh_from_db()
    assert not chiave.attiva and chiave.revocata_il
    assert ChiaveAPI.objects.valida(testo) is None


def test_admin_chiavi_e_configurazione_negate_a_operatori_e_dirigenti(
    client_di, operatore, dirigente, segnalazione_san_siro
):
    for user in (operatore, dirigente):
        user.is_staff = True
        user.save()
        c = client_di(user)
        # They may read their scope (see below) but never issue keys or configure.
        assert c.get("/admin/segnalazioni/chiaveapi/").status_code == 403
        assert c.get("/admin/segnalazioni/chiaveapi/add/").status_code == 403
        assert c.get("/admin/segnalazioni/categoria/add/").status_code == 403
        r = c.get(f"/admin/segnalazioni/segnalazione/{segnalazione_san_siro.pk}/change/")
        assert r.status_code == 200
        assert not r.context["has_change_permission"] or user is operatore


def test_admin_operatore_staff_vede_solo_il_suo_quartiere(
    client_di, operatore, segnalazione_gratosoglio
):
    """Were an operator given admin access, the same scope would still apply."""
    from django.contrib.admin.sites import site
    from django.test import RequestFactory

    from segnalazioni.admin import SegnalazioneAdmin

    richiesta = RequestFactory().get("/")
    richiesta.user = operatore
    qs = SegnalazioneAdmin(Segnalazione, site).get_queryset(richiesta)
    assert segnalazione_gratosoglio not in qs
