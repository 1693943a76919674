"""Open311 GeoReport v2 (http://wiki.open311.org/GeoReport_v2) at /open311/v2/.

Reading is public and lists only the reports staff marked publishable, once taken in
charge, of a category that may be public (segnalazioni/visibilita.py); it shows only
non-personal fields (the description published is the report's subject; the address is the
street without the house number, the point the centre of a ~50 m cell; the tracking code is
never exposed: ``service_request_id`` is the report's number). Creating a request needs an
``api_key`` issued by a coordinator in the admin; the report enters through the online
channel like the public form.
"""

from __future__ import annotations

import math
from datetime import timedelta
from xml.etree import ElementTree as ET

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from quartiere.accesso import limiti
from quartiere.lib.errori import ErroreDominio
from quartiere.lib.validators import normalizza_email
from quartiere.territorio.confini import localizza
from quartiere.territorio.models import Quartiere
from segnalazioni import services
from segnalazioni.models import (
    MAX_DESCRIZIONE,
    Canale,
    Categoria,
    ChiaveAPI,
    Segnalazione,
    Stato,
    Tipo,
)
from segnalazioni.visibilita import punto_approssimato, via_senza_civico

MAX_RISULTATI = 1000
GIORNI_PREDEFINITI = 90

SPECIFICA = "http://wiki.open311.org/GeoReport_v2"
FORMATI = {"json": "application/json", "xml": "text/xml"}


class ErroreOpen311(Exception):
    def __init__(self, stato: int, descrizione: str):
        super().__init__(descrizione)
        self.stato = stato
        self.descrizione = descrizione


# --- Rendering -------------------------------------------------------------------------------


def _xml(radice: str, figlio: str | None, dati) -> bytes:
    def aggiungi(genitore, chiave, valore):
        if isinstance(valore, dict):
            nodo = ET.SubElement(genitore, chiave)
            for k, v in valore.items():
                aggiungi(nodo, k, v)
        elif isinstance(valore, list):
            nodo = ET.SubElement(genitore, chiave)
            singolare = {
                "attributes": "attribute",
                "values": "value",
                "endpoints": "endpoint",
                "formats": "format",
                "keywords": "keyword",
            }.get(chiave, "item")
            for v in valore:
                aggiungi(nodo, singolare, v)
        else:
            nodo = ET.SubElement(genitore, chiave)
            if valore is None:
                nodo.text = ""
            elif isinstance(valore, bool):
                nodo.text = "true" if valore else "false"
            else:
                nodo.text = str(valore)

    radice_el = ET.Element(radice)
    if figlio is None:
        for k, v in dati.items():
            aggiungi(radice_el, k, v)
    else:
        for elemento in dati:
            aggiungi(radice_el, figlio, elemento)
    return b'<?xml version="1.0" encoding="utf-8"?>' + ET.tostring(radice_el, encoding="utf-8")


_RADICI = {
    "services": ("services", "service"),
    "service_definition": ("service_definition", None),
    "requests": ("service_requests", "request"),
    "discovery": ("discovery", None),
    "errors": ("errors", "error"),
}


def _risposta(dati, formato: str, tipo: str, stato: int = 200) -> HttpResponse:
    if formato == "xml":
        radice, figlio = _RADICI[tipo]
        risposta = HttpResponse(
            _xml(radice, figlio, dati), content_type="text/xml; charset=utf-8", status=stato
        )
    else:
        risposta = JsonResponse(
            dati, safe=False, status=stato, json_dumps_params={"ensure_ascii": False}
        )
    risposta["Access-Control-Allow-Origin"] = "*"
    return risposta


def _errore(errore: ErroreOpen311, formato: str) -> HttpResponse:
    return _risposta(
        [{"code": errore.stato, "description": errore.descrizione}], formato, "errors", errore.stato
    )


def _senza_caratteri_nulli(request) -> None:
    """PostgreSQL cannot store NUL characters: refuse them as a client error (400), which
    the forms of the HTML pages already do through Django's validators."""
    parametri = [request.GET] + ([request.POST] if request.method == "POST" else [])
    for dati in parametri:
        for chiave, valori in dati.lists():
            if "\x00" in chiave or any("\x00" in v for v in valori):
                raise ErroreOpen311(400, f"{chiave.replace(chr(0), '')}: invalid character")


