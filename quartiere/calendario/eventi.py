"""Reading the calendars: bookings and the apps' events (lab meetings) as one list, laid
out by month or week, and the iCalendar feed.

One query for the bookings and one per source of events, whatever the period. The public
variant reads only public confirmed bookings and public events, and keeps nothing that
names a person.
"""

from __future__ import annotations

import calendar as _calendar
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from quartiere.calendario.models import Prenotazione
from quartiere.estensioni import Punto
from quartiere.territorio.models import OrarioApertura


@dataclass
class Evento:
    tipo: str  # "prenotazione", or the kind of an app's event ("incontro")
    pk: int
    titolo: str
    inizio: datetime
    fine: datetime
    sede_id: int | None
    sede_nome: str
    sede_indirizzo: str
    pubblico: bool
    stato: str
    stato_etichetta: str
    descrizione: str = ""
    organizzatore: str = ""  # staff views only
    url: str = ""
    # For an app's event: a short label of its kind ("laboratorio") and what it belongs to
    # (the lab's title), shown beside the title.
    etichetta: str = ""
    gruppo: str = ""

    @property
    def in_attesa(self) -> bool:
        return self.tipo == "prenotazione" and self.stato == Prenotazione.Stato.RICHIESTA

    @property
    def uid(self) -> str:
        return f"{self.tipo}-{self.pk}@quartiere"


# The apps' events: a key -> ``fonte(dal, al, *, pubblici, limite, **filtro_sede)`` that
# returns the app's :class:`Evento` overlapping [dal, al) (one query), public ones only when
# ``pubblici``; ``filtro_sede`` narrows by Sede as for the bookings. Filled from the apps'
# ``estensioni.py`` (quartiere.estensioni).
FONTI_EVENTI = Punto("eventi del calendario")


def eventi(
    dal: datetime,
    al: datetime,
    *,
    pubblici: bool,
    prenotazioni=None,
    limite: int | None = None,
    **filtro_sede,
) -> list[Evento]:
    """Bookings and the apps' events that overlap [dal, al), sorted by start.

    ``filtro_sede`` narrows both to some Sedi (``sede=...``, ``sede__quartiere=...``,
    ``sede__in=...``); ``prenotazioni`` is the staff's scoped queryset of bookings (the
    public variant builds its own). Staff see requests too; the public sees only public
    confirmed bookings and public meetings.
    """
    if pubblici:
        qs_p = Prenotazione.objects.pubbliche()
    else:
        qs_p = (prenotazioni if prenotazioni is not None else Prenotazione.objects.all()).filter(
            stato__in=[Prenotazione.Stato.RICHIESTA, Prenotazione.Stato.CONFERMATA]
        )
    qs_p = (
        qs_p.filter(inizio__lt=al, fine__gt=dal, **filtro_sede)
        .select_related("sede", "organizzazione", "organizzatore")
        .order_by("inizio", "pk")
    )
    campi = [
        "pk",
        "titolo",
        "descrizione",
        "inizio",
        "fine",
        "pubblico",
        "stato",
        "richiedente_ente",
        "sede__id",
        "sede__nome",
        "sede__indirizzo",
        "sede__citta",
        "organizzazione__nome",
        "organizzatore__first_name",
        "organizzatore__last_name",
        "organizzatore__username",
    ]
    qs_p = qs_p.only(*campi)
    if limite:
        qs_p = qs_p[:limite]

    # Labels and links worked out once per call, not per event: get_stato_display() rebuilds
    # the choices and translates on every call, reverse() walks the URLconf (a month of a
    # busy hall has a few hundred events; docs/performance.md, 4.8).
    stati_p = {k: str(v) for k, v in Prenotazione._meta.get_field("stato").flatchoices}
    risultato: list[Evento] = []
    for p in qs_p:
        risultato.append(
            Evento(
                tipo="prenotazione",
                pk=p.pk,
                titolo=p.titolo,
                inizio=p.inizio,
                fine=p.fine,
                sede_id=p.sede.pk,
                sede_nome=p.sede.nome,
                sede_indirizzo=", ".join(filter(None, [p.sede.indirizzo, p.sede.citta])),
                pubblico=p.pubblico,
                stato=p.stato,
                stato_etichetta=stati_p.get(p.stato, p.stato),
                descrizione=p.descrizione if p.pubblico else "",
                organizzatore=(p.organizzazione.nome if p.organizzazione_id else "")
                if pubblici
                else p.nome_organizzatore,
                url="" if pubblici else p.get_absolute_url(),
            )
        )
    for fonte in FONTI_EVENTI.values():
        risultato.extend(fonte(dal, al, pubblici=pubblici, limite=limite, **filtro_sede))
    risultato.sort(key=lambda e: (e.inizio, e.tipo, e.pk))
    return risultato[:limite] if limite else risultato


