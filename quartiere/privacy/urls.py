"""Privacy routes (issue 9), in the ``quartiere`` namespace."""

from django.urls import path

from quartiere.privacy import views as privacy

urlpatterns = [
    path(
        "lavoro/persone/<int:pk>/accesso-dati/",
        privacy.AccessoDatiView.as_view(),
        name="persona_accesso_dati",
    ),
    path(
        "lavoro/privacy/trattamenti/",
        privacy.RegistroTrattamentiView.as_view(),
        name="registro_trattamenti",
    ),
]
