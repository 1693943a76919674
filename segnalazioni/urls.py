"""Public pages under /segnalazioni/, staff pages under /segnalazioni/lavoro/."""

from django.urls import path
from django.views.generic import RedirectView

from segnalazioni.views import esporta, lavoro, procedura, pubblico

app_name = "segnalazioni"

_procedura = procedura.ProceduraSegnalazione.as_view(
    url_name="segnalazioni:invia_passo", done_step_name="inviata"
)

urlpatterns = [
    # Public
    path("", pubblico.ServizioView.as_view(), name="servizio"),
    # The one-page form of before the steps: old links and bookmarks reach the steps.
    path(
        "nuova/",
        RedirectView.as_view(pattern_name="segnalazioni:invia", permanent=True),
        name="nuova",
    ),
    path("invia/", _procedura, name="invia"),
    path("invia/<str:step>/", _procedura, name="invia_passo"),
    path("invia-bozza/elimina/", procedura.elimina_bozza, name="elimina_bozza"),
    path("chiosco/sblocca/", procedura.sblocca_chiosco, name="chiosco_sblocca"),
    path("chiosco/blocca/", procedura.blocca_chiosco, name="chiosco_blocca"),
    path("inviata/", pubblico.InviataView.as_view(), name="inviata"),
    path("inviata/ricevuta.pdf", pubblico.ricevuta_inviata, name="ricevuta_inviata"),
    path("elenco/", pubblico.ElencoPubblicoView.as_view(), name="elenco"),
    path("elenco.geojson", pubblico.elenco_geojson, name="elenco_geojson"),
    path("segui/", pubblico.CercaCodiceView.as_view(), name="cerca_codice"),
    path("segui/<str:codice>/", pubblico.SeguiView.as_view(), name="segui"),
    # Staff
    path("lavoro/", lavoro.ListaView.as_view(), name="lista"),
    path("lavoro/nuova/", lavoro.SportelloView.as_view(), name="sportello"),
    path("lavoro/doppioni.json", lavoro.doppioni_json, name="doppioni_json"),
    path("lavoro/mappa/", lavoro.MappaView.as_view(), name="mappa"),
    path("lavoro/azioni/", lavoro.AzioneMassivaView.as_view(), name="azione_massiva"),
    path("lavoro/esporta.csv", esporta.csv_export, name="esporta_csv"),
    path("lavoro/esporta.xlsx", esporta.xlsx_export, name="esporta_xlsx"),
    path("lavoro/esporta.geojson", esporta.geojson_export, name="esporta_geojson"),
    path("lavoro/<int:pk>/", lavoro.DettaglioView.as_view(), name="dettaglio"),
    path("lavoro/<int:pk>/modifica/", lavoro.ModificaView.as_view(), name="modifica"),
    path("lavoro/<int:pk>/stato/", lavoro.cambia_stato, name="cambia_stato"),
    path("lavoro/<int:pk>/assegna/", lavoro.assegna, name="assegna"),
    path("lavoro/<int:pk>/nota/", lavoro.nota, name="nota"),
    path("lavoro/<int:pk>/risposta/", lavoro.risposta, name="risposta"),
    path("lavoro/<int:pk>/duplicato/", lavoro.duplicato, name="duplicato"),
    path("lavoro/<int:pk>/allegati/", lavoro.aggiungi_allegati, name="aggiungi_allegati"),
    path("lavoro/<int:pk>/allegati/<int:allegato_pk>/", lavoro.allegato, name="allegato"),
    path(
        "lavoro/<int:pk>/email/<int:invio_pk>/reinvia/",
        lavoro.reinvia_email,
        name="reinvia_email",
    ),
    path("lavoro/<int:pk>/ricevuta/", lavoro.emetti_ricevuta, name="emetti_ricevuta"),
    path("lavoro/<int:pk>/ricevuta/<int:ricevuta_pk>.pdf", lavoro.ricevuta_pdf, name="ricevuta"),
]
