"""The registry: quartieri, offices and halls, staff accounts, persons, organisations."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import time, timedelta

from django.contrib.auth.hashers import make_password

from quartiere.lib.text import normalizza_ricerca
from quartiere.sviluppo.carico.base import (
    PAROLE_ORG,
    Calendario,
    Pesi,
    Scrittore,
    ascii_slug,
    indirizzo,
    modello,
    nome_persona,
    rng,
)

# Milan's neighbourhoods (NIL), busiest first: the order is the skew.
QUARTIERI = [
    ("San Siro", "7", 45.4700, 9.1290),
    ("Lorenteggio", "6", 45.4520, 9.1300),
    ("Gratosoglio", "5", 45.4110, 9.1700),
    ("Quarto Oggiaro", "8", 45.5150, 9.1370),
    ("Corvetto", "4", 45.4390, 9.2230),
    ("Giambellino", "6", 45.4490, 9.1440),
    ("Ponte Lambro", "4", 45.4390, 9.2650),
    ("Molise-Calvairate", "4", 45.4530, 9.2200),
    ("Mazzini", "5", 45.4350, 9.2060),
    ("Barona", "6", 45.4370, 9.1530),
    ("Bovisa", "9", 45.5020, 9.1610),
    ("Comasina", "9", 45.5280, 9.1650),
    ("Niguarda", "9", 45.5150, 9.1920),
    ("Padova-Turro", "2", 45.4990, 9.2260),
    ("Stadera", "5", 45.4390, 9.1760),
    ("Chiesa Rossa", "5", 45.4260, 9.1730),
    ("Baggio", "7", 45.4620, 9.0900),
    ("Forze Armate", "7", 45.4610, 9.1120),
    ("Gallaratese", "8", 45.4990, 9.1200),
    ("QT8", "8", 45.4870, 9.1360),
    ("Bruzzano", "9", 45.5290, 9.1760),
    ("Adriano", "2", 45.5140, 9.2460),
    ("Lambrate", "3", 45.4840, 9.2400),
    ("Rogoredo", "4", 45.4340, 9.2380),
    ("Vigentino", "5", 45.4320, 9.1960),
    ("Dergano", "9", 45.5040, 9.1770),
    ("Villapizzone", "8", 45.4990, 9.1490),
    ("Selinunte", "7", 45.4710, 9.1350),
    ("Cimiano", "2", 45.5010, 9.2370),
    ("Taliedo", "4", 45.4520, 9.2470),
]
PASSWORD = "quartiere-carico"  # noqa: S105 - documented; generated data only
TIPI_ORG = [
    ("associazione", 30),
    ("aps_odv", 20),
    ("cooperativa_sociale", 8),
    ("ente_pubblico", 3),
    ("ente_ecclesiastico", 4),
    ("scuola", 6),
    ("attivita_economica", 15),
    ("societa_sportiva", 6),
    ("gruppo_informale", 7),
    ("altro", 1),
]
PREFISSI_ORG = {
    "associazione": "Associazione",
    "aps_odv": "APS",
    "cooperativa_sociale": "Cooperativa sociale",
    "ente_pubblico": "Servizio",
    "ente_ecclesiastico": "Parrocchia",
    "scuola": "Istituto comprensivo",
    "attivita_economica": "Bottega",
    "societa_sportiva": "ASD",
    "gruppo_informale": "Gruppo",
    "altro": "Comitato",
}


@dataclass
class Registro:
    """What the later generators need from the registry."""

    quartieri: list[int] = field(default_factory=list)  # busiest first
    centri: dict[int, tuple[float, float]] = field(default_factory=dict)
    pesi_quartieri: Pesi | None = None
    uffici_sede: dict[int, int] = field(default_factory=dict)  # quartiere -> office
    sale: dict[int, int] = field(default_factory=dict)  # quartiere -> bookable hall
    # (hall, day, slot of calendario.FASCE) already taken by a meeting or a booking: a hall
    # is never taken twice (the database refuses it).
    occupate: set[tuple[int, object, int]] = field(default_factory=set)
    operatori: dict[int, list[int]] = field(default_factory=dict)  # quartiere -> users
    tutti_operatori: list[int] = field(default_factory=list)
    mediatori: list[int] = field(default_factory=list)
    coordinatori: list[int] = field(default_factory=list)
    nomi_utenti: dict[int, str] = field(default_factory=dict)
    persone: dict[int, list[int]] = field(default_factory=dict)  # quartiere -> ids
    tutte_persone: list[int] = field(default_factory=list)
    organizzazioni: dict[int, list[int]] = field(default_factory=dict)
    tutte_organizzazioni: list[int] = field(default_factory=list)
    nomi_persone: dict[int, str] = field(default_factory=dict)


def genera(s: Scrittore, seme: int, n: dict[str, int], cal: Calendario) -> Registro:
    reg = Registro()
    _quartieri(s, n, reg)
    _sedi(s, reg)
    _utenti(s, cal, reg)
    _persone(s, seme, n, cal, reg)
    _organizzazioni(s, seme, n, cal, reg)
    return reg


def _quartieri(s, n, reg):
    from quartiere.territorio.models import Quartiere

    righe = []
    for i in range(n["quartieri"]):
        nome, municipio, lat, lon = QUARTIERI[i % len(QUARTIERI)]
        giro = i // len(QUARTIERI)
        if giro:
            nome = f"{nome} {giro + 1}"
        pk = i + 1
        codice = ascii_slug(nome)[:30] or f"q{pk}"
        abitanti = int(40000 / (1 + i) ** 0.5)
        reg.quartieri.append(pk)
        reg.centri[pk] = (lat, lon)
        righe.append(
            (
                pk,
                codice,
                nome,
                f"Municipio {municipio}",
                f"Quartiere {nome}, dati generati per le prove di carico.",
                abitanti,
                abitanti * 10 // 23,
                abitanti // 12,
                lat,
                lon,
            )
        )
    s.copia(
        Quartiere,
        [
            "id",
            "codice",
            "nome",
            "municipio",
            "descrizione",
            "abitanti",
            "famiglie",
            "alloggi_erp",
            "lat",
            "lon",
        ],
        righe,
    )
    reg.pesi_quartieri = Pesi(reg.quartieri)


def _sedi(s, reg):
    from quartiere.territorio.models import OrarioApertura, Sede

    sedi, orari = [], []
    pk = 0
    for q in reg.quartieri:
        lat, lon = reg.centri[q]
        for tipo, nome, prenotabile in (
            ("ufficio", "Laboratorio di Quartiere", False),
            ("sala", "Sala civica", True),
        ):
            pk += 1
            sedi.append(
                (
                    pk,
                    f"{nome} {q:02d}",
                    tipo,
                    q,
                    f"via del Quartiere {q}, {pk}",
                    "Milano",
                    f"sede{pk}@comune.example.it",
                    "",
                    "",
                    prenotabile,
                    lat,
                    lon,
                )
            )
            if tipo == "ufficio":
                reg.uffici_sede[q] = pk
            else:
                reg.sale[q] = pk
            for giorno in range(5):
                orari.append((len(orari) + 1, pk, giorno, time(9), time(13), ""))
                if giorno in (1, 3):
                    orari.append((len(orari) + 1, pk, giorno, time(14), time(18), ""))
    s.copia(
        Sede,
        [
            "id",
            "nome",
            "tipo",
            "quartiere",
            "indirizzo",
            "citta",
            "email",
            "telefono",
            "descrizione",
            "prenotabile",
            "lat",
            "lon",
        ],
        sedi,
    )
    s.copia(OrarioApertura, ["id", "sede", "giorno", "apre", "chiude", "nota"], orari)


def _utenti(s, cal, reg):
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from quartiere.territorio.models import ProfiloStaff

    User = get_user_model()
    # One fixed hash for every account (a fixed salt keeps the data deterministic).
    hash_password = make_password(PASSWORD, salt="quartierecarico0")
    gruppi = {
        nome: Group.objects.get_or_create(name=nome)[0].pk
        for nome in ("operatore", "mediatore", "coordinatore", "dirigente", "amministratore")
    }
    utenti, appartenenze, profili, profili_q = [], [], [], []
    iscritto = cal.adesso - timedelta(days=365 * 5)

    def aggiungi(username, nome, cognome, gruppo, quartieri=(), staff=False, superuser=False):
        pk = len(utenti) + 1
        utenti.append(
            (
                pk,
                hash_password,
                superuser,
                username,
                nome,
                cognome,
                f"{username}@comune.example.it",
                staff,
                True,
                iscritto,
            )
        )
        appartenenze.append((len(appartenenze) + 1, pk, gruppi[gruppo]))
        profili.append((pk, pk, ""))
        for q in quartieri:
            profili_q.append((len(profili_q) + 1, pk, q))
        reg.nomi_utenti[pk] = username
        return pk

    aggiungi("admin", "Amministratore", "Sistema", "amministratore", staff=True, superuser=True)
    for i in range(3):
        reg.coordinatori.append(
            aggiungi(
                "coordinatore" if i == 0 else f"coordinatore{i + 1}",
                "Coordinatrice" if i == 0 else "Coordinatore",
                f"Equipe {i + 1}",
                "coordinatore",
                staff=True,
            )
        )
    aggiungi("dirigente", "Dirigente", "Servizio", "dirigente")
    for i in range(max(2, len(reg.quartieri) // 6)):
        reg.mediatori.append(aggiungi(f"mediatore{i + 1}", "Mediatore", f"{i + 1}", "mediatore"))
    for q in reg.quartieri:
        reg.operatori[q] = []
        for j in range(2):
            pk = aggiungi(f"operatore.q{q}.{j + 1}", "Operatore", f"Q{q}-{j + 1}", "operatore", [q])
            reg.operatori[q].append(pk)
            reg.tutti_operatori.append(pk)
    s.copia(
        User,
        [
            "id",
            "password",
            "is_superuser",
            "username",
            "first_name",
            "last_name",
            "email",
            "is_staff",
            "is_active",
            "date_joined",
        ],
        utenti,
    )
    s.copia(User.groups.through, ["id", "user_id", "group_id"], appartenenze)
    s.copia(ProfiloStaff, ["id", "utente", "telefono"], profili)
    s.copia(ProfiloStaff.quartieri.through, ["id", "profilostaff_id", "quartiere_id"], profili_q)


def _persone(s, seme, n, cal, reg):
    from quartiere.registro.models import Persona

    r = rng(seme, "persone")
    giorni = sorted(cal.giorni_casuali(r, n["persone"]))
    quartieri = reg.pesi_quartieri.scegli(r, n["persone"])

    def righe():
        for i in range(n["persone"]):
            pk = i + 1
            nome, cognome = nome_persona(r)
            q = quartieri[i]
            cf = ""
            if r.random() < 0.35:
                cf = (ascii_slug(cognome)[:3] + ascii_slug(nome)[:3]).upper().ljust(6, "X")
                cf = f"{cf}{pk:08d}Q"[:16]
            email = ""
            if r.random() < 0.6:
                email = f"{ascii_slug(nome)}.{ascii_slug(cognome)}{pk}@esempio.it"
            telefono = f"+39 3{r.randrange(10, 99)} {r.randrange(1000000, 9999999)}"
            creata = cal.istante(r, giorni[i])
            reg.persone.setdefault(q, []).append(pk)
            reg.tutte_persone.append(pk)
            reg.nomi_persone[pk] = f"{nome} {cognome}"
            yield (
                pk,
                None,
                nome,
                cognome,
                cf,
                email,
                telefono,
                indirizzo(r),
                q,
                True,
                creata.date(),
                "2026-01",
                r.random() < 0.2,
                "",
                False,
                normalizza_ricerca(" ".join([nome, cognome, email, telefono, cf, ""])),
                creata,
                creata,
                1,
            )

    s.copia(
        Persona,
        [
            "id",
            "codice",
            "nome",
            "cognome",
            "codice_fiscale",
            "email",
            "telefono",
            "indirizzo",
            "quartiere",
            "consenso_privacy",
            "consenso_data",
            "informativa_versione",
            "consenso_pubblicazione",
            "note",
            "anonimizzata",
            "ricerca",
            "creata_il",
            "modificata_il",
            "versione",
        ],
        righe(),
        grande=True,
    )


def _organizzazioni(s, seme, n, cal, reg):
    from quartiere.registro.models import Organizzazione

    if modello("quartiere", "Organizzazione") is None:
        return
    r = rng(seme, "organizzazioni")
    tipi = [t for t, _ in TIPI_ORG]
    pesi_tipi = [p for _, p in TIPI_ORG]

    def righe():
        for i in range(n["organizzazioni"]):
            pk = i + 1
            tipo = r.choices(tipi, weights=pesi_tipi)[0]
            q = reg.pesi_quartieri.scegli(r)
            nome = (
                f"{PREFISSI_ORG[tipo]} {r.choice(PAROLE_ORG)} {r.choice(PAROLE_ORG)} "
                f"{reg_nome(q)} {pk}"
            )
            cf = f"{90000000000 + pk}" if r.random() < 0.7 else ""
            email = f"info@org{pk}.example.org" if r.random() < 0.8 else ""
            telefono = f"+39 02 {r.randrange(1000000, 9999999)}"
            referente = r.choice(reg.tutte_persone) if r.random() < 0.5 else None
            creata = cal.istante(r, cal.giorni_casuali(r, 1)[0])
            reg.organizzazioni.setdefault(q, []).append(pk)
            reg.tutte_organizzazioni.append(pk)
            yield (
                pk,
                None,
                nome,
                tipo,
                cf,
                email,
                telefono,
                indirizzo(r),
                f"https://org{pk}.example.org" if r.random() < 0.4 else "",
                q,
                referente,
                "",
                normalizza_ricerca(" ".join([nome, email, telefono, cf, ""])),
                creata,
                creata,
                1,
            )

    def reg_nome(q):
        return QUARTIERI[(q - 1) % len(QUARTIERI)][0]

    s.copia(
        Organizzazione,
        [
            "id",
            "codice",
            "nome",
            "tipo",
            "codice_fiscale",
            "email",
            "telefono",
            "indirizzo",
            "sito_web",
            "quartiere",
            "referente",
            "note",
            "ricerca",
            "creata_il",
            "modificata_il",
            "versione",
        ],
        righe(),
    )
