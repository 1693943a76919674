"""URLs of the citizen's login (namespace ``quartiere``) and of the SAML service provider
(``/spid/``, djangosaml2's views under their own names; 404 while SAML is off)."""

from django.http import Http404
from django.urls import path
from django.views.decorators.csrf import csrf_exempt

from quartiere.identita import oidc, views
from quartiere.identita.stato import saml_attivo


def _saml(nome: str):
    """djangosaml2's view ``nome``, imported at its first request (pysaml2 is slow to
    import); 404 for everyone, logged in or not, while SAML is off."""

    def vista(request, *args, **kwargs):
        if not saml_attivo():
            raise Http404
        from quartiere.identita import saml_viste

        return getattr(saml_viste, nome).as_view()(request, *args, **kwargs)

    vista.__name__ = nome
    return vista


urlpatterns = [
    path("accedi/", views.accedi, name="accedi"),
    path("area-personale/", views.area_personale, name="area_personale"),
    path("area-personale/i-miei-dati/", views.miei_dati, name="miei_dati"),
    path("esci/", views.esci, name="esci"),
]

saml_urlpatterns = [
    path("login/", _saml("LoginView"), name="saml2_login"),
    # The identity provider POSTs the signed response from its own site.
    path("acs/", csrf_exempt(_saml("AssertionConsumerServiceView")), name="saml2_acs"),
    path("logout/", _saml("LogoutInitView"), name="saml2_logout"),
    path("ls/", _saml("LogoutView"), name="saml2_ls"),
    path("ls/post/", csrf_exempt(_saml("LogoutView")), name="saml2_ls_post"),
    path("metadata/", _saml("MetadataView"), name="saml2_metadata"),
    path("metadata/cie/", _saml("MetadataCieView"), name="saml2_metadata_cie"),
]

oidc_urlpatterns = [
    path("authenticate/", oidc.InizioOidc.as_view(), name="oidc_authentication_init"),
    path("callback/", oidc.RitornoOidc.as_view(), name="oidc_authentication_callback"),
]
