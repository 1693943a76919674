"""The funded programmes that pay for the offices (issue 19): their axes and targets, the
amounts as the national monitoring systems record them, the service contracts that run them.

A programme (Latina's "Programma straordinario periferie", CUP B29J16002670001; Milan's
Laboratorio Sociale Lorenteggio on POR FSE; "Abitare in borgo" on PON Metro) is the core's:
every app's activity can be attributed to one of its axes. The financial progress is read
in SQL from the latest funding record (:meth:`ProgrammaQuerySet.con_avanzamento`), the one
place every page and report takes it from.
"""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import DecimalField, ExpressionWrapper, F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce, NullIf
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from quartiere.accesso.models import Versionato
from quartiere.registro.models import Organizzazione
from quartiere.territorio.models import Quartiere

# Codice Unico di Progetto (CIPE): 15 characters, e.g. B29J16002670001.
FORMATO_CUP = r"^[A-Z][0-9]{2}[A-Z][0-9]{2}[A-Z0-9]{9}$"
valida_cup = RegexValidator(
    FORMATO_CUP,
    _("Il CUP ha 15 caratteri: una lettera, due cifre, una lettera, poi 11 lettere o cifre."),
)


def _importo(nome):
    return models.DecimalField(nome, max_digits=14, decimal_places=2, default=Decimal("0"))


class ProgrammaQuerySet(models.QuerySet):
    def attivi_il(self, giorno, quartiere=None):
        """The programmes running on ``giorno`` (and covering ``quartiere``, when given; a
        programme without quartieri covers the whole Comune): the ones an activity of that
        day may be attributed to."""
        attivi = self.filter(inizio__lte=giorno, fine__gte=giorno)
        if quartiere is not None:
            attivi = attivi.filter(Q(quartieri=quartiere) | Q(quartieri__isnull=True)).distinct()
        return attivi

    def con_avanzamento(self, al=None):
        """Each programme with its latest funding record (up to ``al``) and the financial
        progress as percentages of the amount admitted: impegnato and erogato."""
        ultimi = Finanziamento.objects.filter(programma=OuterRef("pk"))
        if al is not None:
            ultimi = ultimi.filter(data__lte=al)
        ultimi = ultimi.order_by("-data", "-pk")
        campi = {}
        for voce in ("programmato", "ammesso", "impegnato", "erogato"):
            campi[voce] = Coalesce(
                Subquery(ultimi.values(voce)[:1]),
                Decimal("0"),
                output_field=DecimalField(max_digits=14, decimal_places=2),
            )
        percento = DecimalField(max_digits=7, decimal_places=2)
        return self.annotate(**campi).annotate(
            impegnato_percento=ExpressionWrapper(
                F("impegnato") * 100 / NullIf(F("ammesso"), Decimal("0")), output_field=percento
            ),
            erogato_percento=ExpressionWrapper(
                F("erogato") * 100 / NullIf(F("ammesso"), Decimal("0")), output_field=percento
            ),
        )


class Programma(Versionato):
    class Strumento(models.TextChoices):
        PON_METRO = "pon_metro", _("PON Metro")
        PNRR = "pnrr", _("PNRR / PINQuA")
        POR_FSE = "por_fse", _("POR FSE")
        PERIFERIE = "periferie", _("Programma straordinario periferie")
        COMUNALE = "comunale", _("fondi comunali")
        ALTRO = "altro", _("altro")

    codice = models.SlugField(_("codice"), max_length=40, unique=True)
    nome = models.CharField(_("nome"), max_length=250)
    finanziatore = models.CharField(_("finanziatore"), max_length=200)
    strumento = models.CharField(_("strumento"), max_length=20, choices=Strumento.choices)
    cup = models.CharField(
        _("CUP"),
        max_length=15,
        blank=True,
        validators=[valida_cup],
        help_text=_("Codice Unico di Progetto."),
    )
    rup = models.CharField(
        _("RUP"), max_length=200, blank=True, help_text=_("Responsabile unico del procedimento.")
    )
    inizio = models.DateField(_("inizio"))
    fine = models.DateField(_("fine"))
    quartieri = models.ManyToManyField(
        Quartiere, verbose_name=_("quartieri"), related_name="programmi", blank=True
    )
    descrizione = models.TextField(_("descrizione"), blank=True)

    objects = ProgrammaQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("programma")
        verbose_name_plural = _("programmi")
        ordering = ["-inizio", "nome"]
        constraints = [
            models.CheckConstraint(condition=Q(fine__gte=F("inizio")), name="programma_date"),
            models.CheckConstraint(
                condition=Q(cup="") | Q(cup__regex=FORMATO_CUP), name="programma_cup_valido"
            ),
            models.UniqueConstraint(
                fields=["cup"], condition=~Q(cup=""), name="programma_cup_unico"
            ),
            models.CheckConstraint(
                condition=Q(
                    strumento__in=["pon_metro", "pnrr", "por_fse", "periferie", "comunale", "altro"]
                ),
                name="programma_strumento_valido",
            ),
        ]

    def __str__(self) -> str:
        return self.nome


