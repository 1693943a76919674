"""djangosaml2's views as the citizen's side uses them; imported at the first SAML request
(pysaml2 is slow to import, see quartiere/identita/stato.py)."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.contrib import messages
from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, resolve_url
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from djangosaml2 import views
from saml2.saml import NAMEID_FORMAT_ENTITY, Issuer

from quartiere.identita import risposta_spid
from quartiere.identita.saml import TOLLERANZA_OROLOGI, entity_id, metadati

# When our last AuthnRequest left, in the SAML session (AgID: an assertion issued before it is
# refused).
RICHIESTA_EMESSA = "quartiere_richiesta_emessa"


class AssertionConsumerServiceView(views.AssertionConsumerServiceView):
    """The identity provider's response, with AgID's rules pysaml2 does not check
    (quartiere/identita/risposta_spid.py): a breach is a 400 and no login."""

    def custom_validation(self, response):
        emessa = self.request.saml_session.get(RICHIESTA_EMESSA)
        risposta_spid.verifica(
            response.xmlstr,
            acs=self.request.build_absolute_uri(reverse("saml2_acs")),
            livello=int(settings.QUARTIERE_SAML.get("livello", 2)),
            richiesta_emessa=datetime.datetime.fromisoformat(emessa) if emessa else None,
            adesso=timezone.now(),
            tolleranza=datetime.timedelta(seconds=TOLLERANZA_OROLOGI),
        )


def _a_casa(request):
    messages.success(request, _("Sei uscito dall'area personale."))
    return redirect("quartiere:home")


class LoginView(views.LoginView):
    """The AuthnRequest as AgID's rules write it, beyond what pysaml2 does by itself: the
    Issuer names its entity twice (``NameQualifier``), and the request names the
    AttributeConsumingService of the metadata (index 0)."""

    def get(self, request, *args, **kwargs):
        request.saml_session[RICHIESTA_EMESSA] = timezone.now().isoformat()
        return super().get(request, *args, **kwargs)

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

    federazione = "spid"

    def get(self, request, *args, **kwargs):
        return HttpResponse(
            metadati(self.get_sp_config(request), self.federazione),
            content_type="text/xml; charset=utf-8",
        )


class MetadataCieView(MetadataView):
    """The same service provider as the CIE ID federation registers it."""

    federazione = "cie"