def _gestisci(funzione):
    def vista(request, formato, *args, **kwargs):
        if formato not in FORMATI:
            return _errore(ErroreOpen311(404, "format not supported"), "json")
        try:
            _senza_caratteri_nulli(request)
            return funzione(request, formato, *args, **kwargs)
        except ErroreOpen311 as errore:
            return _errore(errore, formato)

    vista.__name__ = funzione.__name__
    vista.__doc__ = funzione.__doc__
    return vista


# --- Discovery and services ------------------------------------------------------------------


@require_GET
@_gestisci
def discovery(request, formato):
    base = request.build_absolute_uri(reverse("open311:radice"))
    dati = {
        "changeset": "2026-01-01T00:00:00+01:00",
        "contact": settings.DEFAULT_FROM_EMAIL,
        "key_service": settings.SITE_URL + "/",
        "endpoints": [
            {
                "specification": SPECIFICA,
                "url": base.rstrip("/"),
                "changeset": "2026-01-01T00:00:00+01:00",
                "type": "production",
                "formats": list(FORMATI.values()),
            }
        ],
    }
    return _risposta(dati, formato, "discovery")


def _servizio(c: Categoria) -> dict:
    return {
        "service_code": c.codice,
        "service_name": c.nome,
        "description": c.descrizione or c.nome,
        "metadata": True,
        "type": "realtime",
        "keywords": c.codice.replace("-", ","),
        "group": c.ufficio.nome,
    }


@require_GET
@_gestisci
def servizi(request, formato):
    categorie = Categoria.objects.filter(attiva=True).select_related("ufficio")
    return _risposta([_servizio(c) for c in categorie], formato, "services")


@require_GET
@_gestisci
def definizione_servizio(request, formato, codice):
    categoria = Categoria.objects.filter(attiva=True, codice=codice).first()
    if categoria is None:
        raise ErroreOpen311(404, f"service_code {codice} not found")
    quartieri = list(Quartiere.objects.only("codice", "nome"))
    dati = {
        "service_code": categoria.codice,
        "attributes": [
            {
                "variable": True,
                "code": "tipo",
                "datatype": "singlevaluelist",
                "required": False,
                "datatype_description": "",
                "order": 1,
                "description": "Tipo di segnalazione (predefinito: problema)",
                "values": [{"key": t.value, "name": str(t.label)} for t in Tipo],
            },
            {
                "variable": True,
                "code": "quartiere",
                "datatype": "singlevaluelist",
                "required": False,
                "datatype_description": "Se manca, si usa il quartiere più vicino al punto.",
                "order": 2,
                "description": "Quartiere",
                "values": [{"key": q.codice, "name": q.nome} for q in quartieri],
            },
            {
                "variable": True,
                "code": "oggetto",
                "datatype": "string",
                "required": False,
                "datatype_description": "Al massimo 200 caratteri",
                "order": 3,
                "description": "Oggetto breve (se manca, l'inizio della descrizione)",
            },
        ],
    }
    return _risposta(dati, formato, "service_definition")


# --- Requests ----------------------------------------------------------------------------------


CAMPI_PUBBLICI = (
    "pk",
    "stato",
    "esito",
    "oggetto",
    "creata_il",
    "modificata_il",
    "scadenza",
    "indirizzo",
    "lat",
    "lon",
    "categoria__nome",
    "categoria__codice",
    "categoria__ufficio__nome",
)


def _etichette(campo: str) -> dict:
    """A field's choice labels, translated once per response: ``get_<campo>_display()`` on
    every row rebuilt a hashable copy of the choices and looked the translation up again."""
    return {
        valore: str(etichetta)
        for valore, etichetta in Segnalazione._meta.get_field(campo).flatchoices
    }


