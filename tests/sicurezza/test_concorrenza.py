"""Optimistic locking on every page that edits a stored record (issue 9).

Each case is one edit path: two people open the same form, the first saves, the second
save is refused with the conflict message listing the first one's value, and the
database keeps the first value. The forms are read from the rendered HTML, as a browser
would send them, so the hidden ``versione_letta`` must really be on the page.
"""

from __future__ import annotations

import datetime
import io
import re
import threading
import time
from decimal import Decimal
from html.parser import HTMLParser
from types import SimpleNamespace

import pytest
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from laboratori import services as servizi_laboratori
from laboratori.models import Presenza
from mediazione import services as servizi_mediazione
from mediazione.models import Accordo
from patti import services as servizi_patti
from patti.models import Misurazione
from quartiere.accesso.versioni import ConflittoModifica, salva_versionato
from quartiere.calendario.services import conferma_prenotazione
from quartiere.privacy.models import Informativa, Trattamento
from quartiere.registro.forms import PersonaForm
from quartiere.registro.models import Persona
from segnalazioni import services as servizi_segnalazioni
from tests import factories
from tests.calendario.factories import AttivitaDiarioFactory, PrenotazioneFactory
from tests.laboratori.factories import (
    IncontroFactory,
    LaboratorioFactory,
    PresenzaFactory,
    PropostaFactory,
)
from tests.mediazione.factories import DossierFactory, ParteFactory
from tests.patti.factories import (
    FirmatarioOrganizzazioneFactory,
    ImpegnoFactory,
    IndicatoreFactory,
    PattoFactory,
    ProgettoFactory,
)
from tests.permessi import test_retention
from tests.segnalazioni.factories import SegnalazioneFactory

MESSAGGIO = escape("Qualcun altro ha salvato questa scheda dopo che l'avevi aperta")


# --- Reading a form the way a browser submits it ------------------------------------------


