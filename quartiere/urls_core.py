"""URLs of the shared core (app namespace ``quartiere``)."""

from django.urls import include, path

from quartiere.views import pubblico, registro, staff

app_name = "quartiere"

urlpatterns = [
    # Public site
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
    # Staff
    path("lavoro/", staff.ScrivaniaView.as_view(), name="scrivania"),
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
    # Hall calendar, operators' diary and public site pages (issue 7)
    path("", include("quartiere.urls_calendario")),
    # Dashboard, PDF report and exports of the figures (issue 6)
    path("", include("quartiere.urls_indicatori")),
    # Privacy: the access request (art. 15 GDPR) (issue 9)
    path("", include("quartiere.urls_gdpr")),
]
