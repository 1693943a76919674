"""URLs of the staff's way in: the desk (namespace ``quartiere``) and the second login step
(namespace ``otp``, see :mod:`quartiere.accesso.otp`)."""

from django.urls import path

from quartiere.accesso import views

urlpatterns = [
    path("lavoro/", views.ScrivaniaView.as_view(), name="scrivania"),
]

otp_urlpatterns = [
    path("", views.verifica, name="verifica"),
    path("attiva/", views.attiva, name="attiva"),
    path("attiva/qr.svg", views.qr, name="qr"),
]
