"""Helpers shared by the labs' views: scoped fetching and the one-click action pattern."""

from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models import Count, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.shortcuts import redirect

from laboratori import rules as regole
from laboratori.models import Incontro, Laboratorio, Presenza, Proposta
from quartiere.accesso import policy
from quartiere.lib.errori import ErroreDominio


def richiede(perm: str):
    """Login, then ``perm`` without an object (403), for the function views; the object
    itself is then fetched through the scoped helpers below (404 outside scope)."""

    def decoratore(vista):
        @wraps(vista)
        def _vista(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not request.user.has_perm(perm):
                raise PermissionDenied
            return vista(request, *args, **kwargs)

        return _vista

    return decoratore


def laboratori_di(user):
    return regole.scope_laboratori(Laboratorio.objects.select_related("quartiere"), user)


def incontri_di(user):
    return regole.scope_incontri(
        Incontro.objects.select_related("laboratorio__quartiere", "sede"), user
    )


def proposte_di(user):
    return regole.scope_proposte(Proposta.objects.select_related("laboratorio__quartiere"), user)


def prendi_laboratorio(request, pk, perm="laboratori.view_laboratorio"):
    return policy.get_object_or_404(request.user, laboratori_di(request.user), perm, pk=pk)


def prendi_incontro(request, pk, perm="laboratori.view_incontro"):
    return policy.get_object_or_404(request.user, incontri_di(request.user), perm, pk=pk)


def prendi_proposta(request, pk, perm="laboratori.view_proposta"):
    return policy.get_object_or_404(request.user, proposte_di(request.user), perm, pk=pk)


def conteggio(queryset, campo: str):
    """A correlated COUNT of ``queryset`` rows whose ``campo`` is the outer row."""
    return Coalesce(
        Subquery(
            queryset.filter(**{campo: OuterRef("pk")})
            .order_by()
            .values(campo)
            .annotate(n=Count("pk"))
            .values("n"),
            output_field=IntegerField(),
        ),
        0,
    )


def cifre_presenze(presenze) -> dict:
    """Attendance rows, distinct persons and organisations of ``presenze``, in one query."""
    return presenze.aggregate(
        presenze=Count("pk"),
        partecipanti_unici=Count("persona", distinct=True),
        organizzazioni_coinvolte=Count("organizzazione", distinct=True),
    )


def presenze_svolte(laboratorio):
    return Presenza.objects.filter(
        incontro__laboratorio=laboratorio, incontro__stato=Incontro.Stato.SVOLTO
    )


def esegui(request, form, azione, oggetto, messaggio: str):
    """Run ``azione(form.cleaned_data)`` if the form is valid; report; back to ``oggetto``."""
    if form.is_valid():
        try:
            azione(form.cleaned_data)
        except ErroreDominio as errore:
            messages.error(request, str(errore))
        else:
            messages.success(request, messaggio)
    else:
        for errori in form.errors.values():
            for errore in errori:
                messages.error(request, errore)
    return redirect(oggetto)


def cerca_nel_registro(request) -> dict:
    """``?q=`` (two characters at least): the persons and organisations of the registry the
    user may see, 15 of each, for the pages that add someone without JavaScript (attendance,
    a group's members). ``{"q", "risultati_persone", "risultati_organizzazioni"}``."""
    from quartiere.registro.models import Organizzazione, Persona
    from quartiere.registro.rules import scope_registro

    testo = request.GET.get("q", "").strip()[:100]
    risultati = {"q": testo, "risultati_persone": None, "risultati_organizzazioni": None}
    if len(testo) >= 2:
        persone = Persona.objects.select_related("quartiere")
        risultati["risultati_persone"] = list(
            scope_registro(persone, request.user).cerca(testo)[:15]
        )
        risultati["risultati_organizzazioni"] = list(
            scope_registro(Organizzazione.objects.all(), request.user).cerca(testo)[:15]
        )
    return risultati
