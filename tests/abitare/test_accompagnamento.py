"""The accompaniment of a household: its path, targeted measures and their follow-up, the
contacts' log and week view, and the confidential notes that only the assigned operators and
the coordinators read, every reading logged (issue 18)."""

from __future__ import annotations

import datetime
import json

import pytest
from django.db import ProgrammingError, transaction
from django.urls import reverse
from django.utils import timezone

from abitare import services
from abitare.models import (
    AccessoRiservato,
    Componente,
    Contatto,
    Misura,
    NotaRiservata,
    Percorso,
    Spostamento,
)
from tests.abitare.factories import AlloggioFactory, ImmobileFactory, NucleoFactory
from tests.factories import PersonaFactory

SEGRETO = "Debito di tre mensilità, sfratto in vista"


@pytest.fixture
def nucleo(san_siro):
    return NucleoFactory(quartiere=san_siro, nome="Nucleo Fragile")


@pytest.fixture
def seguito(nucleo, operatore):
    """The household, with the operatore assigned to its accompaniment."""
    percorso = Percorso.objects.create(
        nucleo=nucleo, livello="mirato", avviato_il=timezone.localdate()
    )
    percorso.operatori.add(operatore)
    return nucleo


@pytest.mark.django_db
def test_l_operatore_avvia_il_percorso_e_sceglie_gli_operatori_del_quartiere(
    client_di, operatore, operatore_gratosoglio, nucleo
):
    op = client_di(operatore)
    pagina = op.get(reverse("abitare:percorso", args=[nucleo.pk]))
    opzioni = [str(u) for u in pagina.context["form"].fields["operatori"].queryset]
    assert operatore.username in opzioni and operatore_gratosoglio.username not in opzioni
    risposta = op.post(
        reverse("abitare:percorso", args=[nucleo.pk]),
        {
            "livello": "mirato",
            "avviato_il": "2026-03-02",
            "bisogni": "Orientamento ai servizi del quartiere",
            "operatori": [operatore.pk],
        },
    )
    assert risposta.status_code == 302
    percorso = Percorso.objects.get(nucleo=nucleo)
    assert percorso.livello == "mirato" and list(percorso.operatori.all()) == [operatore]
    # An operator of another quartiere is refused by the form, not silently dropped.
    risposta = op.post(
        reverse("abitare:percorso", args=[nucleo.pk]),
        {
            "livello": "ordinario",
            "avviato_il": "2026-03-02",
            "operatori": [operatore_gratosoglio.pk],
            "versione_letta": percorso.versione,
        },
    )
    assert risposta.status_code == 200 and risposta.context["form"].errors["operatori"]
    percorso.refresh_from_db()
    assert percorso.livello == "mirato"
    # The household page shows it.
    testo = op.get(nucleo.get_absolute_url()).content.decode()
    assert "Orientamento ai servizi del quartiere" in testo and "mirato" in testo


@pytest.mark.django_db
def test_le_note_riservate_le_leggono_solo_gli_assegnati_e_i_coordinatori(client_di, cast, seguito):
    url = reverse("abitare:note_riservate", args=[seguito.pk])
    operatore = cast["operatore"]
    op = client_di(operatore)
    risposta = op.post(url, {"tipo": "morosita", "testo": SEGRETO})
    assert risposta.status_code == 302
    assert SEGRETO in op.get(url).content.decode()
    attesi = {
        "operatore": 200,
        "operatore_altro": 404,
        "mediatore": 403,
        "coordinatore": 200,
        "dirigente": 403,
        # A configuration role, and a superuser too: the notes are not theirs to read.
        "amministratore": 403,
    }
    for ruolo, codice in attesi.items():
        risposta = client_di(cast[ruolo]).get(url)
        assert risposta.status_code == codice, ruolo
        assert (SEGRETO in risposta.content.decode()) == (codice == 200), ruolo
    assert cast["amministratore"].is_superuser
    # A colleague of the same quartiere who does not follow the household: refused too,
    # and the household page does not even link the notes.
    from tests.factories import utente

    collega = utente("operatore", "collega.sansiro", seguito.quartiere)
    assert client_di(collega).get(url).status_code == 403
    pagina = client_di(collega).get(seguito.get_absolute_url()).content.decode()
    assert url not in pagina and SEGRETO not in pagina
    pagina = op.get(seguito.get_absolute_url()).content.decode()
    assert url in pagina and SEGRETO not in pagina  # the notes live on their own page
    # Every reading and the writing are in the log, with who; the refusals read nothing.
    registro = list(
        AccessoRiservato.objects.filter(nucleo=seguito)
        .order_by("quando", "pk")
        .values_list("nome_utente", "azione")
    )
    assert registro == [
        (operatore.username, "scrittura"),
        (operatore.username, "lettura"),
        (operatore.username, "lettura"),
        (cast["coordinatore"].username, "lettura"),
    ]


