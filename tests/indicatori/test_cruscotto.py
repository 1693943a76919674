"""The dashboard, its exports and the PDF download: access, scope and the same numbers."""

from __future__ import annotations

import csv
import html
import io
import re
from decimal import Decimal, InvalidOperation

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from quartiere.relazioni import indicatori
from quartiere.relazioni.tabelle import formatta
from tests.indicatori.conftest import AL, DAL

pytestmark = pytest.mark.django_db

PERIODO = {"dal": DAL.isoformat(), "al": AL.isoformat()}
URL_NOMI = ["quartiere:cruscotto", "quartiere:cruscotto_pdf"]


def url(nome, *args):
    return reverse(nome, args=args)


@pytest.mark.parametrize(
    ("ruolo", "atteso"),
    [
        ("mediatore", 403),
        ("operatore", 200),
        ("coordinatore", 200),
        ("dirigente", 200),
        ("amministratore", 200),
    ],
)
def test_chi_vede_il_cruscotto(client_di, cast, ruolo, atteso):
    risposta = client_di(cast[ruolo]).get(url("quartiere:cruscotto"), PERIODO)
    assert risposta.status_code == atteso


@pytest.mark.parametrize(
    "indirizzo",
    [
        ("quartiere:cruscotto",),
        ("quartiere:cruscotto_pdf",),
        ("quartiere:cruscotto_esporta", "csv"),
        ("quartiere:cruscotto_esporta", "xlsx"),
    ],
)
def test_anonimo_va_al_login_mediatore_403(client_di, cast, indirizzo):
    risposta = client_di(None).get(url(*indirizzo), PERIODO)
    assert risposta.status_code == 302
    assert risposta["Location"].startswith(reverse("login"))
    assert client_di(cast["mediatore"]).get(url(*indirizzo), PERIODO).status_code == 403


def test_voce_di_menu_per_chi_ha_il_permesso(client_di, cast):
    pagina = client_di(cast["dirigente"]).get(url("quartiere:scrivania")).content.decode()
    assert url("quartiere:cruscotto") in pagina
    pagina = client_di(cast["mediatore"]).get(url("quartiere:scrivania")).content.decode()
    assert url("quartiere:cruscotto") not in pagina


def test_operatore_vede_solo_i_suoi_quartieri(client_di, cast, dati):
    risposta = client_di(cast["operatore"]).get(url("quartiere:cruscotto"), PERIODO)
    scelte = [q.codice for q in risposta.context["form"].fields["quartiere"].queryset]
    assert scelte == ["lorenteggio", "san-siro"]
    assert [q.codice for q in risposta.context["relazione"].quartieri] == scelte
    pagina = risposta.content.decode()
    assert "Gratosoglio" not in pagina


def test_operatore_non_puo_chiedere_un_altro_quartiere(client_di, cast, dati):
    c = client_di(cast["operatore"])
    for nome, args in [
        ("quartiere:cruscotto", ()),
        ("quartiere:cruscotto_pdf", ()),
        ("quartiere:cruscotto_esporta", ("csv",)),
    ]:
        risposta = c.get(url(nome, *args), {**PERIODO, "quartiere": "gratosoglio"})
        if nome == "quartiere:cruscotto":
            assert risposta.status_code == 200
            assert "relazione" not in risposta.context
            assert risposta.context["form"].errors["quartiere"]
        else:
            assert risposta.status_code == 400


def test_operatore_senza_scelta_ha_le_cifre_dei_suoi_quartieri(client_di, cast, dati):
    risposta = client_di(cast["operatore"]).get(url("quartiere:cruscotto_esporta", "csv"), PERIODO)
    righe = list(csv.reader(io.StringIO(risposta.content.decode())))
    atteso = indicatori(DAL, AL, ["lorenteggio", "san-siro"])
    assert ["quartieri", "codice", "", "gratosoglio"] not in righe
    assert [
        "laboratori",
        "incontri_svolti",
        "",
        str(atteso["laboratori"]["incontri_svolti"]),
    ] in righe


def test_operatore_senza_quartieri_vede_solo_zeri(client_di, dati):
    from tests.factories import utente

    senza = utente("operatore", "operatore.nuovo")
    risposta = client_di(senza).get(url("quartiere:cruscotto"), PERIODO)
    relazione = risposta.context["relazione"]
    assert relazione.quartieri == []
    assert relazione.figure["laboratori"]["incontri_svolti"] == 0
    assert indicatori(DAL, AL)["laboratori"]["incontri_svolti"] > 0


def test_periodo_rovesciato_e_un_errore_del_modulo(client_di, cast):
    risposta = client_di(cast["dirigente"]).get(
        url("quartiere:cruscotto"), {"dal": "2025-12-31", "al": "2025-01-01"}
    )
    assert risposta.status_code == 200
    assert risposta.context["form"].errors["al"]
    assert "relazione" not in risposta.context


def test_senza_parametri_l_anno_in_corso(client_di, cast):
    from django.utils import timezone

    risposta = client_di(cast["dirigente"]).get(url("quartiere:cruscotto"))
    relazione = risposta.context["relazione"]
    oggi = timezone.localdate()
    assert (relazione.dal, relazione.al) == (oggi.replace(month=1, day=1), oggi)


def _celle_valore(pagina: str, tabella: str) -> dict[str, str]:
    blocco = re.search(rf'<table[^>]*id="tabella-{re.escape(tabella)}".*?</table>', pagina, re.S)
    assert blocco, tabella
    valori = {}
    for chiave, cella in re.findall(
        r'<tr data-chiave="([^"]+)">.*?<td class="text-end valore">(.*?)</td>',
        blocco.group(0),
        re.S,
    ):
        valori[chiave] = html.unescape(re.sub(r"<span.*?</span>|<[^>]+>", "", cella).strip())
    return valori


