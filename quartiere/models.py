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
    versione = models.PositiveIntegerField(_("versione"), default=1, db_default=1, editable=False)

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


# --- Privacy notice (art. 13 GDPR) and records of processing (art. 30) (issue 9) ------------


class InformativaQuerySet(models.QuerySet):
    def pubblicate(self):
        return self.filter(pubblicata=True)

    def in_vigore_il(self, giorno):
        """Published notices already in force on ``giorno``, the one in force first."""
        return self.pubblicate().filter(in_vigore_dal__lte=giorno).order_by("-in_vigore_dal")


class Informativa(models.Model):
    """One version of the privacy notice the citizens read before giving consent.

    Consents store the ``codice`` string, so a published version never changes: a
    trigger in the database (migration 0004) refuses to update or delete a published row,
    and the admin shows it read-only. A new text is a new version. The notice in force on
    a day is the published one with the latest ``in_vigore_dal`` not after that day; two
    published versions cannot start on the same day.
    """

    # Not ``versione``: in this project that name is the optimistic-locking counter.
    codice = models.CharField(
        _("versione"),
        max_length=20,
        unique=True,
        help_text=_("Breve e stabile, per esempio «2026-01»: è ciò che ogni consenso registra."),
    )
    titolo = models.CharField(_("titolo"), max_length=200)
    testo = models.TextField(
        _("testo"),
        help_text=_(
            "Testo semplice. Una riga che comincia con «## » è un titolo di sezione, una che "
            "comincia con «- » è una voce di elenco, una riga vuota separa i paragrafi. Gli "
            "indirizzi web diventano collegamenti; l'HTML non è interpretato."
        ),
    )
    titolo_inglese = models.CharField(
        _("titolo in inglese"), max_length=200, blank=True, help_text=_("Facoltativo.")
    )
    testo_inglese = models.TextField(
        _("testo in inglese"),
        blank=True,
        help_text=_("Facoltativo: la traduzione mostrata a chi usa il sito in inglese."),
    )
    in_vigore_dal = models.DateField(_("in vigore dal"))
    pubblicata = models.BooleanField(
        _("pubblicata"),
        default=False,
        help_text=_(
            "Una versione pubblicata non si può più modificare né cancellare: i consensi "
            "raccolti vi fanno riferimento."
        ),
    )
    creata_il = models.DateTimeField(_("creata il"), auto_now_add=True)
    # Optimistic locking of drafts edited in the admin (quartiere.admin_base.PolicyAdmin).
    versione = models.PositiveIntegerField(_("versione"), default=1, db_default=1, editable=False)

    objects = InformativaQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("informativa privacy")
        verbose_name_plural = _("informative privacy")
        ordering = ["-in_vigore_dal", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["in_vigore_dal"],
                condition=Q(pubblicata=True),
                name="informativa_una_per_data",
            ),
            models.CheckConstraint(condition=~Q(codice=""), name="informativa_codice_non_vuoto"),
        ]

    def __str__(self) -> str:
        return f"{self.codice} · {self.titolo}"

    def get_absolute_url(self) -> str:
        return reverse("quartiere:privacy_versione", args=[self.codice])

    def in_inglese(self, lingua: str | None) -> bool:
        """Whether a visitor browsing in ``lingua`` reads the English translation."""
        return bool(lingua and lingua.startswith("en") and self.testo_inglese.strip())

    def contenuto(self, lingua: str | None) -> tuple[str, str]:
        """Title and text to show in ``lingua``: the English translation when there is
        one, the Italian text (the one consents refer to) otherwise."""
        if self.in_inglese(lingua):
            return self.titolo_inglese or self.titolo, self.testo_inglese
        return self.titolo, self.testo

    @classmethod
    def in_vigore(cls, giorno=None) -> Informativa | None:
        """The notice in force on ``giorno`` (today by default), or ``None``. One query."""
        from django.utils import timezone

        return cls.objects.in_vigore_il(giorno or timezone.localdate()).first()

    @classmethod
    def versione_corrente(cls) -> str:
        """The version string every new consent records: the notice in force today. Before
        any notice is published (a fresh install whose data migration was skipped, or a
        test database that was flushed) it falls back to ``settings.PRIVACY_NOTICE_VERSION``.

        One indexed query, kept by the process for ``QUARTIERE_SCELTE_MEMO_SECONDI``
        (quartiere/memo.py) under today's date, so a notice taking effect tomorrow is
        recorded from its first minute. A notice published for immediate effect is
        recorded by every server within those seconds: the citizen read the notice when
        the form was loaded, which is earlier still (docs/performance.md, 4.7)."""
        from django.utils import timezone

        from quartiere import memo

        oggi = timezone.localdate()
        versione = memo.memorizzato(
            ("informativa", oggi),
            lambda: cls.objects.in_vigore_il(oggi).values_list("codice", flat=True).first(),
        )
        return versione or settings.PRIVACY_NOTICE_VERSION

    def clean(self):
        from django.core.exceptions import ValidationError
        from django.utils import timezone

        super().clean()
        if self.pk:
            salvata = Informativa.objects.filter(pk=self.pk).values_list("pubblicata", flat=True)
            if salvata.first():
                raise ValidationError(
                    _("Questa versione è pubblicata e non si può modificare: creane una nuova.")
                )
        if self.pubblicata and self.in_vigore_dal:
            if self.in_vigore_dal < timezone.localdate():
                raise ValidationError(
                    {
                        "in_vigore_dal": _(
                            "Una nuova versione non può entrare in vigore nel passato."
                        )
                    }
                )
            ultima = (
                Informativa.objects.pubblicate()
                .exclude(pk=self.pk)
                .order_by("-in_vigore_dal")
                .values_list("in_vigore_dal", flat=True)
                .first()
            )
            if ultima and self.in_vigore_dal <= ultima:
                raise ValidationError(
                    {
                        "in_vigore_dal": _(
                            "Deve essere successiva all'entrata in vigore dell'ultima "
                            "versione pubblicata (%(data)s)."
                        )
                        % {"data": ultima.strftime("%d/%m/%Y")}
                    }
                )


