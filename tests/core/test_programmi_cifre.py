"""What each axis of a programme did in a period (issue 19): every app's attributed
activities counted per axis from one source (quartiere/programmi/cifre.py), the people
who took part counted once across apps, the targets with their latest measure, and the
programme's page that shows them."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from quartiere.programmi.cifre import per_asse
from quartiere.programmi.models import Programma
from tests.factories import PersonaFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def programma(san_siro):
    oggi = timezone.localdate()
    p = Programma.objects.create(
        codice="lorenteggio",
        nome="Laboratorio Sociale Lorenteggio",
        finanziatore="Regione Lombardia",
        strumento="por_fse",
        cup="B29J16002670001",
        inizio=oggi - datetime.timedelta(days=300),
        fine=oggi + datetime.timedelta(days=300),
    )
    p.quartieri.add(san_siro)
    p.assi.create(codice="A", titolo="Accompagnamento sociale")
    b = p.assi.create(codice="B", titolo="Mediazione dei conflitti")
    ind = b.indicatori.create(
        nome="Conflitti mediati", unita="dossier", valore_base=Decimal("0"), obiettivo=40
    )
    ind.misure.create(data=oggi - datetime.timedelta(days=60), valore=Decimal("8"))
    ind.misure.create(data=oggi - datetime.timedelta(days=10), valore=Decimal("10"))
    ind.misure.create(data=oggi + datetime.timedelta(days=10), valore=Decimal("30"))  # later
    return p


def _asse(programma, codice):
    return programma.assi.get(codice=codice)


def _attivita(programma, san_siro, operatore, persone):
    """One activity of each kind on axis B, with people who overlap across apps."""
    from abitare.models import Componente, Percorso
    from quartiere.calendario.models import Prenotazione
    from quartiere.diario.models import AttivitaDiario
    from quartiere.territorio.models import Sede
    from tests.abitare.factories import NucleoFactory
    from tests.laboratori.factories import IncontroFactory, LaboratorioFactory, PresenzaFactory
    from tests.mediazione.factories import DossierFactory, ParteFactory
    from tests.patti.factories import FirmatarioVolontarioFactory, PattoFactory
    from tests.segnalazioni.factories import SegnalazioneFactory

    b = _asse(programma, "B")
    oggi = timezone.localdate()
    uno, due, tre, quattro = persone
    AttivitaDiario.objects.create(
        operatore=operatore, data=oggi, quartiere=san_siro, tipo="front_office", ore=2, asse=b
    )
    AttivitaDiario.objects.create(
        operatore=operatore,
        data=oggi,
        quartiere=san_siro,
        tipo="back_office",
        ore=Decimal("1.5"),
        asse=b,
    )
    incontro = IncontroFactory(laboratorio=LaboratorioFactory(quartiere=san_siro), asse=b)
    PresenzaFactory(incontro=incontro, persona=uno)
    PresenzaFactory(incontro=incontro, persona=due)
    patto = PattoFactory(quartiere=san_siro, data_firma=oggi, asse=b)
    FirmatarioVolontarioFactory(patto=patto, persona=uno)  # met at the lab too: once
    dossier = DossierFactory(quartiere=san_siro)
    dossier.asse = b
    dossier.save()
    ParteFactory(dossier=dossier, persona=tre)
    SegnalazioneFactory(quartiere=san_siro, asse=b, persona=due)
    nucleo = NucleoFactory(quartiere=san_siro)
    Percorso.objects.create(nucleo=nucleo, avviato_il=oggi, asse=b)
    Componente.objects.create(nucleo=nucleo, persona=quattro)
    sede, _ = Sede.objects.get_or_create(
        nome="Sala del cortile", indirizzo="Via Abbiati 4", defaults={"quartiere": san_siro}
    )
    inizio = timezone.now() - datetime.timedelta(hours=3)
    Prenotazione.objects.create(
        sede=sede,
        titolo="Assemblea di cortile",
        inizio=inizio,
        fine=inizio + datetime.timedelta(hours=1),
        stato=Prenotazione.Stato.CONFERMATA,
        asse=b,
    )


@pytest.fixture
def persone(san_siro):
    from tests.factories import PersonaFactory

    return PersonaFactory.create_batch(4, quartiere=san_siro)


def test_ogni_asse_conta_le_sue_attivita_e_le_persone_una_volta(
    programma, san_siro, operatore, persone
):
    _attivita(programma, san_siro, operatore, persone)
    oggi = timezone.localdate()
    a, b = per_asse(programma, oggi - datetime.timedelta(days=30), oggi)
    assert a.asse.codice == "A" and a.attivita == 0 and a.partecipanti == 0
    voci = {v.chiave: (v.numero, v.ore) for v in b.voci}
    assert voci == {
        "quartiere.diario": (2, Decimal("3.50")),
        "quartiere.prenotazione": (1, None),
        "laboratori.incontro": (1, None),
        "patti.patto": (1, None),
        "mediazione.dossier": (1, None),
        "segnalazioni.segnalazione": (1, None),
        "abitare.percorso": (1, None),
    }
    assert b.attivita == 8 and b.ore == Decimal("3.50")
    assert b.partecipanti == 4  # the lab and the pact share a person
    (indicatore,) = b.indicatori
    assert (indicatore.realizzato, indicatore.obiettivo) == (Decimal("10"), Decimal("40"))
    assert indicatore.percentuale == Decimal("25.0")


def test_fuori_dal_periodo_non_conta(programma, san_siro, operatore, persone):
    _attivita(programma, san_siro, operatore, persone)
    fino_a = timezone.localdate() - datetime.timedelta(days=100)
    _a, b = per_asse(programma, fino_a - datetime.timedelta(days=100), fino_a)
    conteggi = {v.chiave: v.numero for v in b.voci}
    # The accompaniment started today; everything else happened today too.
    assert set(conteggi.values()) == {0} and b.partecipanti == 0
    (indicatore,) = b.indicatori
    assert indicatore.realizzato is None and indicatore.percentuale is None


def test_le_query_non_crescono_con_i_dati(programma, san_siro, operatore):
    from tests.factories import PersonaFactory

    oggi = timezone.localdate()
    periodo = (oggi - datetime.timedelta(days=30), oggi)
    _attivita(programma, san_siro, operatore, PersonaFactory.create_batch(4))
    with CaptureQueriesContext(connection) as poche:
        per_asse(programma, *periodo)
    for _ in range(5):
        _attivita(programma, san_siro, operatore, PersonaFactory.create_batch(4))
    with CaptureQueriesContext(connection) as molte:
        cifre = per_asse(programma, *periodo)
    assert len(molte) == len(poche)
    assert cifre[1].attivita == 48 and cifre[1].partecipanti == 24


def test_la_pagina_del_programma(client_di, operatore, programma, san_siro, persone):
    from quartiere.programmi.models import Finanziamento

    _attivita(programma, san_siro, operatore, persone)
    Finanziamento.objects.create(
        programma=programma,
        data=timezone.localdate() - datetime.timedelta(days=5),
        programmato=Decimal("828415.20"),
        ammesso=Decimal("828415.20"),
        impegnato=Decimal("414207.60"),
        erogato=Decimal("82841.52"),
    )
    c = client_di(operatore)
    elenco = c.get("/lavoro/programmi/").content.decode()
    assert "Laboratorio Sociale Lorenteggio" in elenco and "50,0%" in elenco
    pagina = c.get("/lavoro/programmi/lorenteggio/")
    assert pagina.status_code == 200
    html = pagina.content.decode()
    assert "Asse B — Mediazione dei conflitti" in html
    assert "4 persone diverse hanno partecipato" in html
    assert "Dossier di mediazione aperti" in html and "Conflitti mediati (dossier)" in html
    assert "828.415,20" in html and "10,0%" in html
    r = c.get("/lavoro/programmi/lorenteggio/", {"dal": "2026-12-31", "al": "2026-01-01"})
    assert r.status_code == 200 and "La data finale deve essere" in r.content.decode()
    assert c.get("/lavoro/programmi/nessuno/").status_code == 404


def test_la_pagina_conta_le_attivita_una_volta_al_minuto(
    client_di, operatore, programma, san_siro, persone
):
    """The page keeps the activities' counts a minute in the cache (they aggregate a whole
    programme's activities); targets and measures, and the CSV, are read afresh."""
    from django.core.cache import cache

    from quartiere.programmi.views import ProgrammaView

    _attivita(programma, san_siro, operatore, persone)
    c = client_di(operatore)
    url = "/lavoro/programmi/lorenteggio/"
    assert "4 persone diverse hanno partecipato" in c.get(url).content.decode()
    with CaptureQueriesContext(connection) as seconda:
        html = c.get(url).content.decode()
    assert "4 persone diverse hanno partecipato" in html
    assert "ogni minuto" in html
    assert not [q for q in seconda.captured_queries if "quartiere_persona" in q["sql"]]

    # A new activity: the page shows it once the minute has passed, the CSV at once.
    _attivita(programma, san_siro, operatore, PersonaFactory.create_batch(4))
    assert "4 persone diverse hanno partecipato" in c.get(url).content.decode()
    (riga,) = [
        r
        for r in _csv(c, "lorenteggio")
        if r["COD_ASSE"] == "B" and r["FONTE_INDICATORE"] == "partecipanti"
    ]
    assert riga["REALIZZATO_INDICATORE"] == "8"
    # A new measure of a target shows at once.
    indicatore = _asse(programma, "B").indicatori.get()
    indicatore.misure.create(data=timezone.localdate(), valore=Decimal("20"))
    assert "50,0%" in c.get(url).content.decode()
    cache.clear()  # the minute has passed
    assert "8 persone diverse hanno partecipato" in c.get(url).content.decode()
    assert ProgrammaView.CIFRE_SECONDI == 60


