"""Root URLconf: the core, the four apps, authentication, admin and health check."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from quartiere.forms_auth import LoginForm
from quartiere.views import pubblico

# The admin is SimpleAdminConfig (settings.INSTALLED_APPS): its modules are found here,
# when a process first needs the URLs, so commands that never serve a page skip them.
admin.autodiscover()

urlpatterns = [
    path("", include("quartiere.urls_core")),
    path("segnalazioni/", include("segnalazioni.urls")),
    path("open311/v2/", include("segnalazioni.urls_open311")),
    path("mediazione/", include("mediazione.urls")),
    path("laboratori/", include("laboratori.urls")),
    path("patti/", include("patti.urls")),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(
            authentication_form=LoginForm, redirect_authenticated_user=True
        ),
        name="login",
    ),
    path("accounts/verifica/", include("quartiere.urls_otp")),  # 2FA step (issue 9)
    path("accounts/", include("django.contrib.auth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("healthz", pubblico.healthz, name="healthz"),
    path("robots.txt", pubblico.robots_txt, name="robots_txt"),
    path("", include("quartiere.urls_sitemap")),
]

handler404 = "quartiere.views.errori.pagina_non_trovata"
handler500 = "quartiere.views.errori.errore_server"
handler403 = "quartiere.views.errori.accesso_negato"
handler400 = "quartiere.views.errori.richiesta_non_valida"