@pytest.mark.django_db
def test_le_note_non_escono_da_nessun_altra_strada(client_di, cast, seguito, san_siro):
    """Not in the admin, not in the member's access export, not on the public pages, not
    in the history tables (there are none)."""
    from quartiere.privacy.accesso_dati import esporta

    persona = PersonaFactory(quartiere=san_siro, nome="Ada", cognome="Fragile")
    Componente.objects.create(nucleo=seguito, persona=persona, intestatario=True)
    services.scrivi_nota(seguito, tipo="fragilita", testo=SEGRETO, utente=cast["operatore"])
    export = esporta(persona, "json", da=cast["coordinatore"]).decode()
    assert "Nucleo Fragile" in export and SEGRETO not in export
    admin = client_di(cast["amministratore"])
    assert admin.get("/admin/abitare/").status_code == 200
    assert "notariservata" not in admin.get("/admin/abitare/").content.decode()
    for url in (
        reverse("admin:abitare_nucleo_change", args=[seguito.pk]),
        reverse("admin:abitare_accessoriservato_changelist"),
        reverse("quartiere:quartiere_pubblico", args=[san_siro.codice]),
    ):
        assert SEGRETO not in admin.get(url).content.decode(), url
    assert not hasattr(NotaRiservata, "history")


@pytest.mark.django_db
def test_una_nota_non_si_modifica_e_il_registro_non_si_tocca(operatore, seguito):
    nota = services.scrivi_nota(seguito, tipo="fragilita", testo="Prima", utente=operatore)
    with pytest.raises(ProgrammingError, match="non consente UPDATE"), transaction.atomic():
        NotaRiservata.objects.filter(pk=nota.pk).update(testo="Cambiata")
    accesso = AccessoRiservato.objects.get(nucleo=seguito)
    with pytest.raises(ProgrammingError, match="non consente UPDATE"), transaction.atomic():
        AccessoRiservato.objects.filter(pk=accesso.pk).update(nome_utente="altri")
    with pytest.raises(ProgrammingError, match="non consente DELETE"), transaction.atomic():
        AccessoRiservato.objects.filter(pk=accesso.pk).delete()
    # Retention deletes the notes themselves (the trigger refuses changes, not deletion).
    NotaRiservata.objects.filter(pk=nota.pk).delete()


