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
        "lavoro/indicatori/esporta.<str:formato>",
        cruscotto.EsportaView.as_view(),
        name="cruscotto_esporta",
    ),
]
