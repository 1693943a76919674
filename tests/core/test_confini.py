"""The boundaries (issue 28): a point outside the Comune is refused, the quartiere comes
from the polygon that holds the point; loaded by a command or in the admin, validated with
shapely."""

from __future__ import annotations

import json

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from quartiere.sviluppo.demo import CONFINE_COMUNE_DEMO, confine_demo
from quartiere.territorio.confini import geometria, localizza
from quartiere.territorio.models import ConfineComune, Quartiere
from tests.factories import QuartiereFactory

pytestmark = pytest.mark.django_db

SAN_SIRO = (45.4680, 9.1380)
ROMA = (41.9028, 12.4964)


def test_il_poligono_deve_essere_valido():
    geometria(confine_demo(*SAN_SIRO))
    geometria({"type": "Feature", "properties": {}, "geometry": CONFINE_COMUNE_DEMO})
    farfalla = {"type": "Polygon", "coordinates": [[[0, 0], [1, 1], [1, 0], [0, 1], [0, 0]]]}
    for sbagliato, messaggio in (
        ({"type": "Point", "coordinates": [9.1, 45.4]}, "Serve un poligono"),
        ({"type": "Polygon", "coordinates": "x"}, "non è leggibile"),
        (farfalla, "non è valido"),
        (
            {"type": "Polygon", "coordinates": [[[45, 200], [46, 200], [46, 201], [45, 200]]]},
            "longitudine",
        ),
        ("testo", "Serve un poligono"),
    ):
        with pytest.raises(ValidationError, match=messaggio):
            geometria(sbagliato)


def test_il_modello_rifiuta_un_confine_non_valido():
    q = QuartiereFactory(codice="q", nome="Q", confine={"type": "Point", "coordinates": [9, 45]})
    with pytest.raises(ValidationError) as errore:
        q.full_clean()
    assert "confine" in errore.value.message_dict


def test_senza_confini_nulla_e_rifiutato_e_nessun_quartiere_e_dedotto():
    luogo = localizza(*ROMA)
    assert not luogo.fuori_dal_comune and luogo.quartiere_id is None


def test_il_punto_dice_comune_e_quartiere():
    san_siro = QuartiereFactory(codice="san-siro", nome="San Siro", confine=confine_demo(*SAN_SIRO))
    ConfineComune.objects.create(confine=CONFINE_COMUNE_DEMO)
    assert localizza(*ROMA).fuori_dal_comune
    dentro = localizza(SAN_SIRO[0] + 0.004, SAN_SIRO[1] - 0.006)
    assert not dentro.fuori_dal_comune and dentro.quartiere_id == san_siro.pk
    assert dentro.quartiere_nome == "San Siro"
    altrove = localizza(45.48, 9.20)  # in Milan, in no demo quartiere
    assert not altrove.fuori_dal_comune and altrove.quartiere_id is None


def test_un_solo_confine_del_comune():
    from django.db import IntegrityError

    ConfineComune.objects.create(confine=CONFINE_COMUNE_DEMO)
    with pytest.raises(IntegrityError):
        ConfineComune.objects.create(id=2, confine=CONFINE_COMUNE_DEMO)


def _scrivi(tmp_path, dati) -> str:
    file = tmp_path / "confini.geojson"
    file.write_text(json.dumps(dati), encoding="utf-8")
    return str(file)


def _elemento(codice, lat, lon):
    return {"type": "Feature", "properties": {"codice": codice}, "geometry": confine_demo(lat, lon)}


def test_il_comando_carica_i_quartieri_tutto_o_niente(tmp_path, capsys):
    QuartiereFactory(codice="san-siro", nome="San Siro")
    QuartiereFactory(codice="mazzini", nome="Mazzini")
    buono = {
        "type": "FeatureCollection",
        "features": [_elemento("san-siro", *SAN_SIRO), _elemento("mazzini", 45.442, 9.214)],
    }
    sbagliato = {
        "type": "FeatureCollection",
        "features": [
            _elemento("san-siro", *SAN_SIRO),
            _elemento("nessuno", 45.442, 9.214),
            {"type": "Feature", "properties": {}, "geometry": confine_demo(45.41, 9.17)},
            {
                "type": "Feature",
                "properties": {"codice": "mazzini"},
                "geometry": {"type": "Point", "coordinates": [9, 45]},
            },
        ],
    }
    with pytest.raises(CommandError) as errore:
        call_command("carica_confini", _scrivi(tmp_path, sbagliato))
    assert errore.value.returncode == 2
    err = capsys.readouterr().err
    assert "nessun quartiere con codice «nessuno»" in err
    assert "manca la proprietà «codice»" in err
    assert "Serve un poligono" in err
    assert not Quartiere.objects.exclude(confine=None).exists()
    call_command("carica_confini", _scrivi(tmp_path, buono))
    assert "Confini caricati: 2 quartieri." in capsys.readouterr().out
    assert Quartiere.objects.exclude(confine=None).count() == 2
    assert localizza(45.442, 9.214).quartiere_id == Quartiere.objects.get(codice="mazzini").pk


def test_il_comando_carica_il_confine_del_comune(tmp_path, capsys):
    call_command("carica_confini", _scrivi(tmp_path, CONFINE_COMUNE_DEMO), "--comune")
    assert "Confine del Comune caricato." in capsys.readouterr().out
    assert localizza(*ROMA).fuori_dal_comune
    # Loading again replaces it (one boundary).
    altrove = {"type": "Feature", "properties": {}, "geometry": confine_demo(*ROMA)}
    call_command("carica_confini", _scrivi(tmp_path, altrove), "--comune")
    assert ConfineComune.objects.count() == 1
    assert not localizza(*ROMA).fuori_dal_comune
    with pytest.raises(CommandError, match="non è un file GeoJSON leggibile"):
        call_command("carica_confini", str(tmp_path / "manca.geojson"), "--comune")


def test_la_demo_ha_confini_che_contengono_i_suoi_quartieri():
    from quartiere.sviluppo import demo

    demo.popola()
    assert ConfineComune.objects.exists()
    for q in Quartiere.objects.all():
        assert localizza(q.lat, q.lon).quartiere_id == q.pk, q.codice
