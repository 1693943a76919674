"""Error pages in the site's layout. They show no detail of what went wrong."""

from django.conf import settings
from django.http import HttpResponseServerError
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
