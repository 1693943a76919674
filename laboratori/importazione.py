"""The labs' sheets of ``import_data``: laboratori, incontri, presenze (docs/import.md)."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from laboratori.models import Incontro, Laboratorio, Presenza
from quartiere.importazione import FOGLI, Colonne, Foglio
from quartiere.importazione.valori import leggi_data, leggi_data_ora


def _valida_laboratorio(v, f, riga):
    d = riga.dati
    d.update(
        titolo=v.cella(f, riga, "titolo", obbligatoria=True, max_len=200),
        quartiere=v.riferimento(f, riga, "quartiere", obbligatorio=True),
        fase=v.scelta(f, riga, "fase", Laboratorio.Fase.values),
        data_inizio=v.cella(f, riga, "data_inizio", leggi_data, obbligatoria=True),
        data_fine=v.cella(f, riga, "data_fine", leggi_data),
    )
    if d["data_inizio"] and d["data_fine"] and d["data_fine"] < d["data_inizio"]:
        v.errore(f, riga, "data_fine", _("precede data_inizio"))


def _scrivi_laboratorio(s, f, riga):
    d = riga.dati
    valori = {
        "titolo": d["titolo"],
        "quartiere_id": s.rif("quartiere", d["quartiere"]),
        "fase": d["fase"],
        "data_inizio": d["data_inizio"],
        "data_fine": d["data_fine"],
        # A lab whose end date is past is over; otherwise the state is left as it is (a new
        # lab starts "attivo").
        "stato": (
            Laboratorio.Stato.CONCLUSO
            if d["data_fine"] and d["data_fine"] < timezone.localdate()
            else None
        ),
    }
    return s.salva(f, Laboratorio, riga, {"codice": d["codice"]}, valori)[0]


def _valida_incontro(v, f, riga):
    d = riga.dati
    data = v.cella(f, riga, "data", leggi_data_ora, obbligatoria=True)
    # An empty state follows the date: held if it is past, scheduled if it is to come.
    futuro = data is not None and data > timezone.now()
    predefinito = Incontro.Stato.PROGRAMMATO if futuro else Incontro.Stato.SVOLTO
    d.update(
        laboratorio=v.riferimento(f, riga, "laboratorio", obbligatorio=True),
        data=data,
        luogo=v.cella(f, riga, "luogo", max_len=200),
        titolo=v.cella(f, riga, "titolo", max_len=200),
        stato=v.scelta(f, riga, "stato", Incontro.Stato.values, predefinito=predefinito),
    )
    if futuro and d["stato"] == Incontro.Stato.SVOLTO:
        v.errore(f, riga, "stato", _("«svolto» per un incontro che deve ancora iniziare"))


def _scrivi_incontro(s, f, riga):
    d = riga.dati
    valori = {
        "laboratorio_id": s.rif("laboratorio", d["laboratorio"]),
        "inizio": d["data"],
        "luogo": d["luogo"],
        "titolo": d["titolo"],
        "stato": d["stato"],
    }
    return s.salva(f, Incontro, riga, {"codice": d["codice"]}, valori)[0]


def _valida_presenza(v, f, riga):
    d = riga.dati
    d.update(
        incontro=v.riferimento(f, riga, "incontro", obbligatorio=True),
        persona=v.riferimento(f, riga, "persona"),
        organizzazione=v.riferimento(f, riga, "organizzazione"),
    )
    if not riga.valori.get("persona") and not riga.valori.get("organizzazione"):
        v.errore(f, riga, "persona", _("indicare una persona, un'organizzazione o entrambe"))


def _chiave_presenza(riga):
    v = riga.valori
    if v.get("persona"):
        return (v["incontro"], "p", v["persona"])
    return (v["incontro"], "o", v.get("organizzazione"))


def _controlla_presenze(v, f, righe):
    v.codici_unici(f, righe, chiave=_chiave_presenza, colonna="persona")


def _scrivi_presenza(s, f, riga):
    d = riga.dati
    incontro = s.rif("incontro", d["incontro"])
    persona = s.rif("persona", d["persona"])
    organizzazione = s.rif("organizzazione", d["organizzazione"])
    if persona:
        chiave = {"incontro_id": incontro, "persona_id": persona}
    else:
        chiave = {"incontro_id": incontro, "persona_id": None, "organizzazione_id": organizzazione}
    return s.salva(f, Presenza, riga, chiave, {"organizzazione_id": organizzazione})[0]


FOGLI.registra(
    "laboratori.csv",
    Foglio(
        Colonne(("codice", "titolo", "quartiere", "fase", "data_inizio"), ("data_fine",)),
        ordine=40,
        valida=_valida_laboratorio,
        scrivi=_scrivi_laboratorio,
        definisce="laboratorio",
        modello=Laboratorio,
    ),
)
FOGLI.registra(
    "incontri.csv",
    Foglio(
        Colonne(("codice", "laboratorio", "data"), ("luogo", "titolo", "stato")),
        ordine=50,
        valida=_valida_incontro,
        scrivi=_scrivi_incontro,
        definisce="incontro",
        modello=Incontro,
    ),
)
FOGLI.registra(
    "presenze.csv",
    Foglio(
        Colonne(("incontro",), ("persona", "organizzazione")),
        ordine=60,
        valida=_valida_presenza,
        scrivi=_scrivi_presenza,
        controlli=_controlla_presenze,
    ),
)
