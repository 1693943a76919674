"""A citizen's account: the Django user a SPID/CIE/OIDC login opens, tied to one Persona."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class MetodoAccesso(models.TextChoices):
    SPID = "spid", "SPID"
    CIE = "cie", "CIE"
    OIDC = "oidc", _("identità del Comune (OpenID Connect)")


class AccountCittadino(models.Model):
    """One per codice fiscale. ``persona`` is the registry's row for the same person: set on
    the first login when the registry has nobody with that codice fiscale (a new Persona) or
    somebody whose name matches; left empty, for a coordinator to check, when the registry
    holds that codice fiscale under another name, so two people are never merged silently."""

    Metodo = MetodoAccesso

    utente = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("utente"),
        on_delete=models.CASCADE,
        related_name="account_cittadino",
    )
    codice_fiscale = models.CharField(_("codice fiscale"), max_length=16, unique=True)
    persona = models.OneToOneField(
        "quartiere.Persona",
        verbose_name=_("persona del registro"),
        on_delete=models.PROTECT,
        related_name="account_cittadino",
        null=True,
        blank=True,
    )
    da_verificare = models.BooleanField(
        _("da verificare"),
        default=False,
        help_text=_(
            "Il registro ha questo codice fiscale con un altro nome: un coordinatore "
            "controlla e collega la persona giusta."
        ),
    )
    metodo = models.CharField(_("ultimo accesso con"), max_length=10, choices=Metodo.choices)
    fornitore = models.CharField(_("gestore dell'identità"), max_length=300, blank=True)
    primo_accesso = models.DateTimeField(_("primo accesso"), auto_now_add=True)
    ultimo_accesso = models.DateTimeField(_("ultimo accesso"))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("account di un cittadino")
        verbose_name_plural = _("account dei cittadini")
        ordering = ["codice_fiscale"]
        constraints = [
            models.CheckConstraint(
                condition=Q(codice_fiscale__regex=r"^[A-Z0-9]{16}$"),
                name="account_cittadino_codice_fiscale",
            ),
            models.CheckConstraint(
                condition=Q(da_verificare=False) | Q(persona__isnull=True),
                name="account_cittadino_verifica_senza_persona",
            ),
        ]

    def __str__(self) -> str:
        return self.codice_fiscale
