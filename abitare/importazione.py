"""The housing sheets of ``import_data``: immobili, alloggi, nuclei, assegnazioni
(docs/import.md). All or nothing, like every sheet: one error anywhere and nothing is
written.

A flat has no code of its own across buildings: the other sheets name it by its building
and its code in the building. An assignment's state follows its dates (an exit date:
concluded; an entry date: lived in; an assignment date: assigned; else pre-assigned), and
once the assignments are written each flat they touch takes the state its current
assignment gives it, through ``save()``.
"""

from __future__ import annotations

import re

from django.db.models import Prefetch
from django.utils.translation import gettext as _

from abitare.models import (
    STATI_CORRENTI,
    Alloggio,
    Assegnazione,
    Componente,
    GruppoTarget,
    Immobile,
    Nucleo,
    StatoAlloggio,
    StatoAssegnazione,
    StatoLavori,
)
from quartiere.importazione import FOGLI, Colonne, Foglio
from quartiere.importazione.valori import (
    ValoreNonValido,
    leggi_data,
    leggi_decimale,
    leggi_email,
    leggi_intero,
    leggi_si_no,
)
from quartiere.lib.validators import normalizza_telefono

#: The state a flat takes from its current assignment's state.
STATO_ALLOGGIO = {
    StatoAssegnazione.PRE_ASSEGNATA: StatoAlloggio.PRE_ASSEGNATO,
    StatoAssegnazione.ASSEGNATA: StatoAlloggio.ASSEGNATO,
    StatoAssegnazione.ABITATA: StatoAlloggio.OCCUPATO,
}


def _piano(testo: str) -> int:
    valore = testo.strip()
    if not re.fullmatch(r"-?\d{1,3}", valore) or not -5 <= int(valore) <= 100:
        raise ValoreNonValido(_("«%(v)s» non è un piano tra -5 e 100") % {"v": testo})
    return int(valore)


# --- immobili.csv ---------------------------------------------------------------------------


def _valida_immobile(v, f, riga):
    riga.dati.update(
        nome=v.cella(f, riga, "nome", obbligatoria=True, max_len=200),
        indirizzo=v.cella(f, riga, "indirizzo", obbligatoria=True, max_len=200),
        quartiere=v.riferimento(f, riga, "quartiere", obbligatorio=True),
        gestore=v.riferimento(f, riga, "gestore", tipo="organizzazione"),
        programma=v.cella(f, riga, "programma", max_len=200),
        stato_lavori=v.scelta(f, riga, "stato_lavori", StatoLavori.values, obbligatoria=False),
        fine_lavori=v.cella(f, riga, "fine_lavori", leggi_data),
    )


def _scrivi_immobile(s, f, riga):
    d = riga.dati
    valori = {
        "nome": d["nome"],
        "indirizzo": d["indirizzo"],
        "quartiere_id": s.rif("quartiere", d["quartiere"]),
        "gestore_id": s.rif("organizzazione", d["gestore"]),
        "programma": d["programma"],
        "stato_lavori": d["stato_lavori"],
        "fine_lavori": d["fine_lavori"],
    }
    return s.salva(f, Immobile, riga, {"codice": d["codice"]}, valori)[0]


# --- alloggi.csv ----------------------------------------------------------------------------


def _valida_alloggio(v, f, riga):
    riga.dati.update(
        immobile=v.riferimento(f, riga, "immobile", obbligatorio=True),
        alloggio=v.cella(f, riga, "alloggio", obbligatoria=True, max_len=20),
        piano=v.cella(f, riga, "piano", _piano, obbligatoria=True),
        locali=v.cella(f, riga, "locali", leggi_intero, obbligatoria=True),
        scala=v.cella(f, riga, "scala", max_len=10),
        superficie=v.cella(f, riga, "superficie", leggi_decimale),
        accessibile=v.cella(f, riga, "accessibile", leggi_si_no),
        stato=v.scelta(f, riga, "stato", StatoAlloggio.values, obbligatoria=False),
    )
    if riga.dati["locali"] == 0:
        v.errore(f, riga, "locali", _("almeno un locale"))
    superficie = riga.dati["superficie"]
    if superficie is not None and superficie <= 0:
        v.errore(f, riga, "superficie", _("deve essere maggiore di zero"))


def _coppia(riga) -> tuple[str, str] | None:
    """(building, flat) named by a row, or None when either is missing."""
    coppia = (riga.valori.get("immobile"), riga.valori.get("alloggio"))
    return coppia if all(coppia) else None


def _controlla_alloggi(v, f, righe):
    v.codici_unici(f, righe, chiave=_coppia, colonna="alloggio")


