"""The quartiere's pilot group (seed 003, issue 19): a lab led by a public and a
third-sector coordinator, with members (organisations and citizens, promoters or members),
a mandate of vulnerabilities and priorities, and thematic groups of its own quartiere."""

from __future__ import annotations

import datetime

import pytest
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from laboratori.models import Aderente, Laboratorio
from tests.factories import OrganizzazioneFactory, PersonaFactory
from tests.laboratori.factories import LaboratorioFactory

pytestmark = pytest.mark.django_db

GIORNO = datetime.date(2026, 3, 1)


@pytest.fixture
def pilota(san_siro, operatore, coordinatore):
    return LaboratorioFactory(
        titolo="Gruppo pilota di San Siro",
        quartiere=san_siro,
        tipo=Laboratorio.Tipo.GRUPPO_PILOTA,
        coordinatore_pubblico=coordinatore,
        coordinatore_privato_sociale=operatore,
    )


def _tematico(pilota, **campi):
    valori = {
        "titolo": "Gruppo tematico: cortili",
        "quartiere": pilota.quartiere,
        "tipo": Laboratorio.Tipo.GRUPPO_TEMATICO,
        "gruppo_pilota": pilota,
        **campi,
    }
    return LaboratorioFactory(**valori)


def test_un_gruppo_tematico_nasce_dal_gruppo_pilota_del_suo_quartiere(
    pilota, san_siro, gratosoglio
):
    assert _tematico(pilota).gruppo_pilota == pilota
    lab = LaboratorioFactory(quartiere=san_siro)
    for campi in (
        {"gruppo_pilota": None},  # a thematic group without its pilot group
        {"gruppo_pilota": lab},  # under a lab that is not a pilot group
        {"quartiere": gratosoglio},  # under another quartiere's pilot group
    ):
        with pytest.raises(IntegrityError), transaction.atomic():
            _tematico(pilota, **campi)
    with pytest.raises(IntegrityError), transaction.atomic():
        LaboratorioFactory(quartiere=san_siro, gruppo_pilota=pilota)  # a lab under it
    # A pilot group with thematic groups keeps its kind and quartiere.
    for campi in ({"tipo": "laboratorio"}, {"quartiere": gratosoglio}):
        with pytest.raises(IntegrityError), transaction.atomic():
            Laboratorio.objects.filter(pk=pilota.pk).update(**campi)


def test_il_modulo_del_modello_dice_perche(pilota, san_siro):
    from django.core.exceptions import ValidationError

    lab = LaboratorioFactory(quartiere=san_siro)
    tematico = Laboratorio(
        titolo="x",
        quartiere=san_siro,
        tipo="gruppo_tematico",
        gruppo_pilota=lab,
        data_inizio=GIORNO,
    )
    with pytest.raises(ValidationError) as errore:
        tematico.full_clean()
    assert "gruppo_pilota" in errore.value.message_dict


def test_chi_aderisce_una_volta_sola(pilota):
    persona = PersonaFactory()
    associazione = OrganizzazioneFactory()
    Aderente.objects.create(laboratorio=pilota, persona=persona, dal=GIORNO)
    Aderente.objects.create(
        laboratorio=pilota,
        organizzazione=associazione,
        persona=persona,
        dal=GIORNO,
        ruolo="promotore",
    )  # the same person also speaks for an association
    for campi in (
        {"persona": persona},
        {"organizzazione": associazione},
        {},  # nobody
        {"persona": PersonaFactory(), "ruolo": "presidente"},
        {"persona": PersonaFactory(), "al": GIORNO - datetime.timedelta(days=1)},
    ):
        with pytest.raises(IntegrityError), transaction.atomic():
            Aderente.objects.create(laboratorio=pilota, dal=GIORNO, **campi)
    # Who left may join again.
    Aderente.objects.filter(persona=persona, organizzazione__isnull=True).update(al=GIORNO)
    Aderente.objects.create(laboratorio=pilota, persona=persona, dal=GIORNO)


