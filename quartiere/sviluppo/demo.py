"""Demo data of the core: the Milan quartieri of the seed documents, the Latina hall,
persons, organisations and the demo accounts. Idempotent: rows are matched by their
natural keys, so running it again changes nothing."""

from __future__ import annotations

import random
from datetime import date, time

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from quartiere.privacy.models import Informativa
from quartiere.registro.models import Organizzazione, Persona
from quartiere.territorio.models import (
    ConfineComune,
    Indirizzo,
    OrarioApertura,
    ProfiloStaff,
    Quartiere,
    Sede,
)

PASSWORD_DEMO = "quartiere-demo"

# Figures from the Comune di Milano presentation of the Laboratori di Quartiere (2023).
QUARTIERI = [
    ("san-siro", "San Siro", "Municipio 7", 6647, None, 4647, 45.4680, 9.1380),
    ("lorenteggio", "Lorenteggio", "Municipio 6", 4200, None, 2677, 45.4500, 9.1290),
    ("gratosoglio", "Gratosoglio", "Municipio 5", 4656, 2602, 2091, 45.4090, 9.1720),
    ("ponte-lambro", "Ponte Lambro", "Municipio 4", 1212, 537, 372, 45.4380, 9.2630),
    ("molise-calvairate", "Molise-Calvairate", "Municipio 4", 3846, 2596, 2487, 45.4560, 9.2220),
    ("mazzini", "Mazzini", "Municipio 4", 5309, 2600, 1143, 45.4420, 9.2140),
]

SEDI = {
    "san-siro": ("Laboratorio di Quartiere San Siro", "Via Abbiati 4"),
    "lorenteggio": ("Laboratorio Sociale Lorenteggio", "Via Lorenteggio 181"),
    "gratosoglio": ("Laboratorio di Quartiere Gratosoglio", "Via Saponaro 20"),
    "ponte-lambro": ("Laboratorio di Quartiere Ponte Lambro", "Via Ucelli di Nemi 30"),
    "molise-calvairate": ("Laboratorio di Quartiere Molise-Calvairate", "Via Molise 62"),
    "mazzini": ("Laboratorio di Quartiere Mazzini", "Via Mompiani 5"),
}

# The demo's street register, for the report's address search (a Comune loads its own with
# manage.py carica_stradario): streets of each quartiere, their points set in rows around
# the quartiere's centre, approximate, demo only.
STRADARIO_DEMO = {
    "san-siro": ["Via Abbiati", "Piazzale Selinunte", "Via Paravia", "Via Tracia", "Via Zamagna"],
    "lorenteggio": ["Via Lorenteggio", "Via Giambellino", "Via Segneri", "Via Odazio"],
    "gratosoglio": ["Via Saponaro", "Via dei Missaglia", "Via Costantino Baroni", "Via Feraboli"],
    "ponte-lambro": ["Via Ucelli di Nemi", "Via Serrati", "Via Camaldoli", "Via Vittorini"],
    "molise-calvairate": ["Via Molise", "Via Ravenna", "Via Calvairate", "Via Comacchio"],
    "mazzini": ["Via Mompiani", "Via dei Cinquecento", "Via Barzoni", "Via Tommei"],
}
CIVICI_DEMO = ["", "1", "2", "4", "5", "10", "20", "30", "62", "181"]

ACCOUNT = [
    # username, first name, last name, group, superuser, quartieri
    ("admin", "Amministratore", "di sistema", "amministratore", True, []),
    ("coordinatore", "Chiara", "Colombo", "coordinatore", False, []),
    ("dirigente", "Davide", "Ferri", "dirigente", False, []),
    ("mediatore", "Marta", "Galli", "mediatore", False, []),
    ("operatore.sansiro", "Sara", "Bianchi", "operatore", False, ["san-siro", "lorenteggio"]),
    ("operatore.gratosoglio", "Luca", "Rossi", "operatore", False, ["gratosoglio", "ponte-lambro"]),
]

