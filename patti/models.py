"""Collaboration pacts: signatories and their commitments, projects, monitoring."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from quartiere.accesso.models import Versionato
from quartiere.programmi.models import AttribuibileAProgramma
from quartiere.registro.models import Organizzazione, Persona
from quartiere.territorio.models import Quartiere


class StatoPatto(models.TextChoices):
    PROPOSTA = "proposta", _("proposta")
    ISTRUTTORIA = "istruttoria", _("istruttoria")
    CO_PROGETTAZIONE = "co_progettazione", _("co-progettazione")
    APPROVATO = "approvato", _("approvato")
    FIRMATO = "firmato", _("firmato")
    IN_ATTUAZIONE = "in_attuazione", _("in attuazione")
    CONCLUSO = "concluso", _("concluso")
    SOSPESO = "sospeso", _("sospeso")
    REVOCATO = "revocato", _("revocato")
    RESPINTO = "respinto", _("respinto")
    # Replaced by a signed supplementary act: the act, a pact of its own, is what is in force.
    INTEGRATO = "integrato", _("modificato da atto integrativo")


# Pacts that exist as signed agreements: what the public register shows.
STATI_PUBBLICI = (
    StatoPatto.FIRMATO,
    StatoPatto.IN_ATTUAZIONE,
    StatoPatto.CONCLUSO,
    StatoPatto.INTEGRATO,
)
# What the public register lists: a pact replaced by a supplementary act is listed as the
# act. The same condition filters the register and bounds its index (Patto.Meta.indexes).
IN_REGISTRO = Q(stato__in=[s.value for s in STATI_PUBBLICI]) & ~Q(stato=StatoPatto.INTEGRATO.value)
# A pact in these states has been signed, so it must carry its signature date.
STATI_CON_FIRMA = STATI_PUBBLICI
# The states a pact can reach once signed: only in these can its signed content be sealed.
STATI_DOPO_FIRMA = (*STATI_CON_FIRMA, StatoPatto.SOSPESO, StatoPatto.REVOCATO)

#: What a signature freezes (docs/patti.md): a database trigger refuses to change these
#: columns of a sealed pact, and any row of its signatories, commitments and projects except
#: the monitoring columns below (migration patti 0005).
CAMPI_FIRMATI = (
    "numero",
    "titolo",
    "quartiere",
    "tipo",
    "livello",
    "bene_materiale",
    "bene_immateriale",
    "bene_digitale",
    "beni_descrizione",
    "luogo",
    "lat",
    "lon",
    "finalita",
    "sostegno_materiali",
    "sostegno_spazi",
    "sostegno_formazione",
    "sostegno_rimborsi",
    "sostegno_assicurazione",
    "sostegno_esenzioni",
    "sostegno_note",
    "copertura_assicurativa",
    "atto_tipo",
    "atto_numero",
    "atto_data",
    "data_firma",
    "data_inizio",
    "data_fine",
    "rinnova",
    "integra",
    "modifiche",
    "documento_firmato",
)
#: What stays editable after signature in the rows under a pact: the monitoring.
CAMPI_MONITORAGGIO = {"impegno": ("svolto",), "progetto": ("avanzamento", "codice")}


class TipoPatto(models.TextChoices):
    ORDINARIO = "ordinario", _("ordinario")
    COMPLESSO = "complesso", _("complesso")


class LivelloPatto(models.TextChoices):
    CURA_OCCASIONALE = "cura_occasionale", _("cura occasionale")
    CURA_COSTANTE = "cura_costante", _("cura costante e continuativa")
    GESTIONE_CONDIVISA = "gestione_condivisa", _("gestione condivisa")
    RIGENERAZIONE = "rigenerazione", _("rigenerazione")


class TipoAtto(models.TextChoices):
    DELIBERA = "delibera", _("delibera")
    DETERMINA = "determina", _("determina")


class PattoQuerySet(models.QuerySet):
    def pubblici(self):
        return self.filter(stato__in=STATI_PUBBLICI)

    def nei_quartieri(self, quartieri):
        return self.filter(quartiere__in=quartieri)


class Patto(Versionato, AttribuibileAProgramma):
    Stato = StatoPatto
    Tipo = TipoPatto
    Livello = LivelloPatto

    codice = models.CharField(
        _("codice"),
        max_length=40,
        unique=True,
        null=True,
        blank=True,
        help_text=_("Codice di importazione, facoltativo."),
    )
    numero = models.CharField(_("numero"), max_length=40, unique=True)
    titolo = models.CharField(_("titolo"), max_length=200)
    quartiere = models.ForeignKey(
        Quartiere, verbose_name=_("quartiere"), on_delete=models.PROTECT, related_name="patti"
    )
    laboratorio = models.ForeignKey(
        "laboratori.Laboratorio",
        verbose_name=_("laboratorio di origine"),
        on_delete=models.SET_NULL,
        related_name="patti",
        null=True,
        blank=True,
    )
    proposta = models.ForeignKey(
        "laboratori.Proposta",
        verbose_name=_("proposta di origine"),
        on_delete=models.SET_NULL,
        related_name="patti",
        null=True,
        blank=True,
        help_text=_("La proposta del laboratorio da cui è nato il patto."),
    )
    tipo = models.CharField(
        _("tipo di patto"), max_length=20, choices=TipoPatto.choices, default=TipoPatto.ORDINARIO
    )
    livello = models.CharField(
        _("livello di collaborazione"),
        max_length=30,
        choices=LivelloPatto.choices,
        default=LivelloPatto.CURA_OCCASIONALE,
    )
    bene_materiale = models.BooleanField(_("bene comune materiale"), default=False)
    bene_immateriale = models.BooleanField(_("bene comune immateriale"), default=False)
    bene_digitale = models.BooleanField(_("bene comune digitale"), default=False)
    beni_descrizione = models.TextField(_("beni comuni interessati"), blank=True)
    luogo = models.CharField(_("luogo"), max_length=200, blank=True)
    lat = models.FloatField(_("latitudine"), null=True, blank=True)
    lon = models.FloatField(_("longitudine"), null=True, blank=True)
    finalita = models.TextField(_("finalità"), blank=True)
    sostegno_materiali = models.BooleanField(_("materiali e attrezzature"), default=False)
    sostegno_spazi = models.BooleanField(_("uso di spazi"), default=False)
    sostegno_formazione = models.BooleanField(_("formazione"), default=False)
    sostegno_rimborsi = models.BooleanField(_("rimborso delle spese"), default=False)
    sostegno_assicurazione = models.BooleanField(_("copertura assicurativa"), default=False)
    sostegno_esenzioni = models.BooleanField(_("esenzione da canoni e tributi"), default=False)
    sostegno_note = models.TextField(_("dettagli del sostegno"), blank=True)
    copertura_assicurativa = models.TextField(_("copertura assicurativa dei volontari"), blank=True)
    atto_tipo = models.CharField(
        _("tipo di atto di approvazione"), max_length=20, choices=TipoAtto.choices, blank=True
    )
    atto_numero = models.CharField(_("numero dell'atto"), max_length=40, blank=True)
    atto_data = models.DateField(_("data dell'atto"), null=True, blank=True)
    data_firma = models.DateField(_("data di firma"), null=True, blank=True)
    data_inizio = models.DateField(_("inizio"), null=True, blank=True)
    data_fine = models.DateField(_("fine"), null=True, blank=True)
    rinnova = models.ForeignKey(
        "self",
        verbose_name=_("rinnova il patto"),
        on_delete=models.PROTECT,
        related_name="rinnovi",
        null=True,
        blank=True,
    )
    integra = models.ForeignKey(
        "self",
        verbose_name=_("atto integrativo del patto"),
        on_delete=models.PROTECT,
        related_name="integrazioni",
        null=True,
        blank=True,
        help_text=_(
            "Il patto firmato che quest'atto modifica: firmato l'atto, il patto "
            "diventa «modificato da atto integrativo» e l'atto ne prende il posto."
        ),
    )
    modifiche = models.TextField(
        _("modifiche apportate"),
        blank=True,
        db_default="",
        help_text=_("Per un atto integrativo: che cosa cambia rispetto al patto e perché."),
    )
    stato = models.CharField(
        _("stato"), max_length=20, choices=StatoPatto.choices, default=StatoPatto.PROPOSTA
    )
    rendicontazione = models.TextField(
        _("rendicontazione finale"),
        blank=True,
        help_text=_(
            "Risultati raggiunti, risorse impiegate, criticità: la relazione di fine patto."
        ),
    )
    rendicontazione_data = models.DateField(_("data della rendicontazione"), null=True, blank=True)
    # What the printed pact showed when it was signed: later edits do not rewrite it.
    documento_firmato = models.JSONField(
        _("documento firmato"), null=True, blank=True, editable=False
    )
    creato_il = models.DateTimeField(_("creato il"), auto_now_add=True)
    modificato_il = models.DateTimeField(_("modificato il"), auto_now=True)

    objects = PattoQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["documento_firmato"])

    class Meta:
        verbose_name = _("patto di collaborazione")
        verbose_name_plural = _("patti di collaborazione")
        ordering = ["-data_firma", "-creato_il", "-pk"]
        permissions = [
            ("approva_patto", _("Può approvare, respingere e revocare i patti")),
            ("importa_dati", _("Può importare i fogli di calcolo")),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(stato__in=StatoPatto.values), name="patto_stato_valido"
            ),
            models.CheckConstraint(
                condition=Q(tipo__in=TipoPatto.values), name="patto_tipo_valido"
            ),
            models.CheckConstraint(
                condition=Q(livello__in=LivelloPatto.values), name="patto_livello_valido"
            ),
            models.CheckConstraint(
                condition=Q(atto_tipo__in=["", *TipoAtto.values]), name="patto_atto_tipo_valido"
            ),
            models.CheckConstraint(
                condition=Q(data_fine__isnull=True)
                | Q(data_inizio__isnull=True)
                | Q(data_fine__gte=models.F("data_inizio")),
                name="patto_fine_dopo_inizio",
            ),
            models.CheckConstraint(
                condition=~Q(stato__in=[s.value for s in STATI_CON_FIRMA])
                | Q(data_firma__isnull=False),
                name="patto_firmato_ha_data_firma",
            ),
            models.CheckConstraint(
                condition=Q(rinnova__isnull=True) | ~Q(rinnova=models.F("pk")),
                name="patto_non_rinnova_se_stesso",
            ),
            models.CheckConstraint(
                condition=Q(integra__isnull=True) | ~Q(integra=models.F("pk")),
                name="patto_non_integra_se_stesso",
            ),
            models.CheckConstraint(
                condition=Q(integra__isnull=True) | Q(rinnova__isnull=True),
                name="patto_rinnovo_o_integrazione",
                violation_error_message=_(
                    "Un atto integrativo modifica un patto, non ne rinnova un altro."
                ),
            ),
            models.CheckConstraint(
                condition=Q(documento_firmato__isnull=True)
                | Q(stato__in=[s.value for s in STATI_DOPO_FIRMA]),
                name="patto_sigillato_dopo_la_firma",
            ),
        ]
        indexes = [
            models.Index(fields=["stato", "data_firma"], name="patto_stato_firma_idx"),
            # The register's pages, newest signature first, without sorting every pact.
            models.Index(
                F("data_firma").desc(),
                F("id").desc(),
                condition=IN_REGISTRO,
                name="patto_registro_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.numero} — {self.titolo}"

    def get_absolute_url(self) -> str:
        return reverse("patti:dettaglio", args=[self.pk])

    def giorno_e_quartiere(self):
        return self.data_firma or self.data_inizio or timezone.localdate(), self.quartiere_id

    def get_public_url(self) -> str:
        return reverse("patti:registro_dettaglio", args=[self.pk])

    @property
    def pubblico(self) -> bool:
        return self.stato in STATI_PUBBLICI

    @property
    def e_integrazione(self) -> bool:
        """A supplementary act ("atto integrativo") of another pact."""
        return self.integra_id is not None

    @property
    def sigillato(self) -> bool:
        """Signed: its text, parties, commitments and projects no longer change."""
        return self.documento_firmato is not None

    @property
    def beni(self) -> list[str]:
        nomi = [
            (self.bene_materiale, _("materiale")),
            (self.bene_immateriale, _("immateriale")),
            (self.bene_digitale, _("digitale")),
        ]
        return [str(nome) for presente, nome in nomi if presente]

    @property
    def forme_sostegno(self) -> list[str]:
        return [
            str(self._meta.get_field(campo).verbose_name)
            for campo in CAMPI_SOSTEGNO
            if getattr(self, campo)
        ]


CAMPI_SOSTEGNO = (
    "sostegno_materiali",
    "sostegno_spazi",
    "sostegno_formazione",
    "sostegno_rimborsi",
    "sostegno_assicurazione",
    "sostegno_esenzioni",
)


class PassaggioStato(models.Model):
    """One dated step of a pact's status history."""

    patto = models.ForeignKey(
        Patto, verbose_name=_("patto"), on_delete=models.CASCADE, related_name="passaggi"
    )
    da_stato = models.CharField(
        _("dallo stato"), max_length=20, choices=StatoPatto.choices, blank=True
    )
    a_stato = models.CharField(_("allo stato"), max_length=20, choices=StatoPatto.choices)
    il = models.DateTimeField(_("il"), auto_now_add=True)
    da = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("da"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    nota = models.TextField(_("nota"), blank=True)

    class Meta:
        verbose_name = _("passaggio di stato")
        verbose_name_plural = _("passaggi di stato")
        ordering = ["il", "pk"]

    def __str__(self) -> str:
        return f"{self.get_da_stato_display() or '—'} → {self.get_a_stato_display()}"


class TipoFirmatario(models.TextChoices):
    COMUNE = "comune", _("Comune")
    ASSOCIAZIONE = "associazione", _("associazione o ente del terzo settore")
    VOLONTARIO = "volontario", _("volontario singolo")
    GRUPPO_INFORMALE = "gruppo_informale", _("gruppo informale")
    ATTIVITA_ECONOMICA = "attivita_economica", _("attività economica")
    SCUOLA = "scuola", _("scuola")
    ALTRO_ENTE = "altro_ente", _("altro ente")


# Types that must name an organisation, and the one that must name a person.
TIPI_CON_ORGANIZZAZIONE = ("associazione", "attivita_economica", "scuola", "altro_ente")


class Firmatario(Versionato):
    """A party to a pact: the Comune, or a person or organisation of the registry."""

    Tipo = TipoFirmatario

    patto = models.ForeignKey(
        Patto, verbose_name=_("patto"), on_delete=models.CASCADE, related_name="firmatari"
    )
    tipo = models.CharField(_("tipo"), max_length=30, choices=TipoFirmatario.choices)
    persona = models.ForeignKey(
        Persona,
        verbose_name=_("persona"),
        on_delete=models.PROTECT,
        related_name="firme_patti",
        null=True,
        blank=True,
        help_text=_("Il volontario, o il portavoce di un gruppo informale."),
    )
    organizzazione = models.ForeignKey(
        Organizzazione,
        verbose_name=_("organizzazione"),
        on_delete=models.PROTECT,
        related_name="firme_patti",
        null=True,
        blank=True,
    )
    ufficio = models.CharField(
        _("ufficio"),
        max_length=200,
        blank=True,
        help_text=_("Per il Comune: il settore o l'ufficio che firma."),
    )
    rappresentante = models.CharField(
        _("firma per"),
        max_length=200,
        blank=True,
        help_text=_("Chi firma a nome del Comune o dell'organizzazione (ruolo)."),
    )
    ordine = models.PositiveSmallIntegerField(_("ordine"), default=0)

    class Meta:
        verbose_name = _("firmatario")
        verbose_name_plural = _("firmatari")
        ordering = ["ordine", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(tipo__in=TipoFirmatario.values), name="firmatario_tipo_valido"
            ),
            models.CheckConstraint(
                condition=(
                    Q(tipo="comune", persona__isnull=True, organizzazione__isnull=True)
                    | Q(tipo="volontario", persona__isnull=False, organizzazione__isnull=True)
                    | Q(
                        tipo__in=TIPI_CON_ORGANIZZAZIONE,
                        persona__isnull=True,
                        organizzazione__isnull=False,
                    )
                    | (
                        Q(tipo="gruppo_informale")
                        & (
                            Q(persona__isnull=False, organizzazione__isnull=True)
                            | Q(persona__isnull=True, organizzazione__isnull=False)
                        )
                    )
                ),
                name="firmatario_parte_coerente",
                violation_error_message=_(
                    "Il Comune non indica persona né organizzazione; un volontario indica una "
                    "persona; un gruppo informale il suo portavoce o il gruppo; gli altri "
                    "un'organizzazione."
                ),
            ),
            models.UniqueConstraint(
                fields=["patto"],
                condition=Q(tipo="comune"),
                name="firmatario_comune_unico",
                violation_error_message=_("Il Comune è già tra i firmatari di questo patto."),
            ),
            models.UniqueConstraint(
                fields=["patto", "persona"],
                condition=Q(persona__isnull=False),
                name="firmatario_persona_unica",
                violation_error_message=_("Questa persona firma già questo patto."),
            ),
            models.UniqueConstraint(
                fields=["patto", "organizzazione"],
                condition=Q(organizzazione__isnull=False),
                name="firmatario_organizzazione_unica",
                violation_error_message=_("Questa organizzazione firma già questo patto."),
            ),
        ]

    def __str__(self) -> str:
        if self.tipo == TipoFirmatario.COMUNE:
            return f"{_('Comune')} — {self.ufficio}" if self.ufficio else str(_("Comune"))
        return str(self.organizzazione or self.persona)

    @property
    def privato(self) -> bool:
        """A private individual: named in public only with their consent."""
        return self.persona_id is not None

    def nome_pubblico(self) -> str:
        """How the register shows this party (needs ``persona`` loaded when private)."""
        if self.tipo == TipoFirmatario.COMUNE:
            return str(self)
        if self.organizzazione_id:
            return self.organizzazione.nome
        if self.persona.consenso_pubblicazione and not self.persona.anonimizzata:
            return self.persona.nome_completo
        return str(pgettext_lazy("dato personale non pubblicato", "Omissis"))