# --- Layout ----------------------------------------------------------------------------------


@dataclass
class Giorno:
    data: date
    nel_periodo: bool
    oggi: bool
    eventi: list[Evento] = field(default_factory=list)
    orari: list[OrarioApertura] = field(default_factory=list)


def nomi_giorni() -> list[tuple[str, str]]:
    """Short and full weekday names, Monday first, for the month table's header."""
    return [
        (_("lun"), _("lunedì")),
        (_("mar"), _("martedì")),
        (_("mer"), _("mercoledì")),
        (_("gio"), _("giovedì")),
        (_("ven"), _("venerdì")),
        (_("sab"), _("sabato")),
        (_("dom"), _("domenica")),
    ]


def inizio_giorno(giorno: date) -> datetime:
    return timezone.make_aware(datetime.combine(giorno, datetime.min.time()))


def _distribuisci(giorni: list[Giorno], elenco: list[Evento], orari) -> None:
    per_data = {g.data: g for g in giorni}
    for ev in elenco:
        giorno = per_data.get(timezone.localtime(ev.inizio).date())
        if giorno is not None:
            giorno.eventi.append(ev)
    per_giorno: dict[int, list] = {}
    for o in orari:
        per_giorno.setdefault(o.giorno, []).append(o)
    for g in giorni:
        g.orari = per_giorno.get(g.data.weekday(), [])


def griglia_mese(anno: int, mese: int, elenco: list[Evento], orari=()) -> list[list[Giorno]]:
    """The weeks (Monday first) of a month, each a list of seven days with their events."""
    oggi = timezone.localdate()
    settimane = [
        [Giorno(d, d.month == mese, d == oggi) for d in settimana]
        for settimana in _calendar.Calendar(firstweekday=0).monthdatescalendar(anno, mese)
    ]
    _distribuisci([g for s in settimane for g in s], elenco, orari)
    return settimane


def limiti_mese(anno: int, mese: int) -> tuple[datetime, datetime]:
    settimane = _calendar.Calendar(firstweekday=0).monthdatescalendar(anno, mese)
    return inizio_giorno(settimane[0][0]), inizio_giorno(settimane[-1][-1] + timedelta(days=1))


def giorni_settimana(lunedi: date, elenco: list[Evento], orari=()) -> list[Giorno]:
    oggi = timezone.localdate()
    giorni = [Giorno(lunedi + timedelta(days=i), True, False) for i in range(7)]
    for g in giorni:
        g.oggi = g.data == oggi
    _distribuisci(giorni, elenco, orari)
    return giorni


# --- iCalendar -------------------------------------------------------------------------------


def ics(elenco: list[Evento], *, nome: str, base_url: str = "") -> bytes:
    """An RFC 5545 calendar of public events (times in UTC, so no VTIMEZONE is needed)."""
    from icalendar import Calendar
    from icalendar import Event as VEvent

    cal = Calendar()
    cal.add("prodid", "-//Quartiere//Calendario pubblico//IT")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", nome)
    cal.add("x-wr-timezone", settings.TIME_ZONE)
    adesso = timezone.now().astimezone(UTC)
    for ev in elenco:
        v = VEvent()
        v.add("uid", ev.uid)
        v.add("dtstamp", adesso)
        v.add("dtstart", ev.inizio.astimezone(UTC))
        v.add("dtend", ev.fine.astimezone(UTC))
        v.add("summary", ev.titolo)
        v.add("location", f"{ev.sede_nome}, {ev.sede_indirizzo}".strip(", "))
        descrizione = ev.descrizione
        if ev.organizzatore:
            descrizione = "\n".join(
                filter(None, [descrizione, _("Organizza: %(o)s") % {"o": ev.organizzatore}])
            )
        if descrizione:
            v.add("description", descrizione)
        if ev.url and base_url:
            v.add("url", base_url + ev.url)
        v.add("status", "CONFIRMED")
        v.add("transp", "OPAQUE")
        cal.add_component(v)
    return cal.to_ical()
