"""URLs of the labs, mounted at /laboratori/: the public pages at the top, the staff
pages under lavoro/."""

from django.urls import path

from laboratori.views import presenze, pubblico, staff

app_name = "laboratori"

urlpatterns = [
    # Public
    path("", pubblico.CalendarioView.as_view(), name="calendario"),
    path("calendario.ics", pubblico.calendario_ics, name="calendario_ics"),
    path("risultati/", pubblico.RisultatiView.as_view(), name="risultati"),
    path("<int:pk>/", pubblico.LaboratorioPubblicoView.as_view(), name="pubblico"),
    # Staff: labs
    path("lavoro/", staff.LaboratorioListView.as_view(), name="lista"),
    path("lavoro/nuovo/", staff.LaboratorioCreateView.as_view(), name="nuovo"),
    path("lavoro/<int:pk>/", staff.LaboratorioDetailView.as_view(), name="dettaglio"),
    path("lavoro/<int:pk>/modifica/", staff.LaboratorioUpdateView.as_view(), name="modifica"),
    path("lavoro/<int:pk>/stato/", staff.laboratorio_stato, name="stato"),
    path("lavoro/<int:pk>/fase/", staff.laboratorio_fase, name="fase"),
    path("lavoro/<int:pk>/mandato/", staff.mandato_aggiungi, name="mandato_aggiungi"),
    path(
        "lavoro/<int:pk>/mandato/<int:voce>/ritira/",
        staff.mandato_ritira,
        name="mandato_ritira",
    ),
    path("lavoro/<int:pk>/aderenti/", staff.aderente_aggiungi, name="aderente_aggiungi"),
    path(
        "lavoro/<int:pk>/aderenti/<int:aderente>/esce/",
        staff.aderente_esce,
        name="aderente_esce",
    ),
    path(
        "lavoro/<int:pk>/gruppo-tematico/",
        staff.GruppoTematicoCreateView.as_view(),
        name="gruppo_tematico_nuovo",
    ),
    # Staff: meetings
    path(
        "lavoro/<int:lab>/incontri/nuovo/",
        staff.IncontroCreateView.as_view(),
        name="incontro_nuovo",
    ),
    path("lavoro/incontri/<int:pk>/", staff.IncontroDetailView.as_view(), name="incontro"),
    path(
        "lavoro/incontri/<int:pk>/modifica/",
        staff.IncontroUpdateView.as_view(),
        name="incontro_modifica",
    ),
    path("lavoro/incontri/<int:pk>/stato/", staff.incontro_stato, name="incontro_stato"),
    path("lavoro/incontri/<int:pk>/verbale.pdf", staff.verbale_pdf, name="verbale_pdf"),
    # Staff: attendance
    path("lavoro/incontri/<int:pk>/presenze/", presenze.presenze, name="presenze"),
    path(
        "lavoro/incontri/<int:pk>/presenze/aggiungi/",
        presenze.aggiungi,
        name="presenza_aggiungi",
    ),
    path(
        "lavoro/incontri/<int:pk>/presenze/nuova-persona/",
        presenze.nuova_persona,
        name="presenza_nuova_persona",
    ),
    path(
        "lavoro/incontri/<int:pk>/presenze/<int:presenza_pk>/rimuovi/",
        presenze.rimuovi,
        name="presenza_rimuovi",
    ),
    # Staff: proposals
    path(
        "lavoro/<int:lab>/proposte/nuova/",
        staff.PropostaCreateView.as_view(),
        name="proposta_nuova",
    ),
    path(
        "lavoro/proposte/<int:pk>/modifica/",
        staff.PropostaUpdateView.as_view(),
        name="proposta_modifica",
    ),
    path("lavoro/proposte/<int:pk>/stato/", staff.proposta_stato, name="proposta_stato"),
]
