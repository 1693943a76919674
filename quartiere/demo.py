"""Demo data of the core: the Milan quartieri of the seed documents, the Latina hall,
persons, organisations and the demo accounts. Idempotent: rows are matched by their
natural keys, so running it again changes nothing."""

from __future__ import annotations

import random
from datetime import date, time

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from quartiere.models import OrarioApertura, Organizzazione, Persona, ProfiloStaff, Quartiere, Sede

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
            ),
        )
        quartieri[codice] = q

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
                    informativa_versione="2026-01" if consenso else "",
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
