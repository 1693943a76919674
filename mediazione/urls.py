"""Staff URLs of the mediation desk, mounted at /mediazione/."""

from django.urls import path

from mediazione.views import cifre, dossier, elenco, percorso

app_name = "mediazione"

urlpatterns = [
    path("", elenco.DossierListView.as_view(), name="lista"),
    path("nuovo/", dossier.DossierCreateView.as_view(), name="nuovo"),
    path(
        "da-segnalazione/<int:segnalazione>/",
        dossier.DossierDaSegnalazioneView.as_view(),
        name="da_segnalazione",
    ),
    path("esporta.csv", elenco.EsportaView.as_view(), name="esporta"),
    path("verifiche/", elenco.VerificheView.as_view(), name="verifiche"),
    path("cifre/", cifre.CifreView.as_view(), name="cifre"),
    path("<int:pk>/", dossier.DossierDetailView.as_view(), name="dettaglio"),
    path("<int:pk>/modifica/", dossier.DossierUpdateView.as_view(), name="modifica"),
    path("<int:pk>/pdf/", dossier.DossierPdfView.as_view(), name="pdf"),
    path("<int:pk>/fase/", dossier.FaseView.as_view(), name="fase"),
    path("<int:pk>/parti/nuova/", percorso.ParteCreateView.as_view(), name="parte_nuova"),
    path("<int:pk>/parti/<int:parte>/", percorso.ParteUpdateView.as_view(), name="parte_modifica"),
    path("<int:pk>/attivita/nuova/", percorso.AttivitaCreateView.as_view(), name="attivita_nuova"),
    path("<int:pk>/accordo/", percorso.AccordoView.as_view(), name="accordo"),
    path("<int:pk>/chiudi/", dossier.ChiudiView.as_view(), name="chiudi"),
    path("<int:pk>/riapri/", dossier.RiapriView.as_view(), name="riapri"),
]