# --- The monitoring report: the same figures, as CSV and PDF ------------------------------------


def _csv(client, codice, **periodo):
    import csv
    import io

    r = client.get(f"/lavoro/programmi/{codice}/monitoraggio.csv", periodo)
    assert r.status_code == 200 and r["Content-Type"].startswith("text/csv")
    assert r["Content-Disposition"].startswith('attachment; filename="monitoraggio-')
    return list(csv.DictReader(io.StringIO(r.content.decode())))


def test_il_csv_del_monitoraggio_nelle_colonne_dei_dati_aperti(
    client_di, operatore, programma, san_siro, persone
):
    from quartiere.programmi.models import Finanziamento
    from quartiere.programmi.monitoraggio import COLONNE

    _attivita(programma, san_siro, operatore, persone)
    Finanziamento.objects.create(
        programma=programma,
        data=timezone.localdate() - datetime.timedelta(days=5),
        programmato=Decimal("966484.40"),
        ammesso=Decimal("828415.20"),
        impegnato=Decimal("828415.20"),
        erogato=Decimal("310000"),
    )
    oggi = timezone.localdate()
    dal = oggi - datetime.timedelta(days=30)
    righe = _csv(client_di(operatore), "lorenteggio", dal=dal.isoformat(), al=oggi.isoformat())
    assert list(righe[0]) == COLONNE
    for r in righe:
        assert r["CUP"] == "B29J16002670001" and r["OC_TITOLO_PROGETTO"].startswith("Laboratorio")
        assert (r["FINANZ_TOTALE_PUBBLICO"], r["IMPEGNI"], r["TOT_PAGAMENTI"]) == (
            "828415.20",
            "828415.20",
            "310000.00",
        )
        assert (r["DATA_INIZIO_PERIODO"], r["DATA_FINE_PERIODO"]) == (
            dal.isoformat(),
            oggi.isoformat(),
        )
    b = {(r["FONTE_INDICATORE"], r["DESCR_INDICATORE"]): r for r in righe if r["COD_ASSE"] == "B"}
    obiettivo = b["obiettivo", "Conflitti mediati"]
    assert (obiettivo["PROGRAMMATO_INDICATORE"], obiettivo["REALIZZATO_INDICATORE"]) == (
        "40.00",
        "10.00",
    )
    assert b["attivita", "Dossier di mediazione aperti"]["REALIZZATO_INDICATORE"] == "1"
    assert b["attivita", "Lavoro registrato nel diario: ore"]["REALIZZATO_INDICATORE"] == "3.50"
    assert b["partecipanti", "Persone diverse che hanno partecipato"]["REALIZZATO_INDICATORE"] == (
        "4"
    )
    # The same numbers as the page, from the same source: axis A has done nothing.
    a = [r for r in righe if r["COD_ASSE"] == "A" and r["FONTE_INDICATORE"] == "attivita"]
    assert a and {r["REALIZZATO_INDICATORE"] for r in a} <= {"0", "0.00"}


