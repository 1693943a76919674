"""The sitemap, at /sitemap.xml (no namespace: ``reverse("sitemap")``)."""

from django.contrib.sitemaps.views import sitemap
from django.urls import path

from quartiere.sitemaps import SITEMAPS

urlpatterns = [
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
]
