"""Assignments of renovated flats: the steps, their dates, and the rules the database keeps
(one current assignment per flat and per household, whatever path writes)."""

from __future__ import annotations

import datetime
import threading

import pytest
from django.db import IntegrityError, connection, transaction
from django.urls import reverse

from abitare import services
from abitare.models import Alloggio, Assegnazione, Componente
from quartiere.lib.errori import ErroreDominio
from tests.abitare.factories import AlloggioFactory, ImmobileFactory, NucleoFactory
from tests.factories import PersonaFactory

GIORNO = datetime.date(2026, 3, 2)


@pytest.fixture
def borgo(san_siro):
    return ImmobileFactory(quartiere=san_siro, nome="Borgo Lorenteggio")


@pytest.mark.django_db
def test_dalla_pre_assegnazione_all_uscita(borgo, san_siro):
    alloggio = AlloggioFactory(immobile=borgo)
    nucleo = NucleoFactory(quartiere=san_siro)
    a = services.pre_assegna(alloggio, nucleo, il=GIORNO)
    alloggio.refresh_from_db()
    assert (a.stato, alloggio.stato) == ("pre_assegnata", "pre_assegnato")
    for passo, stato, stato_alloggio in (
        ("assegna", "assegnata", "assegnato"),
        ("ingresso", "abitata", "occupato"),
        ("uscita", "conclusa", "sfitto"),
    ):
        a = services.avanza(a, passo, il=GIORNO + datetime.timedelta(days=10))
        alloggio.refresh_from_db()
        assert (a.stato, alloggio.stato) == (stato, stato_alloggio)
    # Every step left a dated history row.
    assert a.history.count() == 4 and alloggio.history.count() >= 4
    # The flat is free again for another household.
    altro = NucleoFactory(quartiere=san_siro)
    assert services.pre_assegna(alloggio, altro, il=GIORNO + datetime.timedelta(days=30))


@pytest.mark.django_db
def test_i_passi_rifiutati(borgo, san_siro):
    alloggio = AlloggioFactory(immobile=borgo)
    nucleo = NucleoFactory(quartiere=san_siro)
    a = services.pre_assegna(alloggio, nucleo, il=GIORNO)
    with pytest.raises(ErroreDominio, match="non è libero"):
        services.pre_assegna(alloggio, NucleoFactory(quartiere=san_siro), il=GIORNO)
    with pytest.raises(ErroreDominio, match="già un'assegnazione"):
        services.pre_assegna(AlloggioFactory(immobile=borgo), nucleo, il=GIORNO)
    with pytest.raises(ErroreDominio, match="non può passare"):
        services.avanza(a, "ingresso", il=GIORNO)
    with pytest.raises(ErroreDominio, match="precedere"):
        services.avanza(a, "assegna", il=GIORNO - datetime.timedelta(days=1))
    in_ristrutturazione = AlloggioFactory(immobile=borgo, stato=Alloggio.Stato.IN_RISTRUTTURAZIONE)
    with pytest.raises(ErroreDominio, match="non è libero"):
        services.pre_assegna(in_ristrutturazione, NucleoFactory(quartiere=san_siro), il=GIORNO)
    services.annulla(a)
    alloggio.refresh_from_db()
    assert alloggio.stato == "disponibile"


