"""URLs of the core's indicatori pages, included into the ``quartiere`` namespace."""

from django.urls import path  # noqa: F401

urlpatterns: list = []
