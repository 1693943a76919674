"""The hall calendar: bookings and requests of a Sede."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from quartiere.accesso.models import Versionato
from quartiere.programmi.models import AttribuibileAProgramma
from quartiere.registro.models import Organizzazione
from quartiere.territorio.models import Sede

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


class Prenotazione(Versionato, AttribuibileAProgramma):
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

    def giorno_e_quartiere(self):
        """The booking's day, for its hall's quartiere."""
        return (
            timezone.localtime(self.inizio).date() if self.inizio else None,
            self.sede.quartiere_id if self.sede_id else None,
        )

    @property
    def nome_organizzatore(self) -> str:
        """The organiser as shown to staff (needs organizzazione/organizzatore loaded)."""
        if self.organizzazione_id:
            return self.organizzazione.nome
        if self.organizzatore_id:
            return self.organizzatore.get_full_name() or self.organizzatore.get_username()
        return self.richiedente_ente


class Occupazione(models.Model):
    """A span of time during which a hall is taken, whatever takes it.

    One row per confirmed booking and per lab meeting (or any other occupation an app
    declares) held in a Sede, written by database triggers on the tables that own them, so
    no path (a form, the admin, an import, a shell) can skip it. A trigger on this table
    refuses two overlapping rows in a bookable Sede, after locking the Sede's row: two
    transactions racing for the same hour are serialised there, and the second one fails
    with ``exclusion_violation`` (an ``IntegrityError`` in Django). The embedded PostgreSQL
    has no ``btree_gist``, hence a trigger and not an exclusion constraint.
    ``origine`` says what takes the hall (``"calendario.prenotazione"``,
    ``"laboratori.incontro"``) and ``oggetto_id`` which row of it.
    """

    PRENOTAZIONE = "calendario.prenotazione"

    sede = models.ForeignKey(
        Sede, verbose_name=_("sede"), on_delete=models.CASCADE, related_name="occupazioni"
    )
    inizio = models.DateTimeField(_("inizio"))
    fine = models.DateTimeField(_("fine"))
    # Written by the triggers only: no form offers them.
    origine = models.CharField(_("origine"), max_length=60, editable=False)
    oggetto_id = models.BigIntegerField(_("oggetto"), editable=False)

    class Meta:
        verbose_name = _("occupazione di una sala")
        verbose_name_plural = _("occupazioni delle sale")
        ordering = ["inizio", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["origine", "oggetto_id"], name="occupazione_unica"),
            models.CheckConstraint(
                condition=Q(fine__gt=models.F("inizio")), name="occupazione_fine_dopo_inizio"
            ),
        ]
        indexes = [models.Index(fields=["sede", "inizio"], name="occupazione_sede_idx")]

    def __str__(self) -> str:
        return f"{self.origine} {self.oggetto_id} ({self.inizio:%d/%m/%Y %H:%M})"