def test_un_programma_senza_assi_ha_una_riga(client_di, operatore, san_siro):
    oggi = timezone.localdate()
    Programma.objects.create(
        codice="comunale",
        nome="Fondi comunali",
        finanziatore="Comune",
        strumento="comunale",
        inizio=oggi - datetime.timedelta(days=10),
        fine=oggi + datetime.timedelta(days=10),
    )
    (riga,) = _csv(client_di(operatore), "comunale")
    assert riga["COD_ASSE"] == "" and riga["CUP"] == "" and riga["FINANZ_TOTALE_PUBBLICO"] == "0.00"


def test_il_pdf_del_monitoraggio(client_di, operatore, programma, san_siro, persone):
    import io

    from pypdf import PdfReader

    _attivita(programma, san_siro, operatore, persone)
    c = client_di(operatore)
    r = c.get("/lavoro/programmi/lorenteggio/monitoraggio.pdf")
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf"
    testo = " ".join(
        " ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(r.content)).pages
    )
    for atteso in (
        "Rapporto di monitoraggio",
        "Laboratorio Sociale Lorenteggio",
        "B29J16002670001",
        "Asse B",
        "Mediazione dei conflitti",
        "Dossier di mediazione aperti",
        "Conflitti mediati",
    ):
        assert atteso in testo, atteso
    sbagliato = {"dal": "2026-12-31", "al": "2026-01-01"}
    assert c.get("/lavoro/programmi/lorenteggio/monitoraggio.csv", sbagliato).status_code == 400
    assert c.get("/lavoro/programmi/lorenteggio/monitoraggio.xls").status_code == 404