def _scrivi_alloggio(s, f, riga):
    d = riga.dati
    chiave = {"immobile_id": s.rif("immobile", d["immobile"]), "codice": d["alloggio"]}
    valori = {
        "piano": d["piano"],
        "locali": d["locali"],
        "scala": d["scala"],
        "superficie": d["superficie"],
        "accessibile": d["accessibile"],
        "stato": d["stato"],
    }
    return s.salva(f, Alloggio, riga, chiave, valori)[0]


# --- nuclei.csv -----------------------------------------------------------------------------


def _valida_nucleo(v, f, riga):
    riga.dati.update(
        nome=v.cella(f, riga, "nome", obbligatoria=True, max_len=120),
        quartiere=v.riferimento(f, riga, "quartiere", obbligatorio=True),
        gruppo_target=v.scelta(f, riga, "gruppo_target", GruppoTarget.values),
        lingua=v.cella(f, riga, "lingua", max_len=120),
        telefono=v.cella(f, riga, "telefono", normalizza_telefono),
        email=v.cella(f, riga, "email", leggi_email),
        intestatario=v.riferimento(f, riga, "intestatario", tipo="persona"),
    )


def _controlla_nuclei(v, f, righe):
    v.codici_unici(f, righe, chiave=lambda r: r.valori.get("intestatario"), colonna="intestatario")
    # A person is in one household: one already in another household cannot hold this one.
    persone = {r.valori["intestatario"]: r for r in righe if r.valori.get("intestatario")}
    altrove = Componente.objects.filter(persona__codice__in=persone).exclude(
        nucleo__codice__in=[r.valori.get("codice") for r in righe]
    )
    for codice, nucleo in altrove.values_list("persona__codice", "nucleo__nome"):
        v.errore(
            f,
            persone[codice],
            "intestatario",
            _("la persona fa già parte del nucleo «%(n)s»") % {"n": nucleo},
        )


def _scrivi_nucleo(s, f, riga):
    d = riga.dati
    valori = {
        "nome": d["nome"],
        "quartiere_id": s.rif("quartiere", d["quartiere"]),
        "gruppo_target": d["gruppo_target"],
        "lingua": d["lingua"],
        "telefono": d["telefono"],
        "email": d["email"],
    }
    nucleo = s.salva(f, Nucleo, riga, {"codice": d["codice"]}, valori)[0]
    persona = s.rif("persona", d["intestatario"])
    if persona and not Componente.objects.filter(nucleo=nucleo, persona_id=persona).exists():
        Componente.objects.filter(nucleo=nucleo, intestatario=True).update(intestatario=False)
        Componente.objects.create(nucleo=nucleo, persona_id=persona, intestatario=True)
    return nucleo


# --- assegnazioni.csv -----------------------------------------------------------------------

_DATE = ("pre_assegnata_il", "assegnata_il", "ingresso_il", "uscita_il")


def _stato(d) -> str:
    if d["uscita_il"]:
        return StatoAssegnazione.CONCLUSA
    if d["ingresso_il"]:
        return StatoAssegnazione.ABITATA
    if d["assegnata_il"]:
        return StatoAssegnazione.ASSEGNATA
    return StatoAssegnazione.PRE_ASSEGNATA


def _valida_assegnazione(v, f, riga):
    d = riga.dati
    d.update(
        nucleo=v.riferimento(f, riga, "nucleo", obbligatorio=True),
        immobile=v.riferimento(f, riga, "immobile", obbligatorio=True),
        alloggio=v.cella(f, riga, "alloggio", obbligatoria=True, max_len=20),
        **{c: v.cella(f, riga, c, leggi_data, obbligatoria=c == "pre_assegnata_il") for c in _DATE},
    )
    # Each step needs the one before, and the dates follow the steps.
    for prima, dopo in zip(_DATE, _DATE[1:], strict=False):
        if d[dopo] and not d[prima] and prima != "pre_assegnata_il":
            v.errore(f, riga, prima, _("manca: «%(c)s» ha una data") % {"c": dopo})
        if d[dopo] and d[prima] and d[dopo] < d[prima]:
            v.errore(f, riga, dopo, _("precede «%(c)s»") % {"c": prima})


