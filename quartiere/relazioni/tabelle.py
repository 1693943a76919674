"""The figures as tables: what the dashboard, the PDF and the exports show.

A section becomes one summary table of its single figures and one table per breakdown
(``per_stato``, ``firmatari_per_tipo``...). Labels come from the apps' own choices, so a
new status added to an app shows up here with its translated name.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache

from django.apps import apps
from django.utils.translation import gettext_lazy as _

from quartiere.relazioni.figure import SEZIONI

TITOLI_SEZIONE = {
    "segnalazioni": _("Segnalazioni"),
    "mediazione": _("Mediazione dei conflitti"),
    "laboratori": _("Laboratori di cittadinanza"),
    "patti": _("Patti di collaborazione"),
    "abitare": _("Accompagnamento all'abitare"),
}

ETICHETTE = {
    "segnalazioni": {
        "ricevute": _("Segnalazioni ricevute"),
        "chiuse": _("Segnalazioni chiuse"),
        "per_stato": _("Segnalazioni per stato"),
        "per_tipo": _("Segnalazioni ricevute per tipo"),
        "per_categoria": _("Segnalazioni ricevute per categoria"),
        "per_canale": _("Segnalazioni ricevute per canale"),
        "chiuse_entro_termine": _("Chiuse entro il termine"),
        "tempo_medio_chiusura_giorni": _("Tempo medio di chiusura (giorni)"),
        "aperte_scadute": _("Aperte oltre il termine a fine periodo"),
    },
    "mediazione": {
        "aperti": _("Dossier aperti"),
        "chiusi": _("Dossier chiusi"),
        "per_tipo_conflitto": _("Dossier aperti per tipo di conflitto"),
        "per_esito": _("Dossier chiusi per esito"),
        "durata_media_giorni": _("Durata media dei dossier chiusi (giorni)"),
    },
    "laboratori": {
        "laboratori_attivi": _("Laboratori attivi"),
        "incontri_svolti": _("Incontri svolti"),
        "presenze": _("Presenze agli incontri"),
        "partecipanti_unici": _("Partecipanti unici"),
        "organizzazioni_coinvolte": _("Organizzazioni coinvolte"),
        "gruppi_pilota_attivi": _("Gruppi pilota di quartiere attivi"),
        "aderenti_gruppi": _("Aderenti ai gruppi pilota e tematici"),
    },
    "patti": {
        "firmati": _("Patti firmati"),
        "nuovi": _("Nuovi patti"),
        "rinnovi": _("Rinnovi"),
        "firmatari": _("Firmatari (escluso il Comune)"),
        "firmatari_unici": _("Firmatari unici"),
        "firmatari_per_tipo": _("Firmatari per tipo"),
        "progetti": _("Progetti"),
        "progetti_per_ambito": _("Progetti per ambito"),
        "budget_progetti": _("Budget dei progetti (€)"),
    },
    "abitare": {
        "alloggi_per_stato": _("Alloggi per stato (oggi)"),
        "assegnazioni": _("Pre-assegnazioni"),
        "assegnazioni_per_gruppo": _("Pre-assegnazioni per gruppo del piano"),
        "ingressi": _("Ingressi negli alloggi"),
        "ingressi_per_gruppo": _("Ingressi per gruppo del piano"),
        "nuclei_accompagnati": _("Nuclei accompagnati"),
        "contatti": _("Contatti con i nuclei"),
        "contatti_per_tipo": _("Contatti per tipo"),
        "misure_attivate": _("Misure mirate attivate"),
        "problemi_inoltrati": _("Problemi inoltrati al gestore"),
        "problemi_chiusi": _("Problemi chiusi dal gestore"),
        "tempo_mediano_chiusura_problemi_giorni": _("Tempo mediano dei problemi (giorni)"),
        "note_riservate_per_tipo": _("Note riservate per tipo (multipli di 5)"),
        "adesione_regole_percentuale": _("Adesione alle regole condivise (%)"),
    },
}

# The headline figures: the summary page of the PDF, the cards of the dashboard and the
# columns of the per-quartiere table.
PRINCIPALI: tuple[tuple[str, str], ...] = (
    ("segnalazioni", "ricevute"),
    ("segnalazioni", "chiuse"),
    ("segnalazioni", "tempo_medio_chiusura_giorni"),
    ("mediazione", "aperti"),
    ("laboratori", "incontri_svolti"),
    ("laboratori", "partecipanti_unici"),
    ("patti", "firmati"),
    ("patti", "firmatari_unici"),
    ("patti", "progetti"),
    ("patti", "budget_progetti"),
)


def etichetta(sezione: str, indicatore: str) -> str:
    return ETICHETTE.get(sezione, {}).get(indicatore) or indicatore.replace("_", " ")


@cache
def _scelte_app(app_label: str) -> tuple[tuple[frozenset, dict], ...]:
    """Every choices set of the app's model fields: (values, {value: label})."""
    try:
        config = apps.get_app_config(app_label)
    except LookupError:
        return ()
    insiemi = []
    for modello in config.get_models():
        for campo in modello._meta.get_fields():
            scelte = getattr(campo, "choices", None)
            if scelte:
                mappa = {str(v): lbl for v, lbl in scelte if not isinstance(lbl, (list, tuple))}
                insiemi.append((frozenset(mappa), mappa))
    return tuple(insiemi)


