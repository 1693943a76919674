"""The ``import_data`` contract: everything or nothing, every bad row reported."""

from __future__ import annotations

import shutil
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from laboratori.models import Incontro, Laboratorio, Presenza
from patti.models import Firmatario, Impegno, PassaggioStato, Patto, Progetto
from quartiere.importazione.valori import leggi_data, leggi_decimale
from quartiere.registro.models import Organizzazione, Persona
from quartiere.territorio.models import Quartiere

pytestmark = pytest.mark.django_db

PULITO = Path(__file__).parent / "dati_import" / "pulito"


@pytest.fixture
def cartella(tmp_path):
    destinazione = tmp_path / "fogli"
    shutil.copytree(PULITO, destinazione)
    return destinazione


def importa(cartella):
    """Run the command; return (exit code, stdout, stderr)."""
    from io import StringIO

    out, err = StringIO(), StringIO()
    try:
        call_command("import_data", str(cartella), stdout=out, stderr=err)
    except CommandError as exc:
        err.write(str(exc))
        return exc.returncode, out.getvalue(), err.getvalue()
    return 0, out.getvalue(), err.getvalue()


def conteggi():
    return {
        modello.__name__: modello.objects.count()
        for modello in (
            Quartiere,
            Organizzazione,
            Persona,
            Laboratorio,
            Incontro,
            Presenza,
            Patto,
            Firmatario,
            Impegno,
            Progetto,
            PassaggioStato,
        )
    }


def istantanea():
    """Every row of every imported table, to compare two runs."""
    return {
        modello.__name__: sorted(map(repr, modello.objects.values()))
        for modello in (
            Quartiere,
            Organizzazione,
            Persona,
            Laboratorio,
            Incontro,
            Presenza,
            Patto,
            Firmatario,
            Impegno,
            Progetto,
            PassaggioStato,
        )
    }


def scrivi(cartella, nome, testo, encoding="utf-8"):
    (cartella / nome).write_text(testo, encoding=encoding)


def test_un_insieme_pulito_viene_importato_tutto(cartella):
    codice, out, err = importa(cartella)
    assert codice == 0, err
    assert "patti.csv: 3 creati" in out
    assert Quartiere.objects.get(codice="rivalta").abitanti == 6647
    anna = Persona.objects.get(codice="IMP-P-1")
    assert anna.consenso_privacy and str(anna.consenso_data) == "2019-05-04"
    assert Organizzazione.objects.get(codice="IMP-ORG-1").telefono == "+390522456789"
    assert Incontro.objects.get(codice="IMP-INC-1").stato == "svolto"  # empty means svolto
    assert Presenza.objects.count() == 3
    rinnovo = Patto.objects.get(codice="IMP-PAT-2")
    assert rinnovo.rinnova.codice == "IMP-PAT-1"
    assert rinnovo.numero == "IMP-PAT-2"
    assert Patto.objects.get(codice="IMP-PAT-1").laboratorio.codice == "IMP-LAB-1"
    comune = Firmatario.objects.get(patto__codice="IMP-PAT-1", tipo="comune")
    assert sorted(comune.impegni.values_list("descrizione", flat=True)) == [
        "Coprire l'assicurazione dei volontari",
        "Fornire i materiali",
    ]
    assert Progetto.objects.get(codice="IMP-PRG-1").budget == Decimal("1500.50")
    assert Progetto.objects.get(codice="IMP-PRG-3").budget is None
    assert rinnovo.passaggi.get().a_stato == "in_attuazione"


def test_la_seconda_importazione_identica_non_cambia_nulla(cartella):
    assert importa(cartella)[0] == 0
    prima = istantanea()
    codice, out, _err = importa(cartella)
    assert codice == 0
    assert istantanea() == prima
    assert "0 creati, 0 aggiornati" in out
    assert "creati, 0 aggiornati, 3 invariati" in out


def test_una_modifica_nel_foglio_aggiorna_solo_quella_riga(cartella):
    importa(cartella)
    testo = (cartella / "patti.csv").read_text().replace("co_progettazione,,", "approvato,,")
    scrivi(cartella, "patti.csv", testo)
    codice, out, _err = importa(cartella)
    assert codice == 0
    assert "patti.csv: 0 creati, 1 aggiornati, 2 invariati" in out
    patto = Patto.objects.get(codice="IMP-PAT-3")
    assert patto.stato == "approvato"
    assert list(patto.passaggi.values_list("da_stato", "a_stato")) == [
        ("", "co_progettazione"),
        ("co_progettazione", "approvato"),
    ]


