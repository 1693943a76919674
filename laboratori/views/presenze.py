"""Recording attendance at a meeting, fast, from a desk.

One page lists who is present. ``presenze.js`` adds a type-ahead over the registry
(the core's JSON endpoints) and posts each choice here with ``Accept:
application/json``; the answer carries the rendered row, the new totals and a
message for the live region. Without JavaScript the same endpoints take ordinary
form posts and redirect back, and the page's search form lists matches server-side.
"""

from __future__ import annotations

from django.contrib import messages
from django.db import transaction
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from laboratori import rules as regole
from laboratori import services
from laboratori.forms import PersonaRapidaForm, PresenzaForm
from laboratori.models import Presenza
from laboratori.views._comune import cerca_nel_registro, prendi_incontro, richiede
from quartiere.accesso import policy
from quartiere.lib.errori import ErroreDominio
from quartiere.registro.models import Persona
from quartiere.registro.rules import scope_registro
from quartiere.registro.services import possibili_doppioni

PERMESSO = "laboratori.change_incontro"


def _vuole_json(request) -> bool:
    return "application/json" in request.headers.get("Accept", "")


def _presenze(incontro):
    # Newest first, as the desk script inserts them: the operator sees what they just did.
    return incontro.presenze.select_related("persona", "organizzazione").order_by(
        "-registrata_il", "-pk"
    )


def _totali(incontro) -> dict:
    righe = list(incontro.presenze.values_list("persona_id", flat=True))
    return {"totale": len(righe), "persone": sum(1 for p in righe if p)}


def _annuncio(totali) -> str:
    return _("%(totale)s presenze, %(persone)s persone.") % totali


def _risposta(request, incontro, *, ok, messaggio, stato=200, **extra):
    if _vuole_json(request):
        totali = _totali(incontro)
        return JsonResponse(
            {"ok": ok, "messaggio": messaggio, **totali, "annuncio": _annuncio(totali), **extra},
            status=stato,
        )
    (messages.success if ok else messages.error)(request, messaggio)
    return redirect("laboratori:presenze", incontro.pk)


def _riga(request, presenza) -> str:
    return render_to_string(
        "laboratori/includes/presenza_riga.html",
        {"presenza": presenza, "incontro": presenza.incontro},
        request=request,
    )


@richiede("laboratori.view_laboratorio")
def presenze(request, pk, persona_form=None, doppioni=None):
    """The attendance page (GET); ``?q=`` lists matches for the no-JS path."""
    incontro = prendi_incontro(request, pk, PERMESSO)
    user = request.user
    elenco = list(_presenze(incontro))
    contesto = {
        "incontro": incontro,
        "laboratorio": incontro.laboratorio,
        "titolo_pagina": _("Presenze — %(incontro)s") % {"incontro": incontro},
        "presenze": elenco,
        "totali": {
            "totale": len(elenco),
            "persone": sum(1 for p in elenco if p.persona_id),
        },
        "persone_presenti": {p.persona_id for p in elenco if p.persona_id},
        **cerca_nel_registro(request),
        "persona_form": persona_form
        or PersonaRapidaForm(user=user, initial={"quartiere": incontro.laboratorio.quartiere_id}),
        "doppioni": doppioni,
        "puo_creare_persone": user.has_perm("quartiere.add_persona"),
    }
    return render(
        request, "laboratori/presenze.html", contesto, status=400 if persona_form else 200
    )


@richiede("laboratori.view_laboratorio")
@require_POST
def aggiungi(request, pk):
    incontro = prendi_incontro(request, pk, PERMESSO)
    form = PresenzaForm(request.POST, user=request.user)
    if not form.is_valid():
        errori = [e for lista in form.errors.values() for e in lista]
        return _risposta(request, incontro, ok=False, messaggio=" ".join(errori), stato=400)
    return _registra(
        request,
        incontro,
        persona=form.cleaned_data["persona"],
        organizzazione=form.cleaned_data["organizzazione"],
    )


