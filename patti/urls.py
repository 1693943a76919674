"""URLs of the pacts: the public register under /patti/, the staff pages under /patti/lavoro/."""

from django.urls import path

from patti.views import lavoro, parti, pubblico

app_name = "patti"

urlpatterns = [
    # Public register
    path("", pubblico.RegistroView.as_view(), name="registro"),
    path("<int:pk>/", pubblico.RegistroDettaglioView.as_view(), name="registro_dettaglio"),
    # Staff
    path("lavoro/", lavoro.PattoListView.as_view(), name="lista"),
    path("lavoro/nuovo/", lavoro.PattoCreateView.as_view(), name="crea"),
    path("lavoro/<int:pk>/", lavoro.PattoDetailView.as_view(), name="dettaglio"),
    path("lavoro/<int:pk>/modifica/", lavoro.PattoUpdateView.as_view(), name="modifica"),
    path(
        "lavoro/<int:pk>/rendicontazione/",
        lavoro.RendicontazioneView.as_view(),
        name="rendicontazione",
    ),
    path("lavoro/<int:pk>/stato/", lavoro.CambiaStatoView.as_view(), name="stato"),
    path("lavoro/<int:pk>/rinnova/", lavoro.RinnovaView.as_view(), name="rinnova"),
    path("lavoro/<int:pk>/integra/", lavoro.IntegraView.as_view(), name="integra"),
    path("lavoro/<int:pk>/pdf/", lavoro.PdfView.as_view(), name="pdf"),
    path(
        "lavoro/<int:pk>/firmatari/nuovo/", parti.CreaFirmatario.as_view(), name="firmatario_crea"
    ),
    path(
        "lavoro/firmatari/<int:pk>/modifica/",
        parti.ModificaFirmatario.as_view(),
        name="firmatario_modifica",
    ),
    path(
        "lavoro/firmatari/<int:pk>/elimina/",
        parti.EliminaFirmatario.as_view(),
        name="firmatario_elimina",
    ),
    path(
        "lavoro/firmatari/<int:pk>/impegni/nuovo/",
        parti.CreaImpegno.as_view(),
        name="impegno_crea",
    ),
    path(
        "lavoro/impegni/<int:pk>/modifica/",
        parti.ModificaImpegno.as_view(),
        name="impegno_modifica",
    ),
    path(
        "lavoro/impegni/<int:pk>/elimina/", parti.EliminaImpegno.as_view(), name="impegno_elimina"
    ),
    path(
        "lavoro/impegni/<int:pk>/svolto/", parti.ImpegnoSvoltoView.as_view(), name="impegno_svolto"
    ),
    path("lavoro/<int:pk>/progetti/nuovo/", parti.CreaProgetto.as_view(), name="progetto_crea"),
    path(
        "lavoro/progetti/<int:pk>/modifica/",
        parti.ModificaProgetto.as_view(),
        name="progetto_modifica",
    ),
    path(
        "lavoro/progetti/<int:pk>/elimina/",
        parti.EliminaProgetto.as_view(),
        name="progetto_elimina",
    ),
    path(
        "lavoro/<int:pk>/indicatori/nuovo/",
        parti.CreaIndicatore.as_view(),
        name="indicatore_crea",
    ),
    path(
        "lavoro/indicatori/<int:pk>/modifica/",
        parti.ModificaIndicatore.as_view(),
        name="indicatore_modifica",
    ),
    path(
        "lavoro/indicatori/<int:pk>/elimina/",
        parti.EliminaIndicatore.as_view(),
        name="indicatore_elimina",
    ),
    path(
        "lavoro/indicatori/<int:pk>/misurazioni/nuova/",
        parti.CreaMisurazione.as_view(),
        name="misurazione_crea",
    ),
    path(
        "lavoro/misurazioni/<int:pk>/modifica/",
        parti.ModificaMisurazione.as_view(),
        name="misurazione_modifica",
    ),
    path(
        "lavoro/misurazioni/<int:pk>/elimina/",
        parti.EliminaMisurazione.as_view(),
        name="misurazione_elimina",
    ),
]