def test_punto_e_virgola_virgola_decimale_bom_e_date_italiane(cartella):
    scrivi(
        cartella,
        "progetti.csv",
        "\ufeffcodice;patto;titolo;ambito;budget\n"
        "IMP-PRG-1;IMP-PAT-1;Bookcrossing nel parco;cura_comunita;1.500,50\n"
        "IMP-PRG-2;IMP-PAT-2;Panchine, aiuole e fioriere;cura_citta;12000,5\n",
    )
    scrivi(
        cartella,
        "laboratori.csv",
        "codice;titolo;quartiere;fase;data_inizio;data_fine\n"
        "IMP-LAB-1;Laboratorio Rivalta;rivalta;realizzazione;01/02/2015;30/06/2015\n",
    )
    codice, _out, err = importa(cartella)
    assert codice == 0, err
    assert Progetto.objects.get(codice="IMP-PRG-1").budget == Decimal("1500.50")
    secondo = Progetto.objects.get(codice="IMP-PRG-2")
    assert secondo.budget == Decimal("12000.50")
    assert secondo.titolo == "Panchine, aiuole e fioriere"
    assert str(Laboratorio.objects.get(codice="IMP-LAB-1").data_fine) == "2015-06-30"


@pytest.mark.parametrize(
    ("nome", "testo", "atteso"),
    [
        (
            "patti.csv",
            "codice,titolo,quartiere,stato\nX-1,Patto,quartiere-inesistente,proposta\n",
            "patti.csv:2: quartiere: «quartiere-inesistente» non esiste",
        ),
        (
            "firmatari.csv",
            "patto,tipo,persona,organizzazione\nIMP-PAT-1,associazione,,ORG-NON-CE\n",
            "firmatari.csv:2: organizzazione: «ORG-NON-CE» non esiste",
        ),
        (
            "patti.csv",
            "codice,titolo,quartiere,stato\nX-1,Patto,rivalta,in attuazione\n",
            "patti.csv:2: stato: «in attuazione» non è tra i valori ammessi",
        ),
        (
            "organizzazioni.csv",
            "codice,nome,tipo\nX-1,Circolo,circolo\n",
            "organizzazioni.csv:2: tipo: «circolo» non è tra i valori ammessi",
        ),
        (
            "progetti.csv",
            "codice,patto,titolo,ambito,budget\nX-1,IMP-PAT-1,P,cura_verde,10\n",
            "progetti.csv:2: ambito: «cura_verde» non è tra i valori ammessi",
        ),
        (
            "laboratori.csv",
            "codice,titolo,quartiere,fase,data_inizio\nX-1,Lab,rivalta,ascolto,31/02/2015\n",
            "laboratori.csv:2: data_inizio: «31/02/2015» non è una data esistente",
        ),
        (
            "incontri.csv",
            "codice,laboratorio,data\nX-1,IMP-LAB-1,2015.02.10\n",
            "incontri.csv:2: data: «2015.02.10» non è una data",
        ),
        (
            "progetti.csv",
            "codice,patto,titolo,ambito,budget\nX-1,IMP-PAT-1,P,cura_citta,mille\n",
            "progetti.csv:2: budget: «mille» non è un numero",
        ),
        (
            "quartieri.csv",
            "codice,nome,abitanti\nx-1,Nuovo,tanti\n",
            "quartieri.csv:2: abitanti: «tanti» non è un numero intero",
        ),
        (
            "persone.csv",
            "codice,nome,cognome\nX-1,Anna,\n",
            "persone.csv:2: cognome: valore obbligatorio mancante",
        ),
        (
            "persone.csv",
            "codice,nome\nX-1,Anna\n",
            "persone.csv:1: cognome: colonna obbligatoria mancante",
        ),
        (
            "organizzazioni.csv",
            "codice,nome,tipo\nX-1,Uno,associazione\nX-1,Due,associazione\n",
            "organizzazioni.csv:3: codice: duplicato: già alla riga 2",
        ),
        (
            "firmatari.csv",
            "patto,tipo,persona\nIMP-PAT-1,volontario,IMP-P-1\nIMP-PAT-1,volontario,IMP-P-1\n",
            "firmatari.csv:3: tipo: duplicato: già alla riga 2",
        ),
        (
            "presenze.csv",
            "incontro,persona\nIMP-INC-1,IMP-P-1\nIMP-INC-1,IMP-P-1\n",
            "presenze.csv:3: persona: duplicato: già alla riga 2",
        ),
        (
            "firmatari.csv",
            "patto,tipo,persona,organizzazione\nIMP-PAT-1,comune,IMP-P-1,\n",
            "firmatari.csv:2: persona: una riga del Comune non indica persona",
        ),
        (
            "firmatari.csv",
            "patto,tipo,persona,organizzazione\nIMP-PAT-1,scuola,,\n",
            "firmatari.csv:2: organizzazione: obbligatoria per il tipo «scuola»",
        ),
        (
            "patti.csv",
            "codice,titolo,quartiere,stato,data_firma\nX-1,Patto,rivalta,firmato,\n",
            "patti.csv:2: data_firma: obbligatoria per un patto nello stato «firmato»",
        ),
        (
            "presenze.csv",
            "incontro,persona,organizzazione\nIMP-INC-1,,\n",
            "presenze.csv:2: persona: indicare una persona",
        ),
    ],
)
def test_ogni_tipo_di_riga_sbagliata_e_segnalata_e_non_scrive_nulla(cartella, nome, testo, atteso):
    scrivi(cartella, nome, testo)
    prima = conteggi()
    codice, _out, err = importa(cartella)
    assert codice == 2
    assert atteso in err
    assert conteggi() == prima


