"""URLs of the hall calendar, staff and public (in the ``quartiere`` namespace)."""

from django.urls import path

from quartiere.calendario import views as calendario

urlpatterns = [
    path("lavoro/calendario/", calendario.CalendarioView.as_view(), name="calendario"),
    path(
        "lavoro/calendario/nuova/",
        calendario.PrenotazioneCreateView.as_view(),
        name="prenotazione_nuova",
    ),
    path(
        "lavoro/calendario/<int:pk>/",
        calendario.PrenotazioneDetailView.as_view(),
        name="prenotazione_dettaglio",
    ),
    path("lavoro/calendario/<int:pk>/conferma/", calendario.conferma, name="prenotazione_conferma"),
    path("lavoro/calendario/<int:pk>/rifiuta/", calendario.rifiuta, name="prenotazione_rifiuta"),
    path("lavoro/calendario/<int:pk>/annulla/", calendario.annulla, name="prenotazione_annulla"),
    # Public
    path("calendario/", calendario.CalendarioPubblicoView.as_view(), name="calendario_pubblico"),
    path(
        "calendario/sedi/<int:pk>/",
        calendario.CalendarioSedePubblicoView.as_view(),
        name="calendario_sede",
    ),
    path("calendario/sedi/<int:pk>/eventi.ics", calendario.ics_sede, name="ics_sede"),
    path("quartieri/<slug:codice>/eventi.ics", calendario.ics_quartiere, name="ics_quartiere"),
    path("prenota-la-sala/", calendario.RichiestaSalaView.as_view(), name="richiesta_sala"),
    path(
        "prenota-la-sala/inviata/",
        calendario.RichiestaSalaInviataView.as_view(),
        name="richiesta_sala_inviata",
    ),
]
