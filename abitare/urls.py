"""URLs of housing: the staff pages under /abitare/lavoro/."""

from django.urls import path

from abitare import views

app_name = "abitare"

urlpatterns = [
    path("lavoro/immobili/", views.ImmobiliView.as_view(), name="immobili"),
    path("lavoro/immobili/<int:pk>/", views.ImmobileView.as_view(), name="immobile"),
    path("lavoro/nuclei/", views.NucleiView.as_view(), name="nuclei"),
    path("lavoro/in-attesa/", views.InAttesaView.as_view(), name="in_attesa"),
    path("lavoro/piano/", views.PianoView.as_view(), name="piano"),
    path("lavoro/nuclei/<int:pk>/", views.NucleoView.as_view(), name="nucleo"),
    path(
        "lavoro/immobili/<int:pk>/pre-assegna/", views.PreAssegnaView.as_view(), name="pre_assegna"
    ),
    path("lavoro/assegnazioni/<int:pk>/<slug:passo>/", views.AvanzaView.as_view(), name="avanza"),
    path("lavoro/nuclei/<int:pk>/percorso/", views.PercorsoView.as_view(), name="percorso"),
    path("lavoro/nuclei/<int:pk>/misure/nuova/", views.MisuraView.as_view(), name="misura"),
    path(
        "lavoro/nuclei/<int:pk>/misure/<int:misura>/verifica/",
        views.VerificaMisuraView.as_view(),
        name="verifica_misura",
    ),
    path("lavoro/nuclei/<int:pk>/contatti/nuovo/", views.ContattoView.as_view(), name="contatto"),
    path(
        "lavoro/nuclei/<int:pk>/note-riservate/",
        views.NoteRiservateView.as_view(),
        name="note_riservate",
    ),
    path("lavoro/contatti/", views.ContattiSettimanaView.as_view(), name="contatti"),
    path(
        "lavoro/nuclei/<int:pk>/spostamento/",
        views.SpostamentoView.as_view(),
        name="spostamento",
    ),
    path("lavoro/spostamenti/<int:pk>/rientro/", views.RientroView.as_view(), name="rientro"),
    path("lavoro/immobili/<int:pk>/regole/", views.RegoleView.as_view(), name="regole"),
    path("lavoro/nuclei/<int:pk>/aderisci/", views.AderisciView.as_view(), name="aderisci"),
    path("lavoro/comunicazione/", views.ComunicazioneView.as_view(), name="comunicazione"),
    path("lavoro/comunicazione/nuova/", views.AzioneCreaView.as_view(), name="azione_nuova"),
    path("lavoro/comunicazione/<int:pk>/", views.AzioneModificaView.as_view(), name="azione"),
    path(
        "lavoro/comunicazione/<int:pk>/materiale/",
        views.MaterialeView.as_view(),
        name="materiale",
    ),
    path(
        "comunicazione/<int:pk>/materiale/",
        views.materiale_pubblico,
        name="materiale_pubblico",
    ),
    path("lavoro/nuclei/<int:pk>/problema/", views.ProblemaNucleoView.as_view(), name="problema"),
    path(
        "lavoro/immobili/<int:pk>/problema/",
        views.ProblemaImmobileView.as_view(),
        name="problema_immobile",
    ),
]