def test_tutte_le_righe_sbagliate_sono_segnalate_insieme(cartella):
    scrivi(
        cartella,
        "progetti.csv",
        "codice;patto;titolo;ambito;budget\n"
        "P-1;IMP-PAT-1;Uno;cura_citta;1,5\n"
        "P-2;NESSUNO;Due;cura_citta;abc\n"
        "P-3;IMP-PAT-1;;cura_ovunque;3\n",
    )
    scrivi(
        cartella,
        "quartieri.csv",
        "codice,nome\nrivalta,Rivalta\nospizio,Ospizio\nrivalta,Rivalta bis\n",
    )
    codice, _out, err = importa(cartella)
    assert codice == 2
    righe = [r for r in err.splitlines() if ".csv:" in r]
    assert righe == [
        "quartieri.csv:4: codice: duplicato: già alla riga 2",
        "progetti.csv:3: budget: «abc» non è un numero",
        "progetti.csv:3: patto: «NESSUNO» non esiste (né in patti.csv né nel database)",
        "progetti.csv:4: ambito: «cura_ovunque» non è tra i valori ammessi: "
        "cura_citta, cura_comunita",
        "progetti.csv:4: titolo: valore obbligatorio mancante",
    ]
    assert Quartiere.objects.count() == 0


def test_i_riferimenti_possono_puntare_a_dati_gia_importati(cartella, tmp_path):
    assert importa(cartella)[0] == 0
    seconda = tmp_path / "seconda"
    seconda.mkdir()
    scrivi(
        seconda,
        "progetti.csv",
        "codice,patto,titolo,ambito\nIMP-PRG-9,IMP-PAT-3,Nuovo,cura_citta\n",
    )
    codice, _out, err = importa(seconda)
    assert codice == 0, err
    assert Progetto.objects.get(codice="IMP-PRG-9").patto.codice == "IMP-PAT-3"


def test_file_non_utf8_segnalato(cartella):
    scrivi(cartella, "persone.csv", "codice,nome,cognome\nX-1,Niccolò,Bè\n", encoding="latin-1")
    codice, _out, err = importa(cartella)
    assert codice == 2
    assert "persone.csv:2: -: il file non è in UTF-8" in err


def test_il_comando_esce_con_codice_2(cartella):
    """The real process exit status, not only the exception of ``call_command``."""
    scrivi(cartella, "quartieri.csv", "codice,nome\n,Senza codice\n")
    risultato = subprocess.run(
        [sys.executable, "manage.py", "import_data", str(cartella), "--solo-verifica"],
        cwd=Path(__file__).resolve().parents[2],
        capture_output=True,
        text=True,
        env={
            **__import__("os").environ,
            "DJANGO_SETTINGS_MODULE": "quartiere.settings_test",
            **_db_env(),
        },
        check=False,
    )
    assert risultato.returncode == 2, risultato.stderr
    assert "quartieri.csv:2: codice: valore obbligatorio mancante" in risultato.stderr


