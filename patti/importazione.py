"""The pacts' sheets of ``import_data``: patti, firmatari, progetti (docs/import.md)."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import F
from django.utils.translation import gettext as _

from patti.models import (
    STATI_CON_FIRMA,
    TIPI_CON_ORGANIZZAZIONE,
    AmbitoProgetto,
    Firmatario,
    Impegno,
    Patto,
    Progetto,
    StatoPatto,
    TipoFirmatario,
)
from patti.services import registra_stato_importato, sigilla_firmati
from quartiere.importazione import FOGLI, Colonne, Foglio
from quartiere.importazione.valori import leggi_data, leggi_decimale

#: Separator of the commitments in the ``impegni`` column of firmatari.csv.
SEPARATORE_IMPEGNI = "|"


def _valida_patto(v, f, riga):
    d = riga.dati
    d.update(
        titolo=v.cella(f, riga, "titolo", obbligatoria=True, max_len=200),
        quartiere=v.riferimento(f, riga, "quartiere", obbligatorio=True),
        laboratorio=v.riferimento(f, riga, "laboratorio"),
        stato=v.scelta(f, riga, "stato", StatoPatto.values),
        data_firma=v.cella(f, riga, "data_firma", leggi_data),
        data_inizio=v.cella(f, riga, "data_inizio", leggi_data),
        data_fine=v.cella(f, riga, "data_fine", leggi_data),
        rinnova=v.riferimento(f, riga, "rinnova", tipo="patto"),
    )
    if d["stato"] in STATI_CON_FIRMA and not riga.valori.get("data_firma"):
        v.errore(
            f,
            riga,
            "data_firma",
            _("obbligatoria per un patto nello stato «%(s)s»") % {"s": d["stato"]},
        )
    if d["data_inizio"] and d["data_fine"] and d["data_fine"] < d["data_inizio"]:
        v.errore(f, riga, "data_fine", _("precede data_inizio"))
    if d["rinnova"] and d["rinnova"] == d["codice"]:
        v.errore(f, riga, "rinnova", _("un patto non può rinnovare sé stesso"))


def _controlla_patti(v, f, righe):
    """A new pact takes its codice as its number: refuse one another pact already has."""
    codici = [r.valori["codice"] for r in righe if r.valori.get("codice")]
    if not codici:
        return
    occupati = dict(Patto.objects.filter(numero__in=codici).values_list("numero", "codice"))
    for riga in righe:
        codice = riga.valori.get("codice")
        if codice in occupati and occupati[codice] != codice:
            v.errore(
                f,
                riga,
                "codice",
                _("il numero «%(c)s» appartiene già a un altro patto") % {"c": codice},
            )


def _scrivi_patto(s, f, riga):
    d = riga.dati
    esistente = Patto.objects.filter(codice=d["codice"]).values_list("stato", flat=True).first()
    patto, creato = s.salva(
        f,
        Patto,
        riga,
        {"codice": d["codice"]},
        {
            "numero": d["codice"] if esistente is None else None,
            "titolo": d["titolo"],
            "quartiere_id": s.rif("quartiere", d["quartiere"]),
            "laboratorio_id": s.rif("laboratorio", d["laboratorio"]),
            "stato": d["stato"],
            "data_firma": d["data_firma"],
            "data_inizio": d["data_inizio"],
            "data_fine": d["data_fine"],
        },
    )
    if creato or esistente != patto.stato:
        registra_stato_importato(patto, esistente or "", file=f)
    return patto


def _rinnovi(s, f, righe):
    """Link renewals once every pact of the file exists (a renewal may come first)."""
    for riga in righe:
        d = riga.dati
        if d["rinnova"]:
            rinnovato = s.rif("patto", d["rinnova"])
            aggiornati = Patto.objects.filter(codice=d["codice"]).exclude(rinnova_id=rinnovato)
            aggiornati.update(rinnova_id=rinnovato, versione=F("versione") + 1)


def _valida_firmatario(v, f, riga):
    d = riga.dati
    d.update(
        patto=v.riferimento(f, riga, "patto", obbligatorio=True),
        tipo=v.scelta(f, riga, "tipo", TipoFirmatario.values),
        persona=v.riferimento(f, riga, "persona"),
        organizzazione=v.riferimento(f, riga, "organizzazione"),
        impegni=[
            i.strip() for i in riga.valori.get("impegni", "").split(SEPARATORE_IMPEGNI) if i.strip()
        ],
    )
    persona, organizzazione = riga.valori.get("persona"), riga.valori.get("organizzazione")
    tipo = d["tipo"]
    if tipo == TipoFirmatario.COMUNE:
        for colonna, valore in (("persona", persona), ("organizzazione", organizzazione)):
            if valore:
                v.errore(
                    f, riga, colonna, _("una riga del Comune non indica %(c)s") % {"c": colonna}
                )
    elif tipo == TipoFirmatario.VOLONTARIO:
        if not persona:
            v.errore(f, riga, "persona", _("obbligatoria per un volontario"))
        if organizzazione:
            v.errore(f, riga, "organizzazione", _("un volontario firma come persona"))
    elif tipo == TipoFirmatario.GRUPPO_INFORMALE:
        if bool(persona) == bool(organizzazione):
            v.errore(
                f,
                riga,
                "persona",
                _(
                    "un gruppo informale indica il portavoce (persona) oppure il gruppo "
                    "(organizzazione), non entrambi"
                ),
            )
    elif tipo in TIPI_CON_ORGANIZZAZIONE:
        if not organizzazione:
            v.errore(f, riga, "organizzazione", _("obbligatoria per il tipo «%(t)s»") % {"t": tipo})
        if persona:
            v.errore(
                f, riga, "persona", _("il tipo «%(t)s» firma come organizzazione") % {"t": tipo}
            )


def _chiave_firmatario(riga):
    v = riga.valori
    if v.get("tipo") == TipoFirmatario.COMUNE:
        return (v.get("patto"), "comune")
    if v.get("persona"):
        return (v.get("patto"), "p", v["persona"])
    if v.get("organizzazione"):
        return (v.get("patto"), "o", v["organizzazione"])
    return None


def _controlla_firmatari(v, f, righe):
    v.codici_unici(f, righe, chiave=_chiave_firmatario, colonna="tipo")


def _scrivi_firmatario(s, f, riga):
    d = riga.dati
    patto = s.rif("patto", d["patto"])
    persona = s.rif("persona", d["persona"])
    organizzazione = s.rif("organizzazione", d["organizzazione"])
    if d["tipo"] == TipoFirmatario.COMUNE:
        chiave = {"patto_id": patto, "tipo": TipoFirmatario.COMUNE}
    elif persona:
        chiave = {"patto_id": patto, "persona_id": persona}
    else:
        chiave = {"patto_id": patto, "organizzazione_id": organizzazione}
    firmatario, _c = s.salva(f, Firmatario, riga, chiave, {"tipo": d["tipo"]})
    if d["impegni"]:
        presenti = set(firmatario.impegni.values_list("descrizione", flat=True))
        Impegno.objects.bulk_create(
            [
                Impegno(firmatario=firmatario, descrizione=testo)
                for testo in dict.fromkeys(d["impegni"])
                if testo not in presenti
            ]
        )
    return firmatario


def _valida_progetto(v, f, riga):
    d = riga.dati
    d.update(
        patto=v.riferimento(f, riga, "patto", obbligatorio=True),
        titolo=v.cella(f, riga, "titolo", obbligatoria=True, max_len=200),
        ambito=v.scelta(f, riga, "ambito", AmbitoProgetto.values),
        budget=v.cella(f, riga, "budget", leggi_decimale),
    )
    if d["budget"] is not None and d["budget"] < 0:
        v.errore(f, riga, "budget", _("non può essere negativo"))
    if d["budget"] is not None and d["budget"] >= Decimal("1e10"):
        v.errore(f, riga, "budget", _("troppo grande"))


def _scrivi_progetto(s, f, riga):
    d = riga.dati
    valori = {
        "patto_id": s.rif("patto", d["patto"]),
        "titolo": d["titolo"],
        "ambito": d["ambito"],
        "budget": d["budget"],
    }
    return s.salva(f, Progetto, riga, {"codice": d["codice"]}, valori)[0]


FOGLI.registra(
    "patti.csv",
    Foglio(
        Colonne(
            ("codice", "titolo", "quartiere", "stato"),
            ("laboratorio", "data_firma", "data_inizio", "data_fine", "rinnova"),
        ),
        ordine=70,
        valida=_valida_patto,
        scrivi=_scrivi_patto,
        definisce="patto",
        modello=Patto,
        alias={"rinnova": "patto"},
        controlli=_controlla_patti,
        dopo=_rinnovi,
        chiudi=sigilla_firmati,
    ),
)
FOGLI.registra(
    "firmatari.csv",
    Foglio(
        Colonne(("patto", "tipo"), ("persona", "organizzazione", "impegni")),
        ordine=80,
        valida=_valida_firmatario,
        scrivi=_scrivi_firmatario,
        controlli=_controlla_firmatari,
    ),
)
FOGLI.registra(
    "progetti.csv",
    Foglio(
        Colonne(("codice", "patto", "titolo", "ambito"), ("budget",)),
        ordine=90,
        valida=_valida_progetto,
        scrivi=_scrivi_progetto,
    ),
)