def _controlla_assegnazioni(v, f, righe):
    """A flat and a household have one current assignment each: in the file, and with the
    database (a current assignment there that this file does not list)."""
    correnti = [r for r in righe if not r.valori.get("uscita_il") and r.valori.get("nucleo")]
    v.codici_unici(f, correnti, chiave=_coppia, colonna="alloggio")
    v.codici_unici(f, correnti, chiave=lambda r: r.valori.get("nucleo"), colonna="nucleo")
    # The households holding the named flats in the database: one query for the whole file.
    coppie = {c for r in correnti if (c := _coppia(r))}
    titolari: dict[tuple[str, str], set[str]] = {}
    for immobile, alloggio, nucleo in Assegnazione.objects.filter(
        stato__in=STATI_CORRENTI,
        alloggio__immobile__codice__in={i for i, _a in coppie},
        alloggio__codice__in={a for _i, a in coppie},
    ).values_list("alloggio__immobile__codice", "alloggio__codice", "nucleo__codice"):
        titolari.setdefault((immobile, alloggio), set()).add(nucleo)
    for riga in correnti:
        altri = titolari.get(_coppia(riga), set()) - {riga.valori.get("nucleo")}
        if altri:
            v.errore(f, riga, "alloggio", _("l'alloggio ha già un'assegnazione in corso"))
    # Every flat named exists, in the file's alloggi or in the database.
    nel_file = {_coppia(r) for r in v.fogli.get("alloggi.csv", [])}
    nominati = {c for r in righe if (c := _coppia(r))}
    esistenti = set(
        Alloggio.objects.filter(
            immobile__codice__in={i for i, _a in nominati}, codice__in={a for _i, a in nominati}
        ).values_list("immobile__codice", "codice")
    )
    for riga in righe:
        coppia = _coppia(riga)
        if coppia and coppia not in nel_file and coppia not in esistenti:
            v.errore(
                f,
                riga,
                "alloggio",
                _("l'alloggio «%(a)s» non esiste nell'immobile «%(i)s»")
                % {"a": coppia[1], "i": coppia[0]},
            )


def _scrivi_assegnazione(s, f, riga):
    d = riga.dati
    alloggio = Alloggio.objects.only("pk").get(
        immobile_id=s.rif("immobile", d["immobile"]), codice=d["alloggio"]
    )
    chiave = {
        "alloggio_id": alloggio.pk,
        "nucleo_id": s.rif("nucleo", d["nucleo"]),
        "pre_assegnata_il": d["pre_assegnata_il"],
    }
    valori = {c: d[c] for c in _DATE[1:]}
    valori["stato"] = _stato(d)
    return s.salva(f, Assegnazione, riga, chiave, valori)[0]


def _stati_degli_alloggi(s, f, righe):
    """Each flat the file touched takes the state of its current assignment (or "sfitto"
    when its last one ended), saved like any change."""
    coppie = {(s.rif("immobile", r.dati["immobile"]), r.dati["alloggio"]) for r in righe}
    correnti = Prefetch(
        "assegnazioni",
        queryset=Assegnazione.objects.filter(stato__in=STATI_CORRENTI),
        to_attr="correnti",
    )
    alloggi = Alloggio.objects.filter(
        immobile_id__in={i for i, _c in coppie}, codice__in={c for _i, c in coppie}
    ).prefetch_related(correnti)
    for alloggio in alloggi:
        if (alloggio.immobile_id, alloggio.codice) not in coppie:
            continue
        corrente = alloggio.correnti[0] if alloggio.correnti else None
        stato = STATO_ALLOGGIO[corrente.stato] if corrente else StatoAlloggio.SFITTO
        if alloggio.stato != stato:
            alloggio.stato = stato
            alloggio.versione += 1
            alloggio._change_reason = _("Aggiornato da %(f)s") % {"f": f}
            alloggio.save(update_fields=["stato", "versione"])


FOGLI.registra(
    "immobili.csv",
    Foglio(
        Colonne(
            ("codice", "nome", "indirizzo", "quartiere"),
            ("gestore", "programma", "stato_lavori", "fine_lavori"),
        ),
        ordine=100,
        valida=_valida_immobile,
        scrivi=_scrivi_immobile,
        definisce="immobile",
        modello=Immobile,
        alias={"gestore": "organizzazione"},
    ),
)
FOGLI.registra(
    "alloggi.csv",
    Foglio(
        Colonne(
            ("immobile", "alloggio", "piano", "locali"),
            ("scala", "superficie", "accessibile", "stato"),
        ),
        ordine=110,
        valida=_valida_alloggio,
        scrivi=_scrivi_alloggio,
        controlli=_controlla_alloggi,
    ),
)
FOGLI.registra(
    "nuclei.csv",
    Foglio(
        Colonne(
            ("codice", "nome", "quartiere", "gruppo_target"),
            ("lingua", "telefono", "email", "intestatario"),
        ),
        ordine=120,
        valida=_valida_nucleo,
        scrivi=_scrivi_nucleo,
        definisce="nucleo",
        modello=Nucleo,
        alias={"intestatario": "persona"},
        controlli=_controlla_nuclei,
    ),
)
FOGLI.registra(
    "assegnazioni.csv",
    Foglio(
        Colonne(
            ("nucleo", "immobile", "alloggio", "pre_assegnata_il"),
            ("assegnata_il", "ingresso_il", "uscita_il"),
        ),
        ordine=130,
        valida=_valida_assegnazione,
        scrivi=_scrivi_assegnazione,
        controlli=_controlla_assegnazioni,
        dopo=_stati_degli_alloggi,
    ),
)
