"""The notice as data: the version in force, immutability once published, the public pages."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from quartiere.privacy.models import Informativa
from tests.privacy.factories import pubblica

pytestmark = pytest.mark.django_db


def test_la_migrazione_semina_l_informativa_del_template(settings):
    iniziale = Informativa.objects.get(codice=settings.PRIVACY_NOTICE_VERSION)
    assert iniziale.pubblicata and iniziale.in_vigore_dal == datetime.date(2026, 1, 1)
    assert "## Titolare del trattamento" in iniziale.testo
    assert settings.COMUNE_NOME in iniziale.testo
    assert "art. 9, par. 2, lett. g" in iniziale.testo
    assert "## Data controller" in iniziale.testo_inglese


def test_versione_corrente_e_la_pubblicata_piu_recente_gia_in_vigore():
    assert Informativa.versione_corrente() == "2026-01"
    pubblica("2026-07", giorno=timezone.localdate() - datetime.timedelta(days=1))
    pubblica("2027-01", giorno=timezone.localdate() + datetime.timedelta(days=30))
    Informativa.objects.create(
        codice="bozza", titolo="B", testo="B", in_vigore_dal=timezone.localdate()
    )
    assert Informativa.versione_corrente() == "2026-07"
    assert Informativa.in_vigore().codice == "2026-07"


def test_senza_informative_pubblicate_vale_l_impostazione(settings, django_assert_num_queries):
    # The published seed cannot be deleted (trigger): a test database flush is the only
    # way to lose it, which we mimic with a raw TRUNCATE.
    from django.db import connection

    with connection.cursor() as c:
        c.execute("TRUNCATE quartiere_informativa")
    settings.PRIVACY_NOTICE_VERSION = "2025-09"
    with django_assert_num_queries(1):
        assert Informativa.versione_corrente() == "2025-09"


def test_il_database_rifiuta_di_modificare_una_versione_pubblicata():
    iniziale = Informativa.objects.get(codice="2026-01")
    for campo, valore in [
        ("testo", "Riscritto"),
        ("titolo", "Altro"),
        ("codice", "2026-99"),
        ("in_vigore_dal", timezone.localdate()),
        ("pubblicata", False),
        ("testo_inglese", "Rewritten"),
    ]:
        with pytest.raises(IntegrityError, match="pubblicata"), transaction.atomic():
            Informativa.objects.filter(pk=iniziale.pk).update(**{campo: valore})
    with pytest.raises(IntegrityError, match="pubblicata"), transaction.atomic():
        Informativa.objects.filter(pk=iniziale.pk).delete()
    iniziale.refresh_from_db()
    assert iniziale.pubblicata and "Titolare" in iniziale.testo


def test_una_bozza_si_modifica_si_pubblica_e_poi_si_blocca():
    bozza = Informativa.objects.create(
        codice="2026-12", titolo="B", testo="Prima", in_vigore_dal=timezone.localdate()
    )
    bozza.testo = "Seconda"
    bozza.save()
    bozza.pubblicata = True
    bozza.full_clean()
    bozza.save()
    bozza.testo = "Terza"
    with pytest.raises(ValidationError):
        bozza.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        bozza.save()
    assert list(bozza.history.values_list("testo", flat=True)) == ["Seconda", "Seconda", "Prima"]


def test_due_versioni_pubblicate_non_entrano_in_vigore_lo_stesso_giorno():
    pubblica("a", giorno=timezone.localdate() + datetime.timedelta(days=5))
    with pytest.raises(IntegrityError), transaction.atomic():
        pubblica("b", giorno=timezone.localdate() + datetime.timedelta(days=5))


@pytest.mark.parametrize(
    ("giorni", "errore"),
    [(-1, "passato"), (0, None), (10, None)],
)
def test_pubblicare_non_retrodata(giorni, errore):
    nuova = Informativa(
        codice="n",
        titolo="N",
        testo="N",
        in_vigore_dal=timezone.localdate() + datetime.timedelta(days=giorni),
        pubblicata=True,
    )
    if errore:
        with pytest.raises(ValidationError, match=errore):
            nuova.full_clean()
    else:
        nuova.full_clean()


def test_pubblicare_dopo_l_ultima_versione_pubblicata():
    pubblica("futura", giorno=timezone.localdate() + datetime.timedelta(days=20))
    nuova = Informativa(
        codice="prima",
        titolo="N",
        testo="N",
        in_vigore_dal=timezone.localdate() + datetime.timedelta(days=10),
        pubblicata=True,
    )
    with pytest.raises(ValidationError, match="successiva"):
        nuova.full_clean()


# --- Public pages ---------------------------------------------------------------------------


def test_la_pagina_mostra_la_versione_in_vigore_e_le_precedenti(client):
    pubblica("2026-11", testo="## Chi siamo\n\nIl nuovo testo.")
    html = client.get(reverse("quartiere:privacy")).content.decode()
    assert "Il nuovo testo." in html and "Titolare del trattamento" not in html
    oggi = timezone.localdate().strftime("%d/%m/%Y")
    assert f"Versione 2026-11, in vigore dal {oggi}." in html
    assert '<h2 id="sezione-chi-siamo" class="h4">Chi siamo</h2>' in html
    assert reverse("quartiere:privacy_versione", args=["2026-01"]) in html
    assert '<span aria-current="page"><strong>2026-11</strong></span>' in html


def test_la_versione_precedente_resta_leggibile(client):
    pubblica("2026-11", testo="Il nuovo testo.")
    url = reverse("quartiere:privacy_versione", args=["2026-01"])
    assert url == "/privacy/2026-01/"
    html = client.get(url).content.decode()
    assert "Versione 2026-01, in vigore dal 01/01/2026." in html
    assert "Titolare del trattamento" in html and "Il nuovo testo." not in html
    assert "non è più in vigore" in html
    assert f'href="{reverse("quartiere:privacy_versione", args=["2026-11"])}"' in html


def test_una_versione_futura_si_legge_ma_non_e_in_vigore(client):
    pubblica(
        "2027-01", testo="Testo futuro.", giorno=timezone.localdate() + datetime.timedelta(days=40)
    )
    assert "Testo futuro." not in client.get(reverse("quartiere:privacy")).content.decode()
    html = client.get(reverse("quartiere:privacy_versione", args=["2027-01"])).content.decode()
    assert "Testo futuro." in html and "entrerà in vigore" in html


def test_bozze_e_versioni_inesistenti_sono_404(client):
    Informativa.objects.create(
        codice="bozza-1", titolo="B", testo="Segreto", in_vigore_dal=timezone.localdate()
    )
    assert client.get("/privacy/bozza-1/").status_code == 404
    assert client.get("/privacy/non-esiste/").status_code == 404
    assert "bozza-1" not in client.get("/privacy/").content.decode()


def test_html_inserito_dall_amministrazione_resta_testo(client):
    pubblica(
        "xss",
        testo='## <script>alert("t")</script>\n\n<img src=x onerror=alert(1)> ciao',
        titolo="<svg onload=alert(2)>",
    )
    risposta = client.get(reverse("quartiere:privacy"))
    html = risposta.content.decode()
    assert "<script>alert" not in html and "<img src=x" not in html and "<svg onload" not in html
    assert "&lt;script&gt;alert(&quot;t&quot;)&lt;/script&gt;" in html
    assert "&lt;img src=x onerror=alert(1)&gt; ciao" in html
    assert "&lt;svg onload=alert(2)&gt;" in html


def test_in_inglese_la_traduzione_se_c_e(client):
    client.cookies["django_language"] = "en"
    html = client.get(reverse("quartiere:privacy"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Data controller" in html and "Titolare del trattamento" not in html
    assert "Courtesy translation" in html
    pubblica("solo-it", testo="Solo italiano.")
    html = client.get(reverse("quartiere:privacy"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Solo italiano." in html and "only in Italian" in html
    assert '<div class="testo-informativa" lang="it">' in html


def test_la_pagina_costa_due_query(client, django_assert_num_queries):
    for n in range(5):
        pubblica(f"v{n}", giorno=timezone.localdate() - datetime.timedelta(days=n + 1))
    with django_assert_num_queries(2):
        assert client.get(reverse("quartiere:privacy")).status_code == 200
