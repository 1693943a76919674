"""Every page of the labs against every role (pretix's test_permissions is the model).

The objects belong to San Siro: the San Siro operator works there, the Gratosoglio
operator does not (404, never 403: the object does not exist for them), the mediator
has no business with labs (403), the dirigente reads but never changes (403 on changes).
"""

import pytest
from django.urls import reverse

from laboratori.models import Incontro, Laboratorio
from tests.laboratori.factories import PresenzaFactory, PropostaFactory

pytestmark = pytest.mark.django_db

LOGIN = "login"
RUOLI = [
    "anonimo",
    "operatore",
    "operatore_altro",
    "mediatore",
    "coordinatore",
    "dirigente",
    "amministratore",
]

# Expected status per role, in the order of RUOLI.
LETTURA = [LOGIN, 200, 404, 403, 200, 200, 200]
SCRITTURA = [LOGIN, 200, 404, 403, 200, 403, 200]
LISTA = [LOGIN, 200, 200, 403, 200, 200, 200]
NUOVO = [LOGIN, 200, 200, 403, 200, 403, 200]
PUBBLICA = [200] * 7

PAGINE_GET = [
    ("laboratori:lista", None, LISTA),
    ("laboratori:nuovo", None, NUOVO),
    ("laboratori:dettaglio", "lab", LETTURA),
    ("laboratori:modifica", "lab", SCRITTURA),
    ("laboratori:incontro_nuovo", "lab", SCRITTURA),
    ("laboratori:proposta_nuova", "lab", SCRITTURA),
    ("laboratori:incontro", "incontro", LETTURA),
    ("laboratori:incontro_modifica", "incontro", SCRITTURA),
    ("laboratori:verbale_pdf", "incontro", LETTURA),
    ("laboratori:presenze", "incontro", SCRITTURA),
    ("laboratori:proposta_modifica", "proposta", SCRITTURA),
    ("laboratori:calendario", None, PUBBLICA),
    ("laboratori:risultati", None, PUBBLICA),
    ("laboratori:pubblico", "lab", PUBBLICA),
]


@pytest.fixture
def oggetti(incontro_san_siro):
    lab = incontro_san_siro.laboratorio
    presenza = PresenzaFactory(incontro=incontro_san_siro, persona__quartiere=lab.quartiere)
    proposta = PropostaFactory(laboratorio=lab, incontro=incontro_san_siro)
    return {"lab": lab, "incontro": incontro_san_siro, "proposta": proposta, "presenza": presenza}


def _verifica(risposta, atteso, url):
    if atteso == LOGIN:
        assert risposta.status_code == 302, url
        assert risposta["Location"].startswith(reverse("login")), url
    else:
        assert risposta.status_code == atteso, (url, risposta.status_code)


@pytest.mark.parametrize(("nome", "oggetto", "attesi"), PAGINE_GET)
@pytest.mark.parametrize("ruolo", range(len(RUOLI)), ids=RUOLI)
def test_pagine_per_ruolo(client_di, cast, oggetti, nome, oggetto, attesi, ruolo):
    args = [oggetti[oggetto].pk] if oggetto else []
    url = reverse(nome, args=args)
    _verifica(client_di(cast[RUOLI[ruolo]]).get(url), attesi[ruolo], url)


def _azioni(o):
    inc, lab = o["incontro"], o["lab"]
    return [
        (reverse("laboratori:stato", args=[lab.pk]), {"stato": "sospeso"}),
        (reverse("laboratori:fase", args=[lab.pk]), {"fase": "progettazione"}),
        (reverse("laboratori:incontro_stato", args=[inc.pk]), {"stato": "annullato"}),
        (
            reverse("laboratori:proposta_stato", args=[o["proposta"].pk]),
            {"stato": "in_valutazione"},
        ),
        (reverse("laboratori:presenza_aggiungi", args=[inc.pk]), {"persona": "1"}),
        (
            reverse("laboratori:presenza_rimuovi", args=[inc.pk, o["presenza"].pk]),
            {},
        ),
        (
            reverse("laboratori:presenza_nuova_persona", args=[inc.pk]),
            {"nome": "Ada", "cognome": "Neri"},
        ),
    ]


@pytest.mark.parametrize("ruolo", ["anonimo", "operatore_altro", "mediatore", "dirigente"])
def test_azioni_rifiutate_e_nulla_cambia(client_di, cast, oggetti, ruolo):
    attesi = {"anonimo": 302, "operatore_altro": 404, "mediatore": 403, "dirigente": 403}
    c = client_di(cast[ruolo])
    for url, dati in _azioni(oggetti):
        assert c.post(url, dati).status_code == attesi[ruolo], url
    lab = Laboratorio.objects.get(pk=oggetti["lab"].pk)
    assert (lab.stato, lab.fase) == ("attivo", "ascolto")
    assert Incontro.objects.get(pk=oggetti["incontro"].pk).stato == "svolto"
    assert oggetti["incontro"].presenze.count() == 1


def test_operatore_di_altro_quartiere_non_vede_nella_lista(
    client_di, operatore_gratosoglio, oggetti
):
    r = client_di(operatore_gratosoglio).get(reverse("laboratori:lista"))
    assert "Cortili di San Siro" not in r.content.decode()
    assert r.context["paginator"].count == 0


def test_coordinatore_e_dirigente_vedono_tutti(
    client_di, coordinatore, dirigente, oggetti, lab_gratosoglio
):
    for user in (coordinatore, dirigente):
        r = client_di(user).get(reverse("laboratori:lista"))
        assert r.context["paginator"].count == 2


def test_dirigente_non_vede_i_comandi_di_modifica(client_di, dirigente, oggetti):
    r = client_di(dirigente).get(reverse("laboratori:dettaglio", args=[oggetti["lab"].pk]))
    html = r.content.decode()
    assert reverse("laboratori:modifica", args=[oggetti["lab"].pk]) not in html
    assert reverse("laboratori:presenze", args=[oggetti["incontro"].pk]) not in html


def test_menu_mostra_laboratori_a_chi_puo(client_di, operatore, mediatore):
    url = reverse("laboratori:lista")
    assert url in client_di(operatore).get(reverse("quartiere:scrivania")).content.decode()
    assert url not in client_di(mediatore).get(reverse("quartiere:scrivania")).content.decode()


@pytest.mark.parametrize("modello", ["laboratorio", "incontro", "proposta"])
def test_admin_applica_lo_stesso_scope(
    client_di, coordinatore, operatore, oggetti, lab_gratosoglio, modello
):
    url = reverse(f"admin:laboratori_{modello}_changelist")
    assert client_di(coordinatore).get(url).status_code == 200
    # Operators are not admin users at all.
    assert client_di(operatore).get(url).status_code == 302


def test_scope_admin_per_operatore(rf, operatore, oggetti, lab_gratosoglio):
    from django.contrib import admin

    richiesta = rf.get("/")
    richiesta.user = operatore
    visti = admin.site._registry[Laboratorio].get_queryset(richiesta)
    assert list(visti) == [oggetti["lab"]]