class Trattamento(models.Model):
    """One entry of the records of processing activities (art. 30 GDPR)."""

    class ClasseConservazione(models.TextChoices):
        # The keys of settings.RETENTION, applied by ``manage.py retention``.
        SEGNALAZIONI = "segnalazioni", _("segnalazioni")
        PRENOTAZIONI = "prenotazioni", _("prenotazioni")
        PERSONE = "persone", _("persone")
        MEDIAZIONE = "mediazione", _("mediazione")

    nome = models.CharField(_("attività di trattamento"), max_length=200, unique=True)
    ordine = models.PositiveSmallIntegerField(_("ordine"), default=0)
    finalita = models.TextField(_("finalità"))
    base_giuridica = models.TextField(_("base giuridica"))
    categorie_interessati = models.TextField(_("categorie di interessati"))
    categorie_dati = models.TextField(_("categorie di dati personali"))
    categorie_particolari = models.BooleanField(
        _("categorie particolari di dati (art. 9 GDPR)"), default=False
    )
    categorie_particolari_dettaglio = models.TextField(
        _("quali categorie particolari e su quale base"), blank=True
    )
    destinatari = models.TextField(_("categorie di destinatari"))
    trasferimenti_extra_ue = models.TextField(
        _("trasferimenti verso paesi terzi"),
        default="Nessuno.",
        help_text=_("Paesi od organizzazioni fuori dall'UE e garanzie adottate, o «Nessuno»."),
    )
    classe_conservazione = models.CharField(
        _("classe di conservazione"),
        max_length=20,
        choices=ClasseConservazione.choices,
        blank=True,
        help_text=_("La classe applicata da «manage.py retention», se c'è."),
    )
    termini_conservazione = models.TextField(_("termini di conservazione"))
    misure_sicurezza = models.TextField(_("misure di sicurezza tecniche e organizzative"))
    titolare = models.TextField(_("titolare del trattamento e contatti"))
    responsabili = models.TextField(
        _("responsabili del trattamento (art. 28)"),
        blank=True,
        help_text=_("Fornitori che trattano i dati per conto del Comune, con i contatti."),
    )
    rpd = models.TextField(_("responsabile della protezione dei dati (RPD/DPO)"))
    aggiornato_il = models.DateTimeField(_("aggiornato il"), auto_now=True)
    # Optimistic locking in the admin (quartiere.admin_base.PolicyAdmin).
    versione = models.PositiveIntegerField(_("versione"), default=1, db_default=1, editable=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("trattamento (registro art. 30)")
        verbose_name_plural = _("registro dei trattamenti")
        ordering = ["ordine", "nome"]
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    classe_conservazione__in=[
                        "",
                        "segnalazioni",
                        "prenotazioni",
                        "persone",
                        "mediazione",
                    ]
                ),
                name="trattamento_classe_valida",
            ),
            models.CheckConstraint(
                condition=Q(categorie_particolari=False) | ~Q(categorie_particolari_dettaglio=""),
                name="trattamento_particolari_con_dettaglio",
            ),
        ]

    def __str__(self) -> str:
        return self.nome

    @property
    def anni_conservazione(self) -> int | None:
        """The retention period in years the ``retention`` command applies, if any."""
        if not self.classe_conservazione:
            return None
        return settings.RETENTION.get(self.classe_conservazione)


class LimiteFrequenza(models.Model):
    """One fixed window of the per-address rate limit of the public forms
    (``quartiere.limiti``): counted by one ``INSERT … ON CONFLICT DO UPDATE``."""

    chiave = models.CharField(_("chiave"), max_length=100, primary_key=True)
    conteggio = models.PositiveIntegerField(_("tentativi"), default=0)
    scade_il = models.DateTimeField(_("fine della finestra"), db_index=True)

    class Meta:
        verbose_name = _("finestra del limite di frequenza")
        verbose_name_plural = _("finestre del limite di frequenza")

    def __str__(self) -> str:
        return self.chiave
