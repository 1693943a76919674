"""Everything the dashboard and the PDF show, assembled once from the apps' figures.

The number of queries depends on the number of chosen quartieri and on the length of
the period (the trend has at most 12 points), never on the amount of data.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.utils import timezone
from django.utils.translation import gettext as _

from quartiere.programmi.cifre import programmi_del_periodo
from quartiere.relazioni import grafici
from quartiere.relazioni.figure import (
    ANNO_PRECEDENTE,
    PRECEDENTE,
    SCELTO,
    _argomento,
    _ordina,
    attivita_operatori,
    componi,
    periodo_di_confronto,
    sezioni_disponibili,
    sono_tutti,
    suddividi,
)
from quartiere.relazioni.operatori import quadro
from quartiere.relazioni.tabelle import (
    TITOLI_SEZIONE,
    Riga,
    Tabella,
    TabellaQuartieri,
    etichetta,
    formatta,
    principali,
    tabella_quartieri,
    tabelle,
)
from quartiere.territorio.models import Quartiere

# In print a chart stands beside its table, in half of the A4 text width: drawn narrower,
# its text keeps the size of the table's.
LARGHEZZA_GRAFICO_STAMPA = 340

# The figures drawn as a trend line, per section (masked mediation counts cannot be drawn).
SERIE_ANDAMENTO = {
    "segnalazioni": ("ricevute", "chiuse"),
    "laboratori": ("incontri_svolti", "presenze", "partecipanti_unici"),
    "patti": ("firmati", "firmatari", "progetti"),
}


@dataclass
class Andamento:
    sezione: str
    titolo: str
    etichette: list[str]
    serie: list[tuple[str, list]]
    grafico: str = ""
    # In print: one small chart per figure, the period against the comparison period.
    piccoli: list[tuple[str, str]] = field(default_factory=list)

    @property
    def righe(self):
        """The same numbers as the chart, one row per slice (for the accessible table)."""
        return [
            (etichetta_x, [formatta(valori[i]) for _nome, valori in self.serie])
            for i, etichetta_x in enumerate(self.etichette)
        ]


@dataclass
class Elenco:
    """Records an app lists in its section of the printed report: its include
    (``template``, which reads ``elenco.righe``) and the rows."""

    template: str
    righe: list


@dataclass
class Relazione:
    dal: date
    al: date
    quartieri: list[Quartiere]
    figure: dict
    confronto: str | None = None
    precedente_dal: date | None = None
    precedente_al: date | None = None
    precedenti: dict | None = None
    tabelle: list[Tabella] = field(default_factory=list)
    principali: list[Riga] = field(default_factory=list)
    per_quartiere: TabellaQuartieri | None = None
    # In print: one small bar chart per headline figure, a bar per quartiere, the period
    # against the comparison period: ``[(etichetta, svg)]``.
    multipli_quartieri: list[tuple[str, str]] = field(default_factory=list)
    andamenti: list[Andamento] = field(default_factory=list)
    diario: dict | None = None
    # The diary's figures arranged as tables (quartiere.relazioni.operatori.quadro).
    operatori: dict | None = None
    elenchi: dict[str, Elenco] = field(default_factory=dict)
    grafici: dict = field(default_factory=dict)
    # The dirigente's comment per section key ("sintesi", a section, "programmi",
    # "attivita_operatori"), printed under the section's title.
    commenti: dict = field(default_factory=dict)
    # The funded programmes that ran in the period (quartiere.programmi.cifre), in print.
    programmi: list = field(default_factory=list)
    creata_il: object = None

    @property
    def descrizione_confronto(self) -> str:
        """What the comparison column holds, in words (empty without a comparison)."""
        if self.confronto is None:
            return ""
        periodo = {"dal": f"{self.precedente_dal:%d/%m/%Y}", "al": f"{self.precedente_al:%d/%m/%Y}"}
        testi = {
            ANNO_PRECEDENTE: _("stesso periodo dell'anno precedente, dal %(dal)s al %(al)s"),
            PRECEDENTE: _("periodo precedente della stessa durata, dal %(dal)s al %(al)s"),
            SCELTO: _("periodo scelto, dal %(dal)s al %(al)s"),
        }
        return testi[self.confronto] % periodo

    @property
    def sezioni(self):
        """``[(sezione, titolo, [tabelle], andamento)]`` for the sections present."""
        risultato = []
        for sezione, titolo in TITOLI_SEZIONE.items():
            if self.figure.get(sezione) is None:
                continue
            proprie = [t for t in self.tabelle if t.sezione == sezione]
            andamento = next((a for a in self.andamenti if a.sezione == sezione), None)
            risultato.append((sezione, str(titolo), proprie, andamento))
        return risultato

    @property
    def sezioni_stampa(self):
        """``[(sezione, titolo, [(tabella, grafico or "")], andamento, elenco, commento)]``
        for the PDF: :attr:`sezioni` with each table's chart, the section's :class:`Elenco`
        and the dirigente's comment ("" for none)."""
        return [
            (
                sezione,
                titolo,
                [(t, self.grafici.get(t.id, "")) for t in tabelle],
                andamento,
                self.elenchi.get(sezione),
                self.commenti.get(sezione, ""),
            )
            for sezione, titolo, tabelle, andamento in self.sezioni
        ]