def test_cruscotto_mostra_gli_stessi_numeri_del_json(client_di, cast, dati):
    figure = indicatori(DAL, AL, ["san-siro"])
    pagina = (
        client_di(cast["dirigente"])
        .get(url("quartiere:cruscotto"), {**PERIODO, "quartiere": "san-siro"})
        .content.decode()
    )
    controllate = 0
    for sezione in ("segnalazioni", "mediazione", "laboratori", "patti", "abitare"):
        if figure[sezione] is None:
            continue
        singole = _celle_valore(pagina, sezione)
        for chiave, valore in figure[sezione].items():
            if isinstance(valore, dict):
                celle = _celle_valore(pagina, f"{sezione}-{chiave}")
                assert celle == {k: formatta(v) for k, v in valore.items()}, (sezione, chiave)
            else:
                assert singole[chiave] == formatta(valore), (sezione, chiave)
            controllate += 1
    assert controllate


def _numero_o_testo(valore):
    """Numbers compared as numbers (a spreadsheet reads 147.0 back as 147)."""
    if valore is None:
        return ""
    try:
        return Decimal(str(valore))
    except InvalidOperation:
        return str(valore)


def test_esportazioni_csv_e_xlsx_con_gli_stessi_numeri(client_di, cast, dati):
    c = client_di(cast["dirigente"])
    parametri = {**PERIODO, "quartiere": "san-siro"}
    figure = indicatori(DAL, AL, ["san-siro"])
    testo = c.get(url("quartiere:cruscotto_esporta", "csv"), parametri).content.decode()
    from quartiere.relazioni.esporta import csv_figure

    assert testo == csv_figure(figure)

    risposta = c.get(url("quartiere:cruscotto_esporta", "xlsx"), parametri)
    assert risposta["Content-Type"].startswith("application/vnd.openxmlformats")
    libro = load_workbook(io.BytesIO(risposta.content), read_only=True)
    righe = [
        tuple(_numero_o_testo(v) for v in riga)
        for riga in libro["Indicatori"].iter_rows(values_only=True)
    ]
    attese = [tuple(_numero_o_testo(v) for v in r) for r in csv.reader(io.StringIO(testo))]
    assert righe == attese


def test_esportazione_di_una_tabella(client_di, cast, dati):
    c = client_di(cast["dirigente"])
    parametri = {**PERIODO, "quartiere": "san-siro", "tabella": "patti-firmatari_per_tipo"}
    righe = list(
        csv.reader(
            io.StringIO(
                c.get(url("quartiere:cruscotto_esporta", "csv"), parametri).content.decode()
            )
        )
    )
    assert righe[0] == ["sezione", "indicatore", "voce", "valore"]
    assert {r[1] for r in righe[1:]} == {"firmatari_per_tipo"}
    assert ["patti", "firmatari_per_tipo", "volontario", "2"] in righe
    libro = load_workbook(
        io.BytesIO(c.get(url("quartiere:cruscotto_esporta", "xlsx"), parametri).content),
        read_only=True,
    )
    assert libro.sheetnames == ["patti-firmatari_per_tipo"]
    assert (
        c.get(
            url("quartiere:cruscotto_esporta", "csv"), {**parametri, "tabella": "nulla"}
        ).status_code
        == 404
    )
    assert c.get(url("quartiere:cruscotto_esporta", "ods"), parametri).status_code == 404


def test_esportazione_per_quartiere(client_di, cast, dati):
    c = client_di(cast["dirigente"])
    testo = c.get(
        url("quartiere:cruscotto_esporta", "csv"),
        {**PERIODO, "quartiere": ["san-siro", "gratosoglio"], "tabella": "per-quartiere"},
    ).content.decode()
    righe = {r[0]: r for r in csv.reader(io.StringIO(testo))}
    intestazione = righe["quartiere"]
    colonna = intestazione.index("laboratori.incontri_svolti")
    assert righe["san-siro"][colonna] == "2"
    assert righe["gratosoglio"][colonna] == "1"


def test_link_dalle_cifre_agli_elenchi(client_di, cast, dati):
    risposta = client_di(cast["dirigente"]).get(
        url("quartiere:cruscotto"), {**PERIODO, "quartiere": "san-siro"}
    )
    righe = {t.id: t for t in risposta.context["relazione"].tabelle}
    ricevute = next(r for r in righe["segnalazioni"].righe if r.chiave == "ricevute")
    assert ricevute.link.startswith(reverse("segnalazioni:lista"))
    san_siro = dati["san-siro"]
    assert f"quartiere={san_siro.pk}" in ricevute.link
    assert "dal=2025-01-01" in ricevute.link
    canale = next(r for r in righe["segnalazioni-per_canale"].righe if r.chiave == "telefono")
    assert "canale=telefono" in canale.link
    # The list behind the link shows the same number.
    elenco = client_di(cast["dirigente"]).get(canale.link)
    assert elenco.status_code == 200
    assert elenco.context["paginator"].count == 1


def test_pdf_dal_cruscotto(client_di, cast, dati):
    risposta = client_di(cast["dirigente"]).get(
        url("quartiere:cruscotto_pdf"), {**PERIODO, "quartiere": "san-siro"}
    )
    assert risposta.status_code == 200
    assert risposta["Content-Type"] == "application/pdf"
    assert risposta.content.startswith(b"%PDF-")