class _Moduli(HTMLParser):
    """Every <form method=post> of a page as a list of (name, value) pairs."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.moduli: list[list[list]] = []
        self._dentro = False
        self._select = None
        self._textarea = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and (a.get("method") or "").lower() == "post":
            self._dentro = True
            self.moduli.append([])
            return
        if not self._dentro or "name" not in a or "disabled" in a:
            if tag == "option" and self._select is not None:
                self._opzione(a)
            return
        campi = self.moduli[-1]
        if tag == "input":
            tipo = (a.get("type") or "text").lower()
            if tipo in {"submit", "button", "file", "image", "reset"}:
                return
            if tipo in {"checkbox", "radio"} and "checked" not in a:
                return
            campi.append([a["name"], a.get("value", "on" if tipo == "checkbox" else "")])
        elif tag == "textarea":
            self._textarea = [a["name"], ""]
            campi.append(self._textarea)
        elif tag == "select":
            self._select = {"nome": a["name"], "multipla": "multiple" in a, "scelte": []}

    def _opzione(self, a):
        self._select["scelte"].append((a.get("value", ""), "selected" in a))

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._dentro = False
        elif tag == "textarea":
            self._textarea = None
            if self.moduli and self.moduli[-1] and self.moduli[-1][-1][1].startswith("\n"):
                # A newline right after <textarea> is not part of the value.
                self.moduli[-1][-1][1] = self.moduli[-1][-1][1][1:]
        elif tag == "select" and self._select is not None:
            s, self._select = self._select, None
            scelte = [v for v, sel in s["scelte"] if sel]
            if not scelte and not s["multipla"] and s["scelte"]:
                scelte = [s["scelte"][0][0]]
            self.moduli[-1].extend([s["nome"], v] for v in scelte)


def modulo_con_versione(html: str) -> list[list]:
    """The form of the page that carries a ``versione_letta`` field."""
    lettore = _Moduli()
    lettore.feed(html)
    for campi in lettore.moduli:
        if any(nome.endswith("versione_letta") for nome, _v in campi):
            return campi
    raise AssertionError("nessun modulo con versione_letta nella pagina")


def imposta(campi: list[list], campo: str, valore: str) -> dict:
    """``campi`` with ``campo`` set: an exact name, or ``>name`` for the first inline row."""
    if campo.startswith(">"):
        trovati = [c for c in campi if re.fullmatch(rf"\w+-0-{campo[1:]}", c[0])]
    else:
        trovati = [c for c in campi if c[0] == campo]
    assert len(trovati) == 1, (campo, [c[0] for c in campi])
    trovati[0][1] = valore
    dati: dict[str, list[str]] = {}
    for nome, v in campi:
        dati.setdefault(nome, []).append(v)
    return dati


def errori(html: str) -> str:
    """The error block of a page: the staff pages' alert, or the admin's error lists."""
    if 'id="errori-form"' in html:
        return html.split('id="errori-form"', 1)[1].split("</div>", 1)[0]
    blocchi = re.findall(r'<ul class="errorlist nonfield[^"]*">(.*?)</ul>', html, re.S)
    return "".join(blocchi)


# --- The edit paths ---------------------------------------------------------------------


@pytest.fixture
def mondo(cast, san_siro):
    return SimpleNamespace(
        **cast,
        san_siro=san_siro,
        coordinatore_due=factories.utente("coordinatore", "coordinatore.due", is_staff=True),
        mediatore_due=factories.utente("mediatore", "mediatore.due"),
    )


def _persona(m):
    return factories.PersonaFactory(quartiere=m.san_siro)


def _organizzazione(m):
    return factories.OrganizzazioneFactory(quartiere=m.san_siro)


def _dossier(m):
    return DossierFactory(
        quartiere=m.san_siro, creato_da=m.mediatore, mediatori=[m.mediatore, m.mediatore_due]
    )


def _parte(m):
    return ParteFactory(dossier=_dossier(m), persona=_persona(m))


def _accordo(m):
    parte = _parte(m)
    accordo = Accordo.objects.create(
        dossier=parte.dossier, testo="Silenzio dopo le 22.", data=timezone.localdate()
    )
    accordo.parti_aderenti.add(parte)
    return accordo


def _laboratorio(m):
    return LaboratorioFactory(quartiere=m.san_siro)


def _incontro(m):
    return IncontroFactory(laboratorio=_laboratorio(m))


def _patto(m):
    return PattoFactory(quartiere=m.san_siro)


def _firmatario(m):
    return FirmatarioOrganizzazioneFactory(
        patto=_patto(m), organizzazione=_organizzazione(m), ufficio="Ufficio iniziale"
    )


def _indicatore(m):
    return IndicatoreFactory(patto=_patto(m))


def _misurazione(m):
    return Misurazione.objects.create(
        indicatore=_indicatore(m), data=datetime.date(2025, 5, 1), valore=Decimal("3")
    )


def _admin(obj, vista="change"):
    return reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_{vista}", args=[obj.pk])


# (id, the record, its edit page, the field changed, where the value is stored, users)
_OPERATORI = ("operatore", "coordinatore")
_MEDIATORI = ("mediatore", "mediatore_due")
_COORDINATORI = ("coordinatore", "coordinatore_due")
STAFF = [
    ("persona", _persona, lambda o: reverse("quartiere:persona_update", args=[o.pk]), "note"),
    (
        "organizzazione",
        _organizzazione,
        lambda o: reverse("quartiere:organizzazione_update", args=[o.pk]),
        "note",
    ),
    (
        "diario",
        lambda m: AttivitaDiarioFactory(operatore=m.operatore, quartiere=m.san_siro),
        lambda o: reverse("quartiere:diario_modifica", args=[o.pk]),
        "nota",
    ),
    (
        "segnalazione",
        lambda m: SegnalazioneFactory(quartiere=m.san_siro),
        lambda o: reverse("segnalazioni:modifica", args=[o.pk]),
        "descrizione",
    ),
    ("dossier", _dossier, lambda o: reverse("mediazione:modifica", args=[o.pk]), "descrizione"),
    (
        "parte",
        _parte,
        lambda o: reverse("mediazione:parte_modifica", args=[o.dossier_id, o.pk]),
        "note",
    ),
    ("accordo", _accordo, lambda o: reverse("mediazione:accordo", args=[o.dossier_id]), "testo"),
    (
        "laboratorio",
        _laboratorio,
        lambda o: reverse("laboratori:modifica", args=[o.pk]),
        "descrizione",
    ),
    (
        "incontro",
        _incontro,
        lambda o: reverse("laboratori:incontro_modifica", args=[o.pk]),
        "ordine_del_giorno",
    ),
    (
        "proposta",
        lambda m: PropostaFactory(laboratorio=_laboratorio(m)),
        lambda o: reverse("laboratori:proposta_modifica", args=[o.pk]),
        "descrizione",
    ),
    ("patto", _patto, lambda o: reverse("patti:modifica", args=[o.pk]), "finalita"),
    (
        "rendicontazione",
        _patto,
        lambda o: reverse("patti:rendicontazione", args=[o.pk]),
        "rendicontazione",
    ),
    (
        "firmatario",
        _firmatario,
        lambda o: reverse("patti:firmatario_modifica", args=[o.pk]),
        "ufficio",
    ),
    (
        "impegno",
        lambda m: ImpegnoFactory(firmatario=_firmatario(m)),
        lambda o: reverse("patti:impegno_modifica", args=[o.pk]),
        "descrizione",
    ),
    (
        "progetto",
        lambda m: ProgettoFactory(patto=_patto(m)),
        lambda o: reverse("patti:progetto_modifica", args=[o.pk]),
        "descrizione",
    ),
    (
        "indicatore",
        _indicatore,
        lambda o: reverse("patti:indicatore_modifica", args=[o.pk]),
        "unita",
    ),
    (
        "misurazione",
        _misurazione,
        lambda o: reverse("patti:misurazione_modifica", args=[o.pk]),
        "nota",
    ),
]
UTENTI_STAFF = {"dossier": _MEDIATORI, "parte": _MEDIATORI, "accordo": _MEDIATORI}


def _con_figlio(crea_genitore, crea_figlio):
    """The parent's admin page; the record checked is its only inline row."""

    def costruisci(m):
        genitore = crea_genitore(m)
        return genitore, crea_figlio(m, genitore)

    return costruisci