class Impegno(Versionato):
    firmatario = models.ForeignKey(
        Firmatario, verbose_name=_("firmatario"), on_delete=models.CASCADE, related_name="impegni"
    )
    descrizione = models.TextField(_("descrizione"))
    scadenza = models.DateField(_("scadenza"), null=True, blank=True)
    svolto = models.BooleanField(_("svolto"), default=False)

    class Meta:
        verbose_name = _("impegno")
        verbose_name_plural = _("impegni")
        ordering = ["scadenza", "pk"]

    def __str__(self) -> str:
        return self.descrizione[:80]


class AmbitoProgetto(models.TextChoices):
    CURA_CITTA = "cura_citta", _("cura della città")
    CURA_COMUNITA = "cura_comunita", _("cura della comunità")


class Progetto(Versionato):
    Ambito = AmbitoProgetto

    codice = models.CharField(_("codice"), max_length=40, unique=True, null=True, blank=True)
    patto = models.ForeignKey(
        Patto, verbose_name=_("patto"), on_delete=models.CASCADE, related_name="progetti"
    )
    titolo = models.CharField(_("titolo"), max_length=200)
    descrizione = models.TextField(_("descrizione"), blank=True)
    ambito = models.CharField(_("ambito"), max_length=20, choices=AmbitoProgetto.choices)
    budget = models.DecimalField(
        _("budget (€)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    cofinanziamento = models.DecimalField(
        _("cofinanziamento (€)"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("La parte del budget coperta dai firmatari o da terzi."),
    )
    avanzamento = models.PositiveSmallIntegerField(_("avanzamento (%)"), default=0)

    class Meta:
        verbose_name = _("progetto")
        verbose_name_plural = _("progetti")
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ambito__in=AmbitoProgetto.values), name="progetto_ambito_valido"
            ),
            models.CheckConstraint(
                condition=Q(avanzamento__lte=100), name="progetto_avanzamento_percentuale"
            ),
            models.CheckConstraint(
                condition=Q(budget__isnull=True) | Q(budget__gte=0), name="progetto_budget_positivo"
            ),
            models.CheckConstraint(
                condition=Q(cofinanziamento__isnull=True) | Q(cofinanziamento__gte=0),
                name="progetto_cofinanziamento_positivo",
            ),
        ]

    def __str__(self) -> str:
        return self.titolo


