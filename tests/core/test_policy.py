"""The access policy over the registry pages: each role × each page."""

import pytest
from django.urls import reverse

from tests.factories import OrganizzazioneFactory, PersonaFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def registro(quartieri):
    return {
        "persona_sansiro": PersonaFactory(quartiere=quartieri["san-siro"]),
        "persona_gratosoglio": PersonaFactory(quartiere=quartieri["gratosoglio"]),
        "persona_senza_quartiere": PersonaFactory(quartiere=None),
        "org_sansiro": OrganizzazioneFactory(quartiere=quartieri["san-siro"]),
        "org_gratosoglio": OrganizzazioneFactory(quartiere=quartieri["gratosoglio"]),
    }


# Expected status per role. 302 = redirect to login, 403 = not allowed, 404 = outside scope.
PAGINE = {
    "lista_persone": (
        lambda r: reverse("quartiere:persona_list"),
        {
            "anonimo": 302,
            "operatore": 200,
            "operatore_altro": 200,
            "mediatore": 200,
            "coordinatore": 200,
            "dirigente": 200,
            "amministratore": 200,
        },
    ),
    "persona_sansiro": (
        lambda r: r["persona_sansiro"].get_absolute_url(),
        {
            "anonimo": 302,
            "operatore": 200,
            "operatore_altro": 404,
            "mediatore": 200,
            "coordinatore": 200,
            "dirigente": 200,
            "amministratore": 200,
        },
    ),
    "persona_senza_quartiere": (
        lambda r: r["persona_senza_quartiere"].get_absolute_url(),
        {
            "anonimo": 302,
            "operatore": 200,
            "operatore_altro": 200,
            "mediatore": 200,
            "coordinatore": 200,
            "dirigente": 200,
            "amministratore": 200,
        },
    ),
    "modifica_persona_sansiro": (
        lambda r: reverse("quartiere:persona_update", args=[r["persona_sansiro"].pk]),
        {
            "anonimo": 302,
            "operatore": 200,
            "operatore_altro": 404,
            "mediatore": 200,
            "coordinatore": 200,
            "dirigente": 403,
            "amministratore": 200,
        },
    ),
    "nuova_persona": (
        lambda r: reverse("quartiere:persona_create"),
        {
            "anonimo": 302,
            "operatore": 200,
            "operatore_altro": 200,
            "mediatore": 200,
            "coordinatore": 200,
            "dirigente": 403,
            "amministratore": 200,
        },
    ),
    "unisci": (
        lambda r: reverse(
            "quartiere:persona_unisci",
            args=[r["persona_sansiro"].pk, r["persona_senza_quartiere"].pk],
        ),
        {
            "anonimo": 302,
            "operatore": 403,
            "operatore_altro": 403,
            "mediatore": 403,
            "coordinatore": 200,
            "dirigente": 403,
            "amministratore": 200,
        },
    ),
    "lista_organizzazioni": (
        lambda r: reverse("quartiere:organizzazione_list"),
        {
            "anonimo": 302,
            "operatore": 200,
            "operatore_altro": 200,
            "mediatore": 200,
            "coordinatore": 200,
            "dirigente": 200,
            "amministratore": 200,
        },
    ),
    "org_gratosoglio": (
        lambda r: r["org_gratosoglio"].get_absolute_url(),
        {
            "anonimo": 302,
            "operatore": 404,
            "operatore_altro": 200,
            "mediatore": 200,
            "coordinatore": 200,
            "dirigente": 200,
            "amministratore": 200,
        },
    ),
    "modifica_org_gratosoglio": (
        lambda r: reverse("quartiere:organizzazione_update", args=[r["org_gratosoglio"].pk]),
        {
            "anonimo": 302,
            "operatore": 404,
            "operatore_altro": 200,
            "mediatore": 200,
            "coordinatore": 200,
            "dirigente": 403,
            "amministratore": 200,
        },
    ),
    "cerca_persone": (
        lambda r: reverse("quartiere:persona_cerca") + "?q=ab",
        {
            "anonimo": 302,
            "operatore": 200,
            "operatore_altro": 200,
            "mediatore": 200,
            "coordinatore": 200,
            "dirigente": 200,
            "amministratore": 200,
        },
    ),
    "scrivania": (
        lambda r: reverse("quartiere:scrivania"),
        {
            "anonimo": 302,
            "operatore": 200,
            "operatore_altro": 200,
            "mediatore": 200,
            "coordinatore": 200,
            "dirigente": 200,
            "amministratore": 200,
        },
    ),
    "admin_persone": (
        lambda r: "/admin/quartiere/persona/",
        {
            "anonimo": 302,
            "operatore": 302,
            "operatore_altro": 302,
            "mediatore": 302,
            "coordinatore": 200,
            "dirigente": 302,
            "amministratore": 200,
        },
    ),
}


@pytest.mark.parametrize("pagina", PAGINE)
@pytest.mark.parametrize(
    "ruolo",
    [
        "anonimo",
        "operatore",
        "operatore_altro",
        "mediatore",
        "coordinatore",
        "dirigente",
        "amministratore",
    ],
)
def test_ogni_ruolo_su_ogni_pagina_del_registro(pagina, ruolo, cast, registro, client_di):
    url_di, attesi = PAGINE[pagina]
    risposta = client_di(cast[ruolo]).get(url_di(registro))
    assert risposta.status_code == attesi[ruolo], (pagina, ruolo)


def test_operatore_non_vede_persone_di_altri_quartieri_nella_lista(operatore, registro, client_di):
    risposta = client_di(operatore).get(reverse("quartiere:persona_list"))
    persone = list(risposta.context["object_list"])
    assert registro["persona_sansiro"] in persone
    assert registro["persona_senza_quartiere"] in persone
    assert registro["persona_gratosoglio"] not in persone


def test_operatore_non_trova_persone_di_altri_quartieri_nella_ricerca(
    operatore, registro, client_di
):
    altro = registro["persona_gratosoglio"]
    risposta = client_di(operatore).get(reverse("quartiere:persona_cerca"), {"q": altro.cognome})
    assert altro.pk not in [r["id"] for r in risposta.json()["risultati"]]


def test_admin_applica_lo_stesso_scope(coordinatore, operatore, registro, client_di):
    # A coordinator sees every person in the admin changelist.
    risposta = client_di(coordinatore).get("/admin/quartiere/persona/")
    assert risposta.status_code == 200
    assert risposta.context["cl"].result_count == 3


def test_lista_del_registro_costa_query_costanti(
    operatore, san_siro, client_di, django_assert_max_num_queries
):
    client = client_di(operatore)
    PersonaFactory.create_batch(5, quartiere=san_siro)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as con_5:
        client.get(reverse("quartiere:persona_list"))
    PersonaFactory.create_batch(45, quartiere=san_siro)
    with CaptureQueriesContext(connection) as con_50:
        client.get(reverse("quartiere:persona_list"))
    assert len(con_5) == len(con_50)
