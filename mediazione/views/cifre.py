"""Masked aggregated figures of mediation."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext_lazy
from django.views.generic import FormView

from mediazione import indicators
from mediazione.forms import (
    CifreForm,
)
from mediazione.models import Dossier
from quartiere.accesso import policy
from quartiere.accesso.mixins import AccessoMixin, TitoloMixin
from quartiere.registro.forms import quartieri_per
from quartiere.territorio.models import Quartiere


class CifreView(AccessoMixin, TitoloMixin, FormView):
    """Masked aggregated figures, for operators and the dirigente too. Operators see
    their own quartieri only."""

    permission_required = "mediazione.view_cifre"
    form_class = CifreForm
    template_name = "mediazione/cifre.html"
    titolo_pagina = gettext_lazy("Mediazione: le cifre")

    def get_form_kwargs(self):
        oggi = timezone.localdate()
        dati = self.request.GET.copy() if self.request.GET else None
        if dati is not None:
            dati.setdefault("dal", oggi.replace(month=1, day=1).isoformat())
            dati.setdefault("al", oggi.isoformat())
        return {
            "data": dati,
            "initial": {"dal": oggi.replace(month=1, day=1), "al": oggi},
            "prefix": None,
        }

    def quartieri_visibili(self):
        """Operators: their quartieri. Mediators work city-wide, like the city roles."""
        user = self.request.user
        if policy.is_mediatore(user):
            return Quartiere.objects.all()
        return quartieri_per(user)

    def get_form(self, form_class=None):
        form = super().get_form(form_class)
        form.fields["quartieri"].queryset = self.quartieri_visibili()
        return form

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        form = ctx["form"]
        oggi = timezone.localdate()
        if form.is_bound and form.is_valid():
            dal, al = form.cleaned_data["dal"], form.cleaned_data["al"]
            scelti = list(form.cleaned_data["quartieri"])
        elif form.is_bound:
            return ctx
        else:
            dal, al, scelti = oggi.replace(month=1, day=1), oggi, []
        ids = policy.quartieri_ids(self.request.user)
        if scelti:
            quartieri = scelti
        elif ids is None or policy.is_mediatore(self.request.user):
            quartieri = None
        else:
            quartieri = list(self.quartieri_visibili())
        cifre = indicators.calcola(dal, al, quartieri)
        ctx.update(
            dal=dal,
            al=al,
            cifre=cifre,
            per_tipo=_etichettate(cifre["per_tipo_conflitto"], Dossier.TipoConflitto),
            per_esito=_etichettate(cifre["per_esito"], Dossier.Esito),
            per_canale=_etichettate(
                indicators.per_canale(dal, al, quartieri), Dossier.CanaleArrivo
            ),
            accordi=indicators.accordi_da_verificare(al, quartieri),
            quartieri_scelti=quartieri,
        )
        return ctx


def _etichettate(mappa: dict, scelte) -> list[tuple[str, object]]:
    etichette = dict(scelte.choices)
    return [(etichette[chiave], valore) for chiave, valore in mappa.items()]
