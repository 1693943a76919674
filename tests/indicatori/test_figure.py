"""The figures composed from the apps, checked against the hand-computed dataset."""

from __future__ import annotations

import datetime

import pytest

from quartiere.relazioni import CHIAVI, SEZIONI, ErroreIndicatori, indicatori, periodo_precedente
from quartiere.relazioni.figure import suddividi
from tests.indicatori.conftest import AL, DAL

pytestmark = pytest.mark.django_db

# Figures of a stock on the day they are read, not of the period (docs/indicatori.md).
ISTANTANEE = {("abitare", "alloggi_per_stato")}


def test_chiavi_di_primo_livello_esattamente_come_documentate(dati):
    figure = indicatori(DAL, AL)
    assert list(figure) == [
        "periodo",
        "quartieri",
        "segnalazioni",
        "mediazione",
        "laboratori",
        "patti",
        "abitare",
    ]
    assert list(figure) == list(CHIAVI)
    assert figure["periodo"] == {"dal": DAL, "al": AL}


def test_senza_quartieri_sono_tutti_in_ordine_di_codice(dati):
    from quartiere.territorio.models import Quartiere

    figure = indicatori(DAL, AL)
    assert figure["quartieri"] == sorted(Quartiere.objects.values_list("codice", flat=True))
    assert {"gratosoglio", "lorenteggio", "ponte-lambro", "san-siro"} <= set(figure["quartieri"])


def test_quartieri_scelti(dati):
    figure = indicatori(DAL, AL, ["san-siro", "gratosoglio", "san-siro"])
    assert figure["quartieri"] == ["gratosoglio", "san-siro"]


def test_quartiere_sconosciuto(dati):
    with pytest.raises(ErroreIndicatori, match="nessuno, zzz"):
        indicatori(DAL, AL, ["san-siro", "zzz", "nessuno"])


def test_periodo_rovesciato(dati):
    with pytest.raises(ErroreIndicatori, match="successiva"):
        indicatori(AL, DAL)


@pytest.mark.parametrize("sezione", list(SEZIONI))
def test_ogni_sezione_ha_le_chiavi_documentate(dati, sezione):
    figure = indicatori(DAL, AL)
    assert list(figure[sezione]) == list(SEZIONI[sezione])


def test_laboratori(dati):
    san_siro = indicatori(DAL, AL, ["san-siro"])["laboratori"]
    assert san_siro == {
        "laboratori_attivi": 1,
        "incontri_svolti": 2,  # the cancelled one and the 2024 one do not count
        "presenze": 4,
        "partecipanti_unici": 2,  # a person at two meetings counts once
        "organizzazioni_coinvolte": 2,
        "gruppi_pilota_attivi": 0,
        "aderenti_gruppi": 0,
    }
    tutti = indicatori(DAL, AL)["laboratori"]
    assert tutti["incontri_svolti"] == 3
    assert tutti["partecipanti_unici"] == 3
    assert tutti["laboratori_attivi"] == 2


def test_patti(dati):
    patti = indicatori(DAL, AL, ["san-siro"])["patti"]
    assert patti["firmati"] == 2
    assert patti["nuovi"] == 1
    assert patti["rinnovi"] == 1
    assert patti["firmatari"] == 4  # the Comune is not counted
    assert patti["firmatari_unici"] == 2  # one organisation and one person, each twice
    assert patti["firmatari_per_tipo"]["associazione"] == 2
    assert patti["firmatari_per_tipo"]["volontario"] == 2
    assert patti["firmatari_per_tipo"]["comune"] == 0
    assert patti["progetti"] == 2  # the renewal has none
    assert patti["progetti_per_ambito"] == {"cura_citta": 1, "cura_comunita": 1}
    assert patti["budget_progetti"] == "1500.50"


def test_abitare(dati):
    abitare = indicatori(DAL, AL, ["lorenteggio"])["abitare"]
    note = abitare.pop("note_riservate_per_tipo")
    assert abitare == {
        "alloggi_per_stato": {
            "in_ristrutturazione": 1,
            "disponibile": 0,
            "pre_assegnato": 1,
            "assegnato": 0,
            "occupato": 2,
            "sfitto": 0,
        },
        "assegnazioni": 2,  # the students' pre-assignment was in 2024
        "assegnazioni_per_gruppo": {
            "anziani": 1,
            "giovani_coppie": 1,
            "famiglie_monogenitoriali": 0,
            "persone_con_disabilita": 0,
            "studenti": 0,
            "altro": 0,
        },
        "ingressi": 2,
        "ingressi_per_gruppo": {
            "anziani": 1,
            "giovani_coppie": 0,
            "famiglie_monogenitoriali": 0,
            "persone_con_disabilita": 0,
            "studenti": 1,
            "altro": 0,
        },
        "nuclei_accompagnati": 2,  # the 2024 contact does not count
        "contatti": 3,
        "contatti_per_tipo": {"visita": 1, "colloquio": 1, "telefonata": 1, "incontro_scala": 0},
        "misure_attivate": 1,
        "problemi_inoltrati": 3,
        "problemi_chiusi": 3,  # closed in 2025, whenever forwarded
        "tempo_mediano_chiusura_problemi_giorni": 10.0,  # median of 4, 10 and 31 days
        "adesione_regole_percentuale": 50.0,  # one of the two households living there
    }
    # Three notes in one quartiere and month: the dirigente reads 0 or 5, never 3.
    assert note["fragilita"] in (0, 5) and note["morosita"] == 0
    assert indicatori(DAL, AL, ["ponte-lambro"])["abitare"]["contatti"] == 0


