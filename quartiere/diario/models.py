"""The operators' diary: quick entries of front- and back-office work."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from quartiere.accesso.models import Versionato
from quartiere.programmi.models import AttribuibileAProgramma
from quartiere.territorio.models import Quartiere

# --- The operators' diary (issue 7) ----------------------------------------------------------


class AttivitaDiario(Versionato, AttribuibileAProgramma):
    """A quick entry of an operator's work: a day, a kind of activity, hours."""

    class Tipo(models.TextChoices):
        FRONT_OFFICE = "front_office", _("front-office")
        BACK_OFFICE = "back_office", _("back-office")
        ASCOLTO_TERRITORIO = "ascolto_territorio", _("ascolto sul territorio")
        LABORATORIO = "laboratorio", _("laboratorio")
        TAVOLO_TECNICO = "tavolo_tecnico", _("tavolo tecnico")
        RIUNIONE_RETE = "riunione_rete", _("riunione di rete")
        FORMAZIONE = "formazione", _("formazione")
        EVENTO = "evento", _("evento")
        SOPRALLUOGO = "sopralluogo", _("sopralluogo")

    operatore = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("operatore"),
        on_delete=models.PROTECT,
        related_name="attivita_diario",
    )
    data = models.DateField(_("data"))
    quartiere = models.ForeignKey(
        Quartiere,
        verbose_name=_("quartiere"),
        on_delete=models.PROTECT,
        related_name="attivita_diario",
        null=True,
        blank=True,
        help_text=_("Vuoto per le attività che non riguardano un quartiere (es. formazione)."),
    )
    tipo = models.CharField(_("tipo di attività"), max_length=30, choices=Tipo.choices)
    ore = models.DecimalField(_("ore"), max_digits=4, decimal_places=2)
    nota = models.TextField(_("nota"), blank=True)
    creata_il = models.DateTimeField(_("creata il"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("attività del diario")
        verbose_name_plural = _("attività del diario")
        ordering = ["-data", "operatore", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ore__gt=0, ore__lte=24), name="attivitadiario_ore_valide"
            ),
            models.CheckConstraint(
                condition=Q(
                    tipo__in=[
                        "front_office",
                        "back_office",
                        "ascolto_territorio",
                        "laboratorio",
                        "tavolo_tecnico",
                        "riunione_rete",
                        "formazione",
                        "evento",
                        "sopralluogo",
                    ]
                ),
                name="attivitadiario_tipo_valido",
            ),
        ]
        indexes = [
            models.Index(fields=["operatore", "data"], name="attivitadiario_op_data_idx"),
            models.Index(fields=["data", "quartiere"], name="attivitadiario_data_q_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.data:%d/%m/%Y} · {self.get_tipo_display()} · {self.ore} h"

    def giorno_e_quartiere(self):
        return self.data, self.quartiere_id
