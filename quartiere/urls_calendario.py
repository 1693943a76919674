"""URLs of the core's calendario pages, included into the ``quartiere`` namespace."""

from django.urls import path  # noqa: F401

urlpatterns: list = []
