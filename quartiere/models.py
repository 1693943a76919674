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
