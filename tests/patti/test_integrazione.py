"""A change of substance to a signed pact is a supplementary act ("atto integrativo"): a new
record with its own number, approval, signature and PDF, which replaces the pact in the
register while the pact stays as it was signed (docs/patti.md)."""

from __future__ import annotations

import datetime
import subprocess

import pytest
from django.urls import reverse

from patti import indicators, services
from patti.models import Misurazione, Patto, StatoPatto
from quartiere.lib.errori import ErroreDominio
from tests.factories import PersonaFactory
from tests.patti import factories as f

pytestmark = pytest.mark.django_db

S = StatoPatto


def _testo_pdf(contenuto: bytes, tmp_path) -> str:
    percorso = tmp_path / "atto.pdf"
    percorso.write_bytes(contenuto)
    return subprocess.run(
        ["pdftotext", "-layout", str(percorso), "-"], capture_output=True, text=True, check=True
    ).stdout


@pytest.fixture
def in_attuazione(sigillato, coordinatore):
    impegno = sigillato.firmatari.get(tipo="associazione").impegni.get()
    impegno.svolto = True
    impegno.save()
    progetto = sigillato.progetti.get()
    progetto.avanzamento = 30
    progetto.save()
    indicatore = f.IndicatoreFactory(patto=sigillato, nome="Ore di cura")
    Misurazione.objects.create(indicatore=indicatore, data=datetime.date(2026, 5, 1), valore=8)
    return services.cambia_stato(sigillato, S.IN_ATTUAZIONE, da=coordinatore)


def test_dall_avvio_alla_firma_dell_atto_integrativo(
    client_di, operatore, coordinatore, in_attuazione, tmp_path
):
    originale = in_attuazione
    op, co = client_di(operatore), client_di(coordinatore)
    pagina = op.get(originale.get_absolute_url()).content.decode()
    url = reverse("patti:integra", args=[originale.pk])
    assert url in pagina
    # What changes must be said.
    assert op.post(url, {"modifiche": "  "}).status_code == 200
    risposta = op.post(url, {"modifiche": "Si aggiunge un volontario; durata fino al 2028."})
    atto = Patto.objects.get(integra=originale)
    assert risposta.status_code == 302 and risposta["Location"] == atto.get_absolute_url()
    assert atto.numero == f"{originale.numero}-I1"
    assert atto.stato == S.PROPOSTA and not atto.sigillato
    # The act starts from the pact's content and carries its monitoring on.
    assert atto.titolo == originale.titolo and atto.data_inizio == originale.data_inizio
    assert atto.firmatari.count() == 3
    assert atto.firmatari.get(tipo="associazione").impegni.get().svolto
    assert atto.progetti.get().avanzamento == 30
    assert atto.indicatori.get().misurazioni.get().valore == 8
    # A second act while this one is under way is refused, and not offered.
    assert url not in op.get(originale.get_absolute_url()).content.decode()
    with pytest.raises(ErroreDominio):
        services.integra(originale, da=operatore, motivo="Ancora")

    # The act is drafted like a pact: a new volunteer, a longer term.
    volontario = PersonaFactory(quartiere=originale.quartiere, cognome="Nuovavolontaria")
    assert (
        op.post(
            reverse("patti:firmatario_crea", args=[atto.pk]),
            {"tipo": "volontario", "persona": volontario.pk, "ordine": 5},
        ).status_code
        == 302
    )
    modulo = op.get(reverse("patti:modifica", args=[atto.pk])).content.decode()
    assert 'name="modifiche"' in modulo
    Patto.objects.filter(pk=atto.pk).update(data_fine=datetime.date(2028, 12, 31))
    atto.refresh_from_db()

    # Approval and signature by the workflow.
    assert (
        co.post(
            reverse("patti:stato", args=[atto.pk]),
            {"a_stato": S.ISTRUTTORIA, "nota": ""},
        ).status_code
        == 302
    )
    co.post(
        reverse("patti:stato", args=[atto.pk]),
        {
            "a_stato": S.APPROVATO,
            "atto_tipo": "determina",
            "atto_numero": "DD 77",
            "atto_data": "2026-06-01",
        },
    )
    co.post(
        reverse("patti:stato", args=[atto.pk]), {"a_stato": S.FIRMATO, "data_firma": "2026-06-10"}
    )
    atto.refresh_from_db()
    originale.refresh_from_db()
    # The act is in force, in the phase the pact was in; the pact is kept as it was signed.
    assert atto.sigillato and atto.stato == S.IN_ATTUAZIONE
    assert originale.stato == S.INTEGRATO
    assert originale.firmatari.count() == 3 and atto.firmatari.count() == 4
    assert originale.documento_firmato["data_fine"] != atto.documento_firmato["data_fine"]
    assert list(originale.passaggi.values_list("a_stato", flat=True))[-1] == S.INTEGRATO
    assert list(atto.passaggi.values_list("a_stato", flat=True))[-2:] == [
        S.FIRMATO,
        S.IN_ATTUAZIONE,
    ]
    # Nothing more can be started from the replaced pact.
    with pytest.raises(ErroreDominio):
        services.integra(originale, da=operatore, motivo="Ancora")

    # The act's own PDF says what it modifies; the pact's PDF is unchanged.
    testo = _testo_pdf(services.pdf_patto(atto), tmp_path)
    assert f"Atto integrativo del patto di collaborazione n. {originale.numero}" in testo
    assert "durata fino al 2028" in testo and "Nuovavolontaria" in testo
    assert "BOZZA" not in testo
    assert "Nuovavolontaria" not in _testo_pdf(services.pdf_patto(originale), tmp_path)

    # The register lists the act, not the replaced pact, and each page links the other.
    anonimo = client_di(None)
    registro = anonimo.get(reverse("patti:registro")).content.decode()
    assert reverse("patti:registro_dettaglio", args=[atto.pk]) in registro
    assert reverse("patti:registro_dettaglio", args=[originale.pk]) not in registro
    vecchia = anonimo.get(originale.get_public_url()).content.decode()
    assert 'id="patto-integrato"' in vecchia
    assert reverse("patti:registro_dettaglio", args=[atto.pk]) in vecchia
    nuova = anonimo.get(atto.get_public_url()).content.decode()
    assert 'id="storia-atti"' in nuova and originale.numero in nuova
    assert "durata fino al 2028" in nuova


