"""The shared registry: residents and organisations, one row each however many cases they touch."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from quartiere.accesso.models import Versionato
from quartiere.lib.text import normalizza_ricerca
from quartiere.territorio.models import Quartiere, URLHttpsField


class PersonaQuerySet(models.QuerySet):
    def cerca(self, testo: str):
        """Accent- and case-insensitive search over name, e-mail, phone and tax code."""
        q = Q()
        for parola in normalizza_ricerca(testo).split():
            q &= Q(ricerca__contains=parola)
        return self.filter(q)


class Persona(Versionato):
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


class Organizzazione(Versionato):
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