ADMIN = [
    ("persona", _persona, "note"),
    ("organizzazione", _organizzazione, "note"),
    ("prenotazione", lambda m: PrenotazioneFactory(), "titolo"),
    (
        "attivita-diario",
        lambda m: AttivitaDiarioFactory(operatore=m.operatore, quartiere=m.san_siro),
        "nota",
    ),
    ("segnalazione", lambda m: SegnalazioneFactory(quartiere=m.san_siro), "descrizione"),
    ("laboratorio", _laboratorio, "descrizione"),
    ("incontro", _incontro, "luogo"),
    ("proposta", lambda m: PropostaFactory(laboratorio=_laboratorio(m)), "descrizione"),
    ("patto", _patto, "finalita"),
    ("firmatario", _firmatario, "ufficio"),
    ("impegno", lambda m: ImpegnoFactory(firmatario=_firmatario(m)), "descrizione"),
    ("progetto", lambda m: ProgettoFactory(patto=_patto(m)), "descrizione"),
    ("indicatore", _indicatore, "unita"),
    (
        "informativa-bozza",
        lambda m: Informativa.objects.create(
            codice="2099-01", titolo="Bozza", testo="Testo", in_vigore_dal="2099-01-01"
        ),
        "testo",
    ),
    ("trattamento", lambda m: Trattamento.objects.order_by("pk").first(), "finalita"),
    # Inline rows: (parent, the row).
    (
        "laboratorio>incontro",
        _con_figlio(_laboratorio, lambda m, lab: IncontroFactory(laboratorio=lab)),
        ">luogo",
    ),
    (
        "patto>firmatario",
        _con_figlio(
            _patto,
            lambda m, p: FirmatarioOrganizzazioneFactory(
                patto=p, organizzazione=_organizzazione(m)
            ),
        ),
        ">ufficio",
    ),
    ("patto>progetto", _con_figlio(_patto, lambda m, p: ProgettoFactory(patto=p)), ">titolo"),
    ("patto>indicatore", _con_figlio(_patto, lambda m, p: IndicatoreFactory(patto=p)), ">unita"),
    (
        "indicatore>misurazione",
        _con_figlio(
            _indicatore,
            lambda m, i: Misurazione.objects.create(
                indicatore=i, data=datetime.date(2025, 5, 1), valore=Decimal("3")
            ),
        ),
        ">nota",
    ),
]