@pytest.mark.django_db
def test_misure_concordate_verifiche_in_scadenza_e_verifica(
    client_di, operatore, coordinatore, seguito, gratosoglio
):
    oggi = timezone.localdate()
    op = client_di(operatore)
    url = reverse("abitare:misura", args=[seguito.pk])
    # The follow-up cannot precede the agreement: the database's check, said in Italian.
    risposta = op.post(
        url,
        {
            "servizio": "custodia_sociale",
            "descrizione": "Visite settimanali del custode sociale",
            "concordata_il": oggi.isoformat(),
            "verifica_il": (oggi - datetime.timedelta(days=1)).isoformat(),
        },
    )
    assert risposta.status_code == 200
    assert "non può precedere" in risposta.content.decode()
    risposta = op.post(
        url,
        {
            "servizio": "custodia_sociale",
            "descrizione": "Visite settimanali del custode sociale",
            "concordata_il": (oggi - datetime.timedelta(days=30)).isoformat(),
            "verifica_il": (oggi - datetime.timedelta(days=2)).isoformat(),
        },
    )
    assert risposta.status_code == 302
    misura = Misura.objects.get(nucleo=seguito)
    lontana = Misura.objects.create(
        nucleo=seguito,
        servizio="cps",
        descrizione="Presa in carico del CPS",
        concordata_il=oggi,
        verifica_il=oggi + datetime.timedelta(days=60),
    )
    altrove = Misura.objects.create(
        nucleo=NucleoFactory(quartiere=gratosoglio),
        servizio="cps",
        descrizione="Misura di Gratosoglio",
        concordata_il=oggi,
        verifica_il=oggi,
    )
    testo = op.get(reverse("abitare:in_attesa")).content.decode()
    assert "Visite settimanali del custode sociale" in testo and "scaduta" in testo
    assert lontana.descrizione not in testo and altrove.descrizione not in testo
    assert (
        altrove.descrizione
        in client_di(coordinatore).get(reverse("abitare:in_attesa")).content.decode()
    )
    # The follow-up: date and outcome are both required.
    url = reverse("abitare:verifica_misura", args=[seguito.pk, misura.pk])
    risposta = op.post(url, {"verificata_il": oggi.isoformat(), "versione_letta": misura.versione})
    assert risposta.status_code == 200 and risposta.context["form"].errors["esito"]
    risposta = op.post(
        url,
        {
            "verificata_il": oggi.isoformat(),
            "esito": "Attivate",
            "versione_letta": misura.versione,
        },
    )
    assert risposta.status_code == 302
    misura.refresh_from_db()
    assert misura.verificata_il == oggi and misura.esito == "Attivate"
    assert misura.history.count() == 2
    assert misura.descrizione not in op.get(reverse("abitare:in_attesa")).content.decode()
    # Another household's measure through this household's URL does not exist.
    url = reverse("abitare:verifica_misura", args=[seguito.pk, altrove.pk])
    assert client_di(coordinatore).get(url).status_code == 404


@pytest.mark.django_db
def test_i_contatti_e_la_settimana(
    client_di, operatore, operatore_gratosoglio, coordinatore, seguito, gratosoglio,
    django_assert_max_num_queries,
):  # fmt: skip
    lunedi = datetime.date(2026, 11, 30)
    op = client_di(operatore)
    risposta = op.post(
        reverse("abitare:contatto", args=[seguito.pk]),
        {"tipo": "visita", "il": "2026-12-02", "alle": "10:30", "sintesi": "Prima visita"},
    )
    assert risposta.status_code == 302
    contatto = Contatto.objects.get(nucleo=seguito)
    assert contatto.operatore == operatore
    # A contact with no type is refused with the form again, nothing lost.
    risposta = op.post(
        reverse("abitare:contatto", args=[seguito.pk]), {"il": "2026-12-02", "sintesi": "Tenuta"}
    )
    assert risposta.status_code == 200 and "Tenuta" in risposta.content.decode()
    for i in range(30):
        Contatto.objects.create(
            nucleo=NucleoFactory(quartiere=seguito.quartiere),
            tipo="telefonata",
            il=lunedi + datetime.timedelta(days=i % 7),
            operatore=coordinatore,
        )
    Contatto.objects.create(
        nucleo=NucleoFactory(quartiere=gratosoglio, nome="Nucleo Lontano"),
        tipo="colloquio",
        il=lunedi,
        operatore=operatore_gratosoglio,
    )
    url = reverse("abitare:contatti") + "?settimana=2026-W49"
    op.get(url)
    with django_assert_max_num_queries(10):
        pagina = op.get(url)
    testo = pagina.content.decode()
    assert pagina.context["totale"] == 31
    assert "Prima visita" in testo and "10:30" in testo and "Nucleo Lontano" not in testo
    assert pagina.context["precedente"] == "2026-W48"
    miei = op.get(url + "&miei=1")
    assert miei.context["totale"] == 1
    # Another week, and a week that is not one: this week instead of an error.
    assert op.get(reverse("abitare:contatti") + "?settimana=2026-W50").context["totale"] == 0
    assert op.get(reverse("abitare:contatti") + "?settimana=<x>").status_code == 200
    # The household page lists its contacts.
    assert "Prima visita" in op.get(seguito.get_absolute_url()).content.decode()


