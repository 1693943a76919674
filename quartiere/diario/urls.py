"""URLs of the operators' diary (in the ``quartiere`` namespace)."""

from django.urls import path

from quartiere.diario import views as diario

urlpatterns = [
    path("lavoro/diario/", diario.DiarioView.as_view(), name="diario"),
    path("lavoro/diario/nuova/", diario.AttivitaCreateView.as_view(), name="diario_nuova"),
    path(
        "lavoro/diario/<int:pk>/modifica/",
        diario.AttivitaUpdateView.as_view(),
        name="diario_modifica",
    ),
    path("lavoro/diario/<int:pk>/elimina/", diario.elimina, name="diario_elimina"),
]
