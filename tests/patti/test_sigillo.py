"""A signed pact is a legal record: from signature on its content does not change, whoever
writes (a page, the admin, an import, SQL); the monitoring stays editable (docs/patti.md)."""

from __future__ import annotations

import datetime
import shutil
from decimal import Decimal

import pytest
from django.db import IntegrityError, connection, transaction
from django.urls import reverse

from patti import services
from patti.models import Firmatario, Impegno, Misurazione, Patto, Progetto, StatoPatto
from quartiere.importazione import importa
from tests.factories import PersonaFactory
from tests.patti import factories as f

pytestmark = pytest.mark.django_db

S = StatoPatto


def _rifiutato(azione, motivo="firmat"):
    with pytest.raises(IntegrityError, match=motivo), transaction.atomic():
        azione()


def test_il_database_rifiuta_ogni_modifica_del_contenuto_firmato(sigillato):
    assert sigillato.sigillato
    pk = sigillato.pk
    associazione = sigillato.firmatari.get(tipo="associazione")
    impegno = associazione.impegni.get()
    progetto = sigillato.progetti.get()
    # The pact's own text, in every way a write can come.
    _rifiutato(lambda: Patto.objects.filter(pk=pk).update(titolo="Altro titolo"))
    _rifiutato(lambda: Patto.objects.filter(pk=pk).update(data_fine=datetime.date(2030, 1, 1)))
    _rifiutato(lambda: Patto.objects.filter(pk=pk).update(documento_firmato={}))
    _rifiutato(lambda: Patto.objects.filter(pk=pk).update(documento_firmato=None))
    _rifiutato(lambda: Patto.objects.filter(pk=pk).delete())

    def sql():
        with connection.cursor() as c:
            c.execute("UPDATE patti_patto SET luogo = 'altrove' WHERE id = %s", [pk])

    _rifiutato(sql)
    # Its parties, their commitments, its projects: nothing added, changed or removed.
    volontario = PersonaFactory(quartiere=sigillato.quartiere)
    _rifiutato(lambda: f.FirmatarioVolontarioFactory(patto=sigillato, persona=volontario))
    _rifiutato(lambda: Firmatario.objects.filter(pk=associazione.pk).update(rappresentante="X"))
    _rifiutato(lambda: Firmatario.objects.filter(pk=associazione.pk).delete())
    _rifiutato(lambda: Impegno.objects.create(firmatario=associazione, descrizione="In più"))
    _rifiutato(lambda: Impegno.objects.filter(pk=impegno.pk).update(descrizione="Riscritto"))
    _rifiutato(lambda: Impegno.objects.filter(pk=impegno.pk).delete())
    _rifiutato(lambda: f.ProgettoFactory(patto=sigillato, titolo="Nuovo"))
    _rifiutato(lambda: Progetto.objects.filter(pk=progetto.pk).update(budget=Decimal("9999")))
    _rifiutato(lambda: Progetto.objects.filter(pk=progetto.pk).delete())
    # A row of another pact cannot be moved into it either.
    altro = f.PattoFactory(quartiere=sigillato.quartiere)
    estraneo = f.ProgettoFactory(patto=altro)
    _rifiutato(lambda: Progetto.objects.filter(pk=estraneo.pk).update(patto=sigillato))
    sigillato.refresh_from_db()
    assert sigillato.titolo == "Orti del cortile di via Abbiati"
    assert sigillato.firmatari.count() == 3


def test_il_monitoraggio_resta_aggiornabile(sigillato, coordinatore):
    impegno = Impegno.objects.get(firmatario__patto=sigillato)
    impegno.svolto = True
    impegno.save()
    progetto = sigillato.progetti.get()
    progetto.avanzamento = 60
    progetto.save()
    indicatore = f.IndicatoreFactory(patto=sigillato, nome="Ore di cura")
    Misurazione.objects.create(indicatore=indicatore, data=datetime.date(2026, 6, 1), valore=12)
    services.cambia_stato(sigillato, S.IN_ATTUAZIONE, da=coordinatore)
    sigillato.refresh_from_db()
    sigillato.rendicontazione = "Un anno di orto."
    sigillato.save()
    services.cambia_stato(sigillato, S.CONCLUSO, da=coordinatore)
    assert Patto.objects.get(pk=sigillato.pk).stato == S.CONCLUSO


def test_un_sigillo_solo_dopo_la_firma(san_siro):
    patto = f.PattoFactory(quartiere=san_siro, stato=S.APPROVATO)
    _rifiutato(
        lambda: Patto.objects.filter(pk=patto.pk).update(documento_firmato={"x": 1}),
        motivo="patto_sigillato_dopo_la_firma",
    )