def punti_andamento(
    fette: list, quartieri: list[Quartiere], moduli, tutti: bool = False
) -> dict[str, list[dict]]:
    """``{sezione: [figures of each slice]}`` for the trend lines.

    An app may offer ``calcola_andamento(fette, quartieri) -> [section of each slice]``
    (at least the figures of ``SERIE_ANDAMENTO``, every slice in one query): then it is
    called once. Otherwise its ``calcola`` is called once per slice.
    """
    periodi = [(f.dal, f.al) for f in fette]
    scelta = _argomento(quartieri, tutti)
    punti = {}
    for sezione, modulo in moduli.items():
        funzione = getattr(modulo, "calcola_andamento", None)
        if funzione is not None:
            punti[sezione] = funzione(periodi, scelta)
    singole = {s: m for s, m in moduli.items() if s not in punti}
    if singole:
        composte = [componi(f.dal, f.al, quartieri, singole, tutti) for f in fette]
        for sezione in singole:
            punti[sezione] = [c[sezione] for c in composte]
    return punti


def andamenti(
    dal: date,
    al: date,
    quartieri: list[Quartiere],
    moduli,
    tutti: bool = False,
    confronto: tuple[date, date] | None = None,
    larghezza: int = 640,
) -> list[Andamento]:
    """The trend of the main figures over at most 12 slices of the period.

    With ``confronto`` each figure also gets a small chart ``larghezza`` wide (the
    report's small multiples): the period's slices against the comparison period's,
    slice by slice (the same months of last year, for the default comparison)."""
    utili = {s: m for s, m in moduli.items() if s in SERIE_ANDAMENTO}
    if not utili:
        return []
    fette = suddividi(dal, al)
    punti = punti_andamento(fette, quartieri, utili, tutti)
    punti_prima = None
    if confronto is not None:
        fette_prima = suddividi(*confronto)[: len(fette)]
        punti_prima = punti_andamento(fette_prima, quartieri, utili, tutti)
    risultato = []
    for sezione in utili:
        serie = [
            (str(etichetta(sezione, chiave)), [p[chiave] for p in punti[sezione]])
            for chiave in SERIE_ANDAMENTO[sezione]
        ]
        titolo = _("%(sezione)s: andamento nel periodo") % {"sezione": TITOLI_SEZIONE[sezione]}
        a = Andamento(sezione, titolo, [f.etichetta for f in fette], serie)
        a.grafico = grafici.linee(titolo, a.etichette, a.serie)
        if punti_prima is not None:
            for chiave in SERIE_ANDAMENTO[sezione]:
                nome = str(etichetta(sezione, chiave))
                prima = [p[chiave] for p in punti_prima[sezione]]
                prima += [None] * (len(fette) - len(prima))
                coppia = [
                    (_("periodo scelto"), [p[chiave] for p in punti[sezione]]),
                    (_("confronto"), prima),
                ]
                a.piccoli.append(
                    (
                        nome,
                        grafici.linee(
                            nome,
                            a.etichette,
                            coppia,
                            larghezza=larghezza,
                            altezza=210,
                            tratteggiate=frozenset({1}),
                        ),
                    )
                )
        risultato.append(a)
    return risultato


def figure_per_quartiere(dal: date, al: date, quartieri: list[Quartiere], moduli):
    """``[(quartiere, figure)]``, one entry per quartiere.

    An app may offer ``calcola_per_quartiere(dal, al, quartieri) -> {quartiere_pk: section}``
    (the same figures grouped in SQL): then it is called once. Otherwise its ``calcola``
    is called once per quartiere, which costs as many calls as quartieri.
    """
    raggruppate = {}
    for sezione, modulo in moduli.items():
        funzione = getattr(modulo, "calcola_per_quartiere", None)
        if funzione is not None:
            raggruppate[sezione] = funzione(dal, al, list(quartieri))
    singole = {s: m for s, m in moduli.items() if s not in raggruppate}
    risultato = []
    for q in quartieri:
        figure = componi(dal, al, [q], singole, tutti=False)
        for sezione, per_q in raggruppate.items():
            figure[sezione] = _ordina(sezione, per_q[q.pk])
        risultato.append((q, figure))
    return risultato


