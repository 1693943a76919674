"""Creating and editing labs, meetings and proposals through the staff pages."""

from datetime import date

import pytest
from django.urls import reverse

from laboratori.models import Incontro, Laboratorio, Proposta
from tests.factories import PersonaFactory, SedeFactory
from tests.laboratori.factories import PresenzaFactory

pytestmark = pytest.mark.django_db


def test_operatore_crea_un_laboratorio_nel_suo_quartiere(client_di, operatore, san_siro):
    r = client_di(operatore).post(
        reverse("laboratori:nuovo"),
        {
            "titolo": "  Cortili   aperti ",
            "quartiere": san_siro.pk,
            "fase": "ascolto",
            "data_inizio": "2026-01-15",
            "facilitatori": [operatore.pk],
        },
    )
    lab = Laboratorio.objects.get()
    assert r.status_code == 302 and r["Location"] == lab.get_absolute_url()
    assert lab.titolo == "Cortili aperti"
    assert list(lab.facilitatori.all()) == [operatore]
    assert lab.history.earliest().history_user == operatore


def test_operatore_non_crea_laboratori_in_altri_quartieri(client_di, operatore, gratosoglio):
    r = client_di(operatore).post(
        reverse("laboratori:nuovo"),
        {
            "titolo": "X",
            "quartiere": gratosoglio.pk,
            "fase": "ascolto",
            "data_inizio": "2026-01-15",
        },
    )
    assert r.status_code == 200
    assert "quartiere" in r.context["form"].errors
    assert not Laboratorio.objects.exists()


def test_facilitatore_deve_lavorare_nel_quartiere(
    client_di, coordinatore, operatore_gratosoglio, operatore, san_siro
):
    dati = {"titolo": "X", "quartiere": san_siro.pk, "fase": "ascolto", "data_inizio": "2026-01-15"}
    r = client_di(coordinatore).post(
        reverse("laboratori:nuovo"), {**dati, "facilitatori": [operatore_gratosoglio.pk]}
    )
    assert "Non lavorano nel quartiere San Siro" in r.context["form"].errors["facilitatori"][0]
    # Coordinators facilitate anywhere.
    r = client_di(coordinatore).post(
        reverse("laboratori:nuovo"), {**dati, "facilitatori": [operatore.pk, coordinatore.pk]}
    )
    assert r.status_code == 302


def test_data_di_fine_prima_dell_inizio(client_di, operatore, san_siro):
    r = client_di(operatore).post(
        reverse("laboratori:nuovo"),
        {
            "titolo": "X",
            "quartiere": san_siro.pk,
            "fase": "ascolto",
            "data_inizio": "2026-01-15",
            "data_fine": "2026-01-01",
        },
    )
    assert "data_fine" in r.context["form"].errors


def test_modifica_concorrente_rifiutata(client_di, operatore, coordinatore, lab_san_siro):
    url = reverse("laboratori:modifica", args=[lab_san_siro.pk])
    dati = {
        "titolo": "Primo titolo",
        "quartiere": lab_san_siro.quartiere_id,
        "data_inizio": "2025-01-01",
        "versione_letta": 1,
    }
    assert client_di(coordinatore).post(url, dati).status_code == 302
    r = client_di(operatore).post(url, {**dati, "titolo": "Secondo titolo"})
    assert r.status_code == 200
    assert "Qualcun altro ha salvato" in r.content.decode()
    assert Laboratorio.objects.get().titolo == "Primo titolo"


def test_la_fase_cambia_solo_con_la_sua_azione(client_di, operatore, lab_san_siro):
    c = client_di(operatore)
    c.post(
        reverse("laboratori:modifica", args=[lab_san_siro.pk]),
        {
            "titolo": "T",
            "quartiere": lab_san_siro.quartiere_id,
            "data_inizio": "2025-01-01",
            "fase": "realizzazione",
            "versione_letta": 1,
        },
    )
    assert Laboratorio.objects.get().fase == "ascolto"
    c.post(reverse("laboratori:fase", args=[lab_san_siro.pk]), {"fase": "progettazione"})
    assert Laboratorio.objects.get().fase == "progettazione"


