"""The reference data a process keeps for a few seconds (quartiere/lib/memo.py): the public
form's quartiere and category (SceltaMemorizzata) and the privacy notice in force
(docs/performance.md 4.7)."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from quartiere.lib import memo as memo_processo
from quartiere.lib import scelte
from quartiere.privacy.models import Informativa
from quartiere.territorio.models import Quartiere
from segnalazioni.forms import SegnalazionePubblicaForm, SegnalazioneSportelloForm
from segnalazioni.models import Categoria, Segnalazione
from tests.privacy.factories import pubblica
from tests.segnalazioni.passi import fino_al_riepilogo, gestione, invia_online, passo

pytestmark = pytest.mark.django_db


@pytest.fixture
def memo(settings, monkeypatch):
    settings.QUARTIERE_SCELTE_MEMO_SECONDI = 30
    adesso = [1000.0]
    monkeypatch.setattr(memo_processo.time, "monotonic", lambda: adesso[0])
    memo_processo.svuota()
    yield adesso
    memo_processo.svuota()


def _dati(categoria, quartiere):
    return {
        "tipo": "problema",
        "categoria": categoria.pk,
        "quartiere": quartiere.pk,
        "oggetto": "Lampione spento",
        "descrizione": "Da una settimana.",
        "indirizzo": "Via Abbiati 4",
        "consenso_privacy": "on",
    }


def _sql(form) -> list[str]:
    with CaptureQueriesContext(connection) as catturate:
        assert form.is_valid(), form.errors
    return [q["sql"] for q in catturate.captured_queries]


def _letture(sql: list[str]) -> list[str]:
    return [s for s in sql if "segnalazioni_categoria" in s or "quartiere_quartiere" in s]


def test_la_seconda_convalida_non_rilegge_categoria_e_quartiere(memo, categoria, san_siro):
    assert len(_letture(_sql(SegnalazionePubblicaForm(_dati(categoria, san_siro))))) == 2
    form = SegnalazionePubblicaForm(_dati(categoria, san_siro))
    assert _letture(_sql(form)) == []
    assert form.cleaned_data["categoria"] == categoria
    assert form.cleaned_data["quartiere"] == san_siro


def test_scaduto_il_tempo_la_categoria_disattivata_non_si_accetta_piu(memo, categoria, san_siro):
    assert SegnalazionePubblicaForm(_dati(categoria, san_siro)).is_valid()
    Categoria.objects.filter(pk=categoria.pk).update(attiva=False)
    memo[0] += 31
    form = SegnalazionePubblicaForm(_dati(categoria, san_siro))
    assert not form.is_valid() and "categoria" in form.errors


def test_una_riga_nuova_si_vede_subito(memo, categoria, san_siro):
    assert SegnalazionePubblicaForm(_dati(categoria, san_siro)).is_valid()
    nuova = Categoria.objects.create(
        codice="nuova", nome="Nuova", ufficio=categoria.ufficio, attiva=True
    )
    assert SegnalazionePubblicaForm(_dati(nuova, san_siro)).is_valid()


def test_una_scelta_sbagliata_non_entra_nel_memo(memo, categoria, san_siro):
    dati = {**_dati(categoria, san_siro), "quartiere": 987654}
    assert not SegnalazionePubblicaForm(dati).is_valid()
    assert all("987654" not in chiave for chiave in memo_processo._MEMO)


def test_sportello_non_usa_il_memo_del_modulo_pubblico(
    memo, categoria, san_siro, gratosoglio, operatore
):
    # The public form has validated Gratosoglio; the San Siro operator's desk form,
    # narrowed to their quartieri, must still refuse it.
    assert SegnalazionePubblicaForm(_dati(categoria, gratosoglio)).is_valid()
    form = SegnalazioneSportelloForm(
        {**_dati(categoria, gratosoglio), "canale": "sportello"}, user=operatore
    )
    assert not form.is_valid() and "quartiere" in form.errors
    assert isinstance(form.fields["quartiere"], scelte.SceltaMemorizzata)
    assert form.fields["quartiere"].memo_attivo is None
    assert SegnalazionePubblicaForm().fields["quartiere"].memo_attivo == "quartiere.tutti"


def test_spento_con_zero_secondi(settings, categoria, san_siro):
    settings.QUARTIERE_SCELTE_MEMO_SECONDI = 0
    memo_processo.svuota()
    for _ in range(2):
        assert len(_letture(_sql(SegnalazionePubblicaForm(_dati(categoria, san_siro))))) == 2
    assert memo_processo._MEMO == {}


def test_quartiere_eliminato_dopo_la_scadenza_non_si_accetta(memo, categoria):
    nuovo = Quartiere.objects.create(nome="Quartiere di prova", codice="PROVA")
    assert SegnalazionePubblicaForm(_dati(categoria, nuovo)).is_valid()
    dati = _dati(categoria, nuovo)
    nuovo.delete()
    memo[0] += 30
    assert not SegnalazionePubblicaForm(dati).is_valid()


# --- The privacy notice in force ------------------------------------------------------------


def test_versione_dell_informativa_letta_una_volta(memo, django_assert_num_queries):
    with django_assert_num_queries(1):
        assert Informativa.versione_corrente() == "2026-01"
    with django_assert_num_queries(0):
        assert Informativa.versione_corrente() == "2026-01"


def test_l_informativa_di_domani_vale_dal_primo_minuto(memo, monkeypatch):
    oggi = timezone.localdate()
    assert Informativa.versione_corrente() == "2026-01"
    pubblica("2027-01", giorno=oggi + datetime.timedelta(days=1))
    # Still within the memo's seconds, but a new day: a new key.
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: oggi + datetime.timedelta(days=1))
    assert Informativa.versione_corrente() == "2027-01"


def test_l_informativa_pubblicata_oggi_si_registra_entro_la_durata(memo):
    assert Informativa.versione_corrente() == "2026-01"
    pubblica("2026-12", giorno=timezone.localdate())
    memo[0] += 30
    assert Informativa.versione_corrente() == "2026-12"


def test_invio_pubblico_senza_query_di_riferimento(memo, client, categoria, san_siro):
    dati = {**_dati(categoria, san_siro), "nome_segnalante": "", "sito_web": ""}
    assert invia_online(client, {**dati, "consenso_privacy": "on"}).status_code == 302
    fino_al_riepilogo(client, {**dati, "consenso_privacy": "on"})
    with CaptureQueriesContext(connection) as catturate:
        assert client.post(passo("riepilogo"), gestione("riepilogo")).status_code == 302
    letture = [
        q["sql"]
        for q in catturate.captured_queries
        if q["sql"].startswith("SELECT") and "django_session" not in q["sql"]
    ]
    # Besides the steps' session, the only read is the rate limit's look at this address
    # (not reference data).
    assert len(letture) == 1 and "quartiere_limitefrequenza" in letture[0], letture
    assert Segnalazione.objects.filter(informativa_versione="2026-01").count() == 2
