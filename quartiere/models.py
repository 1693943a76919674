"""The shared registry: neighbourhoods, offices, residents, organisations and staff."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from quartiere.text import normalizza_ricerca


class URLHttpsField(models.URLField):
    """A URL field whose form field assumes https:// when the scheme is missing."""

    def formfield(self, **kwargs):
        return super().formfield(**{"assume_scheme": "https", **kwargs})


class Quartiere(models.Model):
    codice = models.SlugField(_("codice"), max_length=30, unique=True)
    nome = models.CharField(_("nome"), max_length=120, unique=True)
    municipio = models.CharField(_("municipio"), max_length=60, blank=True)
    descrizione = models.TextField(_("descrizione"), blank=True)
    abitanti = models.PositiveIntegerField(_("abitanti"), null=True, blank=True)
    famiglie = models.PositiveIntegerField(_("famiglie"), null=True, blank=True)
    alloggi_erp = models.PositiveIntegerField(
        _("alloggi di edilizia residenziale pubblica"), null=True, blank=True
    )
    lat = models.FloatField(_("latitudine del centro"), null=True, blank=True)
    lon = models.FloatField(_("longitudine del centro"), null=True, blank=True)
    confine = models.JSONField(
        _("confine (GeoJSON)"),
        null=True,
        blank=True,
        help_text=_("Poligono GeoJSON del quartiere, facoltativo, per la mappa."),
    )

    class Meta:
        verbose_name = _("quartiere")
        verbose_name_plural = _("quartieri")
        ordering = ["nome"]
        constraints = [
            models.CheckConstraint(
                condition=Q(lat__isnull=True) | Q(lat__gte=-90, lat__lte=90),
                name="quartiere_lat_valida",
            ),
            models.CheckConstraint(
                condition=Q(lon__isnull=True) | Q(lon__gte=-180, lon__lte=180),
                name="quartiere_lon_valida",
            ),
        ]

    def __str__(self) -> str:
        return self.nome


