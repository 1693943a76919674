"""djangosaml2's views as the citizen's side uses them; imported at the first SAML request
(pysaml2 is slow to import, see quartiere/identita/stato.py)."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, resolve_url
from django.utils.translation import gettext as _
from djangosaml2 import views
from saml2.saml import NAMEID_FORMAT_ENTITY, Issuer

from quartiere.identita.saml import entity_id, metadati

AssertionConsumerServiceView = views.AssertionConsumerServiceView


def _a_casa(request):
    messages.success(request, _("Sei uscito dall'area personale."))
    return redirect("quartiere:home")


class LoginView(views.LoginView):
    """The AuthnRequest as AgID's rules write it, beyond what pysaml2 does by itself: the
    Issuer names its entity twice (``NameQualifier``), and the request names the
    AttributeConsumingService of the metadata (index 0)."""

    def load_sso_kwargs(self, sso_kwargs):
        sso_kwargs["issuer"] = Issuer(
            text=entity_id(), format=NAMEID_FORMAT_ENTITY, name_qualifier=entity_id()
        )
        sso_kwargs["attribute_consuming_service_index"] = "0"


class LogoutInitView(views.LogoutInitView):
    """Single logout, started by "Esci": the identity provider closes its session too. When
    it has none for us any more (its cookie expired), the local logout is enough."""

    def get(self, request, *args, **kwargs):
        risposta = super().get(request, *args, **kwargs)
        if isinstance(risposta, HttpResponseBadRequest):
            return _a_casa(request)
        return risposta


class LogoutView(views.LogoutView):
    """The identity provider's answer to our logout (or its own logout request): the
    citizen lands on the home page, not on the staff's login (``LOGOUT_REDIRECT_URL``)."""

    def do_logout_service(self, request, data, binding, *args, **kwargs):
        risposta = super().do_logout_service(request, data, binding, *args, **kwargs)
        if getattr(risposta, "url", None) == resolve_url(settings.LOGOUT_REDIRECT_URL):
            return _a_casa(request)
        return risposta


class MetadataView(views.MetadataView):
    """The metadata the Comune registers with AgID: signed, with SPID's extensions
    (:func:`quartiere.identita.saml.metadati`)."""

    def get(self, request, *args, **kwargs):
        return HttpResponse(
            metadati(self.get_sp_config(request)), content_type="text/xml; charset=utf-8"
        )
