"""Renovated public housing: buildings and their flats, households, and the assignment of
a flat to a household from pre-assignment to entry and exit (docs/abitare.md).

The database keeps the rules that matter when two operators work at once: a flat has at
most one current assignment, a household at most one, and every step carries its date.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from quartiere.accesso.models import Versionato
from quartiere.programmi.models import AttribuibileAProgramma
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
    categoria_problemi = models.ForeignKey(
        "segnalazioni.Categoria",
        verbose_name=_("categoria dei problemi per il gestore"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        help_text=_(
            "La categoria delle segnalazioni con cui i problemi degli alloggi arrivano al "
            "gestore: il suo ufficio competente riceve l'inoltro."
        ),
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


class Obiettivo(Versionato):
    """A target of the assignment plan: how many flats of a building go to households of a
    target group."""

    immobile = models.ForeignKey(
        Immobile, verbose_name=_("immobile"), on_delete=models.CASCADE, related_name="obiettivi"
    )
    gruppo_target = models.CharField(
        _("gruppo del piano di assegnazione"), max_length=30, choices=GruppoTarget.choices
    )
    alloggi = models.PositiveSmallIntegerField(_("alloggi da assegnare"))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("obiettivo del piano di assegnazione")
        verbose_name_plural = _("piano di assegnazione")
        ordering = ["immobile", "gruppo_target"]
        constraints = [
            models.UniqueConstraint(
                fields=["immobile", "gruppo_target"],
                name="obiettivo_uno_per_gruppo",
                violation_error_message=_("L'immobile ha già un obiettivo per questo gruppo."),
            ),
            models.CheckConstraint(
                condition=Q(gruppo_target__in=GruppoTarget.values), name="obiettivo_gruppo_valido"
            ),
            models.CheckConstraint(
                condition=Q(alloggi__gte=1),
                name="obiettivo_almeno_un_alloggio",
                violation_error_message=_("L'obiettivo è di almeno un alloggio."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.immobile}: {self.get_gruppo_target_display()} × {self.alloggi}"


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


class LivelloAttenzione(models.TextChoices):
    ORDINARIO = "ordinario", _("ordinario")
    MIRATO = "mirato", _("mirato")


class Percorso(Versionato, AttribuibileAProgramma):
    """The accompaniment of a household: its level of attention, the needs noted at entry
    and the operators assigned to it, who (with the coordinators) read its confidential
    notes."""

    Livello = LivelloAttenzione

    nucleo = models.OneToOneField(
        Nucleo, verbose_name=_("nucleo"), on_delete=models.CASCADE, related_name="percorso"
    )
    livello = models.CharField(
        _("livello di attenzione"),
        max_length=20,
        choices=LivelloAttenzione.choices,
        default=LivelloAttenzione.ORDINARIO,
    )
    bisogni = models.TextField(
        _("bisogni rilevati all'ingresso"),
        blank=True,
        help_text=_(
            "Quello che il nucleo chiede o di cui ha bisogno. Fragilità e morosità vanno "
            "nelle note riservate."
        ),
    )
    operatori = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("operatori assegnati"),
        related_name="percorsi_abitare",
        blank=True,
    )
    avviato_il = models.DateField(_("avviato il"))

    history = HistoricalRecords(m2m_fields=[operatori])

    class Meta:
        verbose_name = _("percorso di accompagnamento")
        verbose_name_plural = _("percorsi di accompagnamento")
        constraints = [
            models.CheckConstraint(
                condition=Q(livello__in=LivelloAttenzione.values), name="percorso_livello_valido"
            ),
        ]

    def __str__(self) -> str:
        return _("Percorso di %(nucleo)s") % {"nucleo": self.nucleo}

    def giorno_e_quartiere(self):
        return self.avviato_il, self.nucleo.quartiere_id if self.nucleo_id else None


class ServizioMisura(models.TextChoices):
    SERVIZI_SOCIALI = "servizi_sociali", _("servizi sociali")
    CUSTODIA_SOCIALE = "custodia_sociale", _("custodia sociale")
    CPS = "cps", _("centro psico-sociale (CPS)")
    SANITARIO = "sanitario", _("servizi sanitari")
    LAVORO = "lavoro", _("orientamento al lavoro")
    SCUOLA = "scuola", _("scuola")
    GESTORE = "gestore", _("gestore dell'immobile")
    ALTRO = "altro", _("altro servizio")


class Misura(Versionato):
    """A targeted measure agreed with another service for a household, with the date it
    is to be checked and, once checked, the outcome."""

    Servizio = ServizioMisura

    nucleo = models.ForeignKey(
        Nucleo, verbose_name=_("nucleo"), on_delete=models.PROTECT, related_name="misure"
    )
    servizio = models.CharField(_("servizio"), max_length=30, choices=ServizioMisura.choices)
    descrizione = models.CharField(_("misura concordata"), max_length=300)
    concordata_il = models.DateField(_("concordata il"))
    verifica_il = models.DateField(_("da verificare il"))
    verificata_il = models.DateField(_("verificata il"), null=True, blank=True)
    esito = models.CharField(_("esito della verifica"), max_length=300, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("misura mirata")
        verbose_name_plural = _("misure mirate")
        ordering = ["verifica_il", "pk"]
        indexes = [
            models.Index(
                fields=["verifica_il"],
                condition=Q(verificata_il__isnull=True),
                name="misura_da_verificare",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(servizio__in=ServizioMisura.values), name="misura_servizio_valido"
            ),
            models.CheckConstraint(
                condition=Q(verifica_il__gte=F("concordata_il")),
                name="misura_verifica_dopo_l_accordo",
                violation_error_message=_(
                    "La data della verifica non può precedere quella dell'accordo."
                ),
            ),
            models.CheckConstraint(
                condition=Q(verificata_il__isnull=True) | Q(verificata_il__gte=F("concordata_il")),
                name="misura_verificata_dopo_l_accordo",
                violation_error_message=_(
                    "La misura non può essere verificata prima di essere concordata."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.descrizione


class TipoContatto(models.TextChoices):
    VISITA = "visita", _("visita domiciliare")
    COLLOQUIO = "colloquio", _("colloquio")
    TELEFONATA = "telefonata", _("telefonata")
    INCONTRO_SCALA = "incontro_scala", _("incontro di scala")


class Contatto(Versionato):
    """One contact of an operator with a household, on a date (the accompaniment's log)."""

    Tipo = TipoContatto

    nucleo = models.ForeignKey(
        Nucleo, verbose_name=_("nucleo"), on_delete=models.PROTECT, related_name="contatti"
    )
    tipo = models.CharField(_("tipo"), max_length=20, choices=TipoContatto.choices)
    il = models.DateField(_("data"), db_index=True)
    alle = models.TimeField(_("ora"), null=True, blank=True)
    operatore = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("operatore"),
        on_delete=models.PROTECT,
        related_name="contatti_abitare",
    )
    sintesi = models.CharField(
        _("sintesi"),
        max_length=500,
        blank=True,
        help_text=_("Di che cosa si è parlato, senza dati riservati."),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("contatto")
        verbose_name_plural = _("contatti")
        ordering = ["-il", "-alle", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(tipo__in=TipoContatto.values), name="contatto_tipo_valido"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_tipo_display()} {self.il:%d/%m/%Y}"


class TipoNota(models.TextChoices):
    FRAGILITA = "fragilita", _("fragilità")
    MOROSITA = "morosita", _("prevenzione della morosità")


class NotaRiservata(models.Model):
    """A confidential note on a household (fragility, arrears prevention). Only the
    household's assigned operators and the coordinators read them, each reading logged in
    :class:`AccessoRiservato`. A note is never changed (a database trigger refuses UPDATE):
    a correction is a new note. Retention deletes them with the household's data."""

    Tipo = TipoNota

    nucleo = models.ForeignKey(
        Nucleo, verbose_name=_("nucleo"), on_delete=models.PROTECT, related_name="note_riservate"
    )
    tipo = models.CharField(_("tipo"), max_length=20, choices=TipoNota.choices)
    testo = models.TextField(_("testo"))
    scritta_da = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("scritta da"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    scritta_il = models.DateTimeField(_("scritta il"), default=timezone.now)

    class Meta:
        verbose_name = _("nota riservata")
        verbose_name_plural = _("note riservate")
        ordering = ["-scritta_il", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(tipo__in=TipoNota.values), name="nota_tipo_valido"),
        ]

    def __str__(self) -> str:
        return f"{self.get_tipo_display()} {self.scritta_il:%d/%m/%Y}"


class AccessoRiservato(models.Model):
    """One reading or writing of a household's confidential notes. Append-only: a database
    trigger refuses UPDATE and DELETE."""

    class Azione(models.TextChoices):
        LETTURA = "lettura", _("lettura")
        SCRITTURA = "scrittura", _("nuova nota")

    nucleo = models.ForeignKey(
        Nucleo, verbose_name=_("nucleo"), on_delete=models.PROTECT, related_name="accessi"
    )
    utente = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("utente"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    nome_utente = models.CharField(_("nome utente"), max_length=150)
    quando = models.DateTimeField(_("quando"), default=timezone.now, db_index=True)
    azione = models.CharField(_("azione"), max_length=20, choices=Azione.choices)
    indirizzo_ip = models.GenericIPAddressField(_("indirizzo IP"), null=True, blank=True)

    class Meta:
        verbose_name = _("accesso alle note riservate")
        verbose_name_plural = _("registro degli accessi alle note riservate")
        ordering = ["-quando", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(azione__in=["lettura", "scrittura"]),
                name="accesso_riservato_azione_valida",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.quando:%Y-%m-%d %H:%M} {self.nome_utente} {self.azione}"


class AmbitoProblema(models.TextChoices):
    IMPIANTI = "impianti", _("impianti (caldaia, acqua, luce, gas)")
    DOTAZIONI = "dotazioni", _("dotazioni dell'alloggio")
    MANUTENZIONE = "manutenzione", _("manutenzione")
    PARTI_COMUNI = "parti_comuni", _("parti comuni")


class Problema(models.Model):
    """A problem with a flat or the building, forwarded to the gestore as a report of
    ``segnalazioni``: its state, dates and outcome are the report's, so there is one ticket
    system; this row says which building, flat and household it concerns."""

    Ambito = AmbitoProblema

    segnalazione = models.OneToOneField(
        "segnalazioni.Segnalazione",
        verbose_name=_("segnalazione"),
        on_delete=models.CASCADE,
        related_name="problema_abitare",
    )
    immobile = models.ForeignKey(
        Immobile, verbose_name=_("immobile"), on_delete=models.PROTECT, related_name="problemi"
    )
    alloggio = models.ForeignKey(
        Alloggio,
        verbose_name=_("alloggio"),
        on_delete=models.PROTECT,
        related_name="problemi",
        null=True,
        blank=True,
    )
    nucleo = models.ForeignKey(
        Nucleo,
        verbose_name=_("nucleo"),
        on_delete=models.PROTECT,
        related_name="problemi",
        null=True,
        blank=True,
    )
    ambito = models.CharField(_("ambito"), max_length=20, choices=AmbitoProblema.choices)

    class Meta:
        verbose_name = _("problema dell'alloggio")
        verbose_name_plural = _("problemi degli alloggi")
        ordering = ["-segnalazione__creata_il", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ambito__in=AmbitoProblema.values), name="problema_ambito_valido"
            ),
        ]

    def __str__(self) -> str:
        return str(self.segnalazione.oggetto)


