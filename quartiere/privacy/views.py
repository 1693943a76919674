"""Right of access (art. 15 GDPR): the coordinator's page and downloads for one Persona."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.utils.translation import gettext_lazy as _
from django.views.generic import DetailView, ListView

from quartiere.accesso.mixins import AccessoMixin, TitoloMixin
from quartiere.privacy import accesso_dati as privacy
from quartiere.privacy.models import Informativa, Trattamento
from quartiere.registro.models import Persona
from quartiere.registro.rules import scope_registro

TIPI = {"json": "application/json; charset=utf-8", "pdf": "application/pdf"}


class AccessoDatiView(AccessoMixin, TitoloMixin, DetailView):
    """GET: what the export holds, section by section; POST ``formato``: the file.

    The person is fetched through the registry scope (outside it: 404), then only a
    coordinator may go on (403), the superuser included: answering an access request is
    the coordinators' job, and the file holds the mediation part."""

    template_name = "quartiere/privacy/accesso_dati.html"
    titolo_pagina = _("Richiesta di accesso ai dati")

    def get_queryset(self):
        return scope_registro(Persona.objects.select_related("quartiere"), self.request.user)

    def get_object(self, queryset=None):
        persona = super().get_object(queryset)
        if not privacy.puo_esportare(self.request.user):
            raise PermissionDenied
        return persona

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["dati"] = privacy.raccogli(self.object, da=self.request.user)
        return ctx

    def post(self, request, *args, **kwargs):
        persona = self.get_object()
        formato = request.POST.get("formato", "")
        if formato not in privacy.FORMATI:
            return HttpResponse(status=400)
        contenuto = privacy.esporta(persona, formato, da=request.user)
        risposta = HttpResponse(contenuto, content_type=TIPI[formato])
        risposta["Content-Disposition"] = (
            f'attachment; filename="{privacy.nome_file(persona, formato)}"'
        )
        risposta["Cache-Control"] = "no-store"
        risposta["X-Content-Type-Options"] = "nosniff"
        return risposta


class RegistroTrattamentiView(AccessoMixin, TitoloMixin, ListView):
    """The records of processing activities (art. 30 GDPR), read-only, for the staff who
    answer for them (coordinators, the director, the administrators); edited in the admin.
    Not public: the register is owed to the supervisory authority on request, and its
    security measures are better not advertised."""

    template_name = "quartiere/privacy/registro_trattamenti.html"
    permission_required = "quartiere.view_registro_trattamenti"
    titolo_pagina = _("Registro delle attività di trattamento")

    def get_queryset(self):
        return Trattamento.objects.order_by("ordine", "nome")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["informativa"] = Informativa.in_vigore()
        ctx["puo_modificare"] = self.request.user.has_perm("quartiere.change_trattamento")
        return ctx
