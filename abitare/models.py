"""Renovated public housing: buildings and their flats, households, and the assignment of
a flat to a household from pre-assignment to entry and exit (docs/abitare.md).

The database keeps the rules that matter when two operators work at once: a flat has at
most one current assignment, a household at most one, and every step carries its date.
"""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from quartiere.accesso.models import Versionato
from quartiere.registro.models import Organizzazione, Persona
from quartiere.territorio.models import Quartiere


class StatoLavori(models.TextChoices):
    IN_PROGETTAZIONE = "in_progettazione", _("in progettazione")
    IN_CORSO = "in_corso", _("lavori in corso")
    ULTIMATI = "ultimati", _("lavori ultimati")


class Immobile(Versionato):
    """A building of a housing programme, with its owner or manager (the "gestore")."""

    codice = models.CharField(
        _("codice"),
        max_length=40,
        unique=True,
        null=True,
        blank=True,
        help_text=_("Codice di importazione, facoltativo."),
    )
    nome = models.CharField(_("nome"), max_length=200)
    indirizzo = models.CharField(_("indirizzo"), max_length=200)
    quartiere = models.ForeignKey(
        Quartiere, verbose_name=_("quartiere"), on_delete=models.PROTECT, related_name="immobili"
    )
    gestore = models.ForeignKey(
        Organizzazione,
        verbose_name=_("gestore"),
        on_delete=models.PROTECT,
        related_name="immobili_gestiti",
        null=True,
        blank=True,
        help_text=_("Chi gestisce l'immobile (per esempio ALER)."),
    )
    programma = models.CharField(
        _("programma"),
        max_length=200,
        blank=True,
        help_text=_("Per esempio «PON Metro MI3.1.1.a — Abitare in borgo»."),
    )
    stato_lavori = models.CharField(
        _("stato dei lavori"),
        max_length=20,
        choices=StatoLavori.choices,
        default=StatoLavori.IN_CORSO,
    )
    fine_lavori = models.DateField(
        _("fine dei lavori (prevista o effettiva)"), null=True, blank=True
    )
    note = models.TextField(_("note"), blank=True)
    creato_il = models.DateTimeField(_("creato il"), auto_now_add=True)
    modificato_il = models.DateTimeField(_("modificato il"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("immobile")
        verbose_name_plural = _("immobili")
        ordering = ["quartiere__nome", "nome", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(stato_lavori__in=StatoLavori.values), name="immobile_stato_valido"
            ),
        ]

    def __str__(self) -> str:
        return self.nome

    def get_absolute_url(self) -> str:
        return reverse("abitare:immobile", args=[self.pk])


class StatoAlloggio(models.TextChoices):
    IN_RISTRUTTURAZIONE = "in_ristrutturazione", _("in ristrutturazione")
    DISPONIBILE = "disponibile", _("disponibile")
    PRE_ASSEGNATO = "pre_assegnato", _("pre-assegnato")
    ASSEGNATO = "assegnato", _("assegnato")
    OCCUPATO = "occupato", _("occupato")
    SFITTO = "sfitto", _("sfitto")


class Alloggio(Versionato):
    """A flat: where it is in the building, what it offers, and its state."""

    Stato = StatoAlloggio

    immobile = models.ForeignKey(
        Immobile, verbose_name=_("immobile"), on_delete=models.PROTECT, related_name="alloggi"
    )
    codice = models.CharField(
        _("codice"), max_length=20, help_text=_("L'identificativo dell'alloggio nell'immobile.")
    )
    scala = models.CharField(_("scala"), max_length=10, blank=True)
    piano = models.SmallIntegerField(_("piano"), help_text=_("0 per il piano terra."))
    locali = models.PositiveSmallIntegerField(_("locali"))
    superficie = models.DecimalField(
        _("superficie (m²)"), max_digits=7, decimal_places=2, null=True, blank=True
    )
    accessibile = models.BooleanField(_("accessibile a persone con disabilità"), default=False)
    stato = models.CharField(
        _("stato"),
        max_length=20,
        choices=StatoAlloggio.choices,
        default=StatoAlloggio.IN_RISTRUTTURAZIONE,
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("alloggio")
        verbose_name_plural = _("alloggi")
        ordering = ["immobile", "scala", "-piano", "codice"]
        constraints = [
            models.UniqueConstraint(
                fields=["immobile", "codice"],
                name="alloggio_codice_unico_nell_immobile",
                violation_error_message=_("Nell'immobile c'è già un alloggio con questo codice."),
            ),
            models.CheckConstraint(
                condition=Q(stato__in=StatoAlloggio.values), name="alloggio_stato_valido"
            ),
            models.CheckConstraint(condition=Q(locali__gte=1), name="alloggio_almeno_un_locale"),
            models.CheckConstraint(
                condition=Q(superficie__isnull=True) | Q(superficie__gt=0),
                name="alloggio_superficie_positiva",
            ),
            models.CheckConstraint(
                condition=Q(piano__gte=-5, piano__lte=100), name="alloggio_piano_plausibile"
            ),
        ]

    def __str__(self) -> str:
        scala = f" {_('scala')} {self.scala}" if self.scala else ""
        return f"{self.immobile} — {self.codice}{scala}, {_('piano')} {self.piano}"


class FunzioneSpazio(models.TextChoices):
    DOPO_SCUOLA = "dopo_scuola", _("dopo scuola")
    SALA_INCONTRI = "sala_incontri", _("sala incontri e feste")
    MUTUO_AIUTO = "mutuo_aiuto", _("mutuo aiuto e scambio di competenze")
    SPORTELLO = "sportello", _("sportello")
    ATTIVITA_ECONOMICA = "attivita_economica", _("attività economica")
    ALTRO = "altro", _("altro servizio")


class Spazio(Versionato):
    """A non-residential space of the building (often on the ground floor) and the service
    it hosts for the residents and the quartiere."""

    Funzione = FunzioneSpazio

    immobile = models.ForeignKey(
        Immobile, verbose_name=_("immobile"), on_delete=models.PROTECT, related_name="spazi"
    )
    nome = models.CharField(_("nome"), max_length=200)
    funzione = models.CharField(_("funzione"), max_length=30, choices=FunzioneSpazio.choices)
    gestito_da = models.ForeignKey(
        Organizzazione,
        verbose_name=_("gestito da"),
        on_delete=models.PROTECT,
        related_name="spazi_abitare",
        null=True,
        blank=True,
    )
    orari = models.CharField(
        _("orari di apertura"),
        max_length=200,
        blank=True,
        help_text=_("Per esempio «lunedì e giovedì 16–19»."),
    )
    descrizione = models.TextField(_("descrizione"), blank=True)
    pubblico = models.BooleanField(
        _("mostrato sul sito"),
        default=True,
        help_text=_("Sulla pagina pubblica del quartiere, con i suoi servizi e orari."),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("spazio non residenziale")
        verbose_name_plural = _("spazi non residenziali")
        ordering = ["immobile", "nome", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(funzione__in=FunzioneSpazio.values), name="spazio_funzione_valida"
            ),
        ]

    def __str__(self) -> str:
        return self.nome


class GruppoTarget(models.TextChoices):
    ANZIANI = "anziani", _("anziani")
    GIOVANI_COPPIE = "giovani_coppie", _("giovani coppie")
    FAMIGLIE_MONOGENITORIALI = "famiglie_monogenitoriali", _("famiglie monogenitoriali")
    PERSONE_CON_DISABILITA = "persone_con_disabilita", _("persone con disabilità")
    STUDENTI = "studenti", _("studenti")
    ALTRO = "altro", _("altro")


class Nucleo(Versionato):
    """A household accompanied by the office: its members are persons of the registry."""

    codice = models.CharField(
        _("codice"),
        max_length=40,
        unique=True,
        null=True,
        blank=True,
        help_text=_("Codice di importazione, facoltativo."),
    )
    nome = models.CharField(
        _("nome"),
        max_length=120,
        help_text=_("Come lo chiama l'ufficio, per esempio «Nucleo Rossi»."),
    )
    quartiere = models.ForeignKey(
        Quartiere,
        verbose_name=_("quartiere"),
        on_delete=models.PROTECT,
        related_name="nuclei_abitare",
        help_text=_("Il quartiere dell'ufficio che accompagna il nucleo."),
    )
    gruppo_target = models.CharField(
        _("gruppo del piano di assegnazione"), max_length=30, choices=GruppoTarget.choices
    )
    lingua = models.CharField(
        _("lingua e bisogni linguistici"),
        max_length=120,
        blank=True,
        help_text=_("Per esempio «arabo; serve un mediatore linguistico ai colloqui»."),
    )
    telefono = models.CharField(_("telefono"), max_length=30, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    creato_il = models.DateTimeField(_("creato il"), auto_now_add=True)
    modificato_il = models.DateTimeField(_("modificato il"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("nucleo familiare")
        verbose_name_plural = _("nuclei familiari")
        ordering = ["nome", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(gruppo_target__in=GruppoTarget.values), name="nucleo_gruppo_valido"
            ),
        ]

    def __str__(self) -> str:
        return self.nome

    def get_absolute_url(self) -> str:
        return reverse("abitare:nucleo", args=[self.pk])


class Componente(models.Model):
    """A member of a household: one person belongs to one household at a time."""

    nucleo = models.ForeignKey(
        Nucleo, verbose_name=_("nucleo"), on_delete=models.CASCADE, related_name="componenti"
    )
    persona = models.ForeignKey(
        Persona, verbose_name=_("persona"), on_delete=models.PROTECT, related_name="nuclei_abitare"
    )
    intestatario = models.BooleanField(_("intestatario del contratto"), default=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("componente")
        verbose_name_plural = _("componenti")
        ordering = ["-intestatario", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["persona"],
                name="componente_un_solo_nucleo",
                violation_error_message=_("Questa persona fa già parte di un nucleo."),
            ),
            models.UniqueConstraint(
                fields=["nucleo"],
                condition=Q(intestatario=True),
                name="componente_un_solo_intestatario",
                violation_error_message=_("Il nucleo ha già un intestatario."),
            ),
        ]

    def __str__(self) -> str:
        return str(self.persona)


class StatoAssegnazione(models.TextChoices):
    PRE_ASSEGNATA = "pre_assegnata", _("pre-assegnata")
    ASSEGNATA = "assegnata", _("assegnata")
    ABITATA = "abitata", _("abitata (ingresso avvenuto)")
    CONCLUSA = "conclusa", _("conclusa (uscita)")
    ANNULLATA = "annullata", _("annullata")


#: States of a flat that can take a new household.
STATI_LIBERI = (StatoAlloggio.DISPONIBILE, StatoAlloggio.SFITTO)

#: An assignment that still holds its flat and its household.
STATI_CORRENTI = (
    StatoAssegnazione.PRE_ASSEGNATA,
    StatoAssegnazione.ASSEGNATA,
    StatoAssegnazione.ABITATA,
)


class Assegnazione(Versionato):
    """A flat assigned to a household: pre-assignment, assignment, entry, exit."""

    Stato = StatoAssegnazione

    alloggio = models.ForeignKey(
        Alloggio, verbose_name=_("alloggio"), on_delete=models.PROTECT, related_name="assegnazioni"
    )
    nucleo = models.ForeignKey(
        Nucleo, verbose_name=_("nucleo"), on_delete=models.PROTECT, related_name="assegnazioni"
    )
    stato = models.CharField(
        _("stato"),
        max_length=20,
        choices=StatoAssegnazione.choices,
        default=StatoAssegnazione.PRE_ASSEGNATA,
    )
    pre_assegnata_il = models.DateField(_("pre-assegnata il"))
    assegnata_il = models.DateField(_("assegnata il"), null=True, blank=True)
    ingresso_il = models.DateField(_("ingresso il"), null=True, blank=True)
    uscita_il = models.DateField(_("uscita il"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("assegnazione")
        verbose_name_plural = _("assegnazioni")
        ordering = ["-pre_assegnata_il", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["alloggio"],
                condition=Q(stato__in=[s.value for s in STATI_CORRENTI]),
                name="assegnazione_una_per_alloggio",
                violation_error_message=_("L'alloggio ha già un'assegnazione in corso."),
            ),
            models.UniqueConstraint(
                fields=["nucleo"],
                condition=Q(stato__in=[s.value for s in STATI_CORRENTI]),
                name="assegnazione_una_per_nucleo",
                violation_error_message=_("Il nucleo ha già un'assegnazione in corso."),
            ),
            models.CheckConstraint(
                condition=Q(stato__in=StatoAssegnazione.values), name="assegnazione_stato_valido"
            ),
            # Every step reached carries its date, and the dates follow the steps.
            models.CheckConstraint(
                condition=~Q(stato__in=["assegnata", "abitata", "conclusa"])
                | Q(assegnata_il__isnull=False),
                name="assegnazione_data_di_assegnazione",
            ),
            models.CheckConstraint(
                condition=~Q(stato__in=["abitata", "conclusa"]) | Q(ingresso_il__isnull=False),
                name="assegnazione_data_di_ingresso",
            ),
            models.CheckConstraint(
                condition=~Q(stato="conclusa") | Q(uscita_il__isnull=False),
                name="assegnazione_data_di_uscita",
            ),
            models.CheckConstraint(
                condition=Q(assegnata_il__isnull=True) | Q(assegnata_il__gte=F("pre_assegnata_il")),
                name="assegnazione_dopo_la_pre_assegnazione",
            ),
            models.CheckConstraint(
                condition=Q(ingresso_il__isnull=True)
                | Q(assegnata_il__isnull=True)
                | Q(ingresso_il__gte=F("assegnata_il")),
                name="assegnazione_ingresso_dopo_l_assegnazione",
            ),
            models.CheckConstraint(
                condition=Q(uscita_il__isnull=True)
                | Q(ingresso_il__isnull=True)
                | Q(uscita_il__gte=F("ingresso_il")),
                name="assegnazione_uscita_dopo_l_ingresso",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.nucleo} → {self.alloggio.codice}"

    @property
    def corrente(self) -> bool:
        return self.stato in STATI_CORRENTI
