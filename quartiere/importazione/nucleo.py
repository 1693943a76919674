"""The core's sheets: quartieri, organizzazioni, persone (docs/import.md)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import validate_slug
from django.utils.translation import gettext as _

from quartiere.importazione.motore import FOGLI, Colonne, Foglio
from quartiere.importazione.valori import leggi_data, leggi_email, leggi_intero
from quartiere.lib.validators import normalizza_telefono
from quartiere.registro.models import Organizzazione, Persona, TipoOrganizzazione
from quartiere.territorio.models import Quartiere


def _valida_quartiere(v, f, riga):
    if riga.dati["codice"]:
        try:
            validate_slug(riga.dati["codice"])
        except ValidationError:
            v.errore(f, riga, "codice", _("solo lettere, numeri, trattini e trattini bassi"))
        if len(riga.dati["codice"]) > 30:
            v.errore(f, riga, "codice", _("più di %(n)s caratteri") % {"n": 30})
    riga.dati.update(
        nome=v.cella(f, riga, "nome", obbligatoria=True, max_len=120),
        abitanti=v.cella(f, riga, "abitanti", leggi_intero),
        alloggi_erp=v.cella(f, riga, "alloggi_erp", leggi_intero),
    )


def _controlla_quartieri(v, f, righe):
    """One name per quartiere, in the file and against the ones stored under another code."""
    v.codici_unici(
        f, righe, chiave=lambda r: r.valori.get("nome", "").lower() or None, colonna="nome"
    )
    if not righe:
        return
    per_nome = {n.lower(): c for n, c in Quartiere.objects.values_list("nome", "codice")}
    for riga in righe:
        nome, codice = riga.valori.get("nome", ""), riga.valori.get("codice")
        altro = per_nome.get(nome.lower())
        if nome and altro and altro != codice:
            v.errore(f, riga, "nome", _("nome già usato dal quartiere «%(c)s»") % {"c": altro})


def _scrivi_quartiere(s, f, riga):
    d = riga.dati
    valori = {"nome": d["nome"], "abitanti": d["abitanti"], "alloggi_erp": d["alloggi_erp"]}
    return s.salva(f, Quartiere, riga, {"codice": d["codice"]}, valori)[0]


def _contatti(v, f, riga):
    return {
        "email": v.cella(f, riga, "email", leggi_email),
        "telefono": v.cella(f, riga, "telefono", normalizza_telefono),
        "quartiere": v.riferimento(f, riga, "quartiere"),
    }


def _valida_organizzazione(v, f, riga):
    riga.dati.update(
        nome=v.cella(f, riga, "nome", obbligatoria=True, max_len=200),
        tipo=v.scelta(f, riga, "tipo", TipoOrganizzazione.values),
        **_contatti(v, f, riga),
    )


def _scrivi_organizzazione(s, f, riga):
    d = riga.dati
    valori = {
        "nome": d["nome"],
        "tipo": d["tipo"],
        "email": d["email"],
        "telefono": d["telefono"],
        "quartiere_id": s.rif("quartiere", d["quartiere"]),
    }
    return s.salva(f, Organizzazione, riga, {"codice": d["codice"]}, valori)[0]


def _valida_persona(v, f, riga):
    riga.dati.update(
        nome=v.cella(f, riga, "nome", obbligatoria=True, max_len=80),
        cognome=v.cella(f, riga, "cognome", obbligatoria=True, max_len=80),
        consenso_privacy=v.cella(f, riga, "consenso_privacy", leggi_data),
        **_contatti(v, f, riga),
    )


def _scrivi_persona(s, f, riga):
    d = riga.dati
    valori = {
        "nome": d["nome"],
        "cognome": d["cognome"],
        "email": d["email"],
        "telefono": d["telefono"],
        "quartiere_id": s.rif("quartiere", d["quartiere"]),
    }
    if d["consenso_privacy"]:
        valori.update(consenso_privacy=True, consenso_data=d["consenso_privacy"])
    return s.salva(f, Persona, riga, {"codice": d["codice"]}, valori)[0]


FOGLI.registra(
    "quartieri.csv",
    Foglio(
        Colonne(("codice", "nome"), ("abitanti", "alloggi_erp")),
        ordine=10,
        valida=_valida_quartiere,
        scrivi=_scrivi_quartiere,
        definisce="quartiere",
        modello=Quartiere,
        controlli=_controlla_quartieri,
    ),
)
FOGLI.registra(
    "organizzazioni.csv",
    Foglio(
        Colonne(("codice", "nome", "tipo"), ("quartiere", "email", "telefono")),
        ordine=20,
        valida=_valida_organizzazione,
        scrivi=_scrivi_organizzazione,
        definisce="organizzazione",
        modello=Organizzazione,
    ),
)
FOGLI.registra(
    "persone.csv",
    Foglio(
        Colonne(
            ("codice", "nome", "cognome"), ("email", "telefono", "quartiere", "consenso_privacy")
        ),
        ordine=30,
        valida=_valida_persona,
        scrivi=_scrivi_persona,
        definisce="persona",
        modello=Persona,
    ),
)