@pytest.mark.django_db
def test_il_database_tiene_le_regole(borgo, san_siro):
    """Whatever path writes (the admin, an import, SQL), not the services alone."""
    alloggio = AlloggioFactory(immobile=borgo)
    uno, due = NucleoFactory(quartiere=san_siro), NucleoFactory(quartiere=san_siro)
    Assegnazione.objects.create(alloggio=alloggio, nucleo=uno, pre_assegnata_il=GIORNO)
    with pytest.raises(IntegrityError), transaction.atomic():
        Assegnazione.objects.create(alloggio=alloggio, nucleo=due, pre_assegnata_il=GIORNO)
    with pytest.raises(IntegrityError), transaction.atomic():
        Assegnazione.objects.create(
            alloggio=AlloggioFactory(immobile=borgo), nucleo=uno, pre_assegnata_il=GIORNO
        )
    # A step without its date, or dates out of order.
    for campi in (
        {"stato": "assegnata"},
        {"stato": "abitata", "assegnata_il": GIORNO},
        {"assegnata_il": GIORNO - datetime.timedelta(days=1)},
    ):
        with pytest.raises(IntegrityError), transaction.atomic():
            Assegnazione.objects.create(
                alloggio=AlloggioFactory(immobile=borgo),
                nucleo=NucleoFactory(quartiere=san_siro),
                pre_assegnata_il=GIORNO,
                **campi,
            )
    # A person in one household; one holder per household.
    persona = PersonaFactory(quartiere=san_siro)
    Componente.objects.create(nucleo=uno, persona=persona, intestatario=True)
    with pytest.raises(IntegrityError), transaction.atomic():
        Componente.objects.create(nucleo=due, persona=persona)
    with pytest.raises(IntegrityError), transaction.atomic():
        Componente.objects.create(
            nucleo=uno, persona=PersonaFactory(quartiere=san_siro), intestatario=True
        )
    # A past assignment does not block a new one.
    Assegnazione.objects.filter(alloggio=alloggio).update(stato="annullata")
    Assegnazione.objects.create(alloggio=alloggio, nucleo=due, pre_assegnata_il=GIORNO)


@pytest.mark.django_db(transaction=True)
def test_due_operatori_pre_assegnano_lo_stesso_alloggio(san_siro):
    """Two operators, two connections, the same flat at the same moment: one assignment."""
    borgo = ImmobileFactory(quartiere=san_siro)
    alloggio = AlloggioFactory(immobile=borgo)
    nuclei = [NucleoFactory(quartiere=san_siro), NucleoFactory(quartiere=san_siro)]
    partenza = threading.Barrier(2)
    esiti: list[str] = []

    def pre_assegna(nucleo):
        try:
            partenza.wait(timeout=10)
            services.pre_assegna(alloggio, nucleo, il=GIORNO)
            esiti.append("ok")
        except ErroreDominio:
            esiti.append("rifiutata")
        except Exception as exc:  # noqa: BLE001 - reported by the assertion below
            esiti.append(repr(exc))
        finally:
            connection.close()

    fili = [threading.Thread(target=pre_assegna, args=(n,)) for n in nuclei]
    for filo in fili:
        filo.start()
    for filo in fili:
        filo.join(timeout=30)
    assert sorted(esiti) == ["ok", "rifiutata"]
    assert Assegnazione.objects.filter(alloggio=alloggio).count() == 1


@pytest.mark.django_db
def test_dalla_pagina_dell_immobile_alla_scheda_del_nucleo(
    client_di, operatore, borgo, san_siro, gratosoglio
):
    op = client_di(operatore)
    alloggio = AlloggioFactory(immobile=borgo, codice="B-2-7", scala="B", piano=2)
    nucleo = NucleoFactory(quartiere=san_siro, nome="Nucleo Esposito")
    pagina = op.get(borgo.get_absolute_url()).content.decode()
    assert "Scala B" in pagina and "B-2-7" in pagina
    risposta = op.post(
        reverse("abitare:pre_assegna", args=[borgo.pk]),
        {"alloggio": alloggio.pk, "nucleo": nucleo.pk, "il": "2026-03-02", "note": ""},
    )
    assert risposta.status_code == 302
    assegnazione = Assegnazione.objects.get()
    assert "Nucleo Esposito" in op.get(borgo.get_absolute_url()).content.decode()
    for passo in ("assegna", "ingresso"):
        op.post(reverse("abitare:avanza", args=[assegnazione.pk, passo]), {"il": "2026-04-01"})
    assegnazione.refresh_from_db()
    assert assegnazione.stato == "abitata" and assegnazione.ingresso_il == datetime.date(2026, 4, 1)
    scheda = op.get(nucleo.get_absolute_url()).content.decode()
    assert "B-2-7" in scheda and "Registra l&#x27;uscita" in scheda
    # A household outside the operator's quartieri is not there for them.
    lontano = NucleoFactory(quartiere=gratosoglio)
    assert op.get(lontano.get_absolute_url()).status_code == 404
    assert op.get(ImmobileFactory(quartiere=gratosoglio).get_absolute_url()).status_code == 404


