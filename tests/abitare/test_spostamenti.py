"""Tenants' temporary moves during works (the Lorenteggio "piano di mobilità"): from the flat
under renovation to a free one and back, with the dates, so nobody is lost between two
addresses (issue 18)."""

from __future__ import annotations

import datetime
import threading

import pytest
from django.db import IntegrityError, connection, transaction
from django.urls import reverse

from abitare import services
from abitare.models import Alloggio, Spostamento
from quartiere.lib.errori import ErroreDominio
from tests.abitare.factories import AlloggioFactory, ImmobileFactory, NucleoFactory

GIORNO = datetime.date(2026, 3, 2)


@pytest.fixture
def borgo(san_siro):
    return ImmobileFactory(quartiere=san_siro, nome="Borgo Mobilità")


@pytest.fixture
def abitante(borgo, san_siro):
    """A household living in flat A-1."""
    nucleo = NucleoFactory(quartiere=san_siro, nome="Nucleo Trasloco")
    a = services.pre_assegna(AlloggioFactory(immobile=borgo, codice="A-1"), nucleo, il=GIORNO)
    services.avanza(services.avanza(a, "assegna", il=GIORNO), "ingresso", il=GIORNO)
    return nucleo


@pytest.mark.django_db
def test_dal_trasferimento_al_rientro(client_di, operatore, borgo, abitante):
    casa = abitante.assegnazioni.get().alloggio
    temporaneo = AlloggioFactory(immobile=borgo, codice="T-9")
    op = client_di(operatore)
    url = reverse("abitare:spostamento", args=[abitante.pk])
    pagina = op.get(url)
    assert pagina.context["form"]["da_alloggio"].value() == casa.pk
    assert list(pagina.context["form"].fields["a_alloggio"].queryset) == [temporaneo]
    risposta = op.post(
        url,
        {
            "da_alloggio": casa.pk,
            "a_alloggio": temporaneo.pk,
            "il": "2026-04-01",
            "rientro_previsto": "2026-03-01",
        },
    )
    assert risposta.status_code == 200 and risposta.context["form"].errors["rientro_previsto"]
    risposta = op.post(
        url,
        {
            "da_alloggio": casa.pk,
            "a_alloggio": temporaneo.pk,
            "il": "2026-04-01",
            "rientro_previsto": "2026-10-01",
        },
    )
    assert risposta.status_code == 302
    casa.refresh_from_db()
    temporaneo.refresh_from_db()
    assert (casa.stato, temporaneo.stato) == ("in_ristrutturazione", "occupato")
    # Where the household lives now, on its page, the building's and the pending list.
    scheda = op.get(abitante.get_absolute_url()).content.decode()
    assert "Abita temporaneamente" in scheda and "T-9" in scheda
    assert "ospita temporaneamente" in op.get(borgo.get_absolute_url()).content.decode()
    assert "Nucleo Trasloco" in op.get(reverse("abitare:in_attesa")).content.decode()
    spostamento = Spostamento.objects.get()
    # Back home: the return cannot precede the move.
    url = reverse("abitare:rientro", args=[spostamento.pk])
    op.post(url, {"il": "2026-03-31"})
    spostamento.refresh_from_db()
    assert spostamento.in_corso
    op.post(url, {"il": "2026-09-20"})
    spostamento.refresh_from_db()
    casa.refresh_from_db()
    temporaneo.refresh_from_db()
    assert spostamento.rientrato_il == datetime.date(2026, 9, 20)
    assert (casa.stato, temporaneo.stato) == ("occupato", "disponibile")
    assert spostamento.history.count() == 2
    assert "Nucleo Trasloco" not in op.get(reverse("abitare:in_attesa")).content.decode()
    # A second return is refused.
    with pytest.raises(ErroreDominio, match="già rientrato"):
        services.rientra(spostamento, il=datetime.date(2026, 9, 21))