def test_la_scheda_del_gruppo(client_di, coordinatore, pilota):
    pilota.mandato.create(tipo="vulnerabilita", testo="Anziani soli nei cortili", ordine=1)
    pilota.mandato.create(tipo="priorita", testo="Spazi comuni curati", ordine=1)
    pilota.mandato.create(tipo="priorita", testo="Voce superata", attiva=False)
    Aderente.objects.create(
        laboratorio=pilota,
        organizzazione=OrganizzazioneFactory(nome="Parrocchia di San Siro"),
        ruolo="promotore",
        dal=GIORNO,
    )
    Aderente.objects.create(
        laboratorio=pilota, persona=PersonaFactory(cognome="Bianchi"), dal=GIORNO, al=GIORNO
    )  # left
    _tematico(pilota, titolo="Gruppo tematico: cortili puliti")
    c = client_di(coordinatore)
    url = pilota.get_absolute_url()
    with CaptureQueriesContext(connection) as poche:
        html = c.get(url).content.decode()
    for atteso in (
        "gruppo pilota di quartiere",
        "Mandato del gruppo",
        "Anziani soli nei cortili",
        "Spazi comuni curati",
        "Parrocchia di San Siro",
        "promotore",
        "Gruppo tematico: cortili puliti",
    ):
        assert atteso in html, atteso
    assert "Voce superata" not in html and "Bianchi" not in html
    for _ in range(5):
        Aderente.objects.create(laboratorio=pilota, persona=PersonaFactory(), dal=GIORNO)
        pilota.mandato.create(tipo="priorita", testo="Altra priorità")
        _tematico(pilota)
    with CaptureQueriesContext(connection) as molte:
        c.get(url)
    assert len(molte) == len(poche)


def test_le_cifre_dei_gruppi_negli_indicatori(pilota, san_siro, gratosoglio):
    from laboratori.indicators import calcola, calcola_per_quartiere

    Laboratorio.objects.filter(pk=pilota.pk).update(data_inizio=GIORNO)
    tematico = _tematico(pilota, data_inizio=GIORNO)
    parrocchia = OrganizzazioneFactory(nome="Parrocchia")
    chi = PersonaFactory()
    Aderente.objects.create(laboratorio=pilota, organizzazione=parrocchia, dal=GIORNO)
    Aderente.objects.create(laboratorio=tematico, organizzazione=parrocchia, dal=GIORNO)
    Aderente.objects.create(laboratorio=pilota, persona=chi, dal=GIORNO)
    Aderente.objects.create(laboratorio=tematico, persona=chi, dal=GIORNO)  # counts once
    Aderente.objects.create(
        laboratorio=pilota, persona=PersonaFactory(), dal=GIORNO, al=GIORNO
    )  # left on the first day: counts in March, not in May
    marzo = calcola(GIORNO, datetime.date(2026, 3, 31), None)
    assert (marzo["gruppi_pilota_attivi"], marzo["aderenti_gruppi"]) == (1, 3)
    maggio = calcola(datetime.date(2026, 5, 1), datetime.date(2026, 5, 31), [san_siro])
    assert (maggio["gruppi_pilota_attivi"], maggio["aderenti_gruppi"]) == (1, 2)
    per_quartiere = calcola_per_quartiere(
        GIORNO, datetime.date(2026, 3, 31), [san_siro, gratosoglio]
    )
    assert per_quartiere[san_siro.pk]["aderenti_gruppi"] == 3
    assert per_quartiere[gratosoglio.pk]["gruppi_pilota_attivi"] == 0


def test_il_gruppo_rivede_il_suo_mandato(
    client_di, coordinatore, operatore_gratosoglio, dirigente, pilota
):
    from laboratori.models import VoceMandato

    url = f"/laboratori/lavoro/{pilota.pk}/mandato/"
    c = client_di(coordinatore)
    assert "Aggiungi al mandato" in c.get(pilota.get_absolute_url()).content.decode()
    for testo in ("Anziani soli", "Famiglie con affitti arretrati"):
        r = c.post(url, {"tipo": "vulnerabilita", "testo": testo})
        assert r.status_code == 302
    assert c.post(url, {"tipo": "segreto", "testo": "x"}).status_code == 302  # refused
    voci = list(pilota.mandato.order_by("ordine"))
    assert [(v.testo, v.ordine) for v in voci] == [
        ("Anziani soli", 1),
        ("Famiglie con affitti arretrati", 2),
    ]
    r = c.post(f"{url}{voci[0].pk}/ritira/")
    assert r.status_code == 302
    html = c.get(pilota.get_absolute_url()).content.decode()
    assert "Anziani soli" not in html and "Famiglie con affitti arretrati" in html
    voce = VoceMandato.objects.get(pk=voci[0].pk)
    assert not voce.attiva and voce.history.count() == 2  # withdrawn, not lost
    # Who may not change the group: another quartiere's operator, the director.
    assert (
        client_di(operatore_gratosoglio).post(url, {"tipo": "priorita", "testo": "x"}).status_code
        == 404
    )
    assert client_di(dirigente).post(url, {"tipo": "priorita", "testo": "x"}).status_code == 403
    assert pilota.mandato.count() == 2