@pytest.mark.django_db
def test_l_esportazione_dei_dati_e_la_conservazione_conoscono_i_nuclei(borgo, san_siro):
    """A member's household is in their access export (art. 15), and keeps them active
    for retention while the household holds a flat."""
    from quartiere.privacy import accesso_dati
    from quartiere.privacy.conservazione import _persone, soglia

    persona = PersonaFactory(quartiere=san_siro, cognome="Abitanti")
    nucleo = NucleoFactory(quartiere=san_siro, nome="Nucleo Abitanti")
    Componente.objects.create(nucleo=nucleo, persona=persona, intestatario=True)
    services.pre_assegna(AlloggioFactory(immobile=borgo, codice="C-1"), nucleo, il=GIORNO)
    from quartiere.registro.models import Persona

    Persona.objects.filter(pk=persona.pk).update(
        modificata_il=persona.modificata_il - datetime.timedelta(days=365 * 20)
    )
    assert persona not in _persone(soglia(10))
    voci = {
        v.chiave: v.valore
        for v in accesso_dati.SERIALIZZATORI["abitare.Componente"].serializza(
            persona.nuclei_abitare.get()
        )
    }
    assert voci["nucleo"] == "Nucleo Abitanti"
    assert voci["assegnazioni"][0]["alloggio"] == "C-1"


@pytest.mark.django_db
def test_gli_spazi_sulla_pagina_pubblica_e_nessun_dato_dei_nuclei(client, borgo, san_siro):
    from abitare.models import Spazio

    Spazio.objects.create(
        immobile=borgo, nome="Sala del cortile", funzione="sala_incontri", orari="sabato 10–13"
    )
    Spazio.objects.create(
        immobile=borgo, nome="Magazzino del gestore", funzione="altro", pubblico=False
    )
    persona = PersonaFactory(quartiere=san_siro, nome="Riservata", cognome="Inquilina")
    nucleo = NucleoFactory(quartiere=san_siro, nome="Nucleo Inquilina")
    Componente.objects.create(nucleo=nucleo, persona=persona, intestatario=True)
    services.pre_assegna(AlloggioFactory(immobile=borgo), nucleo, il=GIORNO)
    pagina = client.get(reverse("quartiere:quartiere_pubblico", args=[san_siro.codice]))
    testo = pagina.content.decode()
    assert pagina.status_code == 200
    assert "Sala del cortile" in testo and "sabato 10–13" in testo and borgo.indirizzo in testo
    assert "Magazzino del gestore" not in testo
    assert "Inquilina" not in testo


@pytest.mark.django_db
def test_la_conservazione_anonimizza_i_nuclei_usciti_da_tempo(borgo, san_siro, settings, tmp_path):
    from django.core.management import call_command

    from abitare.models import Nucleo

    settings.RETENTION_LOG = tmp_path / "retention.log"
    anni_fa = datetime.date.today() - datetime.timedelta(days=365 * 12)
    uscito = NucleoFactory(
        quartiere=san_siro, nome="Nucleo Zorbauscito", telefono="+39333000111", lingua="arabo"
    )
    a = services.pre_assegna(AlloggioFactory(immobile=borgo), uscito, il=anni_fa)
    for passo in ("assegna", "ingresso", "uscita"):
        a = services.avanza(a, passo, il=anni_fa + datetime.timedelta(days=30))
    presente = NucleoFactory(quartiere=san_siro, nome="Nucleo Zorbapresente", telefono="+39333")
    services.pre_assegna(AlloggioFactory(immobile=borgo), presente, il=anni_fa)
    vecchio = datetime.datetime(2014, 1, 1, tzinfo=datetime.UTC)
    Nucleo.objects.update(modificato_il=vecchio)

    call_command("retention", "--anonymize", stdout=open("/dev/null", "w"))  # noqa: SIM115

    uscito.refresh_from_db()
    presente.refresh_from_db()
    assert uscito.nome.startswith("[anonimizzato]") and not uscito.telefono and not uscito.lingua
    assert not uscito.history.filter(nome__contains="Zorba").exists()
    assert uscito.assegnazioni.get().stato == "conclusa"  # the figures keep their rows
    assert presente.nome == "Nucleo Zorbapresente" and presente.telefono