NOMI = [
    "Giulia",
    "Marco",
    "Francesca",
    "Alessandro",
    "Fatima",
    "Ahmed",
    "Elena",
    "Giorgio",
    "Aurora",
    "Matteo",
    "Sofia",
    "Lorenzo",
    "Nadia",
    "Youssef",
    "Anna",
    "Paolo",
    "Maria",
    "Giuseppe",
    "Ioana",
    "Chen",
    "Rosa",
    "Antonio",
    "Lucia",
    "Karim",
]
COGNOMI = [
    "Rossi",
    "Russo",
    "Ferrari",
    "Esposito",
    "Bianchi",
    "Romano",
    "Colombo",
    "Ricci",
    "Marino",
    "Greco",
    "Bruno",
    "Gallo",
    "Conti",
    "De Luca",
    "Mancini",
    "Costa",
    "El Amrani",
    "Popescu",
    "Wang",
    "Moretti",
    "Barbieri",
    "Fontana",
    "Santoro",
    "Mariani",
]

ORGANIZZAZIONI = [
    ("ORG-001", "Associazione Inquilini San Siro", "associazione", "san-siro"),
    ("ORG-002", "Comitato Abitanti Lorenteggio", "gruppo_informale", "lorenteggio"),
    ("ORG-003", "Cooperativa Sociale La Comune", "cooperativa_sociale", "gratosoglio"),
    ("ORG-004", "ODV Amici del Parco Ponte Lambro", "aps_odv", "ponte-lambro"),
    ("ORG-005", "Istituto Comprensivo Calvairate", "scuola", "molise-calvairate"),
    ("ORG-006", "Parrocchia San Michele e Santa Rita", "ente_ecclesiastico", "mazzini"),
    ("ORG-007", "Polisportiva Gratosoglio", "societa_sportiva", "gratosoglio"),
    ("ORG-008", "Bar Tabacchi Piazza Selinunte", "attivita_economica", "san-siro"),
    ("ORG-009", "ALER Milano – Unità territoriale", "ente_pubblico", None),
    ("ORG-010", "APS Biblioteca di Condominio", "aps_odv", "san-siro"),
    ("ORG-011", "Orti Condivisi Mazzini", "gruppo_informale", "mazzini"),
    ("ORG-012", "Associazione Genitori Ponte Lambro", "associazione", "ponte-lambro"),
]


# Approximate boundaries, for the demo only (a Comune loads its own with carica_confini):
# a rectangle of about 1.4 × 1.3 km around each quartiere's centre, and an octagon around
# Milan for the Comune.
MEZZA_ALTEZZA, MEZZA_LARGHEZZA = 0.0065, 0.0085
CONFINE_COMUNE_DEMO = {
    "type": "Polygon",
    "coordinates": [
        [
            [9.04, 45.43],
            [9.08, 45.39],
            [9.16, 45.386],
            [9.24, 45.39],
            [9.278, 45.43],
            [9.278, 45.50],
            [9.22, 45.536],
            [9.10, 45.536],
            [9.04, 45.50],
            [9.04, 45.43],
        ]
    ],
}


def confine_demo(lat: float, lon: float) -> dict:
    sud, nord = lat - MEZZA_ALTEZZA, lat + MEZZA_ALTEZZA
    ovest, est = lon - MEZZA_LARGHEZZA, lon + MEZZA_LARGHEZZA
    anello = [[ovest, sud], [est, sud], [est, nord], [ovest, nord], [ovest, sud]]
    return {"type": "Polygon", "coordinates": [anello]}


