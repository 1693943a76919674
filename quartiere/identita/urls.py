"""URLs of the citizen's login (namespace ``quartiere``) and of the SAML service provider
(``/spid/``, djangosaml2's views under their own names; 404 while SAML is off)."""

from importlib import import_module

from django.http import Http404
from django.urls import path
from django.views.decorators.csrf import csrf_exempt

from quartiere.identita import views
from quartiere.identita.stato import oidc_attivo, saml_attivo


def _al_primo_uso(modulo: str, nome: str, attivo):
    """The view ``nome`` of ``modulo``, imported at its first request: pysaml2, and
    mozilla-django-oidc with requests, PyJWT and cryptography, are slow to import, and a
    process that loads the URLconf (every command's system checks) needs none of them
    (docs/performance.md). 404 for everyone, logged in or not, while that login is off."""

    def vista(request, *args, **kwargs):
        if not attivo():
            raise Http404
        return getattr(import_module(modulo), nome).as_view()(request, *args, **kwargs)

    vista.__name__ = nome
    return vista


def _saml(nome: str):
    return _al_primo_uso("quartiere.identita.saml_viste", nome, saml_attivo)


def _oidc(nome: str):
    return _al_primo_uso("quartiere.identita.oidc", nome, oidc_attivo)


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
    path("authenticate/", _oidc("InizioOidc"), name="oidc_authentication_init"),
    path("callback/", _oidc("RitornoOidc"), name="oidc_authentication_callback"),
]
