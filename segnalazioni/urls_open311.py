"""Open311 GeoReport v2, mounted at /open311/v2/ (namespace ``open311``)."""

from django.urls import path, re_path

from segnalazioni.views import open311

app_name = "open311"

FORMATO = r"(?P<formato>json|xml)"

urlpatterns = [
    path("", open311.radice, name="radice"),
    re_path(rf"^discovery\.{FORMATO}$", open311.discovery, name="discovery"),
    re_path(rf"^services\.{FORMATO}$", open311.servizi, name="servizi"),
    re_path(
        rf"^services/(?P<codice>[-a-zA-Z0-9_]+)\.{FORMATO}$",
        open311.definizione_servizio,
        name="servizio",
    ),
    re_path(rf"^requests\.{FORMATO}$", open311.richieste, name="richieste"),
    re_path(rf"^requests/(?P<pk>[0-9]{{1,18}})\.{FORMATO}$", open311.richiesta, name="richiesta"),
]