def popola(stdout=None) -> None:
    quartieri = {}
    for codice, nome, municipio, abitanti, famiglie, alloggi, lat, lon in QUARTIERI:
        q, _ = Quartiere.objects.get_or_create(
            codice=codice,
            defaults=dict(
                nome=nome,
                municipio=municipio,
                abitanti=abitanti,
                famiglie=famiglie,
                alloggi_erp=alloggi,
                lat=lat,
                lon=lon,
                confine=confine_demo(lat, lon),
            ),
        )
        quartieri[codice] = q
    ConfineComune.objects.get_or_create(id=1, defaults={"confine": CONFINE_COMUNE_DEMO})

    for codice, (nome, indirizzo) in SEDI.items():
        sede, creata = Sede.objects.get_or_create(
            nome=nome,
            indirizzo=indirizzo,
            defaults=dict(
                tipo=Sede.Tipo.UFFICIO,
                quartiere=quartieri[codice],
                citta="Milano",
                lat=quartieri[codice].lat,
                lon=quartieri[codice].lon,
            ),
        )
        if creata:
            OrarioApertura.objects.bulk_create(
                [
                    OrarioApertura(
                        sede=sede,
                        giorno=0,
                        apre=time(9),
                        chiude=time(12, 30),
                        nota="sportello di ascolto",
                    ),
                    OrarioApertura(
                        sede=sede,
                        giorno=2,
                        apre=time(14),
                        chiude=time(18),
                        nota="sportello di ascolto",
                    ),
                    OrarioApertura(sede=sede, giorno=4, apre=time(9), chiude=time(13)),
                ]
            )
    for codice, vie in STRADARIO_DEMO.items():
        q = quartieri[codice]
        if q.lat is None or q.lon is None:
            continue  # a quartiere made before, without a centre to place the streets around
        for riga, via in enumerate(vie):
            for colonna, civico in enumerate(CIVICI_DEMO):
                Indirizzo.objects.get_or_create(
                    via=via,
                    civico=civico,
                    defaults=dict(
                        lat=round(q.lat + (riga - len(vie) / 2) * 0.0012, 6),
                        lon=round(q.lon - 0.004 + colonna * 0.0008, 6),
                        quartiere=q,
                    ),
                )
    sala, creata = Sede.objects.get_or_create(
        nome="Sala della Città condivisa",
        indirizzo="Viale XVIII Dicembre 124",
        defaults=dict(
            tipo=Sede.Tipo.SALA,
            citta="Latina",
            prenotabile=True,
            lat=41.4676,
            lon=12.9037,
            descrizione=(
                "Sala civica del servizio di mediazione sociale, con calendario d'uso "
                "concordato con il Comune."
            ),
        ),
    )
    if creata:
        OrarioApertura.objects.bulk_create(
            [
                OrarioApertura(
                    sede=sala, giorno=1, apre=time(9), chiude=time(13), nota="sportello di ascolto"
                ),
                OrarioApertura(
                    sede=sala, giorno=3, apre=time(15), chiude=time(19), nota="sportello di ascolto"
                ),
            ]
        )

    User = get_user_model()
    for username, nome, cognome, gruppo, superuser, codici in ACCOUNT:
        user, creato = User.objects.get_or_create(
            username=username,
            defaults=dict(
                first_name=nome,
                last_name=cognome,
                email=f"{username}@example.org",
                is_superuser=superuser,
                is_staff=gruppo in {"amministratore", "coordinatore"},
            ),
        )
        if creato:
            user.set_password(PASSWORD_DEMO)
            user.save(update_fields=["password"])
        user.groups.add(Group.objects.get(name=gruppo))
        profilo, _ = ProfiloStaff.objects.get_or_create(utente=user)
        if codici:
            profilo.quartieri.add(*(quartieri[c] for c in codici))

    if not Persona.objects.filter(codice__startswith="DEMO-P").exists():
        rng = random.Random(2026)  # deterministic demo
        codici_q = [q[0] for q in QUARTIERI]
        persone = []
        informativa = Informativa.versione_corrente()
        for i in range(48):
            nome, cognome = rng.choice(NOMI), rng.choice(COGNOMI)
            consenso = rng.random() < 0.85
            persone.append(
                Persona(
                    codice=f"DEMO-P{i + 1:03d}",
                    nome=nome,
                    cognome=cognome,
                    email=f"{nome}.{cognome}{i}@example.org".lower().replace(" ", ""),
                    telefono=f"+39333{1000000 + i * 7919:07d}",
                    quartiere=quartieri[codici_q[i % len(codici_q)]],
                    consenso_privacy=consenso,
                    consenso_data=date(2025, 1 + i % 12, 1 + i % 27) if consenso else None,
                    informativa_versione=informativa if consenso else "",
                    consenso_pubblicazione=rng.random() < 0.3,
                )
            )
        for p in persone:
            p.save()

    for codice, nome, tipo, q in ORGANIZZAZIONI:
        Organizzazione.objects.get_or_create(
            codice=codice,
            defaults=dict(
                nome=nome,
                tipo=tipo,
                quartiere=quartieri.get(q) if q else None,
                email=f"{codice.lower()}@example.org",
            ),
        )
    if stdout:
        stdout.write("  registro: quartieri, sedi, account, persone e organizzazioni")
    popola_calendario_e_diario(stdout)
    from quartiere.sviluppo.demo_programmi import popola_programmi

    popola_programmi(stdout)


