"""Funded programmes (issue 19): axes, targets, funding steps and contracts, with the rules
in the database and the financial progress read in SQL from one place."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from quartiere.programmi.models import Affidamento, Finanziamento, Programma
from tests.factories import OrganizzazioneFactory

pytestmark = pytest.mark.django_db

G = datetime.date


def _programma(**campi) -> Programma:
    return Programma.objects.create(
        **{
            "codice": "p",
            "nome": "Programma",
            "finanziatore": "Regione",
            "strumento": "por_fse",
            "inizio": G(2025, 1, 1),
            "fine": G(2026, 12, 31),
            **campi,
        }
    )


def _soldi(programma, giorno, programmato, ammesso, impegnato, erogato):
    return Finanziamento.objects.create(
        programma=programma,
        data=giorno,
        programmato=Decimal(programmato),
        ammesso=Decimal(ammesso),
        impegnato=Decimal(impegnato),
        erogato=Decimal(erogato),
        atto="Determina",
    )


def test_avanzamento_finanziario_dall_ultimo_finanziamento(django_assert_num_queries):
    p = _programma()
    _soldi(p, G(2025, 1, 10), "1200", "1000", "0", "0")
    _soldi(p, G(2025, 6, 30), "1200", "1000", "500", "250")
    vuoto = _programma(codice="vuoto", nome="Senza soldi")
    with django_assert_num_queries(1):
        righe = {r.codice: r for r in Programma.objects.con_avanzamento()}
    r = righe["p"]
    assert (r.programmato, r.ammesso, r.impegnato, r.erogato) == (1200, 1000, 500, 250)
    assert (r.impegnato_percento, r.erogato_percento) == (Decimal("50"), Decimal("25"))
    # At an earlier date, the record of that date.
    prima = Programma.objects.con_avanzamento(al=G(2025, 3, 1)).get(pk=p.pk)
    assert (prima.impegnato, prima.impegnato_percento) == (0, Decimal("0"))
    # Nothing admitted yet: no percentage rather than a division by zero.
    v = righe[vuoto.codice]
    assert v.ammesso == 0 and v.impegnato_percento is None and v.erogato_percento is None


@pytest.mark.parametrize(
    "importi",
    [
        ("1000", "1000", "500", "600"),  # paid more than committed
        ("1000", "800", "900", "0"),  # committed more than admitted
        ("1000", "1000", "-1", "0"),
    ],
)
def test_importi_incoerenti_rifiutati_dal_database(importi):
    p = _programma()
    with pytest.raises(IntegrityError), transaction.atomic():
        _soldi(p, G(2025, 2, 1), *importi)


def test_un_finanziamento_per_data():
    p = _programma()
    _soldi(p, G(2025, 2, 1), "1", "1", "0", "0")
    with pytest.raises(IntegrityError):
        _soldi(p, G(2025, 2, 1), "2", "2", "0", "0")


def test_cup_e_date():
    p = _programma(cup="B29J16002670001")
    with pytest.raises(IntegrityError), transaction.atomic():
        _programma(codice="altro", cup="B29J16002670001")
    for sbagliato in ("b29j16002670001", "B29J1600267000", "12345678901234X"):
        with pytest.raises(ValidationError) as errore:
            Programma(**{**_campi(p), "codice": "x", "cup": sbagliato}).full_clean()
        assert "cup" in errore.value.message_dict
        with pytest.raises(IntegrityError), transaction.atomic():
            _programma(codice="x", cup=sbagliato)
    # Two programmes without a CUP are fine; an end before the start is not.
    _programma(codice="senza-1")
    _programma(codice="senza-2")
    with pytest.raises(IntegrityError), transaction.atomic():
        _programma(codice="rovescio", inizio=G(2026, 1, 1), fine=G(2025, 1, 1))


def _campi(p):
    return {
        f.name: getattr(p, f.name)
        for f in Programma._meta.concrete_fields
        if f.name not in ("id", "versione")
    }


def test_attivi_nel_giorno_e_nel_quartiere(san_siro, gratosoglio):
    p = _programma()
    p.quartieri.add(san_siro)
    assert list(Programma.objects.attivi_il(G(2025, 5, 1), san_siro)) == [p]
    assert not Programma.objects.attivi_il(G(2025, 5, 1), gratosoglio).exists()
    assert not Programma.objects.attivi_il(G(2027, 1, 1)).exists()
    assert list(Programma.objects.attivi_il(G(2026, 12, 31))) == [p]


def test_ogni_cambio_dei_soldi_resta_nella_storia():
    f = _soldi(_programma(), G(2025, 2, 1), "1000", "1000", "0", "0")
    f.impegnato = Decimal("400")
    f.save()
    assert list(f.history.order_by("history_date").values_list("impegnato", flat=True)) == [
        0,
        400,
    ]


def test_affidamento_con_ati_e_rinnovo():
    p = _programma()
    capofila, altra = OrganizzazioneFactory(), OrganizzazioneFactory()
    a = Affidamento.objects.create(
        programma=p,
        oggetto="Servizio",
        fornitore=capofila,
        importo=Decimal("828415.20"),
        inizio=G(2025, 1, 1),
        fine=G(2025, 12, 31),
    )
    a.membri.add(altra)
    a.rinnovi.create(inizio=G(2026, 1, 1), fine=G(2026, 6, 30), importo=Decimal("138069.20"))
    assert a.importo + sum(r.importo for r in a.rinnovi.all()) == Decimal("966484.40")
    with pytest.raises(IntegrityError), transaction.atomic():
        a.rinnovi.create(inizio=G(2026, 1, 1), fine=G(2025, 6, 30), importo=Decimal("1"))


def test_la_demo_ha_i_tre_programmi_dei_documenti():
    from quartiere.sviluppo.demo import popola

    popola()
    righe = {p.codice: p for p in Programma.objects.con_avanzamento()}
    assert set(righe) == {"latina-periferie", "lorenteggio-por-fse", "abitare-in-borgo"}
    latina = righe["latina-periferie"]
    assert latina.cup == "B29J16002670001" and latina.ammesso == Decimal("361620.00")
    lorenteggio = righe["lorenteggio-por-fse"]
    assert list(lorenteggio.assi.values_list("codice", flat=True)) == ["A", "B", "C", "D", "E"]
    contratto = lorenteggio.affidamenti.get()
    assert contratto.importo == Decimal("828415.20") and contratto.membri.count() == 4
    assert contratto.rinnovi.get().importo == Decimal("138069.20")
    assert righe["abitare-in-borgo"].programmato == Decimal("281250.00")
    popola()  # again: nothing doubles
    assert Programma.objects.count() == 3 and Affidamento.objects.count() == 1
