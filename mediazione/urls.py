"""Staff URLs of the mediation desk, mounted at /mediazione/."""

from django.urls import path

from mediazione import views

app_name = "mediazione"

urlpatterns = [
    path("", views.DossierListView.as_view(), name="lista"),
    path("nuovo/", views.DossierCreateView.as_view(), name="nuovo"),
    path(
        "da-segnalazione/<int:segnalazione>/",
        views.DossierDaSegnalazioneView.as_view(),
        name="da_segnalazione",
    ),
    path("esporta.csv", views.EsportaView.as_view(), name="esporta"),
    path("verifiche/", views.VerificheView.as_view(), name="verifiche"),
    path("cifre/", views.CifreView.as_view(), name="cifre"),
    path("<int:pk>/", views.DossierDetailView.as_view(), name="dettaglio"),
    path("<int:pk>/modifica/", views.DossierUpdateView.as_view(), name="modifica"),
    path("<int:pk>/pdf/", views.DossierPdfView.as_view(), name="pdf"),
    path("<int:pk>/fase/", views.FaseView.as_view(), name="fase"),
    path("<int:pk>/parti/nuova/", views.ParteCreateView.as_view(), name="parte_nuova"),
    path("<int:pk>/parti/<int:parte>/", views.ParteUpdateView.as_view(), name="parte_modifica"),
    path("<int:pk>/attivita/nuova/", views.AttivitaCreateView.as_view(), name="attivita_nuova"),
    path("<int:pk>/accordo/", views.AccordoView.as_view(), name="accordo"),
    path("<int:pk>/chiudi/", views.ChiudiView.as_view(), name="chiudi"),
    path("<int:pk>/riapri/", views.RiapriView.as_view(), name="riapri"),
]