@pytest.mark.django_db
def test_la_conservazione_toglie_note_e_testi_dell_accompagnamento(
    operatore, seguito, settings, tmp_path
):
    from django.core.management import call_command

    from abitare.models import Nucleo

    settings.RETENTION_LOG = tmp_path / "retention.log"
    anni_fa = datetime.date.today() - datetime.timedelta(days=365 * 12)
    Contatto.objects.create(
        nucleo=seguito, tipo="visita", il=anni_fa, operatore=operatore, sintesi="Zorba parla"
    )
    Misura.objects.create(
        nucleo=seguito,
        servizio="cps",
        descrizione="Zorba al CPS",
        concordata_il=anni_fa,
        verifica_il=anni_fa,
    )
    Percorso.objects.filter(nucleo=seguito).update(bisogni="Zorba cerca lavoro")
    casa = AlloggioFactory(immobile=ImmobileFactory(quartiere=seguito.quartiere))
    Spostamento.objects.create(
        nucleo=seguito,
        da_alloggio=casa,
        a_alloggio=AlloggioFactory(immobile=casa.immobile),
        uscita_il=anni_fa,
        rientrato_il=anni_fa,
        note="Zorba dalla sorella",
    )
    services.scrivi_nota(seguito, tipo="fragilita", testo=SEGRETO, utente=operatore)
    recente = NucleoFactory(quartiere=seguito.quartiere, nome="Nucleo Recente")
    Contatto.objects.create(nucleo=recente, tipo="visita", il=anni_fa, operatore=operatore)
    Contatto.objects.create(
        nucleo=recente, tipo="visita", il=timezone.localdate(), operatore=operatore
    )
    vecchio = datetime.datetime(2014, 1, 1, tzinfo=datetime.UTC)
    Nucleo.objects.update(modificato_il=vecchio)
    # The note is recent: the household is still followed, nothing goes.
    call_command("retention", "--anonymize", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert NotaRiservata.objects.filter(nucleo=seguito).exists()
    # A note written long ago (inserted so: the table refuses an UPDATE).
    NotaRiservata.objects.all().delete()
    NotaRiservata.objects.create(
        nucleo=seguito, tipo="morosita", testo=SEGRETO, scritta_da=operatore, scritta_il=vecchio
    )
    call_command("retention", "--anonymize", stdout=open("/dev/null", "w"))  # noqa: SIM115
    seguito.refresh_from_db()
    recente.refresh_from_db()
    assert seguito.nome.startswith("[anonimizzato]")
    assert not NotaRiservata.objects.filter(nucleo=seguito).exists()
    dump = json.dumps(
        [
            list(Contatto.objects.values("sintesi")),
            list(Contatto.history.values("sintesi")),
            list(Misura.objects.values("descrizione")),
            list(Misura.history.values("descrizione")),
            list(Percorso.objects.values("bisogni")),
            list(Percorso.history.values("bisogni")),
            list(Spostamento.objects.values("note")),
            list(Spostamento.history.values("note")),
        ]
    )
    assert "Zorba" not in dump
    assert recente.nome == "Nucleo Recente"  # a contact this year keeps it
    assert Contatto.objects.filter(nucleo=seguito, tipo="visita", il=anni_fa).exists()