class Sede(models.Model):
    class Tipo(models.TextChoices):
        UFFICIO = "ufficio", _("ufficio / sportello di quartiere")
        SALA = "sala", _("sala civica")
        ALTRO = "altro", _("altro spazio")

    nome = models.CharField(_("nome"), max_length=160)
    tipo = models.CharField(_("tipo"), max_length=20, choices=Tipo.choices, default=Tipo.UFFICIO)
    quartiere = models.ForeignKey(
        Quartiere,
        verbose_name=_("quartiere"),
        on_delete=models.PROTECT,
        related_name="sedi",
        null=True,
        blank=True,
    )
    indirizzo = models.CharField(_("indirizzo"), max_length=200)
    citta = models.CharField(_("città"), max_length=100, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    telefono = models.CharField(_("telefono"), max_length=30, blank=True)
    descrizione = models.TextField(_("descrizione"), blank=True)
    prenotabile = models.BooleanField(
        _("prenotabile"), default=False, help_text=_("La sala si può richiedere dal sito.")
    )
    lat = models.FloatField(_("latitudine"), null=True, blank=True)
    lon = models.FloatField(_("longitudine"), null=True, blank=True)

    class Meta:
        verbose_name = _("sede")
        verbose_name_plural = _("sedi")
        ordering = ["nome"]
        constraints = [
            models.UniqueConstraint(fields=["nome", "indirizzo"], name="sede_unica_per_indirizzo"),
            models.CheckConstraint(
                condition=Q(tipo__in=["ufficio", "sala", "altro"]), name="sede_tipo_valido"
            ),
        ]

    def __str__(self) -> str:
        return self.nome


class OrarioApertura(models.Model):
    class Giorno(models.IntegerChoices):
        LUNEDI = 0, _("lunedì")
        MARTEDI = 1, _("martedì")
        MERCOLEDI = 2, _("mercoledì")
        GIOVEDI = 3, _("giovedì")
        VENERDI = 4, _("venerdì")
        SABATO = 5, _("sabato")
        DOMENICA = 6, _("domenica")

    sede = models.ForeignKey(
        Sede, verbose_name=_("sede"), on_delete=models.CASCADE, related_name="orari"
    )
    giorno = models.PositiveSmallIntegerField(_("giorno"), choices=Giorno.choices)
    apre = models.TimeField(_("apre alle"))
    chiude = models.TimeField(_("chiude alle"))
    nota = models.CharField(
        _("nota"), max_length=120, blank=True, help_text=_("Ad es. «sportello di ascolto».")
    )

    class Meta:
        verbose_name = _("orario di apertura")
        verbose_name_plural = _("orari di apertura")
        ordering = ["sede", "giorno", "apre"]
        constraints = [
            models.CheckConstraint(
                condition=Q(chiude__gt=models.F("apre")), name="orario_chiude_dopo_apre"
            ),
            models.CheckConstraint(
                condition=Q(giorno__gte=0, giorno__lte=6), name="orario_giorno_valido"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_giorno_display()} {self.apre:%H:%M}–{self.chiude:%H:%M}"


class PersonaQuerySet(models.QuerySet):
    def cerca(self, testo: str):
        """Accent- and case-insensitive search over name, e-mail, phone and tax code."""
        q = Q()
        for parola in normalizza_ricerca(testo).split():
            q &= Q(ricerca__contains=parola)
        return self.filter(q)


class Persona(models.Model):
    """A resident or anyone the service deals with. One row per real person."""

    codice = models.CharField(
        _("codice"),
        max_length=40,
        unique=True,
        null=True,
        blank=True,
        help_text=_("Codice di importazione, facoltativo."),
    )
    nome = models.CharField(_("nome"), max_length=80)
    cognome = models.CharField(_("cognome"), max_length=80)
    codice_fiscale = models.CharField(_("codice fiscale"), max_length=16, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    telefono = models.CharField(_("telefono"), max_length=30, blank=True)
    indirizzo = models.CharField(_("indirizzo"), max_length=200, blank=True)
    quartiere = models.ForeignKey(
        Quartiere,
        verbose_name=_("quartiere"),
        on_delete=models.PROTECT,
        related_name="persone",
        null=True,
        blank=True,
    )
    consenso_privacy = models.BooleanField(_("consenso al trattamento dei dati"), default=False)
    consenso_data = models.DateField(_("data del consenso"), null=True, blank=True)
    informativa_versione = models.CharField(
        _("versione dell'informativa"), max_length=20, blank=True
    )
    consenso_pubblicazione = models.BooleanField(
        _("consenso alla pubblicazione del nome"),
        default=False,
        help_text=_("Solo con questo consenso il nome compare nei registri pubblici."),
    )
    note = models.TextField(_("note"), blank=True)
    anonimizzata = models.BooleanField(_("anonimizzata"), default=False, editable=False)
    ricerca = models.TextField(editable=False, default="")
    creata_il = models.DateTimeField(_("creata il"), auto_now_add=True)
    modificata_il = models.DateTimeField(_("modificata il"), auto_now=True)
    versione = models.PositiveIntegerField(_("versione"), default=1, editable=False)

    objects = PersonaQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["ricerca"])

    class Meta:
        verbose_name = _("persona")
        verbose_name_plural = _("persone")
        ordering = ["cognome", "nome", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["codice_fiscale"],
                condition=~Q(codice_fiscale=""),
                name="persona_codice_fiscale_unico",
            ),
            models.CheckConstraint(
                condition=Q(consenso_privacy=False) | Q(consenso_data__isnull=False),
                name="persona_consenso_datato",
            ),
        ]
        indexes = [
            models.Index(Lower("cognome"), Lower("nome"), name="persona_nome_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.cognome} {self.nome}".strip()

    def save(self, *args, **kwargs):
        self.ricerca = normalizza_ricerca(
            " ".join(
                [
                    self.nome,
                    self.cognome,
                    self.email,
                    self.telefono,
                    self.codice_fiscale,
                    self.codice or "",
                ]
            )
        )
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "ricerca"}
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("quartiere:persona_detail", args=[self.pk])

    @property
    def nome_completo(self) -> str:
        return f"{self.nome} {self.cognome}".strip()


class OrganizzazioneQuerySet(models.QuerySet):
    def cerca(self, testo: str):
        q = Q()
        for parola in normalizza_ricerca(testo).split():
            q &= Q(ricerca__contains=parola)
        return self.filter(q)


class TipoOrganizzazione(models.TextChoices):
    ASSOCIAZIONE = "associazione", _("associazione")
    APS_ODV = "aps_odv", _("APS / ODV")
    COOPERATIVA_SOCIALE = "cooperativa_sociale", _("cooperativa sociale")
    ENTE_PUBBLICO = "ente_pubblico", _("ente pubblico")
    ENTE_ECCLESIASTICO = "ente_ecclesiastico", _("ente ecclesiastico")
    SCUOLA = "scuola", _("scuola")
    ATTIVITA_ECONOMICA = "attivita_economica", _("impresa / attività economica")
    SOCIETA_SPORTIVA = "societa_sportiva", _("società sportiva")
    GRUPPO_INFORMALE = "gruppo_informale", _("gruppo informale")
    ALTRO = "altro", pgettext_lazy("tipo di organizzazione", "altro")


class Organizzazione(models.Model):
    Tipo = TipoOrganizzazione

    codice = models.CharField(_("codice"), max_length=40, unique=True, null=True, blank=True)
    nome = models.CharField(_("nome"), max_length=200)
    tipo = models.CharField(_("tipo"), max_length=30, choices=Tipo.choices)
    codice_fiscale = models.CharField(_("codice fiscale / partita IVA"), max_length=16, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    telefono = models.CharField(_("telefono"), max_length=30, blank=True)
    indirizzo = models.CharField(_("indirizzo"), max_length=200, blank=True)
    sito_web = URLHttpsField(_("sito web"), blank=True)
    quartiere = models.ForeignKey(
        Quartiere,
        verbose_name=_("quartiere"),
        on_delete=models.PROTECT,
        related_name="organizzazioni",
        null=True,
        blank=True,
    )
    referente = models.ForeignKey(
        Persona,
        verbose_name=_("referente"),
        on_delete=models.SET_NULL,
        related_name="organizzazioni_referente",
        null=True,
        blank=True,
    )
    note = models.TextField(_("note"), blank=True)
    ricerca = models.TextField(editable=False, default="")
    creata_il = models.DateTimeField(_("creata il"), auto_now_add=True)
    modificata_il = models.DateTimeField(_("modificata il"), auto_now=True)
    versione = models.PositiveIntegerField(_("versione"), default=1, editable=False)

    objects = OrganizzazioneQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["ricerca"])

    class Meta:
        verbose_name = _("organizzazione")
        verbose_name_plural = _("organizzazioni")
        ordering = ["nome", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(tipo__in=TipoOrganizzazione.values),
                name="organizzazione_tipo_valido",
            ),
        ]

    def __str__(self) -> str:
        return self.nome

    def save(self, *args, **kwargs):
        self.ricerca = normalizza_ricerca(
            " ".join([self.nome, self.email, self.telefono, self.codice_fiscale, self.codice or ""])
        )
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "ricerca"}
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("quartiere:organizzazione_detail", args=[self.pk])