class Indicatore(Versionato):
    """A monitoring indicator of a pact, with its target and the measured values."""

    patto = models.ForeignKey(
        Patto, verbose_name=_("patto"), on_delete=models.CASCADE, related_name="indicatori"
    )
    nome = models.CharField(_("nome"), max_length=200)
    unita = models.CharField(_("unità di misura"), max_length=40, blank=True)
    obiettivo = models.DecimalField(
        _("valore obiettivo"), max_digits=12, decimal_places=2, null=True, blank=True
    )

    class Meta:
        verbose_name = _("indicatore di monitoraggio")
        verbose_name_plural = _("indicatori di monitoraggio")
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["patto", "nome"], name="indicatore_nome_unico"),
        ]

    def __str__(self) -> str:
        return self.nome


class Misurazione(Versionato):
    indicatore = models.ForeignKey(
        Indicatore,
        verbose_name=_("indicatore"),
        on_delete=models.CASCADE,
        related_name="misurazioni",
    )
    data = models.DateField(_("data"))
    valore = models.DecimalField(_("valore"), max_digits=12, decimal_places=2)
    nota = models.CharField(_("nota"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("misurazione")
        verbose_name_plural = _("misurazioni")
        ordering = ["data", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicatore", "data"],
                name="misurazione_una_per_data",
                violation_error_message=_("C'è già una misurazione in questa data."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.data:%d/%m/%Y}: {self.valore}"
