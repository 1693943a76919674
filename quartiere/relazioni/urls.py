"""URLs of the core's indicatori pages, included into the ``quartiere`` namespace."""

from django.urls import path

from quartiere.relazioni import views as cruscotto

urlpatterns = [
    path("lavoro/indicatori/", cruscotto.CruscottoView.as_view(), name="cruscotto"),
    path(
        "lavoro/indicatori/relazione.pdf",
        cruscotto.RelazionePdfView.as_view(),
        name="cruscotto_pdf",
    ),
    path(
        "lavoro/indicatori/relazione/",
        cruscotto.PreparaRelazioneView.as_view(),
        name="relazione_prepara",
    ),
    path(
        "lavoro/indicatori/relazioni/",
        cruscotto.RelazioniStampateView.as_view(),
        name="relazioni_stampate",
    ),
    path(
        "lavoro/indicatori/relazioni/<int:pk>.pdf",
        cruscotto.RelazioneStampataView.as_view(),
        name="relazione_stampata",
    ),
    path(
        "lavoro/indicatori/esporta.<str:formato>",
        cruscotto.EsportaView.as_view(),
        name="cruscotto_esporta",
    ),
]