def _due_salvataggi(client_di, utenti, url, campo, record, attributo=None):
    """A and B open ``url``; A saves ``campo``, then B does. Returns B's response."""
    a, b = (client_di(u) for u in utenti)
    pagina_a, pagina_b = a.get(url), b.get(url)
    assert pagina_a.status_code == pagina_b.status_code == 200
    modulo_a = modulo_con_versione(pagina_a.content.decode())
    modulo_b = modulo_con_versione(pagina_b.content.decode())

    salvata = a.post(url, imposta(modulo_a, campo, "Valore scritto da A"))
    assert salvata.status_code == 302, errori(salvata.content.decode()) or salvata
    rifiutata = b.post(url, imposta(modulo_b, campo, "Valore scritto da B"))
    assert rifiutata.status_code == 200
    blocco = errori(rifiutata.content.decode())
    assert MESSAGGIO in blocco
    assert "Valore scritto da A" in blocco, blocco
    record.refresh_from_db()
    assert getattr(record, attributo or campo.lstrip(">")) == "Valore scritto da A"
    return rifiutata


@pytest.mark.django_db
@pytest.mark.parametrize(("caso", "crea", "url", "campo"), STAFF, ids=[c[0] for c in STAFF])
def test_pagina_staff_rifiuta_la_seconda_modifica(client_di, mondo, caso, crea, url, campo):
    record = crea(mondo)
    versione = record.versione
    utenti = [getattr(mondo, n) for n in UTENTI_STAFF.get(caso, _OPERATORI)]
    _due_salvataggi(client_di, utenti, url(record), campo, record)
    assert record.versione == versione + 1


@pytest.mark.django_db
@pytest.mark.parametrize(("caso", "crea", "campo"), ADMIN, ids=[c[0] for c in ADMIN])
def test_admin_rifiuta_la_seconda_modifica(client_di, mondo, caso, crea, campo):
    creato = crea(mondo)
    pagina, record = creato if isinstance(creato, tuple) else (creato, creato)
    versione = record.versione
    utenti = [mondo.coordinatore, mondo.coordinatore_due]
    _due_salvataggi(client_di, utenti, _admin(pagina), campo, record)
    # The admin save bumps the version too, so forms open on the staff pages go stale.
    assert record.versione == versione + 1


@pytest.mark.django_db
def test_admin_riga_inline_con_chiave_esterna_mostra_il_valore_attuale(client_di, mondo):
    """An attendance row of a meeting, moved to another person by both coordinators."""
    presenza = PresenzaFactory(incontro=_incontro(mondo), persona=_persona(mondo))
    anna = factories.PersonaFactory(nome="Anna", cognome="Prima", quartiere=mondo.san_siro)
    bruno = factories.PersonaFactory(nome="Bruno", cognome="Secondo", quartiere=mondo.san_siro)
    url = _admin(presenza.incontro)
    a, b = client_di(mondo.coordinatore), client_di(mondo.coordinatore_due)
    modulo_a = modulo_con_versione(a.get(url).content.decode())
    modulo_b = modulo_con_versione(b.get(url).content.decode())
    assert a.post(url, imposta(modulo_a, ">persona", str(anna.pk))).status_code == 302
    rifiutata = b.post(url, imposta(modulo_b, ">persona", str(bruno.pk)))
    assert rifiutata.status_code == 200
    blocco = errori(rifiutata.content.decode())
    assert MESSAGGIO in blocco and escape(str(anna)) in blocco
    assert Presenza.objects.get(pk=presenza.pk).persona == anna


