"""The rate limit's counters."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class LimiteFrequenza(models.Model):
    """One fixed window of the per-address rate limit of the public forms
    (``quartiere.limiti``): counted by one ``INSERT … ON CONFLICT DO UPDATE``."""

    chiave = models.CharField(_("chiave"), max_length=100, primary_key=True)
    conteggio = models.PositiveIntegerField(_("tentativi"), default=0)
    scade_il = models.DateTimeField(_("fine della finestra"), db_index=True)

    class Meta:
        verbose_name = _("finestra del limite di frequenza")
        verbose_name_plural = _("finestre del limite di frequenza")

    def __str__(self) -> str:
        return self.chiave