def test_il_gruppo_pilota_sulla_pagina_pubblica_del_quartiere(client, pilota, san_siro):
    pilota.mandato.create(tipo="priorita", testo="Cortili curati e vissuti", ordine=1)
    pilota.mandato.create(tipo="vulnerabilita", testo="Anziani soli", ordine=1)
    Aderente.objects.create(
        laboratorio=pilota, organizzazione=OrganizzazioneFactory(nome="Parrocchia"), dal=GIORNO
    )
    Aderente.objects.create(
        laboratorio=pilota, persona=PersonaFactory(cognome="Zorbacognome"), dal=GIORNO
    )
    html = client.get(f"/quartieri/{san_siro.codice}/").content.decode()
    assert "Gruppo pilota di quartiere" in html
    assert "Cortili curati e vissuti" in html and "Parrocchia" in html
    # Vulnerabilities stay with the staff; citizens' names never reach the public page.
    assert "Anziani soli" not in html and "Zorbacognome" not in html


def test_il_gruppo_accoglie_e_saluta_i_suoi_aderenti(
    client_di, coordinatore, operatore_gratosoglio, dirigente, pilota, san_siro
):
    persona = PersonaFactory(quartiere=san_siro, nome="Giulia", cognome="Ferraris")
    parrocchia = OrganizzazioneFactory(nome="Parrocchia di San Siro", quartiere=san_siro)
    c = client_di(coordinatore)
    pagina = c.get(pilota.get_absolute_url(), {"q": "Ferraris"}).content.decode()
    assert "Giulia" in pagina and "Aggiungi come membro" in pagina
    pagina = c.get(pilota.get_absolute_url(), {"q": "Parrocchia"}).content.decode()
    assert "Parrocchia di San Siro" in pagina
    url = f"/laboratori/lavoro/{pilota.pk}/aderenti/"
    assert c.post(url, {"persona": persona.pk, "ruolo": "membro"}).status_code == 302
    assert c.post(url, {"organizzazione": parrocchia.pk, "ruolo": "promotore"}).status_code == 302
    # Twice is refused with a message, not an error page.
    r = c.post(url, {"persona": persona.pk, "ruolo": "membro"}, follow=True)
    assert "aderisce già al gruppo" in r.content.decode()
    # Neither a person nor an organisation; a role that does not exist; a foreign id.
    assert c.post(url, {"ruolo": "membro"}).status_code == 302
    assert c.post(url, {"persona": persona.pk, "ruolo": "capo"}).status_code == 302
    assert c.post(url, {"persona": 999999, "ruolo": "membro"}).status_code == 302
    aderenti = {(a.persona_id, a.organizzazione_id, a.ruolo) for a in pilota.aderenti.all()}
    assert aderenti == {(persona.pk, None, "membro"), (None, parrocchia.pk, "promotore")}
    membro = pilota.aderenti.get(persona=persona)
    assert membro.dal == timezone.localdate()
    r = c.post(f"{url}{membro.pk}/esce/")
    assert r.status_code == 302
    membro.refresh_from_db()
    assert membro.al is not None and membro.history.count() == 2  # closed, not deleted
    assert "Giulia Ferraris" not in c.get(pilota.get_absolute_url()).content.decode()
    # Back in the group later: a new membership beside the closed one.
    assert c.post(url, {"persona": persona.pk, "ruolo": "membro"}).status_code == 302
    assert pilota.aderenti.filter(persona=persona).count() == 2
    pagina = c.get(pilota.get_absolute_url(), {"q": "Ferraris"}).content.decode()
    assert "già aderente" in pagina and "Aggiungi come membro" not in pagina
    # Who may not change the group.
    assert client_di(operatore_gratosoglio).post(url, {"persona": persona.pk}).status_code == 404
    assert client_di(dirigente).post(url, {"persona": persona.pk}).status_code == 403


def test_un_gruppo_tematico_si_avvia_dalla_pagina_del_gruppo_pilota(
    client_di, coordinatore, pilota, san_siro, gratosoglio
):
    c = client_di(coordinatore)
    url = f"/laboratori/lavoro/{pilota.pk}/gruppo-tematico/"
    assert url in c.get(pilota.get_absolute_url()).content.decode()
    modulo = c.get(url)
    assert modulo.status_code == 200
    assert modulo.context["form"].fields["quartiere"].disabled
    r = c.post(
        url,
        {
            "titolo": "Gruppo tematico: doposcuola",
            "quartiere": gratosoglio.pk,  # ignored: the pilot group's quartiere
            "tema": "Doposcuola",
            "fase": "ascolto",
            "data_inizio": "2026-04-01",
        },
    )
    assert r.status_code == 302, r.context["form"].errors if r.context else r
    nuovo = Laboratorio.objects.get(titolo="Gruppo tematico: doposcuola")
    assert (nuovo.tipo, nuovo.gruppo_pilota, nuovo.quartiere) == (
        Laboratorio.Tipo.GRUPPO_TEMATICO,
        pilota,
        san_siro,
    )
    # Only a pilot group starts thematic groups.
    assert c.get(f"/laboratori/lavoro/{nuovo.pk}/gruppo-tematico/").status_code == 404
