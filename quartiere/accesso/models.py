"""The rate limit's counters, and the optimistic-locking counter every edited record
carries."""

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


class Versionato(models.Model):
    """A record people edit: ``versione`` counts its saves, so a form opened before the
    last save is refused (``quartiere.accesso.versioni``, docs/sviluppo.md). The database
    default keeps bulk loaders (``COPY``) that do not name the column working."""

    versione = models.PositiveIntegerField(_("versione"), default=1, db_default=1, editable=False)

    class Meta:
        abstract = True
