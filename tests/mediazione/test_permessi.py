"""Every dossier URL (staff pages, PDF, export, admin) against every role.

Only the assigned mediator and the coordinators read a dossier on the staff pages; for
everybody else the dossier does not exist (404), the amministratore included, who
reads only through the admin. No response to a non-reader contains any of its data.
"""

import pytest
from django.urls import reverse

from mediazione.models import AccessoDossier

pytestmark = pytest.mark.django_db

SEGRETI = ("Segreti", "Rumorosi", "depressione", "Silenzio dopo le 22", "82 anni")

RUOLI = [
    "anonimo",
    "operatore",
    "operatore_altro",
    "mediatore",
    "mediatore_altro",
    "coordinatore",
    "dirigente",
    "amministratore",
]

LEGGONO = {"mediatore", "coordinatore"}


@pytest.fixture
def utenti(cast, altro_mediatore):
    return {**cast, "mediatore_altro": altro_mediatore}


def _pagine_dossier(d):
    parte = d.parti.first()
    return {
        "dettaglio": reverse("mediazione:dettaglio", args=[d.pk]),
        "modifica": reverse("mediazione:modifica", args=[d.pk]),
        "pdf": reverse("mediazione:pdf", args=[d.pk]),
        "parte_nuova": reverse("mediazione:parte_nuova", args=[d.pk]),
        "parte_modifica": reverse("mediazione:parte_modifica", args=[d.pk, parte.pk]),
        "attivita_nuova": reverse("mediazione:attivita_nuova", args=[d.pk]),
        "accordo": reverse("mediazione:accordo", args=[d.pk]),
        "chiudi": reverse("mediazione:chiudi", args=[d.pk]),
    }


def _nessun_segreto(risposta):
    corpo = risposta.content.decode(errors="replace")
    for segreto in SEGRETI:
        assert segreto not in corpo


@pytest.mark.parametrize("ruolo", RUOLI)
@pytest.mark.parametrize(
    "pagina",
    [
        "dettaglio",
        "modifica",
        "pdf",
        "parte_nuova",
        "parte_modifica",
        "attivita_nuova",
        "accordo",
        "chiudi",
    ],
)
def test_pagine_del_dossier_per_ruolo(ruolo, pagina, utenti, client_di, dossier):
    url = _pagine_dossier(dossier)[pagina]
    risposta = client_di(utenti[ruolo]).get(url)
    if ruolo == "anonimo":
        assert risposta.status_code == 302
        assert risposta["Location"].startswith(reverse("login"))
    elif ruolo in LEGGONO:
        assert risposta.status_code == 200
        assert "no-store" in risposta["Cache-Control"]
    else:
        assert risposta.status_code == 404
    if ruolo not in LEGGONO:
        _nessun_segreto(risposta)
        assert (
            not dossier.accessi.exclude(azione=AccessoDossier.Azione.CREAZIONE)
            .filter(utente=utenti[ruolo])
            .exists()
            if utenti[ruolo]
            else True
        )


@pytest.mark.parametrize("ruolo", RUOLI)
def test_riapertura_solo_coordinatore(ruolo, utenti, client_di, dossier):
    url = reverse("mediazione:riapri", args=[dossier.pk])
    risposta = client_di(utenti[ruolo]).get(url)
    atteso = {"anonimo": 302, "coordinatore": 200, "mediatore": 403}.get(ruolo, 404)
    assert risposta.status_code == atteso
    if ruolo != "coordinatore":
        _nessun_segreto(risposta)


@pytest.mark.parametrize("ruolo", RUOLI)
def test_cambio_fase_per_ruolo(ruolo, utenti, client_di, dossier):
    url = reverse("mediazione:fase", args=[dossier.pk])
    risposta = client_di(utenti[ruolo]).post(url, {"fase": "verifica"})
    dossier.refresh_from_db()
    if ruolo in LEGGONO:
        assert risposta.status_code == 302
        assert dossier.fase == "verifica"
    else:
        assert risposta.status_code == (302 if ruolo == "anonimo" else 404)
        assert dossier.fase != "verifica"