# --- Hall calendar and operators' diary (issue 7) --------------------------------------------


def _alle(giorno: date, ore: int, minuti: int = 0):
    from datetime import datetime

    from django.utils import timezone

    return timezone.make_aware(datetime.combine(giorno, time(ore, minuti)))


def _prossimo(giorno_settimana: int, da: date, settimane: int = 0) -> date:
    """The first ``giorno_settimana`` (0 = Monday) on or after ``da``, plus some weeks."""
    from datetime import timedelta

    return da + timedelta(days=(giorno_settimana - da.weekday()) % 7 + 7 * settimane)


def popola_calendario_e_diario(stdout=None) -> None:
    """Bookings (some weekly, some waiting for an answer) in the Latina hall and in the
    Milan offices, and the diary of the demo operators for this week and the four before.
    Idempotent: a booking is matched by its Sede and title, a diary by its operator."""
    from datetime import timedelta
    from decimal import Decimal

    from django.utils import timezone

    from quartiere.calendario.models import Prenotazione
    from quartiere.calendario.services import crea_prenotazione
    from quartiere.diario.models import AttivitaDiario

    User = get_user_model()
    oggi = timezone.localdate()
    lunedi = oggi - timedelta(days=oggi.weekday())
    coordinatore = User.objects.get(username="coordinatore")
    sala = Sede.objects.get(nome="Sala della Città condivisa")
    sedi = {
        s.quartiere.codice: s
        for s in Sede.objects.filter(quartiere__isnull=False).select_related("quartiere")
    }
    org = {o.codice: o for o in Organizzazione.objects.filter(codice__startswith="ORG-")}

    confermate = [
        # sede, title, organisation, weekday, start, end, weeks from now, public, repeat weeks
        (sala, "Scuola di italiano per adulti", "ORG-010", 0, (17, 30), (19, 30), 0, True, 12),
        (sala, "Prove del coro di quartiere", "ORG-012", 4, (18, 0), (20, 0), 0, False, 10),
        (sala, "Assemblea pubblica: il parco di Via Cilea", None, 2, (18, 0), (20, 0), 1, True, 0),
        (
            sala,
            "Riunione del Servizio Studi Progetti Comunitari",
            None,
            3,
            (10, 0),
            (12, 0),
            0,
            False,
            0,
        ),
        (sedi["san-siro"], "Cineforum di cortile", "ORG-001", 3, (20, 30), (22, 30), 0, True, 8),
        (sedi["san-siro"], "Sportello casa con ALER", "ORG-009", 1, (14, 0), (16, 0), 1, True, 0),
        (
            sedi["gratosoglio"],
            "Torneo di scacchi della Polisportiva",
            "ORG-007",
            5,
            (15, 0),
            (18, 0),
            2,
            True,
            0,
        ),
        (
            sedi["gratosoglio"],
            "Riunione di rete dei servizi sociali",
            None,
            1,
            (10, 0),
            (12, 30),
            0,
            False,
            0,
        ),
        (
            sedi["ponte-lambro"],
            "Merenda nel parco: presentazione del patto",
            "ORG-004",
            5,
            (16, 0),
            (18, 0),
            3,
            True,
            0,
        ),
    ]
    for sede, titolo, codice_org, giorno, (h1, m1), (h2, m2), tra, pubblico, ripeti in confermate:
        if Prenotazione.objects.filter(sede=sede, titolo=titolo).exists():
            continue
        primo = _prossimo(giorno, lunedi, tra)
        crea_prenotazione(
            sede=sede,
            titolo=titolo,
            descrizione="Aperto a tutte e tutti, ingresso libero." if pubblico else "",
            organizzazione=org.get(codice_org) if codice_org else None,
            organizzatore=None if codice_org else coordinatore,
            inizio=_alle(primo, h1, m1),
            fine=_alle(primo, h2, m2),
            pubblico=pubblico,
            ripeti_fino_al=primo + timedelta(weeks=ripeti - 1) if ripeti else None,
            conferma=True,
            da=coordinatore,
        )

    richieste = [
        # title, association, contact, weekday, weeks from now, start, end, public, repeat weeks
        (
            "Festa di fine anno dell'associazione",
            "APS Il Quartiere che Vorrei",
            "Giulia Marino",
            5,
            3,
            (16, 0),
            (19, 0),
            True,
            0,
        ),
        (
            "Laboratorio di teatro per ragazzi",
            "Compagnia Teatro di Cortile",
            "Marco Ricci",
            2,
            1,
            (16, 0),
            (18, 0),
            True,
            6,
        ),
        (
            "Corso di cucito",
            "Gruppo Mani Operose",
            "Fatima El Amrani",
            0,
            2,
            (10, 0),
            (12, 0),
            False,
            0,
        ),
    ]
    import uuid

    for titolo, ente, nome, giorno, tra, (h1, m1), (h2, m2), pubblico, ripeti in richieste:
        if Prenotazione.objects.filter(sede=sala, titolo=titolo).exists():
            continue
        primo = _prossimo(giorno, lunedi, tra)
        serie = uuid.uuid4() if ripeti else None
        for settimana in range(ripeti or 1):
            giorno_evento = primo + timedelta(weeks=settimana)
            Prenotazione.objects.create(
                sede=sala,
                titolo=titolo,
                descrizione="Richiesta arrivata dal sito.",
                richiedente_ente=ente,
                richiedente_nome=nome,
                richiedente_email=nome.lower().replace(" ", ".") + "@example.org",
                consenso_privacy=True,
                informativa_versione=Informativa.versione_corrente(),
                inizio=_alle(giorno_evento, h1, m1),
                fine=_alle(giorno_evento, h2, m2),
                pubblico=pubblico,
                serie=serie,
                ripeti_fino_al=primo + timedelta(weeks=ripeti - 1) if ripeti else None,
            )

    # Four weeks of diary for the two demo operators, deterministic.
    schema = [
        # (weekday, type, hours, quartiere index: 0 first, 1 second, None none)
        (0, "front_office", "3.5", 0),
        (0, "back_office", "2", 0),
        (1, "ascolto_territorio", "3", 1),
        (1, "tavolo_tecnico", "2", None),
        (2, "front_office", "4", 0),
        (2, "laboratorio", "2.5", 0),
        (3, "riunione_rete", "2", 1),
        (3, "sopralluogo", "1.5", 1),
        (3, "back_office", "3", 0),
        (4, "formazione", "4", None),
        (4, "evento", "2", 0),
    ]
    for username, codici in (
        ("operatore.sansiro", ["san-siro", "lorenteggio"]),
        ("operatore.gratosoglio", ["gratosoglio", "ponte-lambro"]),
    ):
        operatore = User.objects.get(username=username)
        if AttivitaDiario.objects.filter(operatore=operatore).exists():
            continue
        quartieri = {c: Quartiere.objects.get(codice=c) for c in codici}
        voci = []
        for settimana in range(4, -1, -1):
            inizio_settimana = lunedi - timedelta(weeks=settimana)
            for giorno, tipo, ore, indice in schema:
                if inizio_settimana + timedelta(days=giorno) > oggi:
                    continue
                voci.append(
                    AttivitaDiario(
                        operatore=operatore,
                        data=inizio_settimana + timedelta(days=giorno),
                        quartiere=None if indice is None else quartieri[codici[indice]],
                        tipo=tipo,
                        ore=Decimal(ore),
                        nota="",
                    )
                )
        AttivitaDiario.objects.bulk_create(voci)
    if stdout:
        stdout.write("  calendario: prenotazioni delle sale; diario degli operatori")
