"""The second step of the staff login: enrol a TOTP app, then give its code.

Only users whose role requires a second factor (``quartiere.accesso.otp.richiede_otp``) use
these pages; anyone else is sent on to where they were going. A user who already has
a confirmed device cannot enrol another one from here (whoever knows only the password
must not be able to replace the phone): a lost phone is removed by an administrator in
the admin, and the user enrols again at the next login.
"""

from __future__ import annotations

from base64 import b32encode
from urllib.parse import urlencode

import django_otp
from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import render, resolve_url
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET
from django.views.generic import TemplateView
from django_otp.plugins.otp_totp.models import TOTPDevice

from quartiere.accesso import policy
from quartiere.accesso.mixins import AccessoMixin, TitoloMixin
from quartiere.accesso.otp import richiede_otp, verificato
from quartiere.lib import qr as codici_qr
from quartiere.territorio.models import Quartiere

NOME_DISPOSITIVO = "App di autenticazione"


class CodiceForm(forms.Form):
    codice = forms.CharField(
        label=_("Codice di verifica"),
        help_text=_("Il codice di 6 cifre mostrato ora dall'app di autenticazione."),
        max_length=12,
        widget=forms.TextInput(
            attrs={
                "inputmode": "numeric",
                "autocomplete": "one-time-code",
                "autofocus": True,
                "spellcheck": "false",
            }
        ),
    )

    def clean_codice(self):
        codice = "".join(self.cleaned_data["codice"].split())
        if not codice.isdigit() or len(codice) not in (6, 8):
            raise forms.ValidationError(_("Scrivi le 6 cifre del codice, senza lettere."))
        return codice


def _destinazione(request) -> str:
    """The ``next`` parameter if it is a local URL, else the staff home."""
    candidato = request.POST.get("next") or request.GET.get("next") or ""
    if candidato and url_has_allowed_host_and_scheme(
        candidato, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidato
    return resolve_url(settings.LOGIN_REDIRECT_URL)


def _con_next(nome: str, destinazione: str) -> str:
    return reverse(nome) + "?" + urlencode({"next": destinazione})


def _accedi(request, device) -> None:
    django_otp.login(request, device)
    # A new session key once the second factor is given, as Django does after the
    # password: a key seen before this point cannot ride on the stronger session.
    request.session.cycle_key()


def _dispositivo_confermato(user):
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).order_by("pk").first()


def _dispositivo_da_confermare(user, *, crea: bool):
    device = TOTPDevice.objects.devices_for_user(user, confirmed=False).order_by("pk").first()
    if device is None and crea:
        device = TOTPDevice.objects.create(user=user, name=NOME_DISPOSITIVO, confirmed=False)
    return device


def _verifica_codice(device, codice: str) -> bool:
    """Check ``codice`` against ``device`` with the row locked (no concurrent reuse)."""
    with transaction.atomic():
        bloccato = TOTPDevice.objects.select_for_update().get(pk=device.pk)
        return bloccato.verify_token(codice)


def _troppi_tentativi(device) -> bool:
    permesso, _dettagli = device.verify_is_allowed()
    return not permesso


_ERRORE_CODICE = _(
    "Codice non valido o scaduto. Controlla che l'ora del telefono sia esatta e riprova "
    "con il codice nuovo."
)
_ERRORE_TROPPI = _(
    "Troppi codici sbagliati di seguito: attendi qualche secondo prima di riprovare."
)


@never_cache
@sensitive_post_parameters("codice")
@login_required
def verifica(request):
    """Ask the code of the user's confirmed device; without one, go to enrolment."""
    user = request.user
    destinazione = _destinazione(request)
    if verificato(user) or not richiede_otp(user):
        return HttpResponseRedirect(destinazione)
    device = _dispositivo_confermato(user)
    if device is None:
        return HttpResponseRedirect(_con_next("otp:attiva", destinazione))
    form = CodiceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if _troppi_tentativi(device):
            form.add_error(None, _ERRORE_TROPPI)
        elif _verifica_codice(device, form.cleaned_data["codice"]):
            _accedi(request, device)
            return HttpResponseRedirect(destinazione)
        else:
            form.add_error("codice", _ERRORE_CODICE)
    return render(
        request,
        "quartiere/otp/verifica.html",
        {
            "form": form,
            "next": destinazione,
            "titolo_pagina": _("Verifica in due passaggi"),
        },
        status=200 if not form.errors else 400,
    )


def _segreto_leggibile(device) -> str:
    segreto = b32encode(device.bin_key).decode("ascii").rstrip("=")
    return " ".join(segreto[i : i + 4] for i in range(0, len(segreto), 4))


@never_cache
@sensitive_post_parameters("codice")
@login_required
def attiva(request):
    """Enrol a TOTP app: show the QR code and the secret, confirm with a first code."""
    user = request.user
    destinazione = _destinazione(request)
    if verificato(user) or not richiede_otp(user):
        return HttpResponseRedirect(destinazione)
    if _dispositivo_confermato(user) is not None:
        return HttpResponseRedirect(_con_next("otp:verifica", destinazione))
    device = _dispositivo_da_confermare(user, crea=True)
    form = CodiceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if _troppi_tentativi(device):
            form.add_error(None, _ERRORE_TROPPI)
        elif _verifica_codice(device, form.cleaned_data["codice"]):
            device.refresh_from_db()
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            _accedi(request, device)
            return HttpResponseRedirect(destinazione)
        else:
            form.add_error("codice", _ERRORE_CODICE)
    return render(
        request,
        "quartiere/otp/attiva.html",
        {
            "form": form,
            "next": destinazione,
            "segreto": _segreto_leggibile(device),
            "cifre": device.digits,
            "periodo": device.step,
            "titolo_pagina": _("Attiva la verifica in due passaggi"),
        },
        status=200 if not form.errors else 400,
    )


@never_cache
@require_GET
@login_required
def qr(request):
    """The QR code of the device being enrolled, as SVG (it holds the secret: no cache)."""
    user = request.user
    if verificato(user) or not richiede_otp(user):
        raise Http404
    device = _dispositivo_da_confermare(user, crea=False)
    if device is None or _dispositivo_confermato(user) is not None:
        raise Http404
    risposta = HttpResponse(codici_qr.svg(device.config_url), content_type="image/svg+xml")
    risposta["Content-Disposition"] = 'inline; filename="qr.svg"'
    return risposta


class ScrivaniaView(AccessoMixin, TitoloMixin, TemplateView):
    permission_required = "quartiere.usa_scrivania"
    template_name = "quartiere/scrivania.html"
    titolo_pagina = gettext_lazy("Scrivania")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        ctx["miei_quartieri"] = policy.filtra_quartieri(Quartiere.objects.all(), user, campo="pk")
        ctx["tutti_i_quartieri"] = policy.vede_tutti_i_quartieri(user)
        return ctx