class Asse(models.Model):
    """An axis of a programme (Lorenteggio's A–E): what part of the work it pays for."""

    programma = models.ForeignKey(
        Programma, verbose_name=_("programma"), on_delete=models.CASCADE, related_name="assi"
    )
    codice = models.CharField(_("codice"), max_length=10)
    titolo = models.CharField(_("titolo"), max_length=200)
    obiettivi = models.TextField(_("obiettivi"), blank=True)
    importo = models.DecimalField(
        _("importo dell'asse"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_(
            "La quota del contratto di servizio destinata all'asse, se il capitolato la "
            "indica: la pagina del programma la legge contro il totale dei contratti."
        ),
    )

    class Meta:
        verbose_name = _("asse")
        verbose_name_plural = _("assi")
        ordering = ["programma", "codice"]
        constraints = [
            models.UniqueConstraint(fields=["programma", "codice"], name="asse_codice_unico"),
            models.CheckConstraint(
                condition=Q(importo__isnull=True) | Q(importo__gte=0), name="asse_importo"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.codice} — {self.titolo}"


class IndicatoreProgramma(models.Model):
    """A target of an axis: baseline and target in a unit, measured along the way."""

    asse = models.ForeignKey(
        Asse, verbose_name=_("asse"), on_delete=models.CASCADE, related_name="indicatori"
    )
    nome = models.CharField(_("nome"), max_length=200)
    unita = models.CharField(_("unità di misura"), max_length=40)
    valore_base = models.DecimalField(
        _("valore di partenza"), max_digits=14, decimal_places=2, default=Decimal("0")
    )
    obiettivo = models.DecimalField(_("obiettivo"), max_digits=14, decimal_places=2)

    class Meta:
        verbose_name = _("indicatore di programma")
        verbose_name_plural = _("indicatori di programma")
        ordering = ["asse", "nome"]
        constraints = [
            models.UniqueConstraint(fields=["asse", "nome"], name="indicatore_programma_unico"),
        ]

    def __str__(self) -> str:
        return f"{self.nome} ({self.unita})"


class MisuraIndicatore(models.Model):
    indicatore = models.ForeignKey(
        IndicatoreProgramma,
        verbose_name=_("indicatore"),
        on_delete=models.CASCADE,
        related_name="misure",
    )
    data = models.DateField(_("data"))
    valore = models.DecimalField(_("valore misurato"), max_digits=14, decimal_places=2)
    nota = models.CharField(_("nota"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("misura dell'indicatore")
        verbose_name_plural = _("misure dell'indicatore")
        ordering = ["indicatore", "data"]
        constraints = [
            models.UniqueConstraint(fields=["indicatore", "data"], name="misura_una_per_data"),
        ]

    def __str__(self) -> str:
        return f"{self.indicatore.nome} {self.data:%d/%m/%Y}: {self.valore}"


class Finanziamento(models.Model):
    """The amounts of a programme at a date, as the national monitoring systems record them,
    with the act behind the change: programmato, ammesso a finanziamento, giuridicamente
    vincolante (impegnato), erogato (pagamenti). The latest record is the programme's state."""

    programma = models.ForeignKey(
        Programma,
        verbose_name=_("programma"),
        on_delete=models.CASCADE,
        related_name="finanziamenti",
    )
    data = models.DateField(_("data"))
    programmato = _importo(_("importo programmato"))
    ammesso = _importo(_("ammesso a finanziamento"))
    impegnato = _importo(_("giuridicamente vincolante (impegnato)"))
    erogato = _importo(_("erogato (pagamenti)"))
    atto = models.CharField(
        _("atto"), max_length=200, help_text=_("La delibera, la determina o il decreto.")
    )
    nota = models.CharField(_("nota"), max_length=300, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("finanziamento")
        verbose_name_plural = _("finanziamenti")
        ordering = ["programma", "data"]
        constraints = [
            models.CheckConstraint(
                condition=Q(programmato__gte=0, ammesso__gte=0, impegnato__gte=0, erogato__gte=0),
                name="finanziamento_importi_positivi",
            ),
            # What is paid was committed, and what is committed was admitted.
            models.CheckConstraint(
                condition=Q(erogato__lte=F("impegnato"), impegnato__lte=F("ammesso")),
                name="finanziamento_importi_coerenti",
            ),
            models.UniqueConstraint(
                fields=["programma", "data"], name="finanziamento_uno_per_data"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.programma} al {self.data:%d/%m/%Y}"


class Affidamento(Versionato):
    """The service contract that runs a programme: the provider (possibly an ATI, whose
    members are organisations of the registry), its amount and dates, its renewals."""

    programma = models.ForeignKey(
        Programma,
        verbose_name=_("programma"),
        on_delete=models.PROTECT,
        related_name="affidamenti",
    )
    oggetto = models.CharField(_("oggetto"), max_length=250)
    fornitore = models.ForeignKey(
        Organizzazione,
        verbose_name=_("affidatario (capofila)"),
        on_delete=models.PROTECT,
        related_name="affidamenti",
    )
    membri = models.ManyToManyField(
        Organizzazione,
        verbose_name=_("membri dell'ATI"),
        related_name="affidamenti_in_ati",
        blank=True,
        help_text=_("Le altre imprese del raggruppamento temporaneo, se c'è."),
    )
    cig = models.CharField(
        _("CIG"), max_length=10, blank=True, help_text=_("Codice Identificativo Gara.")
    )
    importo = models.DecimalField(_("importo"), max_digits=14, decimal_places=2)
    inizio = models.DateField(_("inizio"))
    fine = models.DateField(_("fine"))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("affidamento")
        verbose_name_plural = _("affidamenti")
        ordering = ["programma", "inizio"]
        constraints = [
            models.CheckConstraint(condition=Q(fine__gte=F("inizio")), name="affidamento_date"),
            models.CheckConstraint(condition=Q(importo__gte=0), name="affidamento_importo"),
        ]

    def __str__(self) -> str:
        return self.oggetto


class Rinnovo(models.Model):
    affidamento = models.ForeignKey(
        Affidamento, verbose_name=_("affidamento"), on_delete=models.CASCADE, related_name="rinnovi"
    )
    inizio = models.DateField(_("inizio"))
    fine = models.DateField(_("fine"))
    importo = models.DecimalField(_("importo"), max_digits=14, decimal_places=2)
    atto = models.CharField(_("atto"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("rinnovo")
        verbose_name_plural = _("rinnovi")
        ordering = ["affidamento", "inizio"]
        constraints = [
            models.CheckConstraint(condition=Q(fine__gte=F("inizio")), name="rinnovo_date"),
            models.CheckConstraint(condition=Q(importo__gte=0), name="rinnovo_importo"),
        ]

    def __str__(self) -> str:
        return f"{self.affidamento} ({self.inizio:%d/%m/%Y}–{self.fine:%d/%m/%Y})"


class AttribuibileAProgramma(models.Model):
    """An activity that a funded programme pays for: one nullable attribution to an axis of
    a programme (the programme is the axis's), owned by the activity. Only an axis of a
    programme running on the activity's day, for its quartiere, may be chosen: each activity
    says which day and quartiere (:meth:`giorno_e_quartiere`), the mixin's ``clean()`` and
    :meth:`errore_di_attribuzione` check them."""

    asse = models.ForeignKey(
        Asse,
        verbose_name=_("programma e asse"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="%(app_label)s_%(class)s_attribuite",
        help_text=_("Il programma finanziato che paga questa attività, e il suo asse."),
    )

    class Meta:
        abstract = True

    def giorno_e_quartiere(self) -> tuple:
        """The day (a date, or None) and the quartiere id (or None: the whole Comune) the
        attribution is checked against."""
        raise NotImplementedError

    def clean(self):
        super().clean()
        errore = self.errore_di_attribuzione()
        if errore:
            raise ValidationError({"asse": errore})

    def errore_di_attribuzione(self) -> str | None:
        if self.asse_id is None:
            return None
        giorno, quartiere = self.giorno_e_quartiere()
        if giorno is None:
            return None
        if not Programma.objects.attivi_il(giorno, quartiere).filter(assi=self.asse_id).exists():
            return str(
                _(
                    "Il programma scelto non è attivo in quella data o non riguarda quel "
                    "quartiere: scegli un asse di un programma in corso."
                )
            )
        return None


def scelta_asse(asse: Asse) -> str:
    """How an axis reads in a choice: its programme first."""
    return f"{asse.programma.nome} · {asse.codice} — {asse.titolo}"


class Intervento(Versionato):
    """Works of a programme on a building or a public space of a quartiere (a "cantiere"):
    its state and dates, and the notices the office gives the residents about it (the
    Lorenteggio seed: "monitoraggio cantieri e relative informazioni ai residenti")."""

    class Stato(models.TextChoices):
        PROGRAMMATO = "programmato", _("programmato")
        IN_CORSO = "in_corso", _("in corso")
        SOSPESO = "sospeso", _("sospeso")
        CONCLUSO = "concluso", _("concluso")

    programma = models.ForeignKey(
        Programma, verbose_name=_("programma"), on_delete=models.PROTECT, related_name="interventi"
    )
    quartiere = models.ForeignKey(
        Quartiere, verbose_name=_("quartiere"), on_delete=models.PROTECT, related_name="interventi"
    )
    titolo = models.CharField(_("titolo"), max_length=200)
    luogo = models.CharField(
        _("luogo"), max_length=200, help_text=_("Via, edificio o spazio pubblico interessato.")
    )
    descrizione = models.TextField(
        _("descrizione"), blank=True, help_text=_("Che cosa si fa, in parole semplici.")
    )
    stato = models.CharField(
        _("stato"), max_length=20, choices=Stato.choices, default=Stato.PROGRAMMATO
    )
    inizio_previsto = models.DateField(_("inizio previsto"))
    fine_prevista = models.DateField(_("fine prevista"))
    inizio_effettivo = models.DateField(_("inizio effettivo"), null=True, blank=True)
    fine_effettiva = models.DateField(_("fine effettiva"), null=True, blank=True)
    pubblico = models.BooleanField(
        _("sulla pagina pubblica del quartiere"),
        default=True,
        help_text=_("Con lo stato, le date e gli avvisi in corso."),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("intervento (cantiere)")
        verbose_name_plural = _("interventi (cantieri)")
        ordering = ["inizio_previsto", "titolo"]
        constraints = [
            models.CheckConstraint(
                condition=Q(stato__in=["programmato", "in_corso", "sospeso", "concluso"]),
                name="intervento_stato_valido",
            ),
            models.CheckConstraint(
                condition=Q(fine_prevista__gte=F("inizio_previsto")), name="intervento_date"
            ),
            models.CheckConstraint(
                condition=Q(fine_effettiva__isnull=True)
                | Q(inizio_effettivo__isnull=False, fine_effettiva__gte=F("inizio_effettivo")),
                name="intervento_date_effettive",
            ),
            # Concluded works have an actual end; works not started have no actual start.
            models.CheckConstraint(
                condition=~Q(stato="concluso") | Q(fine_effettiva__isnull=False),
                name="intervento_concluso_con_fine",
            ),
            models.CheckConstraint(
                condition=~Q(stato="programmato") | Q(inizio_effettivo__isnull=True),
                name="intervento_programmato_non_iniziato",
            ),
        ]

    def __str__(self) -> str:
        return self.titolo


class AvvisoQuerySet(models.QuerySet):
    def in_corso(self, giorno=None):
        """The notices shown on ``giorno`` (today): published, not expired; one without an end
        lasts while its works are not concluded."""
        giorno = giorno or timezone.localdate()
        aperto = ~Q(intervento__stato=Intervento.Stato.CONCLUSO)
        return self.filter(dal__lte=giorno).filter(
            (Q(al__isnull=True) & aperto) | Q(al__gte=giorno)
        )


class AvvisoIntervento(models.Model):
    """A notice to the residents about works: a road closed, water cut off, a meeting."""

    intervento = models.ForeignKey(
        Intervento, verbose_name=_("intervento"), on_delete=models.CASCADE, related_name="avvisi"
    )
    titolo = models.CharField(_("titolo"), max_length=200)
    testo = models.TextField(_("testo"))
    dal = models.DateField(_("pubblicato dal"))
    al = models.DateField(
        _("fino al"), null=True, blank=True, help_text=_("Vuoto: finché l'intervento è aperto.")
    )

    objects = AvvisoQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("avviso ai residenti")
        verbose_name_plural = _("avvisi ai residenti")
        ordering = ["-dal", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(al__isnull=True) | Q(al__gte=F("dal")), name="avviso_date"
            ),
        ]

    def __str__(self) -> str:
        return self.titolo