def multipli_quartieri(
    ora: TabellaQuartieri, prima: TabellaQuartieri, larghezza: int = LARGHEZZA_GRAFICO_STAMPA
) -> list[tuple[str, str]]:
    """A small bar chart per headline figure: each quartiere's bar in the period, the
    comparison period's under it (the same quartieri, in the same order)."""
    precedenti = {codice: valori for codice, _nome, valori in prima.righe}
    grafici_ = []
    for j, (_sezione, _chiave, nome) in enumerate(ora.colonne):
        voci = [
            (nome_q, valori[j], (precedenti.get(codice) or [None] * len(ora.colonne))[j])
            for codice, nome_q, valori in ora.righe
        ]
        grafici_.append((nome, grafici.barre(nome, voci, confronto=True, larghezza=larghezza)))
    return grafici_


def elenchi_per_stampa(dal: date, al: date, quartieri: list[Quartiere], moduli) -> dict:
    """``{sezione: Elenco}`` of the sections whose ``indicators`` module lists records for
    the printed report (``elenco_per_stampa(dal, al, quartieri) -> (template, righe)``,
    optional; the pacts signed in the period, for instance). One query each."""
    elenchi = {}
    for sezione, modulo in moduli.items():
        funzione = getattr(modulo, "elenco_per_stampa", None)
        if funzione is not None:
            template, righe = funzione(dal, al, quartieri)
            elenchi[sezione] = Elenco(template, righe)
    return elenchi


def _grafici_tabelle(
    elenco: list[Tabella], confronto: bool, larghezza: int = 640
) -> dict[str, str]:
    grafici_ = {}
    for tabella in elenco:
        if not tabella.e_ripartizione or not tabella.righe:
            continue
        voci = [(r.etichetta, r.valore, r.precedente) for r in tabella.righe]
        grafici_[tabella.id] = grafici.barre(
            tabella.titolo, voci, confronto=confronto, larghezza=larghezza
        )
    return grafici_


def prepara(
    dal: date,
    al: date,
    quartieri: list[Quartiere],
    *,
    link=None,
    confronto: bool = True,
    modo_confronto: str | None = None,
    periodo_confronto: tuple[date, date] | None = None,
    per_quartiere: bool = True,
    con_andamento: bool = True,
    per_stampa: bool = False,
    con_diario: bool = True,
) -> Relazione:
    """Compute every figure the dashboard (or, with ``per_stampa``, the PDF) shows.

    ``quartieri`` must already be restricted to what the user may see.
    ``link(sezione, indicatore, voce)`` gives the URL of the list behind a figure.
    With ``confronto`` the figures are compared with the period ``modo_confronto`` names
    (:func:`~quartiere.relazioni.figure.periodo_di_confronto`; ``periodo_confronto`` is the
    chosen one).
    """
    moduli = sezioni_disponibili()
    tutti = sono_tutti(quartieri)
    figure = componi(dal, al, quartieri, moduli, tutti)
    relazione = Relazione(dal, al, quartieri, figure, creata_il=timezone.localtime())
    if confronto:
        relazione.confronto, relazione.precedente_dal, relazione.precedente_al = (
            periodo_di_confronto(dal, al, modo_confronto, periodo_confronto)
        )
        relazione.precedenti = componi(
            relazione.precedente_dal, relazione.precedente_al, quartieri, moduli, tutti
        )
    relazione.tabelle = tabelle(figure, relazione.precedenti, link)
    relazione.principali = principali(figure, relazione.precedenti, link)
    relazione.grafici = _grafici_tabelle(
        relazione.tabelle,
        confronto,
        LARGHEZZA_GRAFICO_STAMPA if per_stampa else 640,
    )
    if per_quartiere and quartieri:
        per_q = figure_per_quartiere(dal, al, quartieri, moduli)
        relazione.per_quartiere = tabella_quartieri(per_q)
        if per_stampa and relazione.precedenti is not None and len(quartieri) > 1:
            prima = tabella_quartieri(
                figure_per_quartiere(
                    relazione.precedente_dal, relazione.precedente_al, quartieri, moduli
                )
            )
            relazione.multipli_quartieri = multipli_quartieri(relazione.per_quartiere, prima)
    if con_andamento:
        relazione.andamenti = andamenti(
            dal,
            al,
            quartieri,
            moduli,
            tutti,
            confronto=(relazione.precedente_dal, relazione.precedente_al)
            if per_stampa and confronto
            else None,
            larghezza=LARGHEZZA_GRAFICO_STAMPA,
        )
    if per_stampa or con_diario:
        relazione.diario = attivita_operatori(dal, al, quartieri, tutti)
        relazione.operatori = quadro(
            relazione.diario, dal, al, LARGHEZZA_GRAFICO_STAMPA if per_stampa else 640
        )
    if per_stampa:
        relazione.elenchi = elenchi_per_stampa(dal, al, quartieri, moduli)
        relazione.programmi = programmi_del_periodo(dal, al, None if tutti else quartieri)
    return relazione
