"""Demo pacts: every status, a renewal chain, signatories from the demo registry,
commitments, projects with budgets and monitoring indicators.

Runs after ``quartiere.demo`` and ``laboratori.demo``. Idempotent and deterministic:
pacts are matched by ``codice`` and an existing one is left alone. Statuses are reached
through the workflow service, so each demo pact has a real status history (and the
signed ones a frozen printable document).
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.contrib.auth import get_user_model

from laboratori.models import Laboratorio
from patti import services
from patti.models import Firmatario, Impegno, Indicatore, Misurazione, Patto, Progetto
from quartiere.registro.models import Organizzazione, Persona
from quartiere.territorio.models import Quartiere

S = Patto.Stato

# The workflow path from "proposta" to each status.
PERCORSI = {
    S.PROPOSTA: [],
    S.ISTRUTTORIA: [S.ISTRUTTORIA],
    S.CO_PROGETTAZIONE: [S.ISTRUTTORIA, S.CO_PROGETTAZIONE],
    S.APPROVATO: [S.ISTRUTTORIA, S.CO_PROGETTAZIONE, S.APPROVATO],
    S.FIRMATO: [S.ISTRUTTORIA, S.CO_PROGETTAZIONE, S.APPROVATO, S.FIRMATO],
    S.IN_ATTUAZIONE: [S.ISTRUTTORIA, S.APPROVATO, S.FIRMATO, S.IN_ATTUAZIONE],
    S.CONCLUSO: [S.ISTRUTTORIA, S.APPROVATO, S.FIRMATO, S.IN_ATTUAZIONE, S.CONCLUSO],
    S.SOSPESO: [S.ISTRUTTORIA, S.APPROVATO, S.FIRMATO, S.IN_ATTUAZIONE, S.SOSPESO],
    S.REVOCATO: [S.ISTRUTTORIA, S.APPROVATO, S.FIRMATO, S.REVOCATO],
    S.RESPINTO: [S.ISTRUTTORIA, S.RESPINTO],
}

# Signatory specs: ("comune", office) | (type, "ORG-0xx") | ("volontario", person number).
PATTI = [
    {
        "codice": "DEMO-PAT-01",
        "titolo": "Cortili curati in via Abbiati",
        "quartiere": "san-siro",
        "laboratorio": "DEMO-LAB-SS1",
        "livello": "cura_costante",
        "stato": S.CONCLUSO,
        "firma": datetime.date(2023, 4, 18),
        "mesi": 12,
        "luogo": "Cortili di via Abbiati 4–12",
        "punto": (45.4675, 9.1372),
        "firmatari": [
            ("comune", "Direzione Quartieri e Municipi"),
            ("associazione", "ORG-001"),
            ("volontario", 1),
            ("volontario", 7),
            ("attivita_economica", "ORG-008"),
        ],
        "progetti": [
            ("Aiuole e panchine nei cortili", "cura_citta", "4800.00"),
            ("Merende di cortile", "cura_comunita", "1200.00"),
        ],
        "indicatori": [("Cortili curati", "cortili", "6", ["2", "5"])],
        "rendicontazione": (
            "Sei cortili curati su sei; 14 pomeriggi di animazione; 38 abitanti coinvolti. "
            "Criticità: irrigazione estiva."
        ),
    },
    {
        "codice": "DEMO-PAT-02",
        "titolo": "Cortili curati in via Abbiati (rinnovo 2024)",
        "quartiere": "san-siro",
        "laboratorio": "DEMO-LAB-SS1",
        "livello": "cura_costante",
        "stato": S.CONCLUSO,
        "firma": datetime.date(2024, 4, 22),
        "mesi": 12,
        "rinnova": "DEMO-PAT-01",
        "luogo": "Cortili di via Abbiati 4–12",
        "punto": (45.4675, 9.1372),
        "firmatari": [
            ("comune", "Direzione Quartieri e Municipi"),
            ("associazione", "ORG-001"),
            ("associazione", "ORG-010"),
            ("volontario", 1),
        ],
        "progetti": [("Orto di cortile", "cura_citta", "3500.00")],
        "indicatori": [("Cortili curati", "cortili", "8", ["6", "8"])],
        "rendicontazione": "Otto cortili curati; nato l'orto di cortile con la biblioteca.",
    },
    {
        "codice": "DEMO-PAT-03",
        "titolo": "Cortili curati in via Abbiati (rinnovo 2025)",
        "quartiere": "san-siro",
        "laboratorio": "DEMO-LAB-SS1",
        "livello": "gestione_condivisa",
        "stato": S.IN_ATTUAZIONE,
        "firma": datetime.date(2025, 5, 6),
        "mesi": 24,
        "rinnova": "DEMO-PAT-02",
        "luogo": "Cortili di via Abbiati 4–12",
        "punto": (45.4675, 9.1372),
        "firmatari": [
            ("comune", "Direzione Quartieri e Municipi"),
            ("associazione", "ORG-001"),
            ("associazione", "ORG-010"),
            ("volontario", 1),
            ("volontario", 13),
        ],
        "progetti": [
            ("Orto di cortile", "cura_citta", "2500.00"),
            ("Biblioteca di condominio", "cura_comunita", "1800.00"),
        ],
        "indicatori": [("Prestiti della biblioteca", "prestiti", "300", ["45", "120"])],
    },
    {
        "codice": "DEMO-PAT-04",
        "titolo": "Piazza Selinunte: sabati in piazza",
        "quartiere": "san-siro",
        "laboratorio": "DEMO-LAB-SS2",
        "livello": "cura_occasionale",
        "stato": S.FIRMATO,
        "firma": datetime.date(2026, 3, 10),
        "mesi": 6,
        "luogo": "Piazza Selinunte",
        "punto": (45.4694, 9.1417),
        "firmatari": [
            ("comune", "Municipio 7"),
            ("attivita_economica", "ORG-008"),
            ("gruppo_informale", "ORG-002"),
        ],
        "progetti": [("Sabati in piazza", "cura_comunita", "900.00")],
    },
    {
        "codice": "DEMO-PAT-05",
        "titolo": "Giardino condiviso del Lorenteggio",
        "quartiere": "lorenteggio",
        "laboratorio": "DEMO-LAB-LO1",
        "livello": "gestione_condivisa",
        "stato": S.APPROVATO,
        "firmatari": [("comune", "Direzione Verde"), ("gruppo_informale", "ORG-002")],
        "progetti": [("Recinzione e attrezzi", "cura_citta", "6000.00")],
        "luogo": "Area verde di via Giambellino",
        "punto": (45.4512, 9.1302),
    },
    {
        "codice": "DEMO-PAT-06",
        "titolo": "Murales del sottopasso di Gratosoglio",
        "quartiere": "gratosoglio",
        "laboratorio": "DEMO-LAB-GR1",
        "livello": "rigenerazione",
        "tipo": "complesso",
        "stato": S.IN_ATTUAZIONE,
        "firma": datetime.date(2025, 9, 15),
        "mesi": 18,
        "luogo": "Sottopasso di via dei Missaglia",
        "punto": (45.4101, 9.1735),
        "firmatari": [
            ("comune", "Direzione Quartieri e Municipi"),
            ("associazione", "ORG-003"),
            ("associazione", "ORG-007"),
            ("volontario", 3),
            ("volontario", 9),
            ("volontario", 15),
        ],
        "progetti": [
            ("Pulizia e murales", "cura_citta", "15000.00"),
            ("Laboratori di street art per ragazzi", "cura_comunita", "4000.00"),
        ],
        "indicatori": [("Ragazzi coinvolti", "ragazzi", "40", ["12", "27"])],
    },
    {
        "codice": "DEMO-PAT-07",
        "titolo": "Parco di Ponte Lambro: custodi del verde",
        "quartiere": "ponte-lambro",
        "livello": "cura_costante",
        "stato": S.SOSPESO,
        "firma": datetime.date(2024, 10, 1),
        "mesi": 24,
        "luogo": "Parco di via Ucelli di Nemi",
        "punto": (45.4385, 9.2641),
        "firmatari": [
            ("comune", "Direzione Verde"),
            ("associazione", "ORG-004"),
            ("associazione", "ORG-012"),
        ],
        "progetti": [("Sfalci e cura delle aiuole", "cura_citta", "2200.00")],
    },
    {
        "codice": "DEMO-PAT-08",
        "titolo": "Doposcuola alla Calvairate",
        "quartiere": "molise-calvairate",
        "livello": "cura_costante",
        "stato": S.REVOCATO,
        "firma": datetime.date(2024, 1, 20),
        "mesi": 12,
        "firmatari": [("comune", "Direzione Educazione"), ("scuola", "ORG-005")],
        "progetti": [],
    },
    {
        "codice": "DEMO-PAT-09",
        "titolo": "Orti condivisi di via Mompiani",
        "quartiere": "mazzini",
        "livello": "gestione_condivisa",
        "stato": S.CO_PROGETTAZIONE,
        "firmatari": [
            ("comune", "Direzione Verde"),
            ("gruppo_informale", "ORG-011"),
            ("altro_ente", "ORG-006"),
        ],
        "progetti": [("Orti e compostiera", "cura_citta", "3000.00")],
    },
    {
        "codice": "DEMO-PAT-10",
        "titolo": "Portierato sociale nelle torri",
        "quartiere": "gratosoglio",
        "livello": "cura_costante",
        "stato": S.ISTRUTTORIA,
        "firmatari": [("associazione", "ORG-003")],
        "progetti": [],
    },
    {
        "codice": "DEMO-PAT-11",
        "titolo": "Wi-Fi di comunità in piazza",
        "quartiere": "lorenteggio",
        "livello": "cura_occasionale",
        "stato": S.PROPOSTA,
        "firmatari": [("volontario", 20)],
        "progetti": [],
    },
    {
        "codice": "DEMO-PAT-12",
        "titolo": "Parcheggio custodito dai volontari",
        "quartiere": "mazzini",
        "livello": "cura_occasionale",
        "stato": S.RESPINTO,
        "firmatari": [],
        "progetti": [],
    },
]


def _aggiungi_mesi(giorno: datetime.date, mesi: int) -> datetime.date:
    mese = giorno.month - 1 + mesi
    anno = giorno.year + mese // 12
    return datetime.date(anno, mese % 12 + 1, min(giorno.day, 28)) - datetime.timedelta(days=1)


def _crea(dati, quartieri, organizzazioni, persone, autore) -> Patto | None:
    quartiere = quartieri.get(dati["quartiere"])
    if quartiere is None:
        return None
    firma = dati.get("firma")
    rinnova = Patto.objects.filter(codice=dati["rinnova"]).first() if dati.get("rinnova") else None
    lat, lon = dati.get("punto", (None, None))
    patto = Patto(
        codice=dati["codice"],
        numero=dati["codice"].replace("DEMO-PAT-", f"{firma.year if firma else 2026}/D"),
        titolo=dati["titolo"],
        quartiere=quartiere,
        laboratorio=Laboratorio.objects.filter(codice=dati.get("laboratorio") or "-").first(),
        tipo=dati.get("tipo", "ordinario"),
        livello=dati["livello"],
        bene_materiale=True,
        bene_immateriale=dati["livello"] != "cura_occasionale",
        beni_descrizione=dati.get("luogo", ""),
        luogo=dati.get("luogo", ""),
        lat=lat,
        lon=lon,
        finalita=(
            "Prendersi cura insieme di un bene comune del quartiere, migliorarne la qualità "
            "e la fruizione da parte di tutti gli abitanti."
        ),
        sostegno_materiali=True,
        sostegno_assicurazione=True,
        sostegno_formazione=dati["livello"] in {"gestione_condivisa", "rigenerazione"},
        sostegno_spazi=dati["livello"] == "gestione_condivisa",
        copertura_assicurativa="Polizza infortuni e responsabilità civile del Comune.",
        data_inizio=firma,
        data_fine=_aggiungi_mesi(firma, dati["mesi"]) if firma else None,
        rinnova=rinnova,
    )
    services.crea_patto(patto, da=autore, nota="Dati dimostrativi")
    for ordine, (tipo, chi) in enumerate(dati["firmatari"]):
        firmatario = Firmatario(patto=patto, tipo=tipo, ordine=ordine)
        if tipo == "comune":
            firmatario.ufficio = chi
            firmatario.rappresentante = "Il dirigente del settore"
        elif tipo == "volontario":
            if len(persone) < chi:
                continue
            firmatario.persona = persone[chi - 1]
        else:
            if chi not in organizzazioni:
                continue
            firmatario.organizzazione = organizzazioni[chi]
            firmatario.rappresentante = "Il legale rappresentante"
        firmatario.save()
        descrizioni = {
            "comune": ["Fornire materiali e attrezzature", "Garantire la copertura assicurativa"],
            "volontario": ["Partecipare alle giornate di cura"],
        }.get(tipo, ["Coordinare le attività dei volontari", "Rendicontare ogni sei mesi"])
        Impegno.objects.bulk_create(
            [
                Impegno(
                    firmatario=firmatario,
                    descrizione=d,
                    scadenza=_aggiungi_mesi(firma, 6) if firma and i else None,
                    svolto=dati["stato"] == S.CONCLUSO,
                )
                for i, d in enumerate(descrizioni)
            ]
        )
    for numero, (titolo, ambito, budget) in enumerate(dati["progetti"], start=1):
        Progetto.objects.create(
            codice=f"{dati['codice']}-PR{numero}",
            patto=patto,
            titolo=titolo,
            ambito=ambito,
            budget=Decimal(budget),
            cofinanziamento=(Decimal(budget) * Decimal("0.2")).quantize(Decimal("0.01")),
            avanzamento=100 if dati["stato"] == S.CONCLUSO else 40 if firma else 0,
        )
    for nome, unita, obiettivo, valori in dati.get("indicatori", []):
        indicatore = Indicatore.objects.create(
            patto=patto, nome=nome, unita=unita, obiettivo=Decimal(obiettivo)
        )
        Misurazione.objects.bulk_create(
            [
                Misurazione(
                    indicatore=indicatore, data=_aggiungi_mesi(firma, 3 * (i + 1)), valore=v
                )
                for i, v in enumerate(valori)
            ]
        )
    for stato in PERCORSI[dati["stato"]]:
        services.cambia_stato(
            patto,
            stato,
            da=autore,
            data_firma=firma,
            atto_tipo="determina",
            atto_numero=f"{(firma or datetime.date(2026, 1, 1)).year}/{200 + len(stato)}",
            atto_data=(firma - datetime.timedelta(days=20))
            if firma
            else datetime.date(2026, 1, 15),
            controlla_permesso=False,
        )
    if dati.get("rendicontazione"):
        Patto.objects.filter(pk=patto.pk).update(
            rendicontazione=dati["rendicontazione"],
            rendicontazione_data=patto.data_fine if firma else None,
        )
    return patto


def popola(stdout=None) -> None:
    quartieri = {q.codice: q for q in Quartiere.objects.all()}
    organizzazioni = {
        o.codice: o for o in Organizzazione.objects.filter(codice__startswith="ORG-0")
    }
    persone = list(Persona.objects.filter(codice__startswith="DEMO-P").order_by("codice"))
    autore = get_user_model().objects.filter(username="coordinatore").first()
    creati = 0
    for dati in PATTI:
        if Patto.objects.filter(codice=dati["codice"]).exists():
            continue
        if _crea(dati, quartieri, organizzazioni, persone, autore):
            creati += 1
    if _integra_murales(persone, autore):
        creati += 1
    if stdout:
        stdout.write(f"  patti: {creati} patti dimostrativi creati")


def _integra_murales(persone, autore) -> bool:
    """A supplementary act of the Gratosoglio murals pact, signed: one more volunteer and
    six more months. The pact becomes «integrato» and the act is what is in force."""
    originale = Patto.objects.filter(codice="DEMO-PAT-06").first()
    if originale is None or originale.stato != S.IN_ATTUAZIONE or len(persone) < 21:
        return False
    atto = services.integra(
        originale,
        da=autore,
        motivo="Si aggiunge una volontaria per i laboratori e si proroga la durata di sei mesi.",
    )
    ultimo = atto.firmatari.order_by("-ordine").first()
    volontaria = Firmatario.objects.create(
        patto=atto, tipo="volontario", persona=persone[20], ordine=ultimo.ordine + 1
    )
    Impegno.objects.create(firmatario=volontaria, descrizione="Condurre i laboratori del sabato")
    Patto.objects.filter(pk=atto.pk).update(data_fine=_aggiungi_mesi(atto.data_fine, 6))
    firma = datetime.date(2026, 4, 20)
    for stato in (S.ISTRUTTORIA, S.APPROVATO, S.FIRMATO):
        services.cambia_stato(
            atto,
            stato,
            da=autore,
            data_firma=firma,
            atto_tipo="determina",
            atto_numero="2026/311",
            atto_data=datetime.date(2026, 4, 2),
            controlla_permesso=False,
        )
    return True
