"""Shared rules built with the tenants, versioned, with each household's adhesion; and the
self-management groups of condominium services with their turns (issue 18)."""

from __future__ import annotations

import datetime

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from abitare import services
from abitare.models import Adesione, GruppoAutogestione, Regolamento, Turno
from quartiere.lib.errori import ErroreDominio
from tests.abitare.factories import AlloggioFactory, ImmobileFactory, NucleoFactory
from tests.laboratori.factories import IncontroFactory, LaboratorioFactory

OGGI = timezone.localdate()


@pytest.fixture
def borgo(san_siro):
    return ImmobileFactory(quartiere=san_siro, nome="Borgo Regole")


def _abitante(borgo, nome):
    nucleo = NucleoFactory(quartiere=borgo.quartiere, nome=nome)
    a = services.pre_assegna(AlloggioFactory(immobile=borgo), nucleo, il=OGGI)
    services.avanza(services.avanza(a, "assegna", il=OGGI), "ingresso", il=OGGI)
    return nucleo


@pytest.mark.django_db
def test_la_versione_in_vigore_e_le_adesioni(client_di, operatore, borgo, san_siro):
    uno, due = _abitante(borgo, "Nucleo Uno"), _abitante(borgo, "Nucleo Due")
    incontro = IncontroFactory(laboratorio=LaboratorioFactory(quartiere=san_siro))
    v1 = Regolamento.objects.create(
        immobile=borgo,
        numero=1,
        testo="Silenzio dopo le 22.",
        in_vigore_dal=OGGI - datetime.timedelta(days=60),
        discusso_in="Assemblea di scala del 3 marzo",
    )
    v1.incontri.add(incontro)
    v2 = Regolamento.objects.create(
        immobile=borgo,
        numero=2,
        testo="Silenzio dopo le 22; biciclette in cortile.",
        in_vigore_dal=OGGI + datetime.timedelta(days=30),
    )
    Regolamento.objects.create(immobile=borgo, numero=3, testo="Bozza")
    assert services.regole_in_vigore(borgo, OGGI) == v1
    assert services.regole_in_vigore(borgo, OGGI + datetime.timedelta(days=30)) == v2
    op = client_di(operatore)
    risposta = op.post(reverse("abitare:aderisci", args=[uno.pk]), {"il": OGGI.isoformat()})
    assert risposta.status_code == 302
    assert Adesione.objects.get().regolamento == v1
    # Twice is refused, with a message; a household with no flat has no rules to adhere to.
    with pytest.raises(ErroreDominio, match="già aderito"):
        services.aderisci(uno, il=OGGI)
    with pytest.raises(ErroreDominio, match="non ha un alloggio"):
        services.aderisci(NucleoFactory(quartiere=san_siro), il=OGGI)
    pagina = op.get(borgo.get_absolute_url()).content.decode()
    assert "versione 1" in pagina and "vi hanno aderito: 1 su 2" in pagina
    regole = op.get(reverse("abitare:regole", args=[borgo.pk]))
    testo = regole.content.decode()
    assert "in vigore" in testo and "bozza" in testo and "Silenzio dopo le 22." in testo
    assert incontro.get_absolute_url() in testo and "Assemblea di scala" in testo
    assert "Ha aderito" in op.get(uno.get_absolute_url()).content.decode()
    assert "Ha aderito" not in op.get(due.get_absolute_url()).content.decode()


@pytest.mark.django_db
def test_gruppi_di_autogestione_e_turni(client_di, operatore, borgo):
    uno, due = _abitante(borgo, "Nucleo Verde"), _abitante(borgo, "Nucleo Scopa")
    gruppo = GruppoAutogestione.objects.create(
        immobile=borgo, servizio="verde", nome="Gruppo del cortile"
    )
    gruppo.nuclei.add(uno, due)
    Turno.objects.create(
        gruppo=gruppo,
        nucleo=uno,
        dal=OGGI - datetime.timedelta(days=20),
        al=OGGI - datetime.timedelta(days=14),
    )
    Turno.objects.create(gruppo=gruppo, nucleo=due, dal=OGGI, al=OGGI + datetime.timedelta(days=6))
    pagina = client_di(operatore).get(borgo.get_absolute_url()).content.decode()
    assert "Gruppo del cortile" in pagina and "cura del verde" in pagina
    prossimi = pagina[pagina.index("Prossimi turni") :][:300]
    assert "Nucleo Scopa" in prossimi and "Nucleo Verde" not in prossimi
    with pytest.raises(IntegrityError), transaction.atomic():
        Turno.objects.create(
            gruppo=gruppo, nucleo=uno, dal=OGGI, al=OGGI - datetime.timedelta(days=1)
        )


@pytest.mark.django_db
def test_una_versione_per_numero(borgo):
    Regolamento.objects.create(immobile=borgo, numero=1, testo="a")
    with pytest.raises(IntegrityError), transaction.atomic():
        Regolamento.objects.create(immobile=borgo, numero=1, testo="b")
    Regolamento.objects.create(immobile=ImmobileFactory(), numero=1, testo="c")