def _db_env():
    """Point the subprocess at the test database of this process."""
    from django.conf import settings
    from django.db import connection

    db = settings.DATABASES["default"]
    nome = connection.settings_dict["NAME"]
    url = f"postgres://{db['USER']}:{db.get('PASSWORD') or ''}@/{nome}?host={db['HOST']}"
    if db.get("PORT"):
        url += f"&port={db['PORT']}"
    return {"DATABASE_URL": url}


@pytest.mark.parametrize(
    ("testo", "valore"),
    [("1234.5", "1234.5"), ("1234,5", "1234.5"), ("1.234,50", "1234.50"), ("1,234.50", "1234.50")],
)
def test_decimali_con_punto_o_virgola(testo, valore):
    assert leggi_decimale(testo) == Decimal(valore)


def test_date_iso_e_italiane():
    assert leggi_data("2015-03-20") == leggi_data("20/03/2015")


def test_gli_stati_importati_seguono_le_date(cartella):
    """A lab whose end is past is over; a meeting without a state is held if past and
    scheduled if to come, and «svolto» for a meeting still to come is an error."""
    scrivi(
        cartella,
        "laboratori.csv",
        "codice,titolo,quartiere,fase,data_inizio,data_fine\n"
        "IMP-LAB-1,Laboratorio Rivalta,rivalta,realizzazione,2015-02-01,2015-06-30\n"
        "IMP-LAB-2,Laboratorio in corso,rivalta,ascolto,2024-01-01,\n",
    )
    scrivi(
        cartella,
        "incontri.csv",
        "codice,laboratorio,data,luogo,titolo,stato\n"
        "IMP-INC-1,IMP-LAB-1,2015-02-10,Centro sociale,Primo incontro,\n"
        "IMP-INC-2,IMP-LAB-1,10/03/2015 18:30,Centro sociale,Secondo incontro,svolto\n"
        "IMP-INC-3,IMP-LAB-2,2099-03-01 18:00,Centro sociale,Il prossimo,\n",
    )
    codice, _out, err = importa(cartella)
    assert codice == 0, err
    stati = dict(Laboratorio.objects.values_list("codice", "stato"))
    assert stati == {"IMP-LAB-1": "concluso", "IMP-LAB-2": "attivo"}
    assert Incontro.objects.get(codice="IMP-INC-1").stato == "svolto"
    assert Incontro.objects.get(codice="IMP-INC-3").stato == "programmato"

    testo = (cartella / "incontri.csv").read_text().replace("Il prossimo,", "Il prossimo,svolto")
    scrivi(cartella, "incontri.csv", testo)
    codice, _out, err = importa(cartella)
    assert codice == 2
    assert "svolto" in err and "deve ancora iniziare" in err


def _come_xlsx(cartella, nome, date=()):
    """Rewrite ``nome``.csv of the folder as ``nome``.xlsx: real dates in the columns
    ``date`` (as a spreadsheet holds them), every other cell as text or number."""
    import csv
    import datetime

    from openpyxl import Workbook

    with (cartella / f"{nome}.csv").open(encoding="utf-8-sig", newline="") as f:
        righe = list(csv.reader(f))
    libro = Workbook()
    foglio = libro.active
    foglio.append(righe[0])
    for riga in righe[1:]:
        valori = []
        for colonna, valore in zip(righe[0], riga, strict=False):
            if colonna in date and valore:
                valori.append(datetime.datetime.fromisoformat(valore))
            elif valore.isdigit():
                valori.append(int(valore))
            else:
                valori.append(valore or None)
        foglio.append(valori)
    libro.save(cartella / f"{nome}.xlsx")
    (cartella / f"{nome}.csv").unlink()


def test_gli_stessi_fogli_in_xlsx_danno_gli_stessi_dati(cartella, tmp_path):
    assert importa(cartella)[0] == 0
    prima = istantanea()
    # Again from XLSX: the same rows, so nothing changes.
    _come_xlsx(cartella, "quartieri")
    _come_xlsx(cartella, "laboratori", date=("data_inizio", "data_fine"))
    _come_xlsx(cartella, "patti", date=("data_firma", "data_inizio", "data_fine"))
    codice, out, err = importa(cartella)
    assert codice == 0, err
    assert "patti.xlsx: 0 creati, 0 aggiornati, 3 invariati" in out
    assert istantanea() == prima


