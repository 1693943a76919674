"""The assignment plan: targets per building and target group, and the progress the
assignments make against them (issue 18)."""

from __future__ import annotations

import datetime

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from abitare import services
from abitare.models import Obiettivo
from tests.abitare.factories import AlloggioFactory, ImmobileFactory, NucleoFactory

GIORNO = datetime.date(2026, 3, 2)


def _assegna(immobile, gruppo, fino_a):
    nucleo = NucleoFactory(quartiere=immobile.quartiere, gruppo_target=gruppo)
    a = services.pre_assegna(AlloggioFactory(immobile=immobile), nucleo, il=GIORNO)
    passi = {"pre": 0, "assegnata": 1, "abitata": 2, "uscita": 3}[fino_a]
    for passo in ("assegna", "ingresso", "uscita")[:passi]:
        a = services.avanza(a, passo, il=GIORNO)
    return a


@pytest.mark.django_db
def test_il_piano_e_il_suo_avanzamento(
    client_di, coordinatore, operatore_gratosoglio, san_siro, gratosoglio,
    django_assert_max_num_queries,
):  # fmt: skip
    borgo = ImmobileFactory(quartiere=san_siro, nome="Borgo Piano")
    Obiettivo.objects.create(immobile=borgo, gruppo_target="anziani", alloggi=4)
    Obiettivo.objects.create(immobile=borgo, gruppo_target="studenti", alloggi=2)
    for fino_a in ("pre", "assegnata", "abitata", "abitata", "uscita"):
        _assegna(borgo, "anziani", fino_a)
    _assegna(borgo, "giovani_coppie", "abitata")  # a group outside the plan
    lontano = ImmobileFactory(quartiere=gratosoglio, nome="Borgo Lontano")
    Obiettivo.objects.create(immobile=lontano, gruppo_target="anziani", alloggi=3)
    c = client_di(coordinatore)
    c.get(reverse("abitare:piano"))
    with django_assert_max_num_queries(10):
        pagina = c.get(reverse("abitare:piano"))
    piano = {i.nome: i for i in pagina.context["object_list"]}
    righe = {r["gruppo"]: r for r in piano["Borgo Piano"].righe_piano}
    assert righe["anziani"] == {
        "gruppo": "anziani",
        "obiettivo": 4,
        "pre": 1,
        "assegnati": 1,
        "entrati": 2,  # the household that left no longer counts
        "percentuale": 50,
    }
    assert righe["studenti"]["entrati"] == 0 and righe["studenti"]["percentuale"] == 0
    assert righe["giovani coppie"]["obiettivo"] is None
    assert "50%" in pagina.content.decode()
    # More buildings do not cost more queries.
    for n in range(12):
        altro = ImmobileFactory(quartiere=san_siro, nome=f"Borgo {n}")
        Obiettivo.objects.create(immobile=altro, gruppo_target="anziani", alloggi=1)
        _assegna(altro, "anziani", "abitata")
    with django_assert_max_num_queries(10):
        c.get(reverse("abitare:piano"))
    # An operator sees the buildings of their quartieri only.
    nomi = [
        i.nome
        for i in client_di(operatore_gratosoglio)
        .get(reverse("abitare:piano"))
        .context["object_list"]
    ]
    assert nomi == ["Borgo Lontano"]


@pytest.mark.django_db
def test_un_obiettivo_per_gruppo_e_almeno_un_alloggio(san_siro):
    borgo = ImmobileFactory(quartiere=san_siro)
    Obiettivo.objects.create(immobile=borgo, gruppo_target="anziani", alloggi=4)
    with pytest.raises(IntegrityError), transaction.atomic():
        Obiettivo.objects.create(immobile=borgo, gruppo_target="anziani", alloggi=2)
    with pytest.raises(IntegrityError), transaction.atomic():
        Obiettivo.objects.create(immobile=borgo, gruppo_target="studenti", alloggi=0)
