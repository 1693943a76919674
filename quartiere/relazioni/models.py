"""The printed versions of the director's report, each with the commentary written for it.

A dirigente writes a short comment per section before printing; the PDF printed with it is
kept, byte for byte, with the choices that made it (period, quartieri, comparison). The
database refuses to change or delete a printed version: it is what was handed to the
council. It holds figures and the pacts' titles (public acts), no personal data but its
author, a member of the staff.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from quartiere.relazioni.figure import ANNO_PRECEDENTE, PRECEDENTE, SCELTO
from quartiere.territorio.models import Quartiere

# The most a comment may say: a paragraph or two per section, not a second report.
LUNGHEZZA_COMMENTO = 2000


def percorso_relazione(istanza: RelazioneStampata, _nome: str) -> str:
    return (
        f"relazioni/{istanza.creata_il:%Y}/relazione-{istanza.dal:%Y%m%d}-{istanza.al:%Y%m%d}-"
        f"{istanza.creata_il:%Y%m%d%H%M%S}.pdf"
    )


class RelazioneStampata(models.Model):
    class Confronto(models.TextChoices):
        ANNO_PRECEDENTE = ANNO_PRECEDENTE, _("stesso periodo dell'anno precedente")
        PRECEDENTE = PRECEDENTE, _("periodo precedente della stessa durata")
        SCELTO = SCELTO, _("periodo scelto")

    dal = models.DateField(_("dal"))
    al = models.DateField(_("al"))
    quartieri = models.ManyToManyField(
        Quartiere,
        verbose_name=_("quartieri"),
        related_name="+",
        help_text=_("I quartieri di cui la relazione riporta le cifre."),
    )
    confronto = models.CharField(_("confronto"), max_length=20, choices=Confronto.choices)
    confronto_dal = models.DateField(_("confronto dal"))
    confronto_al = models.DateField(_("confronto al"))
    commenti = models.JSONField(
        _("commenti"),
        default=dict,
        blank=True,
        help_text=_("Il commento di ogni sezione, per chiave della sezione."),
    )
    documento = models.FileField(_("documento"), upload_to=percorso_relazione, max_length=200)
    pagine = models.PositiveSmallIntegerField(_("pagine"))
    creata_da = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("stampata da"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    creata_il = models.DateTimeField(_("stampata il"))

    class Meta:
        verbose_name = _("relazione stampata")
        verbose_name_plural = _("relazioni stampate")
        ordering = ["-creata_il", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(dal__lte=models.F("al")), name="relazione_periodo"),
            models.CheckConstraint(
                condition=Q(confronto_dal__lte=models.F("confronto_al")),
                name="relazione_periodo_confronto",
            ),
            models.CheckConstraint(
                condition=Q(confronto__in=[ANNO_PRECEDENTE, PRECEDENTE, SCELTO]),
                name="relazione_confronto_valido",
            ),
        ]

    def __str__(self):
        return _("Relazione dal %(dal)s al %(al)s, stampata il %(il)s") % {
            "dal": f"{self.dal:%d/%m/%Y}",
            "al": f"{self.al:%d/%m/%Y}",
            "il": f"{self.creata_il:%d/%m/%Y %H:%M}",
        }