def test_un_errore_in_xlsx_nomina_il_file_xlsx(cartella):
    _come_xlsx(cartella, "laboratori", date=("data_inizio",))
    from openpyxl import load_workbook

    libro = load_workbook(cartella / "laboratori.xlsx")
    libro.active["D2"] = "fase inventata"
    libro.save(cartella / "laboratori.xlsx")
    codice, _out, err = importa(cartella)
    assert codice == 2
    assert "laboratori.xlsx:2: fase" in err


def test_csv_e_xlsx_dello_stesso_foglio_insieme_sono_un_errore(cartella):
    shutil.copy(cartella / "quartieri.csv", cartella / "copia.csv")
    _come_xlsx(cartella, "quartieri")
    shutil.copy(cartella / "copia.csv", cartella / "quartieri.csv")
    codice, _out, err = importa(cartella)
    assert codice == 2
    assert "c'è anche quartieri.csv" in err
    (cartella / "quartieri.csv").unlink()
    (cartella / "quartieri.xlsx").write_bytes(b"non sono un foglio")
    codice, _out, err = importa(cartella)
    assert codice == 2 and "non è un file XLSX leggibile" in err


def test_una_cartella_di_soli_xlsx_e_importata(cartella):
    for nome in ("quartieri", "organizzazioni", "persone", "incontri", "presenze"):
        _come_xlsx(cartella, nome)
    _come_xlsx(cartella, "laboratori", date=("data_inizio", "data_fine"))
    _come_xlsx(cartella, "patti", date=("data_firma", "data_inizio", "data_fine"))
    for nome in ("firmatari", "progetti", "alloggi", "nuclei"):
        _come_xlsx(cartella, nome)
    _come_xlsx(cartella, "immobili", date=("fine_lavori",))
    _come_xlsx(
        cartella,
        "assegnazioni",
        date=("pre_assegnata_il", "assegnata_il", "ingresso_il", "uscita_il"),
    )
    assert not list(cartella.glob("*.csv"))
    codice, out, err = importa(cartella)
    assert codice == 0, err
    assert "patti.xlsx: 3 creati" in out
    assert Patto.objects.count() == 3


def test_i_fogli_sono_registrati_dal_nucleo_e_dalle_app_nell_ordine_di_scrittura():
    from quartiere.importazione import fogli

    assert list(fogli()) == [
        "quartieri.csv",
        "organizzazioni.csv",
        "persone.csv",
        "laboratori.csv",
        "incontri.csv",
        "presenze.csv",
        "patti.csv",
        "firmatari.csv",
        "progetti.csv",
        "immobili.csv",
        "alloggi.csv",
        "nuclei.csv",
        "assegnazioni.csv",
    ]
    assert fogli()["laboratori.csv"].scrivi.__module__ == "laboratori.importazione"
    assert fogli()["assegnazioni.csv"].scrivi.__module__ == "abitare.importazione"
    assert fogli()["patti.csv"].scrivi.__module__ == "patti.importazione"
    assert fogli()["quartieri.csv"].scrivi.__module__ == "quartiere.importazione.nucleo"


def test_un_foglio_che_nomina_un_tipo_che_nessuno_definisce_e_un_errore(tmp_path):
    """The engine knows no sheet: a sheet registered by a test goes through the same checks,
    and a reference to a kind no installed sheet defines (an app not installed) is an error."""
    from quartiere.importazione import FOGLI, Colonne, Foglio

    scritti = []

    def valida(v, f, riga):
        riga.dati["alloggio"] = v.riferimento(f, riga, "alloggio", obbligatorio=True)

    foglio = Foglio(
        Colonne(("codice", "alloggio")),
        ordine=1000,
        valida=valida,
        scrivi=lambda s, f, riga: scritti.append(riga),
    )
    FOGLI.registra("prove.csv", foglio)
    try:
        (tmp_path / "prove.csv").write_text("codice,alloggio\nP1,A-12\n", encoding="utf-8")
        codice, _out, err = importa(tmp_path)
    finally:
        FOGLI.rimuovi("prove.csv")
    assert codice == 2
    assert "prove.csv:2: alloggio: nessun foglio installato definisce «alloggio»" in err
    assert scritti == []