class Spostamento(Versionato):
    """A temporary move of a household during works (the "piano di mobilità"): from its
    flat under renovation to another one, and back, with the dates, so nobody is lost
    between two addresses. A household has at most one move in progress and a flat hosts
    at most one (partial unique constraints)."""

    nucleo = models.ForeignKey(
        Nucleo, verbose_name=_("nucleo"), on_delete=models.PROTECT, related_name="spostamenti"
    )
    da_alloggio = models.ForeignKey(
        Alloggio,
        verbose_name=_("dall'alloggio"),
        on_delete=models.PROTECT,
        related_name="spostamenti_in_uscita",
        help_text=_("L'alloggio da ristrutturare, dove il nucleo tornerà."),
    )
    a_alloggio = models.ForeignKey(
        Alloggio,
        verbose_name=_("all'alloggio temporaneo"),
        on_delete=models.PROTECT,
        related_name="spostamenti_ospitati",
    )
    uscita_il = models.DateField(_("trasferito il"))
    rientro_previsto_il = models.DateField(_("rientro previsto il"), null=True, blank=True)
    rientrato_il = models.DateField(_("rientrato il"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("spostamento temporaneo")
        verbose_name_plural = _("spostamenti temporanei")
        ordering = ["-uscita_il", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["nucleo"],
                condition=Q(rientrato_il__isnull=True),
                name="spostamento_uno_per_nucleo",
                violation_error_message=_("Il nucleo ha già uno spostamento in corso."),
            ),
            models.UniqueConstraint(
                fields=["a_alloggio"],
                condition=Q(rientrato_il__isnull=True),
                name="spostamento_uno_per_alloggio_temporaneo",
                violation_error_message=_("L'alloggio ospita già un nucleo spostato."),
            ),
            models.CheckConstraint(
                condition=~Q(da_alloggio=F("a_alloggio")),
                name="spostamento_tra_due_alloggi",
                violation_error_message=_("L'alloggio temporaneo è un altro."),
            ),
            models.CheckConstraint(
                condition=Q(rientro_previsto_il__isnull=True)
                | Q(rientro_previsto_il__gte=F("uscita_il")),
                name="spostamento_rientro_previsto_dopo",
                violation_error_message=_(
                    "Il rientro previsto non può precedere il trasferimento."
                ),
            ),
            models.CheckConstraint(
                condition=Q(rientrato_il__isnull=True) | Q(rientrato_il__gte=F("uscita_il")),
                name="spostamento_rientro_dopo",
                violation_error_message=_("Il rientro non può precedere il trasferimento."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.nucleo}: {self.da_alloggio.codice} → {self.a_alloggio.codice}"

    @property
    def in_corso(self) -> bool:
        return self.rientrato_il is None


class Regolamento(Versionato):
    """A version of the house rules built with the tenants of a building. The version in
    force is the latest whose date has come; a version without a date is a draft."""

    immobile = models.ForeignKey(
        Immobile, verbose_name=_("immobile"), on_delete=models.PROTECT, related_name="regolamenti"
    )
    numero = models.PositiveSmallIntegerField(_("versione"))
    titolo = models.CharField(_("titolo"), max_length=200, default=_("Regole condivise"))
    testo = models.TextField(_("testo"))
    in_vigore_dal = models.DateField(
        _("in vigore dal"),
        null=True,
        blank=True,
        help_text=_("Vuoto finché è una bozza in discussione."),
    )
    discusso_in = models.TextField(
        _("discusso in"),
        blank=True,
        help_text=_("Le assemblee e gli incontri di scala in cui è stato discusso, con le date."),
    )
    incontri = models.ManyToManyField(
        "laboratori.Incontro",
        verbose_name=_("incontri di laboratorio in cui è stato discusso"),
        related_name="regolamenti_abitare",
        blank=True,
    )

    history = HistoricalRecords(m2m_fields=[incontri])

    class Meta:
        verbose_name = _("regole condivise")
        verbose_name_plural = _("regole condivise")
        ordering = ["immobile", "-numero"]
        constraints = [
            models.UniqueConstraint(
                fields=["immobile", "numero"],
                name="regolamento_versione_unica",
                violation_error_message=_("L'immobile ha già una versione con questo numero."),
            ),
            models.CheckConstraint(condition=Q(numero__gte=1), name="regolamento_numero_positivo"),
        ]

    def __str__(self) -> str:
        return _("%(titolo)s, versione %(n)s") % {"titolo": self.titolo, "n": self.numero}


class Adesione(models.Model):
    """A household's adhesion to a version of its building's rules."""

    regolamento = models.ForeignKey(
        Regolamento, verbose_name=_("regole"), on_delete=models.PROTECT, related_name="adesioni"
    )
    nucleo = models.ForeignKey(
        Nucleo, verbose_name=_("nucleo"), on_delete=models.PROTECT, related_name="adesioni"
    )
    il = models.DateField(_("aderito il"))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("adesione alle regole")
        verbose_name_plural = _("adesioni alle regole")
        ordering = ["-il", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["regolamento", "nucleo"],
                name="adesione_una_per_versione",
                violation_error_message=_("Il nucleo ha già aderito a questa versione."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.nucleo} → {self.regolamento}"


class ServizioAutogestito(models.TextChoices):
    PULIZIE = "pulizie", _("pulizie delle parti comuni")
    VERDE = "verde", _("cura del verde")
    SALA_COMUNE = "sala_comune", _("sala comune")
    ALTRO = "altro", _("altro servizio")


class GruppoAutogestione(Versionato):
    """A self-management group of a condominium service, with the households in it and
    their turns."""

    Servizio = ServizioAutogestito

    immobile = models.ForeignKey(
        Immobile, verbose_name=_("immobile"), on_delete=models.PROTECT, related_name="gruppi"
    )
    servizio = models.CharField(_("servizio"), max_length=20, choices=ServizioAutogestito.choices)
    nome = models.CharField(_("nome"), max_length=120)
    nuclei = models.ManyToManyField(
        Nucleo, verbose_name=_("nuclei"), related_name="gruppi_autogestione", blank=True
    )

    history = HistoricalRecords(m2m_fields=[nuclei])

    class Meta:
        verbose_name = _("gruppo di autogestione")
        verbose_name_plural = _("gruppi di autogestione")
        ordering = ["immobile", "nome", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(servizio__in=ServizioAutogestito.values),
                name="gruppo_servizio_valido",
            ),
        ]

    def __str__(self) -> str:
        return self.nome


class Turno(models.Model):
    """A household's turn in a self-management group, from one day to another."""

    gruppo = models.ForeignKey(
        GruppoAutogestione, verbose_name=_("gruppo"), on_delete=models.CASCADE, related_name="turni"
    )
    nucleo = models.ForeignKey(
        Nucleo, verbose_name=_("nucleo"), on_delete=models.PROTECT, related_name="turni"
    )
    dal = models.DateField(_("dal"))
    al = models.DateField(_("al"))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("turno")
        verbose_name_plural = _("turni")
        ordering = ["dal", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(al__gte=F("dal")),
                name="turno_al_dopo_dal",
                violation_error_message=_("Il turno finisce prima di cominciare."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.nucleo} {self.dal:%d/%m}–{self.al:%d/%m}"


class FaseComunicazione(models.TextChoices):
    PRE_ASSEGNAZIONE = "pre_assegnazione", _("pre-assegnazione")
    INGRESSO = "ingresso", _("ingresso")
    GESTIONE = "gestione", _("gestione")


class DestinatariComunicazione(models.TextChoices):
    ABITANTI = "abitanti", _("abitanti")
    QUARTIERE = "quartiere", _("quartiere")
    CITTA = "citta", _("città")


class CanaleComunicazione(models.TextChoices):
    INCONTRO = "incontro", _("incontro")
    VOLANTINO = "volantino", _("volantino")
    BACHECA = "bacheca", _("bacheca")
    SITO = "sito", _("sito")
    EMAIL = "email", _("e-mail")


class StatoAzione(models.TextChoices):
    PROGRAMMATA = "programmata", _("programmata")
    SVOLTA = "svolta", _("svolta")
    ANNULLATA = "annullata", _("annullata")


def percorso_materiale(istanza, nome_file: str) -> str:
    return f"abitare/comunicazione/{timezone.now():%Y/%m}/{nome_file}"


class AzioneComunicazione(Versionato):
    """An action of a building's communication plan: a phase (pre-assignment, entry,
    management), for whom (residents, quartiere, city), through which channel, on which
    date, with its material. Public upcoming actions appear on the quartiere's page."""

    Fase = FaseComunicazione
    Destinatari = DestinatariComunicazione
    Canale = CanaleComunicazione
    Stato = StatoAzione

    immobile = models.ForeignKey(
        Immobile, verbose_name=_("immobile"), on_delete=models.PROTECT, related_name="azioni"
    )
    fase = models.CharField(_("fase"), max_length=20, choices=FaseComunicazione.choices)
    destinatari = models.CharField(
        _("destinatari"), max_length=20, choices=DestinatariComunicazione.choices
    )
    canale = models.CharField(_("canale"), max_length=20, choices=CanaleComunicazione.choices)
    titolo = models.CharField(_("titolo"), max_length=200)
    descrizione = models.TextField(_("descrizione"), blank=True)
    data = models.DateField(_("data"))
    stato = models.CharField(
        _("stato"), max_length=20, choices=StatoAzione.choices, default=StatoAzione.PROGRAMMATA
    )
    materiale = models.FileField(
        _("materiale"),
        upload_to=percorso_materiale,
        max_length=200,
        blank=True,
        help_text=_("Un volantino o una locandina: immagine JPEG, PNG o WebP oppure PDF."),
    )
    pubblica = models.BooleanField(
        _("mostrata sul sito"),
        default=False,
        help_text=_("Se programmata, compare sulla pagina pubblica del quartiere."),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("azione di comunicazione")
        verbose_name_plural = _("piano di comunicazione")
        ordering = ["data", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(fase__in=FaseComunicazione.values), name="azione_fase_valida"
            ),
            models.CheckConstraint(
                condition=Q(destinatari__in=DestinatariComunicazione.values),
                name="azione_destinatari_validi",
            ),
            models.CheckConstraint(
                condition=Q(canale__in=CanaleComunicazione.values), name="azione_canale_valido"
            ),
            models.CheckConstraint(
                condition=Q(stato__in=StatoAzione.values), name="azione_stato_valido"
            ),
        ]

    def __str__(self) -> str:
        return self.titolo
