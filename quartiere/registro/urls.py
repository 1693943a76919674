"""URLs of the shared registry (in the ``quartiere`` namespace)."""

from django.urls import path

from quartiere.registro import views as registro

urlpatterns = [
    path("lavoro/persone/", registro.PersonaListView.as_view(), name="persona_list"),
    path("lavoro/persone/nuova/", registro.PersonaCreateView.as_view(), name="persona_create"),
    path(
        "lavoro/persone/cerca.json", registro.CercaPersoneJsonView.as_view(), name="persona_cerca"
    ),
    path(
        "lavoro/persone/doppioni.json", registro.DoppioniJsonView.as_view(), name="persona_doppioni"
    ),
    path("lavoro/persone/<int:pk>/", registro.PersonaDetailView.as_view(), name="persona_detail"),
    path(
        "lavoro/persone/<int:pk>/modifica/",
        registro.PersonaUpdateView.as_view(),
        name="persona_update",
    ),
    path(
        "lavoro/persone/<int:pk>/unisci/<int:altro>/",
        registro.UnisciPersoneView.as_view(),
        name="persona_unisci",
    ),
    path(
        "lavoro/organizzazioni/",
        registro.OrganizzazioneListView.as_view(),
        name="organizzazione_list",
    ),
    path(
        "lavoro/organizzazioni/nuova/",
        registro.OrganizzazioneCreateView.as_view(),
        name="organizzazione_create",
    ),
    path(
        "lavoro/organizzazioni/cerca.json",
        registro.CercaOrganizzazioniJsonView.as_view(),
        name="organizzazione_cerca",
    ),
    path(
        "lavoro/organizzazioni/<int:pk>/",
        registro.OrganizzazioneDetailView.as_view(),
        name="organizzazione_detail",
    ),
    path(
        "lavoro/organizzazioni/<int:pk>/modifica/",
        registro.OrganizzazioneUpdateView.as_view(),
        name="organizzazione_update",
    ),
]
