"""Privacy notice (art. 13 GDPR) and records of processing (art. 30)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from quartiere.accesso.models import Versionato

# --- Privacy notice (art. 13 GDPR) and records of processing (art. 30) (issue 9) ------------


class InformativaQuerySet(models.QuerySet):
    def pubblicate(self):
        return self.filter(pubblicata=True)

    def in_vigore_il(self, giorno):
        """Published notices already in force on ``giorno``, the one in force first."""
        return self.pubblicate().filter(in_vigore_dal__lte=giorno).order_by("-in_vigore_dal")


class Informativa(Versionato):
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
    # Optimistic locking of drafts edited in the admin (quartiere.accesso.admin.PolicyAdmin).

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
        (quartiere/lib/memo.py) under today's date, so a notice taking effect tomorrow is
        recorded from its first minute. A notice published for immediate effect is
        recorded by every server within those seconds: the citizen read the notice when
        the form was loaded, which is earlier still (docs/performance.md, 4.7)."""
        from django.utils import timezone

        from quartiere.lib import memo

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


class Trattamento(Versionato):
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
    # Optimistic locking in the admin (quartiere.accesso.admin.PolicyAdmin).

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
