"""URLs of the funded programmes (in the ``quartiere`` namespace)."""

from django.urls import path

from quartiere.programmi import views

urlpatterns = [
    path("lavoro/programmi/", views.ElencoView.as_view(), name="programmi"),
    path("lavoro/programmi/<slug:codice>/", views.ProgrammaView.as_view(), name="programma"),
    path(
        "lavoro/programmi/<slug:codice>/monitoraggio.<str:formato>",
        views.RapportoView.as_view(),
        name="programma_monitoraggio",
    ),
]
