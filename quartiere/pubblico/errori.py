"""Error pages in the site's layout. They show no detail of what went wrong."""

from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.http import HttpResponseBadRequest, HttpResponseServerError
from django.shortcuts import render
from django.template import loader
from django.views.decorators.csrf import requires_csrf_token


@requires_csrf_token
def pagina_non_trovata(request, exception=None):
    return render(request, "errori/404.html", status=404)


@requires_csrf_token
def accesso_negato(request, exception=None):
    return render(request, "errori/403.html", status=403)


@requires_csrf_token
def errore_server(request):
    # No request context: the database (sessions, users) may be what failed.
    pagina = loader.get_template("errori/500.html").render({"COMUNE_NOME": settings.COMUNE_NOME})
    return HttpResponseServerError(pagina)


@requires_csrf_token
def richiesta_non_valida(request, exception=None):
    if isinstance(exception, DisallowedHost):
        # The site's layout builds absolute URLs from the Host header that was just refused:
        # a page without request context, as for the 500.
        pagina = loader.get_template("errori/400_host.html").render(
            {"COMUNE_NOME": settings.COMUNE_NOME}
        )
        return HttpResponseBadRequest(pagina)
    # Also what a too-large form or too many fields end in (RequestDataTooBig,
    # TooManyFieldsSent): Django turns them into a 400.
    return render(request, "errori/400.html", status=400)


def richiesta_troppo_grande(request):
    # No figure here: the form the body came from states its own limit (one rule per form,
    # e.g. "3 files of 5 MB each"); QUARTIERE_MAX_RICHIESTA is only the outer safety net.
    return render(request, "errori/413.html", status=413)
