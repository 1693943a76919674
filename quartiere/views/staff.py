"""The staff desk: the first page after login."""

from __future__ import annotations

from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView

from quartiere import rules as policy
from quartiere.mixins import AccessoMixin, TitoloMixin
from quartiere.models import Quartiere


class ScrivaniaView(AccessoMixin, TitoloMixin, TemplateView):
    permission_required = "quartiere.usa_scrivania"
    template_name = "quartiere/scrivania.html"
    titolo_pagina = gettext_lazy("Scrivania")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        ctx["miei_quartieri"] = policy.filtra_quartieri(Quartiere.objects.all(), user, campo="pk")
        ctx["tutti_i_quartieri"] = policy.vede_tutti_i_quartieri(user)
        return ctx
