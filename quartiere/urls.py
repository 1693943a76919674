"""Root URLconf: the core's rooms, the apps, authentication, admin and health check."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path

from quartiere.accesso import urls as accesso_urls
from quartiere.accesso.forms import LoginForm
from quartiere.accesso.mixins import con_password
from quartiere.calendario import urls as calendario_urls
from quartiere.diario import urls as diario_urls
from quartiere.identita import urls as identita_urls
from quartiere.ops import salute
from quartiere.privacy import urls as privacy_urls
from quartiere.programmi import urls as programmi_urls
from quartiere.pubblico import urls as pubblico_urls
from quartiere.pubblico import views as pubblico
from quartiere.pubblico.sitemaps import SITEMAPS
from quartiere.registro import urls as registro_urls
from quartiere.relazioni import urls as relazioni_urls

# The admin is SimpleAdminConfig (settings.INSTALLED_APPS): its modules are found here,
# when a process first needs the URLs, so commands that never serve a page skip them.
admin.autodiscover()

# Every room of the core answers in the one ``quartiere`` namespace.
core = [
    *pubblico_urls.urlpatterns,
    *accesso_urls.urlpatterns,
    *identita_urls.urlpatterns,
    *registro_urls.urlpatterns,
    *calendario_urls.urlpatterns,
    *diario_urls.urlpatterns,
    *programmi_urls.urlpatterns,
    *relazioni_urls.urlpatterns,
    *privacy_urls.urlpatterns,
]

urlpatterns = [
    path("", include((core, "quartiere"))),
    path("segnalazioni/", include("segnalazioni.urls")),
    path("open311/v2/", include("segnalazioni.urls_open311")),
    path("mediazione/", include("mediazione.urls")),
    path("laboratori/", include("laboratori.urls")),
    path("patti/", include("patti.urls")),
    path("abitare/", include("abitare.urls")),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(
            authentication_form=LoginForm, redirect_authenticated_user=True
        ),
        name="login",
    ),
    path("spid/", include(identita_urls.saml_urlpatterns)),
    path("oidc/", include(identita_urls.oidc_urlpatterns)),
    path("accounts/verifica/", include((accesso_urls.otp_urlpatterns, "otp"))),
    # A citizen (SPID, CIE) has no password: nothing to change here.
    path(
        "accounts/password_change/",
        con_password(auth_views.PasswordChangeView.as_view()),
        name="password_change",
    ),
    path(
        "accounts/password_change/done/",
        con_password(auth_views.PasswordChangeDoneView.as_view()),
        name="password_change_done",
    ),
    path("accounts/", include("django.contrib.auth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("healthz", salute.healthz, name="healthz"),
    path("robots.txt", pubblico.robots_txt, name="robots_txt"),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
]

handler404 = "quartiere.pubblico.errori.pagina_non_trovata"
handler500 = "quartiere.pubblico.errori.errore_server"
handler403 = "quartiere.pubblico.errori.accesso_negato"
handler400 = "quartiere.pubblico.errori.richiesta_non_valida"
