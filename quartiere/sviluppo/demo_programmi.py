"""The demo's funded programmes (issue 19), with the figures of the seed documents: Latina's
mediation service (CUP B29J16002670001, €361,620, "Programma straordinario periferie", 36
months), Milan's Laboratorio Sociale Lorenteggio (five axes A–E, a contract of €828,415.20 and
a renewal of €138,069.20 to an ATI, POR FSE) and "Abitare in borgo" (PON Metro MI3.1.1.a,
€281,250 programmed). Dates are the demo's, so that today's activity falls inside them; the
amounts committed and paid beyond the seeds' figures are the demo's too."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from quartiere.programmi.models import Affidamento, Finanziamento, Intervento, Programma
from quartiere.registro.models import Organizzazione
from quartiere.territorio.models import Quartiere

ASSI_LORENTEGGIO = [
    (
        "A",
        "Tecnica",
        "Supporto tecnico e sociale alle attività di riqualificazione edilizia e "
        "infrastrutturale: ascolto, coinvolgimento delle famiglie e dei soggetti locali, "
        "prevenzione e mediazione dei conflitti legati ai cantieri.",
    ),
    (
        "B",
        "Qualità dell'abitare e inclusione sociale",
        "Rafforzare il presidio locale, sviluppare la comunità per una migliore qualità "
        "dell'abitare quotidiano, promuovere il dialogo.",
    ),
    (
        "C",
        "Innovazione sociale e gestione dell'abitare",
        "Sperimentare processi innovativi per la gestione di uno spazio polifunzionale e una "
        "rete locale che funzioni in autonomia.",
    ),
    (
        "D",
        "Comunicazione, informazione e promozione",
        "Informare i residenti e la rete cittadina sull'attuazione del programma e "
        "sull'avanzamento dei lavori.",
    ),
    (
        "E",
        "Supporto al monitoraggio",
        "Supporto all'amministrazione nel monitoraggio del servizio di accompagnamento sociale.",
    ),
]

# From the Latina service's technical report: what the operators of the service do.
ASSI_LATINA = [
    ("A", "Ascolto del territorio e laboratori di cittadinanza"),
    ("B", "Mediazione sociale dei conflitti"),
    ("C", "Patti di cittadinanza e progetti condivisi"),
]

ATI_LORENTEGGIO = [
    ("ORG-ATI-1", "Cooperativa Sociale Capofila Lorenteggio"),
    ("ORG-ATI-2", "Consorzio Servizi Abitare"),
    ("ORG-ATI-3", "Associazione Mediazione e Comunità"),
    ("ORG-ATI-4", "Studio Tecnico Rigenerazione"),
    ("ORG-ATI-5", "Cooperativa Comunicazione Sociale"),
]


def popola_programmi(stdout=None) -> None:
    quartieri = {q.codice: q for q in Quartiere.objects.all()}
    oggi = date.today()
    inizio_lorenteggio = date(oggi.year - 2, 1, 1)

    latina, _ = Programma.objects.get_or_create(
        codice="latina-periferie",
        defaults=dict(
            nome="Mediazione sociale: recupero urbano integrato",
            finanziatore="Presidenza del Consiglio dei Ministri",
            strumento=Programma.Strumento.PERIFERIE,
            cup="B29J16002670001",
            rup="Ufficio Progetti Unione Europea",
            inizio=date(oggi.year - 1, 1, 1),
            fine=date(oggi.year + 1, 12, 31),
            descrizione=(
                "«Latina anche città di mare: volano di riqualificazione urbana». Servizio di "
                "36 mesi: operatori di quartiere, laboratori di cittadinanza, patti, sportello "
                "di mediazione dei conflitti, Sala della Città condivisa."
            ),
        ),
    )
    for codice, titolo in ASSI_LATINA:
        latina.assi.get_or_create(codice=codice, defaults={"titolo": titolo})
    Finanziamento.objects.get_or_create(
        programma=latina,
        data=latina.inizio,
        defaults=dict(
            programmato=Decimal("361620.00"),
            ammesso=Decimal("361620.00"),
            impegnato=Decimal("361620.00"),
            erogato=Decimal("120540.00"),
            atto="Convenzione con la Presidenza del Consiglio dei Ministri",
        ),
    )

    lorenteggio, creato = Programma.objects.get_or_create(
        codice="lorenteggio-por-fse",
        defaults=dict(
            nome="Laboratorio Sociale Lorenteggio",
            finanziatore="Regione Lombardia",
            strumento=Programma.Strumento.POR_FSE,
            inizio=inizio_lorenteggio,
            fine=date(oggi.year + 1, 6, 30),
            descrizione="Accompagnamento sociale al programma di sviluppo urbano del quartiere.",
        ),
    )
    if creato:
        lorenteggio.quartieri.set([quartieri[c] for c in ("lorenteggio",) if c in quartieri])
        for codice, titolo, obiettivi in ASSI_LORENTEGGIO:
            lorenteggio.assi.create(codice=codice, titolo=titolo, obiettivi=obiettivi)
        b = lorenteggio.assi.get(codice="B")
        b.indicatori.create(
            nome="Persone ascoltate allo sportello", unita="persone", obiettivo=Decimal("400")
        )
        Finanziamento.objects.create(
            programma=lorenteggio,
            data=inizio_lorenteggio,
            programmato=Decimal("966484.40"),
            ammesso=Decimal("966484.40"),
            impegnato=Decimal("828415.20"),
            erogato=Decimal("310000.00"),
            atto="Determina di aggiudicazione del servizio",
        )
        membri = [
            Organizzazione.objects.get_or_create(
                codice=codice, defaults=dict(nome=nome, tipo="cooperativa_sociale")
            )[0]
            for codice, nome in ATI_LORENTEGGIO
        ]
        contratto = Affidamento.objects.create(
            programma=lorenteggio,
            oggetto="Servizio di accompagnamento sociale – Laboratorio Sociale Lorenteggio",
            fornitore=membri[0],
            importo=Decimal("828415.20"),
            inizio=inizio_lorenteggio,
            fine=date(oggi.year, 12, 31),
        )
        contratto.membri.set(membri[1:])
        contratto.rinnovi.create(
            inizio=date(oggi.year + 1, 1, 1),
            fine=date(oggi.year + 1, 6, 30),
            importo=Decimal("138069.20"),
            atto="Determina di rinnovo",
        )

    borgo, creato = Programma.objects.get_or_create(
        codice="abitare-in-borgo",
        defaults=dict(
            nome="Abitare in borgo",
            finanziatore="Agenzia per la Coesione Territoriale",
            strumento=Programma.Strumento.PON_METRO,
            inizio=date(oggi.year - 1, 3, 1),
            fine=date(oggi.year + 1, 12, 31),
            descrizione=(
                "PON Metro MI3.1.1.a: accompagnamento abitativo degli inquilini degli alloggi "
                "sociali ristrutturati."
            ),
        ),
    )
    if creato:
        borgo.quartieri.set([quartieri[c] for c in ("gratosoglio",) if c in quartieri])
        Finanziamento.objects.create(
            programma=borgo,
            data=borgo.inizio,
            programmato=Decimal("281250.00"),
            ammesso=Decimal("281250.00"),
            impegnato=Decimal("0"),
            erogato=Decimal("0"),
            atto="Ammissione a finanziamento PON Metro",
        )
    _cantieri(lorenteggio, quartieri.get("lorenteggio"), oggi)
    if stdout:
        stdout.write("  programmi: Latina (periferie), Lorenteggio (POR FSE), Abitare in borgo")


def _cantieri(programma: Programma, quartiere, oggi: date) -> None:
    """Works of the Lorenteggio programme, with the notices to residents the seed describes
    ("monitoraggio cantieri e relative informazioni ai residenti")."""
    if quartiere is None or programma.interventi.exists():
        return
    facciate = Intervento.objects.create(
        programma=programma,
        quartiere=quartiere,
        titolo="Riqualificazione delle facciate e dei cortili, lotto 2",
        luogo="Via Lorenteggio 181 e cortili interni",
        descrizione=(
            "Rifacimento delle facciate, nuovi impianti e cortili accessibili. Le famiglie "
            "restano nei loro alloggi; l'ufficio di quartiere accompagna ogni scala."
        ),
        stato=Intervento.Stato.IN_CORSO,
        inizio_previsto=oggi - timedelta(days=90),
        inizio_effettivo=oggi - timedelta(days=80),
        fine_prevista=oggi + timedelta(days=240),
    )
    facciate.avvisi.create(
        titolo="Ponteggi in via Lorenteggio 181",
        testo=(
            "Da lunedì i ponteggi coprono l'ingresso della scala C: si entra dal cortile "
            "interno. Per informazioni: sportello dell'ufficio di quartiere, martedì 9-12."
        ),
        dal=oggi - timedelta(days=3),
        al=oggi + timedelta(days=30),
    )
    Intervento.objects.create(
        programma=programma,
        quartiere=quartiere,
        titolo="Nuovo spazio polifunzionale al piano terra",
        luogo="Via Giambellino 150",
        stato=Intervento.Stato.PROGRAMMATO,
        inizio_previsto=oggi + timedelta(days=60),
        fine_prevista=oggi + timedelta(days=420),
    )


def attribuisci_demo(attivita, codice_asse: str, programma: str = "latina-periferie") -> int:
    """Attribute some of the demo's activities to an axis of a demo programme, as an operator
    does: through the activity's ``clean()`` (an activity outside the programme's dates or
    quartieri is left alone) and ``save()`` (its history records the change)."""
    from django.core.exceptions import ValidationError

    from quartiere.programmi.models import Asse

    asse = Asse.objects.filter(programma__codice=programma, codice=codice_asse).first()
    if asse is None:
        return 0
    fatte = 0
    for voce in attivita:
        voce.asse = asse
        try:
            voce.clean()
        except ValidationError:
            continue
        voce.save()
        fatte += 1
    return fatte


# Which axis of Latina's programme (which covers the whole Comune) pays for each kind of the
# demo's activities. Models of apps that are not installed are skipped.
ASSI_DEMO = {
    "quartiere.attivitadiario": "A",
    "laboratori.incontro": "A",
    "segnalazioni.segnalazione": "A",
    "mediazione.dossier": "B",
    "patti.patto": "C",
    "abitare.percorso": "A",
}
ATTRIBUITE_PER_TIPO = 40


def popola(stdout=None) -> None:
    """The last step of ``seed_demo``: once every app has made its activities, attribute the
    most recent ones to the demo programmes, so that a programme's page has figures."""
    from django.apps import apps

    fatte = 0
    for etichetta, asse in ASSI_DEMO.items():
        try:
            modello = apps.get_model(etichetta)
        except LookupError:
            continue
        if modello.objects.filter(asse__isnull=False).exists():
            continue  # already done: seed_demo runs once
        recenti = modello.objects.order_by("-pk")[:ATTRIBUITE_PER_TIPO]
        fatte += attribuisci_demo(list(recenti), asse)
    if stdout:
        stdout.write(f"  programmi: {fatte} attività attribuite agli assi")
