"""The second login step (namespace ``otp``); see ``quartiere.otp``."""

from django.urls import path

from quartiere.views import otp

app_name = "otp"

urlpatterns = [
    path("", otp.verifica, name="verifica"),
    path("attiva/", otp.attiva, name="attiva"),
    path("attiva/qr.svg", otp.qr, name="qr"),
]