def test_le_pagine_non_offrono_e_rifiutano_le_modifiche(client_di, operatore, sigillato):
    """The issue's case: an operator changed the title of a concluded pact and added a
    volunteer, and the register then differed from the signed PDF."""
    op = client_di(operatore)
    pagina = op.get(sigillato.get_absolute_url()).content.decode()
    assert 'id="patto-firmato"' in pagina
    assert reverse("patti:modifica", args=[sigillato.pk]) not in pagina
    assert reverse("patti:firmatario_crea", args=[sigillato.pk]) not in pagina
    assert reverse("patti:progetto_crea", args=[sigillato.pk]) not in pagina
    assert reverse("patti:rendicontazione", args=[sigillato.pk]) in pagina
    assert op.get(reverse("patti:modifica", args=[sigillato.pk])).status_code == 403
    titolo = op.post(
        reverse("patti:modifica", args=[sigillato.pk]),
        {"titolo": "Titolo cambiato", "quartiere": sigillato.quartiere_id},
    )
    assert titolo.status_code == 403
    volontario = PersonaFactory(quartiere=sigillato.quartiere)
    url = reverse("patti:firmatario_crea", args=[sigillato.pk])
    aggiunta = op.post(url, {"tipo": "volontario", "persona": volontario.pk, "ordine": 9})
    assert aggiunta.status_code == 403
    associazione = sigillato.firmatari.get(tipo="associazione")
    for nome in ("patti:firmatario_modifica", "patti:impegno_crea"):
        assert op.get(reverse(nome, args=[associazione.pk])).status_code == 403
    assert op.post(reverse("patti:firmatario_elimina", args=[associazione.pk])).status_code == 403
    progetto = sigillato.progetti.get()
    assert op.post(reverse("patti:progetto_elimina", args=[progetto.pk])).status_code == 403
    # The register shows what was signed.
    sigillato.refresh_from_db()
    pubblica = client_di(None).get(sigillato.get_public_url()).content.decode()
    assert sigillato.documento_firmato["titolo"] in pubblica
    assert "Titolo cambiato" not in pubblica
    assert sigillato.firmatari.count() == 3


def test_dopo_la_firma_si_aggiornano_avanzamento_e_impegni(client_di, operatore, sigillato):
    op = client_di(operatore)
    progetto = sigillato.progetti.get()
    url = reverse("patti:progetto_modifica", args=[progetto.pk])
    modulo = op.get(url).content.decode()
    assert 'name="avanzamento"' in modulo and 'name="budget"' not in modulo
    risposta = op.post(
        url, {"avanzamento": 40, "budget": "1", "titolo": "X", "versione_letta": progetto.versione}
    )
    assert risposta.status_code == 302
    progetto.refresh_from_db()
    assert (progetto.avanzamento, progetto.budget, progetto.titolo) == (
        40,
        Decimal("2500.00"),
        "Orto didattico",
    )
    impegno = Impegno.objects.get(firmatario__patto=sigillato)
    assert (
        'name="descrizione"'
        not in op.get(reverse("patti:impegno_modifica", args=[impegno.pk])).content.decode()
    )
    op.post(
        reverse("patti:impegno_svolto", args=[impegno.pk]), {"versione_letta": impegno.versione}
    )
    impegno.refresh_from_db()
    assert impegno.svolto


def test_firmato_mentre_il_modulo_era_aperto(client_di, operatore, coordinatore, patto_san_siro):
    """The form was opened before the signature and sent after: a message, no error."""
    Patto.objects.filter(pk=patto_san_siro.pk).update(
        stato=S.APPROVATO,
        data_firma=None,
        atto_tipo="determina",
        atto_numero="DD 13",
        atto_data=datetime.date(2026, 3, 1),
    )
    progetto = patto_san_siro.progetti.get()
    op = client_di(operatore)
    url = reverse("patti:progetto_modifica", args=[progetto.pk])
    assert 'name="budget"' in op.get(url).content.decode()
    patto_san_siro.refresh_from_db()
    services.cambia_stato(patto_san_siro, S.FIRMATO, da=coordinatore)
    # The view now offers the progress form only: a stale full form saves just the progress.
    risposta = op.post(
        url,
        {
            "titolo": "Cambiato",
            "ambito": progetto.ambito,
            "budget": "1",
            "avanzamento": 10,
            "versione_letta": progetto.versione,
        },
    )
    assert risposta.status_code == 302
    progetto.refresh_from_db()
    assert progetto.titolo == "Orto didattico" and progetto.avanzamento == 10


def test_l_amministrazione_mostra_il_firmato_in_sola_lettura(client_di, coordinatore, sigillato):
    co = client_di(coordinatore)
    pagina = co.get(reverse("admin:patti_patto_change", args=[sigillato.pk])).content.decode()
    assert 'name="titolo"' not in pagina
    assert "Orti del cortile di via Abbiati" in pagina
    assert 'name="firmatari-0-rappresentante"' not in pagina
    assert 'name="progetti-0-avanzamento"' in pagina and 'name="progetti-0-budget"' not in pagina
    assert 'id="firmatari-empty"' not in pagina  # no row can be added
    progetto = sigillato.progetti.get()
    scheda = co.get(reverse("admin:patti_progetto_change", args=[progetto.pk])).content.decode()
    assert 'name="avanzamento"' in scheda and 'name="titolo"' not in scheda


def test_l_importazione_sigilla_i_patti_firmati(tmp_path):
    """A signed pact from the spreadsheets is sealed once its parties are in; an import that
    would then change it is refused with the row that asked for it."""
    from django.conf import settings as conf

    cartella = tmp_path / "set"
    shutil.copytree(conf.BASE_DIR / "tests" / "patti" / "dati_import" / "pulito", cartella)
    esito = importa(cartella)
    assert esito.ok, esito.errori
    firmati = Patto.objects.filter(stato__in=services.STATI_CON_FIRMA)
    assert firmati.exists()
    completi = [p for p in firmati if p.firmatari.filter(tipo="comune").exists()]
    assert completi and all(p.sigillato for p in completi)
    bersaglio = completi[0]
    patti = (cartella / "patti.csv").read_text(encoding="utf-8")
    (cartella / "patti.csv").write_text(
        patti.replace(bersaglio.titolo, "Titolo riscritto dal foglio"), encoding="utf-8"
    )
    esito = importa(cartella)
    assert not esito.ok
    assert any("firmat" in e.messaggio for e in esito.errori)
    bersaglio.refresh_from_db()
    assert bersaglio.titolo != "Titolo riscritto dal foglio"
