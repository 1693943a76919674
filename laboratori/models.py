"""Citizenship labs: meetings, attendance and the proposals that emerge."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from quartiere.accesso.models import Versionato
from quartiere.programmi.models import AttribuibileAProgramma
from quartiere.registro.models import Organizzazione, Persona
from quartiere.territorio.models import Quartiere, Sede


class Laboratorio(Versionato):
    """A citizenship lab, a quartiere's pilot group or one of its thematic groups: they all
    meet, take attendance, write minutes and bring proposals and pacts.

    The pilot group (seed 003) governs the quartiere's work: led by a pair of coordinators,
    one public and one from the third sector, it gathers associations, public bodies,
    parishes, cooperatives, sports clubs, businesses and citizens (:class:`Aderente`),
    works to a mandate of vulnerabilities and priorities it revises (:class:`VoceMandato`)
    and opens thematic co-design groups, labs of their own with the pilot group above."""

    class Tipo(models.TextChoices):
        LABORATORIO = "laboratorio", _("laboratorio di cittadinanza")
        GRUPPO_PILOTA = "gruppo_pilota", _("gruppo pilota di quartiere")
        GRUPPO_TEMATICO = "gruppo_tematico", _("gruppo tematico di co-progettazione")

    class Fase(models.TextChoices):
        ASCOLTO = "ascolto", _("ascolto")
        PROGETTAZIONE = "progettazione", _("progettazione")
        REALIZZAZIONE = "realizzazione", _("realizzazione")

    class Stato(models.TextChoices):
        ATTIVO = "attivo", _("attivo")
        SOSPESO = "sospeso", _("sospeso")
        CONCLUSO = "concluso", _("concluso")

    codice = models.CharField(_("codice"), max_length=40, unique=True, null=True, blank=True)
    titolo = models.CharField(_("titolo"), max_length=200)
    quartiere = models.ForeignKey(
        Quartiere, verbose_name=_("quartiere"), on_delete=models.PROTECT, related_name="laboratori"
    )
    tipo = models.CharField(
        _("tipo"), max_length=20, choices=Tipo.choices, default=Tipo.LABORATORIO
    )
    gruppo_pilota = models.ForeignKey(
        "self",
        verbose_name=_("gruppo pilota"),
        # RESTRICT: a pilot group with thematic groups is not deleted alone; deleting both
        # at once is.
        on_delete=models.RESTRICT,
        related_name="gruppi_tematici",
        null=True,
        blank=True,
        help_text=_("Per un gruppo tematico: il gruppo pilota che lo ha attivato."),
    )
    coordinatore_pubblico = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("coordinatore dell'ente pubblico"),
        on_delete=models.SET_NULL,
        related_name="gruppi_coordinati_pubblico",
        null=True,
        blank=True,
    )
    coordinatore_privato_sociale = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("coordinatore del privato sociale"),
        on_delete=models.SET_NULL,
        related_name="gruppi_coordinati_privato_sociale",
        null=True,
        blank=True,
    )
    tema = models.CharField(_("tema"), max_length=200, blank=True)
    descrizione = models.TextField(_("descrizione"), blank=True)
    fase = models.CharField(_("fase"), max_length=20, choices=Fase.choices, default=Fase.ASCOLTO)
    stato = models.CharField(_("stato"), max_length=20, choices=Stato.choices, default=Stato.ATTIVO)
    facilitatori = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("facilitatori"),
        related_name="laboratori_facilitati",
        blank=True,
    )
    data_inizio = models.DateField(_("data di inizio"))
    data_fine = models.DateField(_("data di fine"), null=True, blank=True)
    creato_il = models.DateTimeField(_("creato il"), auto_now_add=True)

    history = HistoricalRecords(m2m_fields=[facilitatori])

    class Meta:
        verbose_name = _("laboratorio")
        verbose_name_plural = _("laboratori")
        ordering = ["-data_inizio", "titolo"]
        constraints = [
            models.CheckConstraint(
                condition=Q(fase__in=["ascolto", "progettazione", "realizzazione"]),
                name="laboratorio_fase_valida",
            ),
            models.CheckConstraint(
                condition=Q(stato__in=["attivo", "sospeso", "concluso"]),
                name="laboratorio_stato_valido",
            ),
            models.CheckConstraint(
                condition=Q(data_fine__isnull=True) | Q(data_fine__gte=models.F("data_inizio")),
                name="laboratorio_fine_dopo_inizio",
            ),
            models.CheckConstraint(
                condition=Q(tipo__in=["laboratorio", "gruppo_pilota", "gruppo_tematico"]),
                name="laboratorio_tipo_valido",
            ),
            # A thematic group, and only it, hangs under a pilot group (migration 0007
            # checks in a trigger that the one above is a pilot group of the same quartiere).
            models.CheckConstraint(
                condition=Q(tipo="gruppo_tematico", gruppo_pilota__isnull=False)
                | (~Q(tipo="gruppo_tematico") & Q(gruppo_pilota__isnull=True)),
                name="laboratorio_gruppo_tematico_sotto_pilota",
            ),
        ]

    def __str__(self) -> str:
        return self.titolo

    def clean(self):
        super().clean()
        if self.tipo == self.Tipo.GRUPPO_TEMATICO and self.gruppo_pilota_id:
            sopra = self.gruppo_pilota
            if sopra.tipo != self.Tipo.GRUPPO_PILOTA or sopra.quartiere_id != self.quartiere_id:
                raise ValidationError(
                    {
                        "gruppo_pilota": _(
                            "Un gruppo tematico nasce dal gruppo pilota del suo quartiere."
                        )
                    }
                )

    @property
    def e_un_gruppo(self) -> bool:
        return self.tipo != self.Tipo.LABORATORIO

    def get_absolute_url(self) -> str:
        return reverse("laboratori:dettaglio", args=[self.pk])


class IncontroQuerySet(models.QuerySet):
    def svolti(self):
        return self.filter(stato=Incontro.Stato.SVOLTO)

    def nel_periodo(self, dal, al):
        """Meetings whose start falls on a day of [dal, al] (local time)."""
        return self.filter(inizio__date__gte=dal, inizio__date__lte=al)

    def prossimi_pubblici(self, da_quando):
        """Public meetings still to come, of labs that are running (not suspended or over)."""
        return self.filter(
            pubblico=True,
            stato=Incontro.Stato.PROGRAMMATO,
            inizio__gte=da_quando,
            laboratorio__stato=Laboratorio.Stato.ATTIVO,
        )


# A meeting without an end time takes its hall for this long (also in migration 0004).
DURATA_INCONTRO = timedelta(hours=2)


class Incontro(Versionato, AttribuibileAProgramma):
    class Stato(models.TextChoices):
        PROGRAMMATO = "programmato", _("programmato")
        SVOLTO = "svolto", _("svolto")
        ANNULLATO = "annullato", _("annullato")

    codice = models.CharField(_("codice"), max_length=40, unique=True, null=True, blank=True)
    laboratorio = models.ForeignKey(
        Laboratorio,
        verbose_name=_("laboratorio"),
        on_delete=models.CASCADE,
        related_name="incontri",
    )
    titolo = models.CharField(_("titolo"), max_length=200, blank=True)
    inizio = models.DateTimeField(_("inizio"))
    fine = models.DateTimeField(_("fine"), null=True, blank=True)
    sede = models.ForeignKey(
        Sede,
        verbose_name=_("sede"),
        on_delete=models.PROTECT,
        related_name="incontri",
        null=True,
        blank=True,
    )
    luogo = models.CharField(
        _("luogo"), max_length=200, blank=True, help_text=_("Se l'incontro non è in una sede.")
    )
    ordine_del_giorno = models.TextField(_("ordine del giorno"), blank=True)
    verbale = models.TextField(_("verbale"), blank=True)
    stato = models.CharField(
        _("stato"), max_length=20, choices=Stato.choices, default=Stato.PROGRAMMATO
    )
    pubblico = models.BooleanField(_("evento pubblico"), default=True)

    objects = IncontroQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("incontro")
        verbose_name_plural = _("incontri")
        ordering = ["-inizio"]
        constraints = [
            models.CheckConstraint(
                condition=Q(stato__in=["programmato", "svolto", "annullato"]),
                name="incontro_stato_valido",
            ),
            models.CheckConstraint(
                condition=Q(fine__isnull=True) | Q(fine__gt=models.F("inizio")),
                name="incontro_fine_dopo_inizio",
            ),
        ]
        indexes = [models.Index(fields=["inizio", "stato"], name="incontro_inizio_stato_idx")]

    def __str__(self) -> str:
        return self.titolo or f"{self.laboratorio} — {self.inizio:%d/%m/%Y}"

    def get_absolute_url(self) -> str:
        return reverse("laboratori:incontro", args=[self.pk])

    def giorno_e_quartiere(self):
        return (
            timezone.localtime(self.inizio).date() if self.inizio else None,
            self.laboratorio.quartiere_id if self.laboratorio_id else None,
        )

    @property
    def dove(self) -> str:
        """The place as one line: the office (with its address) and/or the free text."""
        parti = []
        if self.sede_id:
            parti.append(f"{self.sede.nome}, {self.sede.indirizzo}")
        if self.luogo:
            parti.append(self.luogo)
        return " — ".join(parti)


class Presenza(Versionato):
    """A person and/or the organisation they represent at a meeting."""

    incontro = models.ForeignKey(
        Incontro, verbose_name=_("incontro"), on_delete=models.CASCADE, related_name="presenze"
    )
    persona = models.ForeignKey(
        Persona,
        verbose_name=_("persona"),
        on_delete=models.PROTECT,
        related_name="presenze",
        null=True,
        blank=True,
    )
    organizzazione = models.ForeignKey(
        Organizzazione,
        verbose_name=_("organizzazione"),
        on_delete=models.PROTECT,
        related_name="presenze",
        null=True,
        blank=True,
    )
    registrata_il = models.DateTimeField(_("registrata il"), auto_now_add=True)
    registrata_da = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("registrata da"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("presenza")
        verbose_name_plural = _("presenze")
        constraints = [
            models.CheckConstraint(
                condition=Q(persona__isnull=False) | Q(organizzazione__isnull=False),
                name="presenza_persona_o_organizzazione",
            ),
            models.UniqueConstraint(
                fields=["incontro", "persona"],
                condition=Q(persona__isnull=False),
                name="presenza_persona_unica",
                violation_error_message=_("Questa persona è già registrata all'incontro."),
            ),
            models.UniqueConstraint(
                fields=["incontro", "organizzazione"],
                condition=Q(persona__isnull=True),
                name="presenza_organizzazione_unica",
                violation_error_message=_("Questa organizzazione è già registrata all'incontro."),
            ),
        ]

    def __str__(self) -> str:
        return str(self.persona or self.organizzazione)


class Proposta(Versionato):
    class Stato(models.TextChoices):
        RACCOLTA = "raccolta", _("raccolta")
        IN_VALUTAZIONE = "in_valutazione", _("in valutazione")
        ACCOLTA = "accolta", _("accolta")
        NON_ACCOLTA = "non_accolta", _("non accolta")

    laboratorio = models.ForeignKey(
        Laboratorio,
        verbose_name=_("laboratorio"),
        on_delete=models.CASCADE,
        related_name="proposte",
    )
    incontro = models.ForeignKey(
        Incontro,
        verbose_name=_("incontro"),
        on_delete=models.SET_NULL,
        related_name="proposte",
        null=True,
        blank=True,
    )
    titolo = models.CharField(_("titolo"), max_length=200)
    descrizione = models.TextField(_("descrizione"), blank=True)
    proponente_persona = models.ForeignKey(
        Persona,
        verbose_name=_("proponente (persona)"),
        on_delete=models.PROTECT,
        related_name="proposte",
        null=True,
        blank=True,
    )
    proponente_organizzazione = models.ForeignKey(
        Organizzazione,
        verbose_name=_("proponente (organizzazione)"),
        on_delete=models.PROTECT,
        related_name="proposte",
        null=True,
        blank=True,
    )
    stato = models.CharField(
        _("stato"), max_length=20, choices=Stato.choices, default=Stato.RACCOLTA
    )
    esito = models.TextField(
        _("esito"),
        blank=True,
        help_text=_("Cosa è stato deciso e perché: compare tra i risultati pubblici."),
    )
    creata_il = models.DateTimeField(_("creata il"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("proposta")
        verbose_name_plural = _("proposte")
        ordering = ["-creata_il"]
        constraints = [
            models.CheckConstraint(
                condition=Q(stato__in=["raccolta", "in_valutazione", "accolta", "non_accolta"]),
                name="proposta_stato_valido",
            ),
        ]

    def __str__(self) -> str:
        return self.titolo


class Aderente(Versionato):
    """A member of a pilot or thematic group: an organisation (association, public body,
    parish, APS, social cooperative, sports club, business: its kind is the registry's) or a
    citizen, as promoter or member, from a day and, when they leave, until one."""

    class Ruolo(models.TextChoices):
        PROMOTORE = "promotore", _("promotore")
        MEMBRO = "membro", _("membro")

    laboratorio = models.ForeignKey(
        Laboratorio, verbose_name=_("gruppo"), on_delete=models.CASCADE, related_name="aderenti"
    )
    persona = models.ForeignKey(
        Persona,
        verbose_name=_("persona"),
        on_delete=models.PROTECT,
        related_name="adesioni_gruppi",
        null=True,
        blank=True,
    )
    organizzazione = models.ForeignKey(
        Organizzazione,
        verbose_name=_("organizzazione"),
        on_delete=models.PROTECT,
        related_name="adesioni_gruppi",
        null=True,
        blank=True,
    )
    ruolo = models.CharField(_("ruolo"), max_length=20, choices=Ruolo.choices, default=Ruolo.MEMBRO)
    dal = models.DateField(_("dal"))
    al = models.DateField(
        _("al"), null=True, blank=True, help_text=_("Quando ha lasciato il gruppo.")
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("aderente")
        verbose_name_plural = _("aderenti")
        ordering = ["ruolo", "organizzazione__nome", "persona__cognome", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(persona__isnull=False) | Q(organizzazione__isnull=False),
                name="aderente_chi",
            ),
            models.CheckConstraint(
                condition=Q(ruolo__in=["promotore", "membro"]), name="aderente_ruolo_valido"
            ),
            models.CheckConstraint(
                condition=Q(al__isnull=True) | Q(al__gte=models.F("dal")), name="aderente_date"
            ),
            # One current membership per person and per organisation in a group.
            models.UniqueConstraint(
                fields=["laboratorio", "persona"],
                condition=Q(al__isnull=True, organizzazione__isnull=True),
                name="aderente_persona_unica",
            ),
            models.UniqueConstraint(
                fields=["laboratorio", "organizzazione"],
                condition=Q(al__isnull=True, organizzazione__isnull=False),
                name="aderente_organizzazione_unica",
            ),
        ]

    def __str__(self) -> str:
        chi = self.organizzazione or self.persona
        return f"{chi} ({self.get_ruolo_display()})"


class VoceMandato(models.Model):
    """One line of a group's mandate: a form of vulnerability found in the quartiere, or a
    priority among its needs. The group revises them; the history keeps every version."""

    class Tipo(models.TextChoices):
        VULNERABILITA = "vulnerabilita", _("vulnerabilità")
        PRIORITA = "priorita", _("priorità")

    laboratorio = models.ForeignKey(
        Laboratorio, verbose_name=_("gruppo"), on_delete=models.CASCADE, related_name="mandato"
    )
    tipo = models.CharField(_("tipo"), max_length=20, choices=Tipo.choices)
    testo = models.CharField(_("testo"), max_length=300)
    ordine = models.PositiveSmallIntegerField(_("ordine"), default=0)
    attiva = models.BooleanField(
        _("in vigore"), default=True, help_text=_("Togli la spunta quando il gruppo la supera.")
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("voce del mandato")
        verbose_name_plural = _("mandato del gruppo")
        ordering = ["tipo", "ordine", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(tipo__in=["vulnerabilita", "priorita"]), name="mandato_tipo_valido"
            ),
        ]

    def __str__(self) -> str:
        return self.testo