@pytest.mark.parametrize("ruolo", RUOLI)
@pytest.mark.parametrize("pagina", ["lista", "esporta", "verifiche", "nuovo"])
def test_pagine_dell_area_per_ruolo(ruolo, pagina, utenti, client_di, dossier, dossier_altrui):
    risposta = client_di(utenti[ruolo]).get(reverse(f"mediazione:{pagina}"))
    if ruolo == "anonimo":
        assert risposta.status_code == 302
    elif ruolo in LEGGONO or (ruolo == "mediatore_altro"):
        assert risposta.status_code == 200
    elif ruolo == "amministratore" and pagina == "lista":
        # The menu shows the entry to the superuser: the page points to the admin.
        assert risposta.status_code == 200
        assert reverse("admin:mediazione_dossier_changelist") in risposta.content.decode()
        assert dossier.numero not in risposta.content.decode()
    else:
        assert risposta.status_code == 404
    corpo = risposta.content.decode(errors="replace")
    if ruolo == "mediatore_altro" and pagina in ("lista", "esporta"):
        assert dossier_altrui.numero in corpo
        assert dossier.numero not in corpo
    if ruolo == "mediatore" and pagina in ("lista", "esporta"):
        assert dossier.numero in corpo
        assert dossier_altrui.numero not in corpo
    if ruolo not in LEGGONO:
        _nessun_segreto(risposta)


@pytest.mark.parametrize("ruolo", RUOLI)
def test_cifre_per_ruolo(ruolo, utenti, client_di, dossier):
    risposta = client_di(utenti[ruolo]).get(reverse("mediazione:cifre"))
    atteso = 302 if ruolo == "anonimo" else 200
    assert risposta.status_code == atteso
    _nessun_segreto(risposta)
    assert dossier.numero not in risposta.content.decode()


@pytest.mark.parametrize("ruolo", RUOLI)
@pytest.mark.parametrize("vista", ["change", "history"])
def test_admin_del_dossier_per_ruolo(ruolo, vista, utenti, client_di, dossier):
    url = reverse(f"admin:mediazione_dossier_{vista}", args=[dossier.pk])
    risposta = client_di(utenti[ruolo]).get(url)
    if ruolo in ("coordinatore", "amministratore"):
        assert risposta.status_code == 200
        assert dossier.accessi.filter(
            utente=utenti[ruolo], azione=AccessoDossier.Azione.LETTURA_ADMIN
        ).exists()
    else:
        # Not staff: the admin sends them to its login page.
        assert risposta.status_code == 302
        assert "/admin/login/" in risposta["Location"]
        _nessun_segreto(risposta)


def test_admin_il_mediatore_staff_non_vede_dossier_altrui(client_di, altro_mediatore, dossier):
    altro_mediatore.is_staff = True
    altro_mediatore.save(update_fields=["is_staff"])
    c = client_di(altro_mediatore)
    risposta = c.get(reverse("admin:mediazione_dossier_change", args=[dossier.pk]), follow=True)
    _nessun_segreto(risposta)
    lista = c.get(reverse("admin:mediazione_dossier_changelist"))
    assert dossier.numero not in lista.content.decode()
    assert not dossier.accessi.filter(utente=altro_mediatore).exists()


@pytest.mark.parametrize("ruolo", ["coordinatore", "amministratore"])
def test_admin_nessuno_cancella_o_modifica(ruolo, utenti, client_di, dossier):
    c = client_di(utenti[ruolo])
    assert c.get(reverse("admin:mediazione_dossier_delete", args=[dossier.pk])).status_code == 403
    assert (
        c.post(reverse("admin:mediazione_dossier_change", args=[dossier.pk]), {}).status_code == 403
    )
    accesso = dossier.accessi.first()
    assert (
        c.get(reverse("admin:mediazione_accessodossier_delete", args=[accesso.pk])).status_code
        == 403
    )
    assert c.get(reverse("admin:mediazione_accessodossier_add")).status_code == 403
    pagina = c.get(reverse("admin:mediazione_accessodossier_change", args=[accesso.pk]))
    assert pagina.status_code == 200
    assert 'name="azione"' not in pagina.content.decode()


@pytest.mark.parametrize("ruolo", ["operatore", "dirigente", "mediatore"])
def test_il_registro_degli_accessi_non_e_per_loro(ruolo, utenti, client_di, dossier):
    utente = utenti[ruolo]
    utente.is_staff = True
    utente.save(update_fields=["is_staff"])
    c = client_di(utente)
    risposta = c.get(reverse("admin:mediazione_accessodossier_changelist"))
    assert risposta.status_code == 403


@pytest.mark.parametrize("ruolo", RUOLI)
@pytest.mark.parametrize("modello", ["dossier", "accessodossier", "esecuzioneconservazione"])
def test_elenchi_dell_admin_per_ruolo(ruolo, modello, utenti, client_di, dossier):
    risposta = client_di(utenti[ruolo]).get(reverse(f"admin:mediazione_{modello}_changelist"))
    if ruolo in ("coordinatore", "amministratore"):
        assert risposta.status_code == 200
        if modello != "esecuzioneconservazione":
            assert dossier.numero in risposta.content.decode()
    else:
        assert risposta.status_code == 302
        assert "/admin/login/" in risposta["Location"]
