"""What citizens say of the public pages: the Modello Comuni's rating component."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# The follow-up answers the model's validator expects, in its order: the positive ones
# for 4 and 5 stars, the negative ones for 1 to 3 (pa-website-validator, C.SI.2.5).
RISPOSTE_POSITIVE = [
    ("chiare", _("Le indicazioni erano chiare")),
    ("complete", _("Le indicazioni erano complete")),
    ("procedevo", _("Capivo sempre che stavo procedendo correttamente")),
    ("nessun_problema", _("Non ho avuto problemi tecnici")),
    ("altro_positivo", _("Altro")),
]
RISPOSTE_NEGATIVE = [
    ("non_chiare", _("A volte le indicazioni non erano chiare")),
    ("incomplete", _("A volte le indicazioni non erano complete")),
    ("non_capivo", _("A volte non capivo se stavo procedendo correttamente")),
    ("problemi_tecnici", _("Ho avuto problemi tecnici")),
    ("altro_negativo", _("Altro")),
]
SOGLIA_POSITIVA = 4  # 4 and 5 stars are positive


class ValutazionePagina(models.Model):
    pagina = models.CharField(_("pagina"), max_length=200)
    voto = models.PositiveSmallIntegerField(_("voto (1-5)"))
    risposta = models.CharField(
        _("risposta"), max_length=20, choices=RISPOSTE_POSITIVE + RISPOSTE_NEGATIVE
    )
    dettagli = models.CharField(_("dettagli"), max_length=200, blank=True)
    creata_il = models.DateTimeField(_("data"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("valutazione di una pagina")
        verbose_name_plural = _("valutazioni delle pagine")
        ordering = ["-creata_il"]
        constraints = [
            models.CheckConstraint(
                condition=Q(voto__gte=1, voto__lte=5), name="valutazione_voto_1_5"
            ),
            # The answer matches the stars: positive for 4-5, negative for 1-3.
            models.CheckConstraint(
                condition=(
                    Q(voto__gte=SOGLIA_POSITIVA, risposta__in=[c for c, _e in RISPOSTE_POSITIVE])
                    | Q(voto__lt=SOGLIA_POSITIVA, risposta__in=[c for c, _e in RISPOSTE_NEGATIVE])
                ),
                name="valutazione_risposta_coerente",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.pagina} · {self.voto}/5"
