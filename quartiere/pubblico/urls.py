"""URLs of the public site of the core (in the ``quartiere`` namespace)."""

from django.urls import path

from quartiere.pubblico import views as pubblico

urlpatterns = [
    path("", pubblico.HomeView.as_view(), name="home"),
    path("quartieri/", pubblico.QuartieriPubbliciView.as_view(), name="quartieri_pubblici"),
    path(
        "quartieri/<slug:codice>/",
        pubblico.QuartierePubblicoView.as_view(),
        name="quartiere_pubblico",
    ),
    path("privacy/", pubblico.PrivacyView.as_view(), name="privacy"),
    path("privacy/<str:versione>/", pubblico.PrivacyView.as_view(), name="privacy_versione"),
    path("accessibilita/", pubblico.AccessibilitaView.as_view(), name="accessibilita"),
    path("pagina-base/", pubblico.PaginaBaseView.as_view(), name="pagina_base"),
    path("valuta/", pubblico.valuta_pagina, name="valuta_pagina"),
    path("indirizzi.json", pubblico.indirizzi_json, name="indirizzi_json"),
]