def test_programmi_del_periodo_per_quartiere_e_date(programma, san_siro, gratosoglio):
    from quartiere.programmi.cifre import programmi_del_periodo

    oggi = timezone.localdate()
    Programma.objects.create(
        codice="comunale",
        nome="Fondo comunale per i quartieri",
        finanziatore="Comune",
        strumento="comunale",
        inizio=oggi - datetime.timedelta(days=30),
        fine=oggi + datetime.timedelta(days=30),
    )
    altrove = Programma.objects.create(
        codice="altrove",
        nome="Abitare in borgo",
        finanziatore="PON Metro",
        strumento="pon_metro",
        inizio=oggi - datetime.timedelta(days=30),
        fine=oggi + datetime.timedelta(days=30),
    )
    altrove.quartieri.add(gratosoglio)
    Programma.objects.create(
        codice="finito",
        nome="Concluso",
        finanziatore="Comune",
        strumento="comunale",
        inizio=datetime.date(2015, 1, 1),
        fine=datetime.date(2016, 12, 31),
    )
    periodo = (oggi - datetime.timedelta(days=90), oggi)

    def codici(quartieri):
        return {v.programma.codice for v in programmi_del_periodo(*periodo, quartieri)}

    assert codici([san_siro]) == {"lorenteggio", "comunale"}
    assert codici([gratosoglio]) == {"comunale", "altrove"}
    assert codici(None) == {"lorenteggio", "comunale", "altrove"}
    voce = next(v for v in programmi_del_periodo(*periodo, [san_siro]) if v.assi)
    assert [c.asse.codice for c in voce.assi] == ["A", "B"]
    # The financial progress is there, at the period's end.
    assert hasattr(voce.programma, "erogato_percento")


def test_la_relazione_del_dirigente_riporta_i_programmi(
    programma, san_siro, operatore, persone, tmp_path
):
    import subprocess

    from quartiere.relazioni.pdf import pdf_relazione

    oggi = timezone.localdate()
    _attivita(programma, san_siro, operatore, persone)
    percorso = tmp_path / "r.pdf"
    percorso.write_bytes(pdf_relazione(oggi - datetime.timedelta(days=90), oggi, [san_siro]))
    testo = subprocess.run(
        ["pdftotext", "-layout", str(percorso), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "Programmi e finanziamenti" in testo
    assert "Laboratorio Sociale Lorenteggio: attività per asse nel periodo" in testo
    assert "Conflitti mediati: 10 / 40 dossier (25,0%)" in testo


def test_gli_assi_letti_contro_il_contratto(client_di, operatore, programma, organizzazione):
    from django.db import IntegrityError, transaction

    from quartiere.programmi.cifre import contratto
    from quartiere.programmi.models import Affidamento

    a, b = programma.assi.order_by("codice")
    affidamento = Affidamento.objects.create(
        programma=programma,
        oggetto="Laboratorio Sociale Lorenteggio",
        fornitore=organizzazione,
        importo=Decimal("828415.20"),
        inizio=programma.inizio,
        fine=programma.fine,
    )
    affidamento.rinnovi.create(
        inizio=programma.fine, fine=programma.fine, importo=Decimal("138069.20")
    )
    a.importo = Decimal("483242.20")
    a.save()
    cifre = per_asse(programma, programma.inizio, timezone.localdate())
    quadro = contratto(programma, cifre)
    assert quadro.totale == Decimal("966484.40")
    assert (quadro.assegnato, quadro.assi_senza_importo) == (Decimal("483242.20"), 1)
    assert [c.quota_contratto for c in cifre] == [Decimal("50.0"), None]
    html = client_di(operatore).get("/lavoro/programmi/lorenteggio/").content.decode()
    assert "Gli assi e il contratto" in html and "50,0%" in html and "966.484,40" in html
    assert "1 asse senza importo" in html
    # The axes asking for more than the contracts: said on the page.
    b.importo = Decimal("500000.00")
    b.save()
    html = client_di(operatore).get("/lavoro/programmi/lorenteggio/").content.decode()
    assert "superano i contratti di 16.757,80" in html
    b.importo = Decimal("-1")
    with pytest.raises(IntegrityError), transaction.atomic():
        b.save()