@pytest.mark.django_db
def test_ripristino_dalla_cronologia_non_sovrascrive_una_modifica_successiva(client_di, mondo):
    persona = _persona(mondo)
    persona.note = "Prima versione"
    persona.save()
    storica = persona.history.order_by("history_id").last()
    a, b = client_di(mondo.coordinatore), client_di(mondo.coordinatore_due)
    url_ripristino = reverse(
        "admin:quartiere_persona_simple_history", args=[persona.pk, storica.history_id]
    )
    modulo_b = modulo_con_versione(b.get(url_ripristino).content.decode())
    modulo_a = modulo_con_versione(a.get(_admin(persona)).content.decode())
    assert a.post(_admin(persona), imposta(modulo_a, "note", "Scritta da A")).status_code == 302
    rifiutata = b.post(url_ripristino, imposta(modulo_b, "note", "Prima versione"))
    assert rifiutata.status_code == 200
    assert "Scritta da A" in errori(rifiutata.content.decode())
    persona.refresh_from_db()
    assert persona.note == "Scritta da A"
    # Reloaded after A's save, the revert goes through and bumps the version again.
    modulo_b = modulo_con_versione(b.get(url_ripristino).content.decode())
    assert b.post(url_ripristino, imposta(modulo_b, "note", "Prima versione")).status_code == 302
    persona.refresh_from_db()
    assert (persona.note, persona.versione) == ("Prima versione", 3)


@pytest.mark.django_db
def test_dopo_il_conflitto_il_secondo_invio_e_una_scelta_consapevole(client_di, mondo):
    """The refused form comes back with the current version: sending it again, after
    reading the differences, saves."""
    persona = _persona(mondo)
    url = reverse("quartiere:persona_update", args=[persona.pk])
    rifiutata = _due_salvataggi(
        client_di, [mondo.operatore, mondo.coordinatore], url, "note", persona
    )
    modulo = modulo_con_versione(rifiutata.content.decode())
    assert dict(modulo)["versione_letta"] == str(persona.versione)
    assert client_di(mondo.coordinatore).post(url, imposta(modulo, "note", "B")).status_code == 302
    persona.refresh_from_db()
    assert persona.note == "B"


@pytest.mark.django_db
def test_impegno_svolto_da_una_pagina_vecchia_non_torna_indietro(client_di, mondo):
    impegno = ImpegnoFactory(firmatario=_firmatario(mondo))
    url = reverse("patti:impegno_svolto", args=[impegno.pk])
    letta = impegno.versione
    a, b = client_di(mondo.operatore), client_di(mondo.coordinatore)
    assert a.post(url, {"versione_letta": letta}).status_code == 302
    risposta = b.post(url, {"versione_letta": letta}, follow=True)
    assert MESSAGGIO in risposta.content.decode()
    impegno.refresh_from_db()
    assert impegno.svolto is True and impegno.versione == letta + 1


# --- State changes from buttons and admin actions ---------------------------------------

_AZIONI = [
    (
        "segnalazione presa in carico",
        lambda m: SegnalazioneFactory(quartiere=m.san_siro),
        lambda o: reverse("segnalazioni:modifica", args=[o.pk]),
        "descrizione",
        lambda o, m: servizi_segnalazioni.prendi_in_carico(o, da=m.coordinatore),
    ),
    (
        "laboratorio sospeso",
        _laboratorio,
        lambda o: reverse("laboratori:modifica", args=[o.pk]),
        "descrizione",
        lambda o, m: servizi_laboratori.cambia_stato_laboratorio(o, "sospeso", da=m.coordinatore),
    ),
    (
        "patto in istruttoria",
        _patto,
        lambda o: reverse("patti:modifica", args=[o.pk]),
        "finalita",
        lambda o, m: servizi_patti.cambia_stato(o, "istruttoria", da=m.coordinatore),
    ),
    (
        "dossier di fase",
        _dossier,
        lambda o: reverse("mediazione:modifica", args=[o.pk]),
        "descrizione",
        lambda o, m: servizi_mediazione.cambia_fase(o, "colloquio_richiedente", da=m.mediatore),
    ),
    (
        "prenotazione confermata",
        lambda m: PrenotazioneFactory(stato="richiesta"),
        _admin,
        "titolo",
        lambda o, m: conferma_prenotazione(o, da=m.coordinatore),
    ),
]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("caso", "crea", "url", "campo", "azione"), _AZIONI, ids=[c[0] for c in _AZIONI]
)
def test_un_cambio_di_stato_rende_vecchio_il_modulo_aperto(
    client_di, mondo, caso, crea, url, campo, azione
):
    """The services lock the row and bump the version: a form opened before a status
    change cannot save the old status or fields back over it."""
    record = crea(mondo)
    utente = mondo.mediatore if caso.startswith("dossier") else mondo.coordinatore
    c = client_di(utente)
    modulo = modulo_con_versione(c.get(url(record)).content.decode())
    prima = record.versione
    azione(record, mondo)
    dopo = type(record).objects.get(pk=record.pk)
    assert dopo.versione == prima + 1
    risposta = c.post(url(record), imposta(modulo, campo, "Scritta dopo il cambio"))
    assert risposta.status_code == 200
    assert MESSAGGIO in errori(risposta.content.decode())
    assert type(record).objects.get(pk=record.pk).versione == dopo.versione


