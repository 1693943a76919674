"""Right of access (art. 15 GDPR): everything the service holds about one ``Persona``.

``raccogli(persona, da=...)`` walks every relation that points at ``Persona`` (from
``Persona._meta.related_objects``, so a link added by a new app is never silently left
out) and turns each linked record into a list of fields through an explicit serialiser per
model. A serialiser copies only what belongs to the person: for a report the report itself
and the public replies, not the internal notes; for a pact their signature and their own
commitments, not the other signatories; for a mediation dossier its number, dates, phase,
outcome and the person's own role, never the description, the other parties or any note
(mediation notes are special-category data, issue 9), and the dossier part only when the
requester is a coordinator. A relation without a serialiser falls back to the record's
non-text fields, so free text that may speak of other people is never exported by accident.

``esporta(persona, formato, da=...)`` renders the collection as JSON or PDF and records the
export in the admin log of the person (who, when, which format).
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Callable
from dataclasses import dataclass, field

from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.template.loader import render_to_string
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from quartiere.accesso import policy
from quartiere.calendario.models import Prenotazione
from quartiere.estensioni import Punto
from quartiere.registro.models import Persona

FORMATI = ("json", "pdf")


@dataclass
class Voce:
    """One field of one record: a stable key for JSON, a label for people, the value."""

    chiave: str
    etichetta: str
    valore: object

    @property
    def elenco(self) -> list[str] | None:
        """A list value (replies, commitments) as lines for people; None otherwise."""
        if not isinstance(self.valore, list):
            return None
        return [" · ".join(_testo(v) for v in el.values()) for el in self.valore]

    @property
    def testo(self) -> str:
        return _testo(self.valore)


def _testo(valore) -> str:
    if valore is None or valore == "":
        return "—"
    if isinstance(valore, bool):
        return _("sì") if valore else _("no")
    if isinstance(valore, datetime.datetime):
        return formats.date_format(timezone.localtime(valore), "SHORT_DATETIME_FORMAT")
    if isinstance(valore, datetime.date):
        return formats.date_format(valore, "SHORT_DATE_FORMAT")
    return str(valore)


@dataclass
class Sezione:
    chiave: str
    titolo: str
    record: list[list[Voce]] = field(default_factory=list)


def puo_esportare(user) -> bool:
    """Only coordinators answer access requests (not the superuser by default: the
    amministratore configures the service, they do not read case files)."""
    return bool(policy.is_coordinatore(user))


def campo(obj, nome: str, etichetta: str | None = None) -> Voce:
    campo = obj._meta.get_field(nome)
    valore = getattr(obj, nome)
    if getattr(campo, "choices", None):
        valore = getattr(obj, f"get_{nome}_display")()
    elif isinstance(campo, models.ForeignKey):
        valore = str(valore) if valore is not None else None
    return Voce(nome, str(etichetta or campo.verbose_name), valore)


def campi(obj, *nomi: str) -> list[Voce]:
    return [campo(obj, nome) for nome in nomi if _ha_campo(obj, nome)]


def _ha_campo(obj, nome: str) -> bool:
    try:
        obj._meta.get_field(nome)
    except Exception:  # noqa: BLE001 - FieldDoesNotExist: the app dropped a field
        return False
    return True


# --- Serialisers: the core's; the apps' are in their estensioni.py ----------------------------


def _organizzazione(o) -> list[Voce]:
    return [*campi(o, "nome", "tipo", "quartiere"), Voce("ruolo", _("ruolo"), _("referente"))]


def _generico(obj) -> list[Voce]:
    """The record's own non-text fields: an unknown link is reported, never its free text."""
    voci = []
    for campo in obj._meta.concrete_fields:
        if isinstance(campo, models.TextField | models.ForeignKey) or campo.name == "ricerca":
            continue
        voci.append(campo(obj, campo.name))
    return voci


@dataclass(frozen=True)
class Relazione:
    titolo: Callable[[], str]
    serializza: Callable[[object], list[Voce]]
    solo_coordinatori: bool = False
    relazioni: tuple[str, ...] = ()


# Model label -> :class:`Relazione`. The core registers its own models here; each app
# registers those that point at Persona in its ``estensioni.py`` (quartiere/estensioni.py).
SERIALIZZATORI = Punto("serializzatori dell'accesso ai dati")
SERIALIZZATORI.registra(
    "quartiere.Organizzazione",
    Relazione(lambda: _("Organizzazioni di cui è referente"), _organizzazione),
)
SERIALIZZATORI.registra(
    "quartiere.AccountCittadino",
    Relazione(
        lambda: _("Accesso all'area personale (SPID, CIE)"),
        lambda account: campi(
            account, "codice_fiscale", "metodo", "fornitore", "primo_accesso", "ultimo_accesso"
        ),
    ),
)


def _persona(persona: Persona) -> list[Voce]:
    return campi(
        persona,
        "nome",
        "cognome",
        "codice_fiscale",
        "email",
        "telefono",
        "indirizzo",
        "quartiere",
        "consenso_privacy",
        "consenso_data",
        "informativa_versione",
        "consenso_pubblicazione",
        "note",
        "creata_il",
        "modificata_il",
    )