class _Richieste:
    """Turns the rows of ``_queryset_pubblico()`` into GeoReport requests."""

    def __init__(self):
        self.stati = _etichette("stato")
        self.esiti = _etichette("esito")
        self.fuso = timezone.get_current_timezone()

    def _w3(self, valore) -> str | None:
        if valore is None:
            return None
        return valore.astimezone(self.fuso).isoformat(timespec="seconds")

    def __call__(self, r: dict) -> dict:
        chiusa = r["stato"] == Stato.CHIUSA
        lat, lon = punto_approssimato(r["lat"], r["lon"]) or (None, None)
        if chiusa:
            note = self.esiti.get(r["esito"], str(r["esito"]))
        else:
            note = self.stati.get(r["stato"], str(r["stato"]))
        return {
            "service_request_id": str(r["pk"]),
            "status": "closed" if chiusa else "open",
            "status_notes": note,
            "service_name": r["categoria__nome"],
            "service_code": r["categoria__codice"],
            "description": r["oggetto"],
            "agency_responsible": r["categoria__ufficio__nome"],
            "service_notice": "",
            "requested_datetime": self._w3(r["creata_il"]),
            "updated_datetime": self._w3(r["modificata_il"]),
            "expected_datetime": r["scadenza"].isoformat() + "T23:59:59" if not chiusa else None,
            "address": via_senza_civico(r["indirizzo"]),
            "address_id": "",
            "zipcode": "",
            "lat": lat,
            "long": lon,
            "media_url": "",
        }


def _richieste(qs) -> list[dict]:
    """One query, plain rows (no model instances), the labels looked up in dicts."""
    return list(map(_Richieste(), qs.values(*CAMPI_PUBBLICI)))


def _queryset_pubblico():
    return Segnalazione.objects.pubbliche()


def _data(valore: str, nome: str):
    data = parse_datetime(valore.replace(" ", "+"))
    if data is None:
        raise ErroreOpen311(400, f"{nome} must be a w3 datetime, e.g. 2010-01-01T00:00:00Z")
    if timezone.is_naive(data):
        data = timezone.make_aware(data)
    return data


@csrf_exempt
@require_http_methods(["GET", "POST"])
@_gestisci
def richieste(request, formato):
    if request.method == "POST":
        return _crea(request, formato)
    g = request.GET
    qs = _queryset_pubblico().order_by("-creata_il", "-pk")
    if g.get("service_request_id"):
        ids = [i.strip() for i in g["service_request_id"].split(",") if i.strip()]
        if not all(i.isdigit() for i in ids):
            raise ErroreOpen311(400, "service_request_id must be a comma-separated list of ids")
        return _risposta(_richieste(qs.filter(pk__in=ids)[:MAX_RISULTATI]), formato, "requests")
    if g.get("service_code"):
        qs = qs.filter(categoria__codice__in=[c.strip() for c in g["service_code"].split(",")])
    if g.get("status"):
        stati = {v.strip() for v in g["status"].split(",")}
        if not stati <= {"open", "closed"}:
            raise ErroreOpen311(400, "status must be open or closed")
        if stati == {"open"}:
            qs = qs.exclude(stato=Stato.CHIUSA)
        elif stati == {"closed"}:
            qs = qs.filter(stato=Stato.CHIUSA)
    inizio = _data(g["start_date"], "start_date") if g.get("start_date") else None
    fine = _data(g["end_date"], "end_date") if g.get("end_date") else None
    if inizio is None and fine is None:
        inizio = timezone.now() - timedelta(days=GIORNI_PREDEFINITI)
    if inizio and fine and fine - inizio > timedelta(days=GIORNI_PREDEFINITI):
        raise ErroreOpen311(400, "the date range may not span more than 90 days")
    if inizio:
        qs = qs.filter(creata_il__gte=inizio)
    if fine:
        qs = qs.filter(creata_il__lte=fine)
    return _risposta(_richieste(qs[:MAX_RISULTATI]), formato, "requests")


@require_GET
@_gestisci
def richiesta(request, formato, pk):
    righe = _richieste(_queryset_pubblico().filter(pk=pk))
    if not righe:
        raise ErroreOpen311(404, f"service_request_id {pk} not found")
    return _risposta(righe, formato, "requests")


def _quartiere_vicino(lat, lon) -> Quartiere | None:
    migliore, distanza = None, math.inf
    for q in Quartiere.objects.exclude(lat=None).exclude(lon=None).only("pk", "lat", "lon"):
        d = services.distanza_m(lat, lon, q.lat, q.lon)
        if d < distanza:
            migliore, distanza = q, d
    return migliore


def _float(valore: str, nome: str, limite: float):
    try:
        numero = float(valore)
    except ValueError as exc:
        raise ErroreOpen311(400, f"{nome} must be a decimal number") from exc
    if not math.isfinite(numero) or abs(numero) > limite:
        raise ErroreOpen311(400, f"{nome} out of range")
    return numero