def _registra(request, incontro, *, persona, organizzazione):
    try:
        presenza = services.registra_presenza(
            incontro, persona=persona, organizzazione=organizzazione, da=request.user
        )
    except services.PresenzaDuplicata as errore:
        return _risposta(request, incontro, ok=False, messaggio=str(errore), stato=409)
    except ErroreDominio as errore:
        return _risposta(request, incontro, ok=False, messaggio=str(errore), stato=400)
    presenza.incontro = incontro
    return _risposta(
        request,
        incontro,
        ok=True,
        messaggio=_("Presenza registrata: %(chi)s.") % {"chi": _chi(presenza)},
        stato=201,
        presenza=presenza.pk,
        persona=presenza.persona_id,
        html=_riga(request, presenza) if _vuole_json(request) else "",
    )


def _chi(presenza) -> str:
    if presenza.persona_id and presenza.organizzazione_id:
        return _("%(persona)s per %(org)s") % {
            "persona": presenza.persona,
            "org": presenza.organizzazione,
        }
    return str(presenza.persona or presenza.organizzazione)


@richiede("laboratori.view_laboratorio")
@require_POST
def rimuovi(request, pk, presenza_pk):
    incontro = prendi_incontro(request, pk, PERMESSO)
    presenza = policy.get_object_or_404(
        request.user,
        regole.scope_presenze(
            Presenza.objects.filter(incontro=incontro).select_related("persona", "organizzazione"),
            request.user,
        ),
        "laboratori.delete_presenza",
        pk=presenza_pk,
    )
    chi = _chi(presenza)
    services.rimuovi_presenza(presenza, da=request.user)
    return _risposta(
        request,
        incontro,
        ok=True,
        messaggio=_("Presenza rimossa: %(chi)s.") % {"chi": chi},
        presenza=presenza_pk,
    )


@richiede("laboratori.view_laboratorio")
@require_POST
def nuova_persona(request, pk):
    """Create a person (with the registry's duplicate check) and record them present."""
    incontro = prendi_incontro(request, pk, PERMESSO)
    if not request.user.has_perm("quartiere.add_persona"):
        return _risposta(
            request, incontro, ok=False, messaggio=_("Non puoi creare persone."), stato=403
        )
    form = PersonaRapidaForm(request.POST, user=request.user)
    if not form.is_valid():
        if _vuole_json(request):
            return JsonResponse(
                {
                    "ok": False,
                    "messaggio": _("Controlla i dati della nuova persona."),
                    "errori": {campo: list(errori) for campo, errori in form.errors.items()},
                },
                status=400,
            )
        return presenze(request, pk, persona_form=form)
    dati = form.cleaned_data
    doppioni = list(
        possibili_doppioni(
            nome=dati["nome"],
            cognome=dati["cognome"],
            email=dati.get("email", ""),
            telefono=dati.get("telefono", ""),
            queryset=scope_registro(Persona.objects.all(), request.user),
        ).select_related("quartiere")[:10]
    )
    if doppioni and not dati.get("conferma_non_doppione"):
        messaggio = _(
            "Esistono già persone simili: registra una di loro, oppure conferma che è "
            "una persona diversa."
        )
        if _vuole_json(request):
            return JsonResponse(
                {
                    "ok": False,
                    "messaggio": messaggio,
                    "doppioni": [
                        {
                            "id": p.pk,
                            "etichetta": str(p),
                            "quartiere": p.quartiere.nome if p.quartiere_id else "",
                            "url": reverse("quartiere:persona_detail", args=[p.pk]),
                        }
                        for p in doppioni
                    ],
                },
                status=409,
            )
        form.add_error(None, messaggio)
        return presenze(request, pk, persona_form=form, doppioni=doppioni)
    with transaction.atomic():
        persona = form.save()
        risposta = _registra(
            request, incontro, persona=persona, organizzazione=dati.get("organizzazione")
        )
        if risposta.status_code >= 400:
            transaction.set_rollback(True)
    return risposta