def test_le_cifre_non_contano_l_atto_come_un_altro_patto(in_attuazione, coordinatore, operatore):
    dal, al = datetime.date(2026, 1, 1), datetime.date(2026, 12, 31)
    prima = indicators.calcola(dal, al)
    atto = services.integra(in_attuazione, da=operatore, motivo="Proroga")
    for stato in (S.ISTRUTTORIA, S.APPROVATO, S.FIRMATO):
        atto = services.cambia_stato(
            atto,
            stato,
            da=coordinatore,
            atto_tipo="determina",
            atto_numero="DD 78",
            atto_data=datetime.date(2026, 6, 1),
            data_firma=datetime.date(2026, 6, 10),
        )
    dopo = indicators.calcola(dal, al)
    assert dopo == prima and prima["firmati"] == 1
    per_quartiere = indicators.calcola_per_quartiere(dal, al, [in_attuazione.quartiere])
    assert per_quartiere[in_attuazione.quartiere_id]["firmatari"] == prima["firmatari"]
    _include, elenco = indicators.elenco_per_stampa(dal, al, [in_attuazione.quartiere])
    assert [p.pk for p in elenco] == [in_attuazione.pk]


def test_un_secondo_atto_prende_il_numero_seguente(in_attuazione, coordinatore, operatore):
    primo = services.integra(in_attuazione, da=operatore, motivo="Prima modifica")
    primo = services.cambia_stato(primo, S.RESPINTO, da=coordinatore)
    secondo = services.integra(in_attuazione, da=operatore, motivo="Seconda modifica")
    assert secondo.numero == f"{in_attuazione.numero}-I2"
    for stato in (S.ISTRUTTORIA, S.APPROVATO, S.FIRMATO):
        secondo = services.cambia_stato(
            secondo,
            stato,
            da=coordinatore,
            atto_tipo="determina",
            atto_numero="DD 79",
            atto_data=datetime.date(2026, 6, 1),
        )
    # An act of the act continues the numbering of the first pact.
    terzo = services.integra(secondo, da=operatore, motivo="Terza modifica")
    assert terzo.numero == f"{in_attuazione.numero}-I3"


def test_non_si_integra_un_patto_che_non_e_in_vigore(
    client_di, san_siro, operatore, coordinatore, sigillato
):
    bozza = f.PattoFactory(quartiere=san_siro)
    with pytest.raises(ErroreDominio):
        services.integra(bozza, da=operatore, motivo="Modifica")
    # The pact ended while its act was being drafted: the act cannot be signed.
    atto = services.integra(sigillato, da=operatore, motivo="Modifica")
    services.cambia_stato(sigillato, S.IN_ATTUAZIONE, da=coordinatore)
    services.cambia_stato(sigillato, S.CONCLUSO, da=coordinatore)
    for stato in (S.ISTRUTTORIA, S.APPROVATO):
        atto = services.cambia_stato(
            atto,
            stato,
            da=coordinatore,
            atto_tipo="determina",
            atto_numero="DD 80",
            atto_data=datetime.date(2026, 6, 1),
        )
    with pytest.raises(ErroreDominio, match="non è più in vigore"):
        services.cambia_stato(atto, S.FIRMATO, da=coordinatore)
    atto.refresh_from_db()
    assert atto.stato == S.APPROVATO and not atto.sigillato
    # The page says why, and does not offer an act for a pact that is not in force.
    op = client_di(operator := operatore)
    assert operator.has_perm("patti.add_patto")
    url = reverse("patti:integra", args=[sigillato.pk])
    assert url not in op.get(sigillato.get_absolute_url()).content.decode()
    risposta = op.get(url, follow=True)
    assert "solo un patto firmato, in attuazione o sospeso" in risposta.content.decode()


def test_la_pagina_dell_atto_e_negata_a_chi_non_redige(client_di, dirigente, in_attuazione):
    url = reverse("patti:integra", args=[in_attuazione.pk])
    assert client_di(dirigente).get(url).status_code == 403