def _prenotazioni(persona: Persona) -> Sezione:
    """Hall bookings are not linked to a Persona: they are found by the e-mail address."""
    sezione = Sezione("prenotazioni", _("Prenotazioni delle sale (stessa e-mail)"))
    if not persona.email:
        return sezione
    for p in Prenotazione.objects.filter(richiedente_email__iexact=persona.email).select_related(
        "sede"
    ):
        sezione.record.append(
            [
                Voce("sede", _("sede"), str(p.sede)),
                *campi(
                    p,
                    "titolo",
                    "inizio",
                    "fine",
                    "stato",
                    "richiedente_ente",
                    "richiedente_nome",
                    "richiedente_email",
                    "richiedente_telefono",
                    "consenso_privacy",
                    "creata_il",
                ),
            ]
        )
    return sezione


def raccogli(persona: Persona, *, da) -> dict:
    """Everything linked to ``persona`` that the requester ``da`` may hand over."""
    coordinatore = puo_esportare(da)
    sezioni = [Sezione("persona", _("Dati anagrafici"), [_persona(persona)])]
    for relazione in Persona._meta.related_objects:
        modello = relazione.related_model
        voce = SERIALIZZATORI.get(modello._meta.label)
        if voce is not None and voce.solo_coordinatori and not coordinatore:
            continue
        titolo = voce.titolo() if voce else str(modello._meta.verbose_name_plural).capitalize()
        sezione = Sezione(relazione.get_accessor_name(), titolo)
        righe = modello._default_manager.filter(**{relazione.field.name: persona})
        if voce is not None and voce.relazioni:
            righe = righe.select_related(*voce.relazioni)
        for riga in righe.order_by("pk"):
            sezione.record.append(voce.serializza(riga) if voce else _generico(riga))
        sezioni.append(sezione)
    sezioni.append(_prenotazioni(persona))
    return {
        "persona": persona,
        "generato_il": timezone.now(),
        "generato_da": da.get_username(),
        "sezioni": sezioni,
    }


def come_json(dati: dict) -> bytes:
    contenuto = {
        "persona_id": dati["persona"].pk,
        "generato_il": dati["generato_il"],
        "generato_da": dati["generato_da"],
        "sezioni": {
            s.chiave: {
                "titolo": s.titolo,
                "record": [{v.chiave: v.valore for v in record} for record in s.record],
            }
            for s in dati["sezioni"]
        },
    }
    return json.dumps(contenuto, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2).encode()


def come_pdf(dati: dict) -> bytes:
    from weasyprint import HTML  # slow import: only when a PDF is asked for

    html = render_to_string("quartiere/pdf/accesso_dati.html", {**dati, "dati": dati})
    return HTML(string=html).write_pdf()


def esporta(persona: Persona, formato: str, *, da) -> bytes:
    """The access-request file for ``persona`` in ``formato`` ("json" or "pdf").

    Raises ``PermissionError`` when ``da`` is not a coordinator and ``ValueError`` for an
    unknown format. The export is logged on the person (admin history) in the same
    transaction: no file leaves without its trace.
    """
    if not puo_esportare(da):
        raise PermissionError(_("Solo i coordinatori rispondono alle richieste di accesso."))
    return _esporta(
        persona,
        formato,
        da=da,
        nota=gettext_lazy("Richiesta di accesso (art. 15 GDPR): dati esportati in %(formato)s"),
    )


def esporta_per_se(account, formato: str) -> bytes:
    """Art. 15, self-service: the logged-in citizen downloads what is linked to their own
    person, as a coordinator would hand it over, except the sections only coordinators
    release (mediation: what it holds concerns the other parties too; the office answers
    that request). Logged on the person like every export."""
    if account.persona_id is None:
        raise PermissionError(_("Il tuo account non è ancora collegato ai dati dell'ufficio."))
    return _esporta(
        account.persona,
        formato,
        da=account.utente,
        nota=gettext_lazy(
            "Accesso ai propri dati dall'area personale: dati esportati in %(formato)s"
        ),
    )


def _esporta(persona: Persona, formato: str, *, da, nota) -> bytes:
    """``nota`` (lazy: written in Italian, like the rest) goes to the person's history."""
    if formato not in FORMATI:
        raise ValueError(formato)
    with translation.override("it"), transaction.atomic():
        dati = raccogli(persona, da=da)
        contenuto = come_json(dati) if formato == "json" else come_pdf(dati)
        LogEntry.objects.create(
            user_id=da.pk,
            content_type=ContentType.objects.get_for_model(Persona),
            object_id=str(persona.pk),
            object_repr=str(persona)[:200],
            action_flag=CHANGE,
            change_message=str(nota) % {"formato": formato.upper()},
        )
    return contenuto


def nome_file(persona: Persona, formato: str) -> str:
    return f"accesso-dati-persona-{persona.pk}-{datetime.date.today():%Y%m%d}.{formato}"
