"""The citizen's way in and out, and the personal area's front page."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from quartiere.identita.models import AccountCittadino
from quartiere.identita.stato import oidc_attivo, saml_attivo


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
    if _account(request) is not None:
        return redirect(_successivo(request) or "quartiere:area_personale")
    spid = cie = []
    if saml_attivo():
        from quartiere.identita import saml  # pysaml2: only where SAML is on

        spid, cie = saml.gestori("spid"), saml.gestori("cie")
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


def _account(request) -> AccountCittadino | None:
    if not request.user.is_authenticated:
        return None
    return AccountCittadino.objects.select_related("persona").filter(utente=request.user).first()


@never_cache
def area_personale(request):
    account = _account(request)
    if account is None:
        if request.user.is_authenticated:
            # Staff have their desk; the personal area is the citizen's.
            return redirect("quartiere:scrivania")
        return redirect_to_login(request.get_full_path(), reverse("quartiere:accedi"))
    return render(request, "identita/area_personale.html", {"account": account})


@require_POST
def esci(request):
    logout(request)
    messages.success(request, _("Sei uscito dall'area personale."))
    return redirect("quartiere:home")