@pytest.mark.django_db
def test_gli_spostamenti_rifiutati(borgo, abitante, san_siro):
    casa = abitante.assegnazioni.get().alloggio
    occupato = Alloggio.objects.get(pk=casa.pk)
    with pytest.raises(ErroreDominio, match="altro"):
        services.sposta(abitante, da=casa, a=casa, il=GIORNO)
    in_lavori = AlloggioFactory(immobile=borgo, stato="in_ristrutturazione")
    with pytest.raises(ErroreDominio, match="non è libero"):
        services.sposta(abitante, da=casa, a=in_lavori, il=GIORNO)
    # Another household's flat is not this household's to leave.
    altro = NucleoFactory(quartiere=san_siro)
    with pytest.raises(ErroreDominio, match="altro nucleo"):
        services.sposta(altro, da=occupato, a=AlloggioFactory(immobile=borgo), il=GIORNO)
    services.sposta(abitante, da=casa, a=AlloggioFactory(immobile=borgo), il=GIORNO)
    with pytest.raises(ErroreDominio, match="già uno spostamento"):
        services.sposta(abitante, da=casa, a=AlloggioFactory(immobile=borgo), il=GIORNO)


@pytest.mark.django_db
def test_il_database_tiene_le_regole(borgo, abitante, san_siro):
    casa = abitante.assegnazioni.get().alloggio
    temporaneo = AlloggioFactory(immobile=borgo)
    Spostamento.objects.create(
        nucleo=abitante, da_alloggio=casa, a_alloggio=temporaneo, uscita_il=GIORNO
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        Spostamento.objects.create(
            nucleo=abitante,
            da_alloggio=casa,
            a_alloggio=AlloggioFactory(immobile=borgo),
            uscita_il=GIORNO,
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        Spostamento.objects.create(
            nucleo=NucleoFactory(quartiere=san_siro), da_alloggio=AlloggioFactory(immobile=borgo),
            a_alloggio=temporaneo, uscita_il=GIORNO,
        )  # fmt: skip
    with pytest.raises(IntegrityError), transaction.atomic():
        Spostamento.objects.create(
            nucleo=NucleoFactory(quartiere=san_siro),
            da_alloggio=casa,
            a_alloggio=casa,
            uscita_il=GIORNO,
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        Spostamento.objects.create(
            nucleo=NucleoFactory(quartiere=san_siro), da_alloggio=AlloggioFactory(immobile=borgo),
            a_alloggio=AlloggioFactory(immobile=borgo), uscita_il=GIORNO,
            rientrato_il=GIORNO - datetime.timedelta(days=1),
        )  # fmt: skip


@pytest.mark.django_db(transaction=True)
def test_due_nuclei_nello_stesso_alloggio_temporaneo(san_siro):
    """Two operators move two households into the same free flat at once: one move."""
    borgo = ImmobileFactory(quartiere=san_siro)
    temporaneo = AlloggioFactory(immobile=borgo)
    coppie = [
        (NucleoFactory(quartiere=san_siro), AlloggioFactory(immobile=borgo)) for _ in range(2)
    ]
    partenza = threading.Barrier(2)
    esiti: list[str] = []

    def sposta(nucleo, casa):
        try:
            partenza.wait(timeout=10)
            services.sposta(nucleo, da=casa, a=temporaneo, il=GIORNO)
            esiti.append("ok")
        except ErroreDominio:
            esiti.append("rifiutato")
        except Exception as exc:  # noqa: BLE001 - reported by the assertion below
            esiti.append(repr(exc))
        finally:
            connection.close()

    fili = [threading.Thread(target=sposta, args=coppia) for coppia in coppie]
    for filo in fili:
        filo.start()
    for filo in fili:
        filo.join(timeout=30)
    assert sorted(esiti) == ["ok", "rifiutato"]
    assert Spostamento.objects.filter(a_alloggio=temporaneo).count() == 1