class ProfiloStaff(models.Model):
    """Links a staff account to the quartieri it works in."""

    utente = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("utente"),
        on_delete=models.CASCADE,
        related_name="profilo",
    )
    quartieri = models.ManyToManyField(
        Quartiere, verbose_name=_("quartieri"), related_name="staff", blank=True
    )
    telefono = models.CharField(_("telefono"), max_length=30, blank=True)

    class Meta:
        verbose_name = _("profilo del personale")
        verbose_name_plural = _("profili del personale")

    def __str__(self) -> str:
        return str(self.utente)


# --- The hall calendar (issue 7) -------------------------------------------------------------


class PrenotazioneQuerySet(models.QuerySet):
    def confermate(self):
        return self.filter(stato=Prenotazione.Stato.CONFERMATA)

    def pubbliche(self):
        """Public confirmed events: what anyone may read on the public site."""
        return self.filter(stato=Prenotazione.Stato.CONFERMATA, pubblico=True)

    def sovrapposte(self, inizio, fine):
        """Bookings that share at least a minute with [inizio, fine)."""
        return self.filter(inizio__lt=fine, fine__gt=inizio)


class Prenotazione(models.Model):
    """One occurrence of a booking of a Sede.

    A weekly repetition is stored as one row per occurrence sharing ``serie``, so that
    an overlap is always a comparison between two rows and each date can be confirmed,
    refused or cancelled on its own.
    """

    class Stato(models.TextChoices):
        RICHIESTA = "richiesta", _("richiesta")
        CONFERMATA = "confermata", _("confermata")
        RIFIUTATA = "rifiutata", _("rifiutata")
        ANNULLATA = "annullata", _("annullata")

    sede = models.ForeignKey(
        Sede, verbose_name=_("sede"), on_delete=models.PROTECT, related_name="prenotazioni"
    )
    titolo = models.CharField(_("titolo"), max_length=200)
    descrizione = models.TextField(
        _("descrizione"), blank=True, help_text=_("Per gli eventi pubblici compare sul sito.")
    )
    organizzazione = models.ForeignKey(
        Organizzazione,
        verbose_name=_("organizzazione"),
        on_delete=models.PROTECT,
        related_name="prenotazioni",
        null=True,
        blank=True,
    )
    organizzatore = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("organizzato dal personale"),
        on_delete=models.PROTECT,
        related_name="prenotazioni_organizzate",
        null=True,
        blank=True,
    )
    # Who asked from the public site: kept only to answer them, never shown publicly.
    richiedente_ente = models.CharField(
        _("associazione o gruppo richiedente"), max_length=200, blank=True
    )
    richiedente_nome = models.CharField(_("referente"), max_length=160, blank=True)
    richiedente_email = models.EmailField(_("e-mail del referente"), blank=True)
    richiedente_telefono = models.CharField(_("telefono del referente"), max_length=30, blank=True)
    consenso_privacy = models.BooleanField(_("consenso al trattamento dei dati"), default=False)
    informativa_versione = models.CharField(
        _("versione dell'informativa"), max_length=20, blank=True
    )
    inizio = models.DateTimeField(_("inizio"))
    fine = models.DateTimeField(_("fine"))
    pubblico = models.BooleanField(
        _("evento pubblico"), default=False, help_text=_("Compare nel calendario pubblico.")
    )
    stato = models.CharField(
        _("stato"), max_length=20, choices=Stato.choices, default=Stato.RICHIESTA
    )
    serie = models.UUIDField(_("serie"), null=True, blank=True, editable=False, db_index=True)
    ripeti_fino_al = models.DateField(_("ripetuta ogni settimana fino al"), null=True, blank=True)
    motivo = models.TextField(
        _("motivazione"), blank=True, help_text=_("Del rifiuto o dell'annullamento.")
    )
    creata_il = models.DateTimeField(_("creata il"), auto_now_add=True)
    creata_da = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("creata da"),
        on_delete=models.SET_NULL,
        related_name="+",
        null=True,
        blank=True,
    )
    gestita_il = models.DateTimeField(_("esaminata il"), null=True, blank=True)
    gestita_da = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("esaminata da"),
        on_delete=models.SET_NULL,
        related_name="+",
        null=True,
        blank=True,
    )
    versione = models.PositiveIntegerField(_("versione"), default=1, editable=False)

    objects = PrenotazioneQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("prenotazione")
        verbose_name_plural = _("prenotazioni")
        ordering = ["inizio", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(fine__gt=models.F("inizio")), name="prenotazione_fine_dopo_inizio"
            ),
            models.CheckConstraint(
                condition=Q(stato__in=["richiesta", "confermata", "rifiutata", "annullata"]),
                name="prenotazione_stato_valido",
            ),
            models.CheckConstraint(
                condition=Q(consenso_privacy=False) | ~Q(informativa_versione=""),
                name="prenotazione_consenso_con_versione",
            ),
        ]
        indexes = [
            models.Index(fields=["sede", "stato", "inizio"], name="prenotazione_sede_idx"),
            models.Index(fields=["stato", "pubblico", "inizio"], name="prenotazione_pubbl_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.titolo} ({self.inizio:%d/%m/%Y})"

    def get_absolute_url(self) -> str:
        return reverse("quartiere:prenotazione_dettaglio", args=[self.pk])

    @property
    def nome_organizzatore(self) -> str:
        """The organiser as shown to staff (needs organizzazione/organizzatore loaded)."""
        if self.organizzazione_id:
            return self.organizzazione.nome
        if self.organizzatore_id:
            return self.organizzatore.get_full_name() or self.organizzatore.get_username()
        return self.richiedente_ente


# --- The operators' diary (issue 7) ----------------------------------------------------------


class AttivitaDiario(models.Model):
    """A quick entry of an operator's work: a day, a kind of activity, hours."""

    class Tipo(models.TextChoices):
        FRONT_OFFICE = "front_office", _("front-office")
        BACK_OFFICE = "back_office", _("back-office")
        ASCOLTO_TERRITORIO = "ascolto_territorio", _("ascolto sul territorio")
        LABORATORIO = "laboratorio", _("laboratorio")
        TAVOLO_TECNICO = "tavolo_tecnico", _("tavolo tecnico")
        RIUNIONE_RETE = "riunione_rete", _("riunione di rete")
        FORMAZIONE = "formazione", _("formazione")
        EVENTO = "evento", _("evento")
        SOPRALLUOGO = "sopralluogo", _("sopralluogo")

    operatore = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("operatore"),
        on_delete=models.PROTECT,
        related_name="attivita_diario",
    )
    data = models.DateField(_("data"))
    quartiere = models.ForeignKey(
        Quartiere,
        verbose_name=_("quartiere"),
        on_delete=models.PROTECT,
        related_name="attivita_diario",
        null=True,
        blank=True,
        help_text=_("Vuoto per le attività che non riguardano un quartiere (es. formazione)."),
    )
    tipo = models.CharField(_("tipo di attività"), max_length=30, choices=Tipo.choices)
    ore = models.DecimalField(_("ore"), max_digits=4, decimal_places=2)
    nota = models.TextField(_("nota"), blank=True)
    creata_il = models.DateTimeField(_("creata il"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("attività del diario")
        verbose_name_plural = _("attività del diario")
        ordering = ["-data", "operatore", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ore__gt=0, ore__lte=24), name="attivitadiario_ore_valide"
            ),
            models.CheckConstraint(
                condition=Q(
                    tipo__in=[
                        "front_office",
                        "back_office",
                        "ascolto_territorio",
                        "laboratorio",
                        "tavolo_tecnico",
                        "riunione_rete",
                        "formazione",
                        "evento",
                        "sopralluogo",
                    ]
                ),
                name="attivitadiario_tipo_valido",
            ),
        ]
        indexes = [
            models.Index(fields=["operatore", "data"], name="attivitadiario_op_data_idx"),
            models.Index(fields=["data", "quartiere"], name="attivitadiario_data_q_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.data:%d/%m/%Y} · {self.get_tipo_display()} · {self.ore} h"