def test_nuovo_incontro_in_una_sede_o_in_un_luogo(client_di, operatore, lab_san_siro):
    sala = SedeFactory(nome="Sala della Città condivisa", quartiere=None, tipo="sala")
    url = reverse("laboratori:incontro_nuovo", args=[lab_san_siro.pk])
    c = client_di(operatore)
    r = c.post(url, {"inizio": "2026-12-01T18:00", "pubblico": "on"})
    assert "Indica la sede oppure il luogo" in r.content.decode()
    r = c.post(url, {"inizio": "2026-12-01T18:00", "fine": "2026-12-01T17:00", "sede": sala.pk})
    assert "fine" in r.context["form"].errors
    r = c.post(url, {"inizio": "2026-12-01T18:00", "sede": sala.pk, "pubblico": "on"})
    inc = Incontro.objects.get()
    assert r["Location"] == inc.get_absolute_url()
    assert (inc.laboratorio, inc.stato, inc.sede, inc.pubblico) == (
        lab_san_siro,
        "programmato",
        sala,
        True,
    )
    r = c.post(url, {"inizio": "2026-12-08T18:00", "luogo": " Cortile,  scala B "})
    assert Incontro.objects.get(luogo="Cortile, scala B").sede is None


def test_verbale_si_scrive_modificando_l_incontro(client_di, operatore, incontro_san_siro):
    r = client_di(operatore).post(
        reverse("laboratori:incontro_modifica", args=[incontro_san_siro.pk]),
        {
            "titolo": "Primo incontro",
            "inizio": "2025-03-12T18:00",
            "luogo": "Cortile",
            "verbale": "Si decide la giornata di pulizia.",
            "versione_letta": incontro_san_siro.versione,
        },
    )
    assert r.status_code == 302
    inc = Incontro.objects.get()
    assert inc.verbale == "Si decide la giornata di pulizia." and inc.stato == "svolto"


def test_proposta_con_proponente_tra_i_presenti(
    client_di, operatore, incontro_san_siro, associazione, san_siro
):
    presente = PresenzaFactory(incontro=incontro_san_siro, persona__quartiere=san_siro).persona
    assente = PersonaFactory(quartiere=san_siro)
    lab = incontro_san_siro.laboratorio
    url = reverse("laboratori:proposta_nuova", args=[lab.pk])
    c = client_di(operatore)
    r = c.post(url, {"titolo": "Bacheca", "proponente_persona": assente.pk})
    assert "proponente_persona" in r.context["form"].errors
    r = c.post(
        url,
        {"titolo": "Bacheca", "proponente_persona": presente.pk, "incontro": incontro_san_siro.pk},
    )
    assert r.status_code == 302
    p = Proposta.objects.get()
    assert (p.laboratorio, p.proponente_persona, p.stato) == (lab, presente, "raccolta")
    r = c.post(
        reverse("laboratori:proposta_stato", args=[p.pk]),
        {"stato": "in_valutazione", "esito": ""},
    )
    assert Proposta.objects.get().stato == "in_valutazione"


def test_filtri_della_lista(client_di, operatore, lab_san_siro, san_siro):
    from tests.laboratori.factories import LaboratorioFactory

    LaboratorioFactory(
        titolo="Orti", quartiere=san_siro, fase="realizzazione", data_inizio=date(2024, 1, 1)
    )
    c = client_di(operatore)
    url = reverse("laboratori:lista")
    titoli = lambda r: [lab.titolo for lab in r.context["object_list"]]  # noqa: E731
    assert titoli(c.get(url + "?fase=realizzazione")) == ["Orti"]
    assert titoli(c.get(url + "?q=san+siro")) == ["Cortili di San Siro"]
    assert titoli(c.get(url + "?miei=on")) == ["Cortili di San Siro"]