def categorie_segnalazioni() -> dict[str, tuple[int, str]]:
    """``{codice: (pk, nome)}`` of the report categories (one query), from the reports'
    ``indicators`` module (``categorie()``); empty without the app."""
    from quartiere.relazioni.figure import sezioni_disponibili

    modulo = sezioni_disponibili().get("segnalazioni")
    return modulo.categorie() if modulo is not None else {}


def etichette_voci(sezione: str, chiavi, indicatore: str | None = None) -> dict[str, str]:
    """Labels for the keys of a breakdown, from the choices that cover most of them."""
    chiavi = [str(k) for k in chiavi]
    if (sezione, indicatore) == ("segnalazioni", "per_categoria"):
        nomi = categorie_segnalazioni()
        return {k: nomi[k][1] if k in nomi else k for k in chiavi}
    migliore: dict = {}
    copertura = 0
    for valori, mappa in _scelte_app(sezione):
        n = len(valori.intersection(chiavi))
        if n > copertura or (n == copertura and n and len(mappa) < len(migliore)):
            migliore, copertura = mappa, n
    return {k: migliore.get(k) or k.replace("_", " ") for k in chiavi}


def numero(valore) -> int | float | None:
    """The numeric value of a figure, ``None`` for masked ("<3") or missing figures."""
    if isinstance(valore, bool) or valore is None:
        return None
    if isinstance(valore, (int, float)):
        return valore
    if isinstance(valore, Decimal):
        return float(valore)
    for tipo in (int, float):
        try:
            return tipo(valore)
        except (TypeError, ValueError):
            continue
    return None


def formatta(valore, segno: bool = False) -> str:
    """A figure written the Italian way: 1.234 and 12,5 and 1.234,50 (amounts)."""
    if valore is None:
        return "—"
    importo = isinstance(valore, Decimal) or (isinstance(valore, str) and "." in valore)
    if importo and numero(valore) is not None:
        importo = Decimal(str(valore))
        testo = f"{importo:,.2f}".replace(",", " ").replace(".", ",").replace(" ", ".")
        return f"+{testo}" if segno and importo > 0 else testo
    n = numero(valore)
    if n is None:
        return str(valore)
    if isinstance(n, float):
        testo = f"{n:,.1f}".replace(",", " ").replace(".", ",").replace(" ", ".")
    else:
        testo = f"{int(n):,}".replace(",", ".")
    return f"+{testo}" if segno and n > 0 else testo