def test_mediazione_arrotondata(dati):
    """Counts rounded to 5 per quartiere, month and cell; totals are the sums
    (mediazione/indicators.py, tested as an attacker in tests/mediazione)."""
    mediazione = indicatori(DAL, AL, ["san-siro"])["mediazione"]
    tipi = mediazione["per_tipo_conflitto"]
    assert all(v % 5 == 0 for v in tipi.values())
    assert mediazione["aperti"] == sum(tipi.values())
    assert "<3" not in str(mediazione)


def test_segnalazioni(dati):
    segnalazioni = indicatori(DAL, AL, ["san-siro"])["segnalazioni"]
    assert segnalazioni["ricevute"] == 3  # the 2024 one is not received in 2025
    assert segnalazioni["per_canale"]["telefono"] == 1
    assert sum(segnalazioni["per_canale"].values()) == 3
    assert segnalazioni["per_stato"]["chiusa"] == 1
    assert segnalazioni["per_stato"]["nuova"] == 2
    assert segnalazioni["chiuse"] == 2  # closed in 2025, whenever received
    assert segnalazioni["chiuse_entro_termine"] == 1
    assert segnalazioni["tempo_medio_chiusura_giorni"] == 147.0  # (10 + 284) / 2
    assert segnalazioni["aperte_scadute"] == 2


def test_periodo_vuoto(dati):
    figure = indicatori(datetime.date(2020, 1, 1), datetime.date(2020, 12, 31))
    for sezione in SEZIONI:
        if figure[sezione] is None:
            continue
        for chiave, valore in figure[sezione].items():
            if (sezione, chiave) in ISTANTANEE:
                continue
            if isinstance(valore, dict):
                assert set(valore.values()) <= {0}, (sezione, chiave)
            else:
                assert valore in (0, None, "0.00"), (sezione, chiave)


def test_altro_quartiere_non_vede_nulla(dati):
    figure = indicatori(DAL, AL, ["ponte-lambro"])
    assert figure["patti"]["firmati"] == 0


def test_periodo_precedente_della_stessa_durata():
    assert periodo_precedente(datetime.date(2025, 1, 1), datetime.date(2025, 12, 31)) == (
        datetime.date(2024, 1, 1),
        datetime.date(2024, 12, 31),
    )
    # Whole months move by months (February is shorter than March), other periods by days.
    assert periodo_precedente(datetime.date(2025, 3, 1), datetime.date(2025, 3, 31)) == (
        datetime.date(2025, 2, 1),
        datetime.date(2025, 2, 28),
    )
    assert periodo_precedente(datetime.date(2025, 3, 10), datetime.date(2025, 3, 19)) == (
        datetime.date(2025, 2, 28),
        datetime.date(2025, 3, 9),
    )
    assert periodo_precedente(datetime.date(2025, 3, 1), datetime.date(2025, 3, 1)) == (
        datetime.date(2025, 2, 28),
        datetime.date(2025, 2, 28),
    )


@pytest.mark.parametrize(
    ("dal", "al", "n", "prima"),
    [
        (datetime.date(2025, 1, 1), datetime.date(2025, 12, 31), 12, "01/25"),
        (datetime.date(2025, 1, 1), datetime.date(2025, 1, 5), 5, "01/01"),
        (datetime.date(2025, 1, 1), datetime.date(2025, 2, 28), 9, "01/01"),
        (datetime.date(2024, 1, 1), datetime.date(2025, 12, 31), 8, "T1 2024"),
        (datetime.date(2000, 1, 1), datetime.date(2025, 12, 31), 12, "2014"),
    ],
)
def test_suddivisione_per_l_andamento(dal, al, n, prima):
    fette = suddividi(dal, al)
    assert len(fette) == n
    assert fette[0].etichetta == prima
    assert fette[-1].al == al
    for a, b in zip(fette, fette[1:], strict=False):
        assert b.dal == a.al + datetime.timedelta(days=1)
