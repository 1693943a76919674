from django import template
from django.utils.http import urlencode

register = template.Library()


@register.simple_tag(takes_context=True)
def con_parametri(context, **modifiche):
    """The current query string with some parameters replaced (None removes one)."""
    request = context["request"]
    parametri = request.GET.copy()
    for chiave, valore in modifiche.items():
        if valore is None or valore == "":
            parametri.pop(chiave, None)
        else:
            parametri[chiave] = valore
    stringa = urlencode(sorted(parametri.lists()), doseq=True)
    return f"?{stringa}" if stringa else "?"


@register.filter
def si_no(valore):
    from django.utils.translation import gettext

    return gettext("sì") if valore else gettext("no")


@register.filter
def nome_utente(utente):
    """Who did something: the user's full name, else the username; "sistema" when no user
    is recorded (an import, a migration, an account deleted since)."""
    from django.utils.translation import gettext

    if utente is None:
        return gettext("sistema")
    return utente.get_full_name() or utente.get_username()


@register.inclusion_tag("includes/valutazione_pagina.html", takes_context=True)
def valutazione_pagina(context):
    """The Modello Comuni's rating component for the page being shown."""
    from quartiere.pubblico.models import RISPOSTE_NEGATIVE, RISPOSTE_POSITIVE

    return {
        "request": context["request"],
        "csrf_token": context.get("csrf_token"),
        "risposte_positive": RISPOSTE_POSITIVE,
        "risposte_negative": RISPOSTE_NEGATIVE,
    }
