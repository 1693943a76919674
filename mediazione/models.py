"""Conflict-mediation dossiers: one per case, with parties, dated activities, the
agreement and an append-only log of every access.

Everything in a dossier is confidential (notes may reveal special categories of data,
art. 9 GDPR): rows are read only through ``mediazione.rules.scope_dossier`` and every
read or change writes an :class:`AccessoDossier`.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from quartiere.accesso.models import Versionato
from quartiere.programmi.models import AttribuibileAProgramma
from quartiere.registro.models import Persona
from quartiere.territorio.models import Quartiere


class TipoConflitto(models.TextChoices):
    RUMORI = "rumori", _("rumori")
    SPAZI_COMUNI = "spazi_comuni", _("uso degli spazi comuni")
    ANIMALI = "animali", _("animali")
    GIARDINI_VERDE = "giardini_verde", _("giardini e verde")
    ODORI = "odori", _("odori")
    PARCHEGGI = "parcheggi", _("parcheggi")
    RIFIUTI_IGIENE = "rifiuti_igiene", _("rifiuti e igiene")
    GIOVANI_SPAZIO_PUBBLICO = "giovani_spazio_pubblico", _("gruppi di giovani e spazio pubblico")
    CONVIVENZA_INTERCULTURALE = "convivenza_interculturale", _("convivenza interculturale")
    INTERGENERAZIONALE = "intergenerazionale", _("intergenerazionale")
    CONDOMINIALE = "condominiale", _("condominiale")
    ALTRO = "altro", pgettext_lazy("tipo di conflitto", "altro")


class CanaleArrivo(models.TextChoices):
    ACCESSO_DIRETTO = "accesso_diretto", _("accesso diretto")
    SEGNALAZIONE = "segnalazione", _("segnalazione")
    SERVIZI_SOCIALI = "servizi_sociali", _("servizi sociali")
    POLIZIA_LOCALE = "polizia_locale", _("polizia locale")
    GESTORE_ALER = "gestore_aler", _("gestore / ALER")
    ALTRO_SERVIZIO = "altro_servizio", _("altro servizio")


class Fase(models.TextChoices):
    ACCOGLIENZA = "accoglienza", _("accoglienza")
    COLLOQUIO_RICHIEDENTE = "colloquio_richiedente", _("colloquio con il richiedente")
    INVITO_CONTROPARTE = "invito_controparte", _("invito alla controparte")
    COLLOQUI_INDIVIDUALI = "colloqui_individuali", _("colloqui individuali")
    INCONTRO_CONGIUNTO = "incontro_congiunto", _("incontro congiunto")
    ACCORDO = "accordo", _("accordo")
    VERIFICA = "verifica", _("verifica")
    CHIUSO = "chiuso", _("chiuso")


FASI_APERTE = [f for f in Fase.values if f != Fase.CHIUSO]


class Esito(models.TextChoices):
    ACCORDO_RAGGIUNTO = "accordo_raggiunto", _("accordo raggiunto")
    ACCORDO_PARZIALE = "accordo_parziale", _("accordo parziale")
    NESSUN_ACCORDO = "nessun_accordo", _("nessun accordo")
    RISOLTO_PRELIMINARE = "risolto_preliminare", _("risolto in fase preliminare")
    INFORMAZIONE_ORIENTAMENTO = "informazione_orientamento", _("solo informazione e orientamento")
    RINUNCIA = "rinuncia", _("rinuncia di una parte")
    INVIATO_ALTRO_SERVIZIO = "inviato_altro_servizio", _("inviato ad altro servizio")


class ContatoreDossier(models.Model):
    """The last number issued in a year; locked with SELECT ... FOR UPDATE when a dossier
    is opened, so numbers have neither gaps nor duplicates."""

    anno = models.PositiveSmallIntegerField(_("anno"), primary_key=True)
    ultimo = models.PositiveIntegerField(_("ultimo numero"), default=0)

    class Meta:
        verbose_name = _("contatore dei dossier")
        verbose_name_plural = _("contatori dei dossier")

    def __str__(self) -> str:
        return f"{self.anno}: {self.ultimo}"


class DossierQuerySet(models.QuerySet):
    def aperti(self):
        return self.exclude(fase=Fase.CHIUSO)

    def chiusi(self):
        return self.filter(fase=Fase.CHIUSO)

    def con_verifica_scaduta(self, oggi=None):
        oggi = oggi or timezone.localdate()
        return self.aperti().filter(
            accordo__data_verifica__lte=oggi, accordo__verifica_svolta_il__isnull=True
        )


class Dossier(Versionato, AttribuibileAProgramma):
    TipoConflitto = TipoConflitto
    CanaleArrivo = CanaleArrivo
    Fase = Fase
    Esito = Esito

    numero = models.CharField(_("numero"), max_length=20, unique=True, editable=False)
    anno = models.PositiveSmallIntegerField(_("anno"), editable=False)
    progressivo = models.PositiveIntegerField(_("progressivo"), editable=False)
    quartiere = models.ForeignKey(
        Quartiere,
        verbose_name=_("quartiere"),
        on_delete=models.PROTECT,
        related_name="dossier_mediazione",
    )
    tipo_conflitto = models.CharField(
        _("tipo di conflitto"), max_length=30, choices=TipoConflitto.choices
    )
    canale_arrivo = models.CharField(
        _("come è arrivato il caso"), max_length=30, choices=CanaleArrivo.choices
    )
    descrizione = models.TextField(
        _("descrizione del caso"),
        blank=True,
        help_text=_("Riservata: è letta solo dai mediatori assegnati e dai coordinatori."),
    )
    segnalazione = models.ForeignKey(
        "segnalazioni.Segnalazione",
        verbose_name=_("segnalazione di origine"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="dossier_mediazione",
    )
    mediatori = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("mediatori assegnati"),
        related_name="dossier_mediazione",
    )
    fase = models.CharField(
        _("fase"), max_length=30, choices=Fase.choices, default=Fase.ACCOGLIENZA
    )
    fase_alla_chiusura = models.CharField(
        _("fase alla chiusura"), max_length=30, choices=Fase.choices, blank=True, editable=False
    )
    esito = models.CharField(_("esito"), max_length=30, choices=Esito.choices, blank=True)
    aperto_il = models.DateField(_("aperto il"), default=timezone.localdate)
    chiuso_il = models.DateField(_("chiuso il"), null=True, blank=True, editable=False)
    creato_da = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("aperto da"),
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    creato_il = models.DateTimeField(_("creato il"), auto_now_add=True)
    anonimizzato_il = models.DateTimeField(
        _("anonimizzato il"), null=True, blank=True, editable=False
    )

    objects = DossierQuerySet.as_manager()
    history = HistoricalRecords(m2m_fields=[mediatori])

    class Meta:
        verbose_name = _("dossier di mediazione")
        verbose_name_plural = _("dossier di mediazione")
        ordering = ["-anno", "-progressivo"]
        constraints = [
            models.UniqueConstraint(fields=["anno", "progressivo"], name="dossier_numero_unico"),
            models.CheckConstraint(
                condition=Q(tipo_conflitto__in=TipoConflitto.values),
                name="dossier_tipo_conflitto_valido",
            ),
            models.CheckConstraint(
                condition=Q(canale_arrivo__in=CanaleArrivo.values),
                name="dossier_canale_valido",
            ),
            models.CheckConstraint(condition=Q(fase__in=Fase.values), name="dossier_fase_valida"),
            # A closed dossier has an outcome and a closing date; an open one has neither.
            models.CheckConstraint(
                condition=(
                    Q(fase="chiuso", esito__in=Esito.values, chiuso_il__isnull=False)
                    | (~Q(fase="chiuso") & Q(esito="", chiuso_il__isnull=True))
                ),
                name="dossier_chiusura_con_esito",
            ),
            models.CheckConstraint(
                condition=Q(chiuso_il__isnull=True) | Q(chiuso_il__gte=models.F("aperto_il")),
                name="dossier_chiuso_dopo_aperto",
            ),
        ]
        indexes = [
            models.Index(fields=["fase", "aperto_il"], name="dossier_fase_idx"),
            models.Index(fields=["chiuso_il"], name="dossier_chiuso_idx"),
        ]

    def __str__(self) -> str:
        return self.numero

    def get_absolute_url(self) -> str:
        return reverse("mediazione:dettaglio", args=[self.pk])

    def giorno_e_quartiere(self):
        return self.aperto_il, self.quartiere_id

    @property
    def chiuso(self) -> bool:
        return self.fase == Fase.CHIUSO

    @property
    def anonimizzato(self) -> bool:
        return self.anonimizzato_il is not None

    @staticmethod
    def formatta_numero(anno: int, progressivo: int) -> str:
        return f"MED-{anno}-{progressivo:04d}"


class Parte(Versionato):
    class Ruolo(models.TextChoices):
        RICHIEDENTE = "richiedente", _("richiedente")
        CONTROPARTE = "controparte", _("controparte")
        ALTRO = "altro", _("altro coinvolto")

    dossier = models.ForeignKey(
        Dossier, verbose_name=_("dossier"), on_delete=models.CASCADE, related_name="parti"
    )
    persona = models.ForeignKey(
        Persona,
        verbose_name=_("persona"),
        on_delete=models.PROTECT,
        related_name="parti_mediazione",
        null=True,
        blank=True,
        help_text=_("Vuoto solo nei dossier anonimizzati."),
    )
    ruolo = models.CharField(_("ruolo"), max_length=20, choices=Ruolo.choices)
    consenso_mediazione = models.BooleanField(_("consenso alla mediazione"), default=False)
    consenso_data = models.DateField(_("data del consenso"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("parte")
        verbose_name_plural = _("parti")
        ordering = ["dossier", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["dossier", "persona"],
                condition=Q(persona__isnull=False),
                name="parte_persona_unica_nel_dossier",
            ),
            models.CheckConstraint(
                condition=Q(ruolo__in=["richiedente", "controparte", "altro"]),
                name="parte_ruolo_valido",
            ),
            models.CheckConstraint(
                condition=Q(consenso_mediazione=False) | Q(consenso_data__isnull=False),
                name="parte_consenso_datato",
            ),
        ]

    def __str__(self) -> str:
        chi = str(self.persona) if self.persona_id else _("persona anonimizzata")
        return f"{chi} ({self.get_ruolo_display()})"


class Attivita(models.Model):
    class Tipo(models.TextChoices):
        COLLOQUIO_INDIVIDUALE = "colloquio_individuale", _("colloquio individuale")
        INCONTRO_CONGIUNTO = "incontro_congiunto", _("incontro congiunto")
        TELEFONATA = "telefonata", _("telefonata")
        LETTERA = "lettera", _("lettera")
        SOPRALLUOGO = "sopralluogo", _("sopralluogo")
        VERIFICA = "verifica", _("verifica")

    dossier = models.ForeignKey(
        Dossier, verbose_name=_("dossier"), on_delete=models.CASCADE, related_name="attivita"
    )
    tipo = models.CharField(_("tipo"), max_length=30, choices=Tipo.choices)
    data = models.DateField(_("data"))
    durata_minuti = models.PositiveIntegerField(_("durata (minuti)"), null=True, blank=True)
    fase = models.CharField(
        _("fase del dossier"), max_length=30, choices=Fase.choices, editable=False
    )
    partecipanti = models.ManyToManyField(
        Parte, verbose_name=_("partecipanti"), related_name="attivita", blank=True
    )
    note = models.TextField(_("note"), blank=True)
    non_condividere = models.BooleanField(
        _("da non condividere con l'altra parte"),
        default=False,
        help_text=_(
            "Quanto detto in un colloquio separato non si riferisce all'altra parte senza "
            "il consenso di chi l'ha detto."
        ),
    )
    registrata_da = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("registrata da"),
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    registrata_il = models.DateTimeField(_("registrata il"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("attività")
        verbose_name_plural = _("attività")
        ordering = ["dossier", "data", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    tipo__in=[
                        "colloquio_individuale",
                        "incontro_congiunto",
                        "telefonata",
                        "lettera",
                        "sopralluogo",
                        "verifica",
                    ]
                ),
                name="attivita_tipo_valido",
            ),
            # A joint meeting has no "separate session" content to protect.
            models.CheckConstraint(
                condition=~Q(tipo="incontro_congiunto", non_condividere=True),
                name="attivita_congiunta_condivisibile",
            ),
            models.CheckConstraint(
                condition=Q(durata_minuti__isnull=True) | Q(durata_minuti__lte=24 * 60),
                name="attivita_durata_plausibile",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_tipo_display()} {self.data:%d/%m/%Y}"


class Accordo(Versionato):
    dossier = models.OneToOneField(
        Dossier, verbose_name=_("dossier"), on_delete=models.CASCADE, related_name="accordo"
    )
    testo = models.TextField(_("testo dell'accordo"))
    data = models.DateField(_("data dell'accordo"))
    parti_aderenti = models.ManyToManyField(
        Parte, verbose_name=_("parti che hanno aderito"), related_name="accordi", blank=True
    )
    data_verifica = models.DateField(_("data della verifica"), null=True, blank=True)
    verifica_svolta_il = models.DateField(_("verifica svolta il"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("accordo")
        verbose_name_plural = _("accordi")
        constraints = [
            models.CheckConstraint(
                condition=Q(data_verifica__isnull=True) | Q(data_verifica__gte=models.F("data")),
                name="accordo_verifica_dopo_accordo",
            ),
        ]

    def __str__(self) -> str:
        return _("Accordo del %(data)s") % {"data": self.data.strftime("%d/%m/%Y")}


class AccessoDossier(models.Model):
    """One read or change of a dossier. Append-only: a database trigger rejects UPDATE
    and DELETE (see migration 0002), and the admin shows it read-only."""

    class Azione(models.TextChoices):
        LETTURA = "lettura", _("lettura")
        CREAZIONE = "creazione", _("apertura del dossier")
        MODIFICA = "modifica", _("modifica")
        PDF = "pdf", _("PDF")
        ESPORTAZIONE = "esportazione", _("esportazione")
        LETTURA_ADMIN = "lettura_admin", _("lettura dall'amministrazione")
        ANONIMIZZAZIONE = "anonimizzazione", _("anonimizzazione")

    dossier = models.ForeignKey(
        Dossier, verbose_name=_("dossier"), on_delete=models.PROTECT, related_name="accessi"
    )
    utente = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("utente"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        help_text=_("Vuoto per le operazioni automatiche."),
    )
    nome_utente = models.CharField(_("nome utente"), max_length=150, blank=True)
    quando = models.DateTimeField(_("quando"), default=timezone.now, db_index=True)
    azione = models.CharField(_("azione"), max_length=20, choices=Azione.choices)
    dettaglio = models.CharField(_("dettaglio"), max_length=200, blank=True)
    indirizzo_ip = models.GenericIPAddressField(_("indirizzo IP"), null=True, blank=True)

    class Meta:
        verbose_name = _("accesso a un dossier")
        verbose_name_plural = _("registro degli accessi ai dossier")
        ordering = ["-quando", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    azione__in=[
                        "lettura",
                        "creazione",
                        "modifica",
                        "pdf",
                        "esportazione",
                        "lettura_admin",
                        "anonimizzazione",
                    ]
                ),
                name="accesso_azione_valida",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.quando:%Y-%m-%d %H:%M} {self.nome_utente or '-'} {self.azione}"


class EsecuzioneConservazione(models.Model):
    """One run of ``manage.py mediazione_retention`` (append-only, like the access log)."""

    eseguita_il = models.DateTimeField(_("eseguita il"), default=timezone.now)
    anonimizza = models.BooleanField(_("con anonimizzazione"), default=False)
    anni = models.PositiveSmallIntegerField(_("anni di conservazione"))
    chiusi_prima_del = models.DateField(_("chiusi prima del"))
    dossier_trovati = models.PositiveIntegerField(_("dossier trovati"), default=0)
    dossier_anonimizzati = models.PositiveIntegerField(_("dossier anonimizzati"), default=0)
    numeri = models.TextField(_("numeri dei dossier"), blank=True)
    eseguita_da = models.CharField(_("eseguita da"), max_length=150, blank=True)

    class Meta:
        verbose_name = _("esecuzione della conservazione")
        verbose_name_plural = _("esecuzioni della conservazione")
        ordering = ["-eseguita_il", "-pk"]

    def __str__(self) -> str:
        return f"{self.eseguita_il:%Y-%m-%d %H:%M}"
