"""Every page about one dossier derives from :class:`PaginaDossier`: the dossier is
fetched through ``rules.scope_dossier`` (outside it: 404, for every role that is not an
assigned mediator or a coordinator), each rendering writes a read entry in the access
log and every change goes through ``services`` (which log it). Responses are
``Cache-Control: no-store``.
"""

from __future__ import annotations

import rules
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _

from mediazione import services
from mediazione.models import AccessoDossier, Dossier
from mediazione.rules import scope_dossier
from quartiere.accesso import policy
from quartiere.accesso.mixins import AccessoMixin, ServizioFormMixin, TitoloMixin
from quartiere.lib.errori import ErroreDominio


class AreaMediazione(AccessoMixin, TitoloMixin, ServizioFormMixin):
    """Pages of the mediation area: for those who cannot use it, the area does not
    exist (404 rather than 403, so nothing is learnt by trying)."""

    permission_required = "mediazione.view_dossier"
    # The menu shows "Mediazione" to the superuser too: the list tells them where to go.
    ammette_amministratore = False

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        # The rules themselves, not user.has_perm: a superuser passes every has_perm,
        # but the amministratore reads dossiers only through the admin.
        consentito = not self.permission_required or rules.has_perm(
            self.permission_required, request.user
        )
        if not consentito and not (
            self.ammette_amministratore and policy.is_amministratore(request.user)
        ):
            raise Http404
        self.permission_required = None
        response = super().dispatch(request, *args, **kwargs)
        patch_cache_control(response, private=True, no_store=True)
        return response


class PaginaDossier(AreaMediazione):
    """A page about the dossier ``pk``. ``permesso`` is checked on the dossier (403 when
    it is in scope but the action is not allowed); rendering the page is logged."""

    permesso = "mediazione.view_dossier"
    pagina = ""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.dossier = policy.get_object_or_404(
                request.user,
                scope_dossier(self.queryset_dossier(), request.user),
                self.permesso,
                pk=kwargs["pk"],
            )
        return super().dispatch(request, *args, **kwargs)

    def queryset_dossier(self):
        return Dossier.objects.select_related("quartiere")

    def get_context_data(self, **kwargs):
        kwargs.setdefault("dossier", self.dossier)
        return super().get_context_data(**kwargs)

    def render_to_response(self, context, **response_kwargs):
        services.registra_accesso(
            self.dossier,
            utente=self.request.user,
            azione=AccessoDossier.Azione.LETTURA,
            request=self.request,
            dettaglio=str(self.pagina),
        )
        return super().render_to_response(context, **response_kwargs)

    def errore(self, errore: ErroreDominio):
        messages.error(self.request, str(errore))
        return redirect(self.dossier)


class ModificaDossier(PaginaDossier):
    """A form changing an open dossier."""

    permesso = "mediazione.change_dossier"
    template_name = "mediazione/form.html"

    def get(self, request, *args, **kwargs):
        if self.dossier.chiuso:
            return self.errore(ErroreDominio(_("Il dossier è chiuso: non si può modificare.")))
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        if self.dossier.chiuso:
            return self.errore(ErroreDominio(_("Il dossier è chiuso: non si può modificare.")))
        return super().post(request, *args, **kwargs)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["dossier"] = self.dossier
        return kwargs
