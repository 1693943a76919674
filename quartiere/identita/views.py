"""The citizen's way in and out, and the personal area's front page."""

from __future__ import annotations

import random
from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from quartiere.identita import area
from quartiere.identita.services import account_di
from quartiere.identita.stato import oidc_attivo, saml_attivo
from quartiere.privacy import accesso_dati


def _successivo(request) -> str:
    """Where to go after the login: a local ``next``, or the personal area."""
    successivo = request.GET.get("next", "")
    if successivo and url_has_allowed_host_and_scheme(
        successivo, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return successivo
    return ""


@never_cache
def accedi(request):
    """ "Accedi all'area personale": SPID, CIE and the Comune's broker, whichever is on."""
    if account_di(request) is not None:
        return redirect(_successivo(request) or "quartiere:area_personale")
    spid = cie = []
    if saml_attivo():
        from quartiere.identita import saml  # pysaml2: only where SAML is on

        # AgID's rules for the SPID button: the providers in random order at every page,
        # so that none is favoured by its place in the list.
        spid = saml.gestori("spid")
        spid = random.sample(spid, k=len(spid))
        cie = saml.gestori("cie")
    return render(
        request,
        "identita/accedi.html",
        {
            "spid": spid,
            "cie": cie,
            "oidc": oidc_attivo(),
            "nome_oidc": settings.QUARTIERE_OIDC_NOME,
            "successivo": _successivo(request),
            "errore": "errore" in request.GET,
        },
    )


def _solo_cittadini(vista):
    """The citizen's pages: the anonymous visitor goes to the citizens' login, the staff to
    their desk."""

    @wraps(vista)
    def avvolta(request, *args, **kwargs):
        account = account_di(request)
        if account is None:
            if request.user.is_authenticated:
                return redirect("quartiere:scrivania")
            return redirect_to_login(request.get_full_path(), reverse("quartiere:accedi"))
        return vista(request, account, *args, **kwargs)

    return never_cache(avvolta)


@_solo_cittadini
def area_personale(request, account):
    persona = account.persona
    return render(
        request,
        "identita/area_personale.html",
        {
            "account": account,
            "persona": persona,
            "sezioni": area.sezioni(persona, request.user) if persona else [],
        },
    )


@_solo_cittadini
def miei_dati(request, account):
    """ "Scarica i miei dati" (art. 15 GDPR), for the logged-in citizen's own person."""
    formato = request.GET.get("formato", "json")
    if formato not in accesso_dati.FORMATI or account.persona_id is None:
        raise Http404
    contenuto = accesso_dati.esporta_per_se(account, formato)
    tipo = "application/json" if formato == "json" else "application/pdf"
    risposta = HttpResponse(contenuto, content_type=tipo)
    risposta["Content-Disposition"] = (
        f'attachment; filename="{accesso_dati.nome_file(account.persona, formato)}"'
    )
    return risposta


@require_POST
def esci(request):
    """The local logout (the broker's citizens, or a SPID/CIE session the provider forgot);
    SPID and CIE go out through ``saml2_logout``, a link (``uscita_saml``)."""
    logout(request)
    messages.success(request, _("Sei uscito dall'area personale."))
    return redirect("quartiere:home")