vecchi, registro = test_retention.vecchi, test_retention.registro  # their fixtures


@pytest.mark.django_db
def test_l_anonimizzazione_rende_vecchi_i_moduli_aperti(vecchi, registro):
    """Retention rewrites personal data in bulk: a form opened before must not write the
    data back, so the run bumps the versions of what it anonymises, and only of that."""
    prima = {chiave: record.versione for chiave, record in vecchi.items()}
    call_command("retention", "--anonymize", stdout=io.StringIO())
    for chiave, record in vecchi.items():
        atteso = prima[chiave] + (1 if chiave.endswith("vecchia") else 0)
        assert type(record).objects.get(pk=record.pk).versione == atteso, chiave


# --- Two connections racing ---------------------------------------------------------------


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_due_salvataggi_simultanei_uno_solo_vince(monkeypatch):
    """Both transactions read version 1 and try to save; the row lock makes the second
    wait for the first and then see version 2, so exactly one save wins."""
    persona = factories.PersonaFactory()
    partenza = threading.Barrier(2)
    esiti: dict[str, str] = {}

    # Widen the window between "check the version" and "write": without the row lock
    # both transactions would see version 1 and both would save.
    originale = PersonaForm.save

    def lenta(self, *args, **kwargs):
        time.sleep(0.5)
        return originale(self, *args, **kwargs)

    monkeypatch.setattr(PersonaForm, "save", lenta)

    def salva(nota: str):
        try:
            letta = Persona.objects.get(pk=persona.pk)
            dati = {f: getattr(letta, f) for f in ("nome", "cognome")}
            form = PersonaForm(
                {**dati, "note": nota, "versione_letta": letta.versione}, instance=letta
            )
            assert form.is_valid(), form.errors
            partenza.wait(timeout=10)
            salva_versionato(form, form.cleaned_data["versione_letta"])
            esiti[nota] = "salvata"
        except ConflittoModifica as conflitto:
            esiti[nota] = f"conflitto: {conflitto.differenze}"
        except Exception as exc:  # noqa: BLE001 - reported by the assertion below
            esiti[nota] = repr(exc)
        finally:
            connection.close()

    fili = [threading.Thread(target=salva, args=(n,)) for n in ("uno", "due")]
    for f in fili:
        f.start()
    for f in fili:
        f.join(timeout=30)

    assert sorted(e.split(":")[0] for e in esiti.values()) == ["conflitto", "salvata"], esiti
    vincitrice = next(n for n, e in esiti.items() if e == "salvata")
    persona.refresh_from_db()
    assert (persona.note, persona.versione) == (vincitrice, 2)


def test_list_editable_su_un_modello_versionato_e_un_errore_di_configurazione():
    from django.contrib import admin
    from django.core.exceptions import ImproperlyConfigured

    from quartiere.accesso.admin import PolicyAdmin

    class Modificabile(PolicyAdmin):
        list_display = ["cognome", "note"]
        list_editable = ["note"]

    with pytest.raises(ImproperlyConfigured):
        Modificabile(Persona, admin.site)
