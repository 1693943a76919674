"""The street register (issue 17, the report's address search): loaded from the Comune's CSV
all or nothing, searched by street words and house number without any external service."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command
from django.db import IntegrityError

from quartiere.sviluppo.demo import CONFINE_COMUNE_DEMO, confine_demo
from quartiere.territorio.models import ConfineComune, Indirizzo
from tests.factories import QuartiereFactory

pytestmark = pytest.mark.django_db

SAN_SIRO = (45.4680, 9.1380)


def _csv(tmp_path, testo: str) -> str:
    file = tmp_path / "stradario.csv"
    file.write_text(testo, encoding="utf-8")
    return str(file)


def test_cerca_per_parole_della_via_e_numero():
    for via, civico in [
        ("Via Luigi Abbiati", ""),
        ("Via Luigi Abbiati", "4"),
        ("Via Luigi Abbiati", "40"),
        ("Via Luigi Abbiati", "4/A"),
        ("Piazza Selinunte", "1"),
        ("Via Nicolò Tommaseo", "14"),
    ]:
        Indirizzo.objects.create(via=via, civico=civico, lat=45.46, lon=9.14)

    def trovati(testo):
        return [str(i) for i in Indirizzo.objects.cerca(testo)]

    assert trovati("abbiati 4") == [
        "Via Luigi Abbiati 4",
        "Via Luigi Abbiati 40",
        "Via Luigi Abbiati 4/A",
    ]
    assert trovati("via abbiati") == [
        "Via Luigi Abbiati",
        "Via Luigi Abbiati 4",
        "Via Luigi Abbiati 40",
        "Via Luigi Abbiati 4/A",
    ]
    # Accents and case aside; a comma between street and number.
    assert trovati("NICOLO tommaseo, 14") == ["Via Nicolò Tommaseo 14"]
    assert trovati("4/a abbiati") == ["Via Luigi Abbiati 4/A"]
    # A number alone, nothing, or hostile text find nothing and break nothing.
    for vuoto in ("", "   ", "4", "%", "'; drop table x; --", "abbiati 99"):
        assert trovati(vuoto) == [], vuoto


def test_un_indirizzo_una_volta_e_coordinate_valide():
    Indirizzo.objects.create(via="Via Roma", civico="1", lat=45.4, lon=9.1)
    with pytest.raises(IntegrityError):
        Indirizzo.objects.create(via="Via Roma", civico="1", lat=45.5, lon=9.2)


def test_coordinate_fuori_scala_rifiutate_dal_database():
    with pytest.raises(IntegrityError):
        Indirizzo.objects.create(via="Via Roma", civico="2", lat=95, lon=9.1)


def test_il_comando_carica_tutto_o_niente(tmp_path, capsys):
    san_siro = QuartiereFactory(codice="san-siro", nome="San Siro", confine=confine_demo(*SAN_SIRO))
    ConfineComune.objects.create(confine=CONFINE_COMUNE_DEMO)
    Indirizzo.objects.create(via="Via Vecchia", civico="", lat=45.46, lon=9.14)
    sbagliato = (
        "via;civico;lat;lon;quartiere\n"
        "Via Luigi Abbiati;4;45,4682;9,1391;\n"
        ";5;45.46;9.14;\n"
        "Via Luigi Abbiati;4;45.46;9.14;\n"
        "Via Roma;1;41.9028;12.4964;\n"
        "Via Dante;2;nord;9.1;\n"
        "Via Manzoni;3;45.46;9.14;nessuno\n"
    )
    with pytest.raises(CommandError) as errore:
        call_command("carica_stradario", _csv(tmp_path, sbagliato))
    assert errore.value.returncode == 2
    messaggio = str(errore.value)
    for atteso in (
        "riga 3: manca la via",
        "riga 4: «Via Luigi Abbiati 4» è già alla riga 2",
        "riga 5 (Via Roma 1): il punto è fuori dal Comune",
        "riga 6 (Via Dante 2): lat e lon devono essere numeri",
        "riga 7: il quartiere «nessuno» non esiste",
    ):
        assert atteso in messaggio, messaggio
    assert list(Indirizzo.objects.values_list("via", flat=True)) == ["Via Vecchia"]

    # Empty optional columns, a BOM, spaces, a lower-case letter in the number, a quoted comma.
    buono = (
        "\ufeffvia,civico,lat,lon\n"
        "Via  Luigi Abbiati,4 a,45.4682,9.1391\n"
        "Via Luigi Abbiati,,45.4685,9.1395\n"
        '"Via della Pace, lato parco",,45.48,9.20\n'
    )
    call_command("carica_stradario", _csv(tmp_path, buono))
    assert "Stradario caricato: 3 indirizzi." in capsys.readouterr().out
    abbiati = Indirizzo.objects.get(via="Via Luigi Abbiati", civico="4A")
    assert abbiati.quartiere == san_siro and abbiati.lat == 45.4682
    assert Indirizzo.objects.get(via="Via Luigi Abbiati", civico="").quartiere == san_siro
    # A point in the Comune but in no quartiere: no quartiere.
    assert Indirizzo.objects.get(via__startswith="Via della Pace").quartiere is None
    assert not Indirizzo.objects.filter(via="Via Vecchia").exists()


def test_il_comando_vuole_le_colonne(tmp_path):
    with pytest.raises(CommandError, match="mancano le colonne lat, lon"):
        call_command("carica_stradario", _csv(tmp_path, "via,civico\nVia Roma,1\n"))
    with pytest.raises(CommandError, match="nessuna riga"):
        call_command("carica_stradario", _csv(tmp_path, "via,civico,lat,lon\n"))
    with pytest.raises(CommandError, match="non si legge"):
        call_command("carica_stradario", str(tmp_path / "manca.csv"))


def test_lo_stradario_della_demo_sta_nei_suoi_quartieri():
    from quartiere.sviluppo.demo import popola
    from quartiere.territorio.confini import localizza

    popola()
    indirizzi = list(Indirizzo.objects.select_related("quartiere"))
    assert len(indirizzi) > 200
    for indirizzo in indirizzi:
        assert localizza(indirizzo.lat, indirizzo.lon).quartiere_id == indirizzo.quartiere_id, (
            indirizzo
        )
    assert [str(i) for i in Indirizzo.objects.cerca("abbiati 4")][:1] == ["Via Abbiati 4"]
    popola()  # seed_demo runs again on an existing database: nothing doubles
    assert Indirizzo.objects.count() == len(indirizzi)
