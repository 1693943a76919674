"""The public form's reference choices kept per process for a few seconds
(quartiere/scelte.py: SceltaMemorizzata, docs/performance.md 4.7)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from quartiere import scelte
from quartiere.models import Quartiere
from segnalazioni.forms import SegnalazionePubblicaForm, SegnalazioneSportelloForm
from segnalazioni.models import Categoria

pytestmark = pytest.mark.django_db


@pytest.fixture
def memo(settings, monkeypatch):
    settings.QUARTIERE_SCELTE_MEMO_SECONDI = 30
    adesso = [1000.0]
    monkeypatch.setattr(scelte.time, "monotonic", lambda: adesso[0])
    scelte.svuota_memo()
    yield adesso
    scelte.svuota_memo()


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
    assert all(chiave[1] != "987654" for chiave in scelte._MEMO)


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
    assert form.fields["quartiere"]._memo is None


def test_spento_con_zero_secondi(settings, categoria, san_siro):
    settings.QUARTIERE_SCELTE_MEMO_SECONDI = 0
    scelte.svuota_memo()
    for _ in range(2):
        assert len(_letture(_sql(SegnalazionePubblicaForm(_dati(categoria, san_siro))))) == 2
    assert scelte._MEMO == {}


def test_quartiere_eliminato_dopo_la_scadenza_non_si_accetta(memo, categoria):
    nuovo = Quartiere.objects.create(nome="Quartiere di prova", codice="PROVA")
    assert SegnalazionePubblicaForm(_dati(categoria, nuovo)).is_valid()
    dati = _dati(categoria, nuovo)
    nuovo.delete()
    memo[0] += 30
    assert not SegnalazionePubblicaForm(dati).is_valid()