@dataclass
class Riga:
    chiave: str
    etichetta: str
    valore: object
    precedente: object = None
    link: str | None = None

    @property
    def variazione(self):
        """Current minus previous, when both are numbers (amounts stay exact)."""
        a, b = numero(self.valore), numero(self.precedente)
        if a is None or b is None:
            return None
        if any(isinstance(v, (str, Decimal)) for v in (self.valore, self.precedente)):
            return Decimal(str(self.valore)) - Decimal(str(self.precedente))
        diff = a - b
        return round(diff, 1) if isinstance(diff, float) else diff

    @property
    def valore_testo(self) -> str:
        return formatta(self.valore)

    @property
    def precedente_testo(self) -> str:
        return formatta(self.precedente)

    @property
    def variazione_testo(self) -> str:
        variazione = self.variazione
        return "" if variazione is None else formatta(variazione, segno=True)


@dataclass
class Tabella:
    id: str
    sezione: str
    indicatore: str | None
    titolo: str
    righe: list[Riga] = field(default_factory=list)

    @property
    def e_ripartizione(self) -> bool:
        return self.indicatore is not None

    @property
    def totale(self):
        valori = [numero(r.valore) for r in self.righe]
        if any(v is None for v in valori):
            return None
        return sum(valori)


def tabelle_sezione(sezione: str, figure: dict, precedenti: dict | None = None, link=None):
    """The tables of one section: the single figures first, then each breakdown."""
    precedenti = precedenti or {}
    sintesi = Tabella(sezione, sezione, None, str(TITOLI_SEZIONE[sezione]))
    ripartizioni = []
    for chiave, valore in figure.items():
        if isinstance(valore, dict):
            voci = etichette_voci(sezione, valore, chiave)
            prima = precedenti.get(chiave) or {}
            tabella = Tabella(
                f"{sezione}-{chiave}", sezione, chiave, str(etichetta(sezione, chiave))
            )
            for voce, n in valore.items():
                tabella.righe.append(
                    Riga(
                        str(voce),
                        str(voci[str(voce)]),
                        n,
                        prima.get(voce),
                        link(sezione, chiave, str(voce)) if link else None,
                    )
                )
            ripartizioni.append(tabella)
        else:
            sintesi.righe.append(
                Riga(
                    chiave,
                    str(etichetta(sezione, chiave)),
                    valore,
                    precedenti.get(chiave),
                    link(sezione, chiave, None) if link else None,
                )
            )
    return [sintesi, *ripartizioni]


def tabelle(figure: dict, precedenti: dict | None = None, link=None) -> list[Tabella]:
    """Every figure table of the document, section by section (absent apps skipped)."""
    risultato = []
    for sezione in SEZIONI:
        if figure.get(sezione) is None:
            continue
        prima = (precedenti or {}).get(sezione)
        risultato.extend(tabelle_sezione(sezione, figure[sezione], prima, link))
    return risultato


def principali(figure: dict, precedenti: dict | None = None, link=None) -> list[Riga]:
    """The headline figures that exist in this installation."""
    righe = []
    for sezione, chiave in PRINCIPALI:
        valori = figure.get(sezione)
        if not valori or chiave not in valori:
            continue
        prima = ((precedenti or {}).get(sezione) or {}).get(chiave)
        righe.append(
            Riga(
                f"{sezione}.{chiave}",
                str(etichetta(sezione, chiave)),
                valori[chiave],
                prima,
                link(sezione, chiave, None) if link else None,
            )
        )
    return righe


@dataclass
class TabellaQuartieri:
    colonne: list[tuple[str, str, str]]  # (sezione, indicatore, etichetta)
    righe: list[tuple[str, str, list]]  # (codice, nome, valori)
    id: str = "per-quartiere"
    titolo: str = ""

    @property
    def righe_testo(self):
        return [(c, n, [formatta(v) for v in valori]) for c, n, valori in self.righe]


def tabella_quartieri(per_quartiere: list[tuple[object, dict]]) -> TabellaQuartieri:
    """The headline figures of each quartiere, one row each."""
    colonne = []
    if per_quartiere:
        esempio = per_quartiere[0][1]
        colonne = [
            (s, c, str(etichetta(s, c)))
            for s, c in PRINCIPALI
            if esempio.get(s) is not None and c in esempio[s]
        ]
    righe = [
        (q.codice, q.nome, [figure[s][c] for s, c, _e in colonne]) for q, figure in per_quartiere
    ]
    return TabellaQuartieri(colonne, righe, titolo=str(_("Indicatori principali per quartiere")))