@pytest.mark.django_db
def test_gli_ingressi_in_attesa_dai_piu_vecchi(
    client_di, operatore, borgo, san_siro, gratosoglio, django_assert_max_num_queries
):
    vecchio = NucleoFactory(quartiere=san_siro, nome="Nucleo Primo")
    a = services.pre_assegna(AlloggioFactory(immobile=borgo), vecchio, il=GIORNO)
    services.avanza(a, "assegna", il=GIORNO + datetime.timedelta(days=3))
    services.pre_assegna(
        AlloggioFactory(immobile=borgo),
        NucleoFactory(quartiere=san_siro, nome="Nucleo Secondo"),
        il=GIORNO + datetime.timedelta(days=10),
    )
    entrato = NucleoFactory(quartiere=san_siro, nome="Nucleo Entrato")
    b = services.pre_assegna(AlloggioFactory(immobile=borgo), entrato, il=GIORNO)
    services.avanza(services.avanza(b, "assegna", il=GIORNO), "ingresso", il=GIORNO)
    lontano = ImmobileFactory(quartiere=gratosoglio)
    services.pre_assegna(
        AlloggioFactory(immobile=lontano),
        NucleoFactory(quartiere=gratosoglio, nome="Nucleo Lontano"),
        il=GIORNO,
    )
    op = client_di(operatore)
    op.get(reverse("abitare:in_attesa"))  # the session and the menu, once
    # The page, its assignments, the measures to check and the households away: constant.
    with django_assert_max_num_queries(13):
        testo = op.get(reverse("abitare:in_attesa")).content.decode()
    assert testo.index("Nucleo Primo") < testo.index("Nucleo Secondo")
    assert "Nucleo Entrato" not in testo and "Nucleo Lontano" not in testo


@pytest.mark.django_db
def test_la_pre_assegnazione_propone_pochi_nuclei_e_cerca_gli_altri(
    client_di, coordinatore, borgo, san_siro, gratosoglio, django_assert_max_num_queries
):
    """The building's page offers the waiting households of its quartiere, 30 at most, and
    finds the others by name: a <select> of every waiting household of the city made the
    page grow with the data. The POST still takes any household in scope."""
    from abitare.views import ImmobileView

    coord = client_di(coordinatore)
    AlloggioFactory(immobile=borgo, codice="B-1-1")
    for i in range(ImmobileView.NUCLEI_PROPOSTI + 5):
        NucleoFactory(quartiere=san_siro, nome=f"Nucleo San Siro {i:02d}")
    lontano = NucleoFactory(quartiere=gratosoglio, nome="Nucleo Gratosoglio Ferri")
    sistemato = NucleoFactory(quartiere=san_siro, nome="Nucleo San Siro già a casa")
    services.pre_assegna(AlloggioFactory(immobile=borgo), sistemato, il=GIORNO)

    with django_assert_max_num_queries(30):
        pagina = coord.get(borgo.get_absolute_url())
    scelte = list(pagina.context["form_pre_assegna"].fields["nucleo"].queryset)
    assert len(scelte) == ImmobileView.NUCLEI_PROPOSTI
    assert {n.quartiere_id for n in scelte} == {san_siro.pk}
    assert sistemato not in scelte and lontano not in scelte
    html = pagina.content.decode()
    assert "Sono mostrati i primi 30" in html and 'name="nucleo"' in html

    cercata = coord.get(borgo.get_absolute_url(), {"nucleo": "ferri"})
    assert list(cercata.context["form_pre_assegna"].fields["nucleo"].queryset) == [lontano]
    assert "Sono mostrati i primi" not in cercata.content.decode()
    # One character searches nothing: the quartiere's list again.
    assert coord.get(borgo.get_absolute_url(), {"nucleo": "f"}).context["cerca_nucleo"] == ""

    # The 35th household, not among those shown, is still accepted.
    ultimo = NucleoFactory._meta.model.objects.get(nome="Nucleo San Siro 34")
    risposta = coord.post(
        reverse("abitare:pre_assegna", args=[borgo.pk]),
        {"alloggio": borgo.alloggi.get(codice="B-1-1").pk, "nucleo": ultimo.pk, "il": "2026-03-02"},
    )
    assert risposta.status_code == 302
    assert Assegnazione.objects.filter(nucleo=ultimo, stato="pre_assegnata").exists()
