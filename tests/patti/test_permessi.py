"""Every staff page against every role (pretix's URL × role matrix).

The pact under test is in San Siro: the operator of San Siro works on it, the operator of
Gratosoglio does not know it exists (404), mediators have no business with pacts (403),
the dirigente reads but does not change (403 on edits), coordinators and the amministratore
do everything.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.patti import factories as f

pytestmark = pytest.mark.django_db

RUOLI = [
    "anonimo",
    "operatore",
    "operatore_altro",
    "mediatore",
    "coordinatore",
    "dirigente",
    "amministratore",
]

LEGGE = {
    "anonimo": 302,
    "operatore": 200,
    "operatore_altro": 404,
    "mediatore": 403,
    "coordinatore": 200,
    "dirigente": 200,
    "amministratore": 200,
}
SCRIVE = {**LEGGE, "dirigente": 403}
LISTA = {**LEGGE, "operatore_altro": 200}
CREA = {**SCRIVE, "operatore_altro": 200}
PUBBLICO = dict.fromkeys(RUOLI, 200)


def _oggetti(patto):
    return {
        "patto": patto.pk,
        "firmatario": patto.firmatari.get(tipo="comune").pk,
        "impegno": patto.firmatari.get(tipo="associazione").impegni.get().pk,
        "progetto": patto.progetti.get().pk,
        "indicatore": patto.indicatori.get().pk,
        "misurazione": patto.indicatori.get().misurazioni.get().pk,
    }


PAGINE = [
    ("patti:lista", None, LISTA),
    ("patti:crea", None, CREA),
    ("patti:dettaglio", "patto", LEGGE),
    ("patti:pdf", "patto", LEGGE),
    ("patti:modifica", "patto", SCRIVE),
    ("patti:rendicontazione", "patto", SCRIVE),
    ("patti:stato", "patto", SCRIVE),
    ("patti:firmatario_crea", "patto", SCRIVE),
    ("patti:firmatario_modifica", "firmatario", SCRIVE),
    ("patti:impegno_crea", "firmatario", SCRIVE),
    ("patti:impegno_modifica", "impegno", SCRIVE),
    ("patti:progetto_crea", "patto", SCRIVE),
    ("patti:progetto_modifica", "progetto", SCRIVE),
    ("patti:indicatore_crea", "patto", SCRIVE),
    ("patti:indicatore_modifica", "indicatore", SCRIVE),
    ("patti:misurazione_crea", "indicatore", SCRIVE),
    ("patti:misurazione_modifica", "misurazione", SCRIVE),
    ("patti:registro", None, PUBBLICO),
    ("patti:registro_dettaglio", "patto", PUBBLICO),
]

AZIONI = [
    ("patti:impegno_svolto", "impegno"),
    ("patti:firmatario_elimina", "firmatario"),
    ("patti:impegno_elimina", "impegno"),
    ("patti:progetto_elimina", "progetto"),
    ("patti:indicatore_elimina", "indicatore"),
    ("patti:misurazione_elimina", "misurazione"),
    ("patti:rinnova", "patto"),
]


@pytest.fixture
def patto_completo(patto_san_siro):
    indicatore = f.IndicatoreFactory(patto=patto_san_siro)
    indicatore.misurazioni.create(data="2025-06-01", valore=10)
    return patto_san_siro


@pytest.mark.parametrize("ruolo", RUOLI)
@pytest.mark.parametrize(("nome", "oggetto", "attesi"), PAGINE, ids=[p[0] for p in PAGINE])
def test_pagina_per_ruolo(nome, oggetto, attesi, ruolo, cast, client_di, patto_completo):
    args = [_oggetti(patto_completo)[oggetto]] if oggetto else []
    risposta = client_di(cast[ruolo]).get(reverse(nome, args=args))
    assert risposta.status_code == attesi[ruolo]
    if attesi[ruolo] == 302:
        assert risposta["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("ruolo", RUOLI)
@pytest.mark.parametrize(("nome", "oggetto"), AZIONI, ids=[a[0] for a in AZIONI])
def test_azione_per_ruolo(nome, oggetto, ruolo, cast, client_di, patto_completo):
    url = reverse(nome, args=[_oggetti(patto_completo)[oggetto]])
    risposta = client_di(cast[ruolo]).post(url)
    atteso = {**SCRIVE, "operatore": 302, "coordinatore": 302, "amministratore": 302}[ruolo]
    assert risposta.status_code == atteso
    if ruolo != "anonimo" and atteso == 302:
        assert not risposta["Location"].startswith(reverse("login"))


def test_la_lista_mostra_solo_i_patti_dei_propri_quartieri(
    client_di, operatore, operatore_gratosoglio, coordinatore, patto_san_siro, patto_gratosoglio
):
    def titoli(user):
        return {
            p.titolo for p in client_di(user).get(reverse("patti:lista")).context["object_list"]
        }

    assert titoli(operatore) == {patto_san_siro.titolo}
    assert titoli(operatore_gratosoglio) == {patto_gratosoglio.titolo}
    assert titoli(coordinatore) == {patto_san_siro.titolo, patto_gratosoglio.titolo}


def test_solo_il_coordinatore_vede_l_approvazione_tra_gli_stati(
    client_di, operatore, coordinatore, san_siro
):
    patto = f.PattoFactory(quartiere=san_siro, stato="istruttoria")
    url = reverse("patti:dettaglio", args=[patto.pk])
    scelte_op = dict(client_di(operatore).get(url).context["form_stato"].fields["a_stato"].choices)
    scelte_co = dict(
        client_di(coordinatore).get(url).context["form_stato"].fields["a_stato"].choices
    )
    assert set(scelte_op) == {"co_progettazione"}
    assert set(scelte_co) == {"co_progettazione", "approvato", "respinto"}


def test_admin_dei_patti_filtrato_per_quartiere_e_import_solo_coordinatori(
    client_di, coordinatore, amministratore, operatore, patto_san_siro, patto_gratosoglio
):
    c = client_di(coordinatore)
    assert c.get(reverse("admin:patti_patto_changelist")).status_code == 200
    assert c.get(reverse("admin:patti_patto_import")).status_code == 200
    assert c.get(reverse("admin:patti_patto_export")).status_code == 200
    assert c.get(reverse("admin:patti_patto_importa_fogli")).status_code == 200
    assert c.get(reverse("admin:patti_firmatario_changelist")).status_code == 200
    assert c.get(reverse("admin:patti_progetto_export")).status_code == 200
    # Operators have no admin access at all.
    assert client_di(operatore).get(reverse("admin:patti_patto_changelist")).status_code == 302