def _crea(request, formato):
    p = request.POST
    chiave = ChiaveAPI.objects.valida(p.get("api_key", ""))
    if chiave is None:
        raise ErroreOpen311(403, "api_key missing, invalid or revoked")
    if limiti.superato(
        request, f"open311:{chiave.pk}", getattr(settings, "SEGNALAZIONI_LIMITE_OPEN311", 120), 3600
    ):
        raise ErroreOpen311(429, "too many requests, retry later")
    codice = p.get("service_code", "").strip()
    if not codice:
        raise ErroreOpen311(400, "service_code is required")
    categoria = Categoria.objects.filter(attiva=True, codice=codice).first()
    if categoria is None:
        raise ErroreOpen311(404, f"service_code {codice} not found")
    lat = lon = None
    if p.get("lat") or p.get("long"):
        if not (p.get("lat") and p.get("long")):
            raise ErroreOpen311(400, "lat and long must be given together")
        lat, lon = _float(p["lat"], "lat", 90), _float(p["long"], "long", 180)
    indirizzo = " ".join(p.get("address_string", "").split())[:200]
    if lat is None and not indirizzo:
        raise ErroreOpen311(400, "a location is required: lat/long or address_string")
    descrizione = p.get("description", "").strip()
    if not descrizione:
        raise ErroreOpen311(400, "description is required")
    if len(descrizione) > MAX_DESCRIZIONE:
        # Refused, not cut: what the citizen wrote is never silently lost.
        raise ErroreOpen311(400, f"description is longer than {MAX_DESCRIZIONE} characters")
    tipo = p.get("attribute[tipo]", Tipo.PROBLEMA) or Tipo.PROBLEMA
    if tipo not in Tipo.values:
        raise ErroreOpen311(400, "attribute[tipo] is not one of the listed values")
    # The boundaries decide where a point is (quartiere/territorio/confini.py).
    luogo = localizza(lat, lon) if lat is not None else None
    if luogo is not None and luogo.fuori_dal_comune:
        raise ErroreOpen311(400, "lat/long is outside the boundary of the Comune")
    codice_quartiere = p.get("attribute[quartiere]", "")
    if codice_quartiere:
        quartiere = Quartiere.objects.filter(codice=codice_quartiere).first()
        if quartiere is None:
            raise ErroreOpen311(400, "attribute[quartiere] is not one of the listed values")
        if luogo is not None and luogo.quartiere_id not in (None, quartiere.pk):
            raise ErroreOpen311(
                400,
                f"lat/long lies in another quartiere than attribute[quartiere] "
                f"({luogo.quartiere_nome})",
            )
    elif luogo is not None and luogo.quartiere_id is not None:
        quartiere = Quartiere.objects.get(pk=luogo.quartiere_id)
    elif lat is not None:
        # No polygon holds the point (or there are none yet): the nearest centre.
        quartiere = _quartiere_vicino(lat, lon)
    else:
        quartiere = None
    if quartiere is None:
        raise ErroreOpen311(400, "attribute[quartiere] is required without lat/long")
    oggetto = " ".join((p.get("attribute[oggetto]") or descrizione).split())[:200]
    email = normalizza_email(p.get("email", ""))[:254]
    nome = " ".join(f"{p.get('first_name', '')} {p.get('last_name', '')}".split())[:160]
    try:
        s = services.crea_segnalazione(
            dati={
                "categoria": categoria,
                "quartiere": quartiere,
                "tipo": tipo,
                "oggetto": oggetto,
                "descrizione": descrizione,
                "indirizzo": indirizzo,
                "lat": lat,
                "lon": lon,
                "canale": Canale.ONLINE,
                "nome_segnalante": nome,
                "email_segnalante": email if "@" in email else "",
                "telefono_segnalante": p.get("phone", "")[:30],
                # The key holder's application collects the consent (terms of the key).
                "consenso_privacy": True,
                "chiave_api": chiave,
            }
        )
    except ErroreDominio as errore:
        raise ErroreOpen311(400, str(errore)) from errore
    # The tracking code goes only to the application that filed the request, for the citizen.
    notice = f"Codice per seguire la segnalazione: {s.codice}"
    return _risposta(
        [{"service_request_id": str(s.pk), "service_notice": notice, "account_id": None}],
        formato,
        "requests",
    )


def radice(request):
    return JsonResponse({"discovery": reverse("open311:discovery", args=["json"])})
