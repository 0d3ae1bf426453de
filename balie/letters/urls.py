"""Included by balie.toolkit.urls under /hulpmiddelen/, so the name stays in the "toolkit" namespace."""

from django.urls import path

from . import views

urlpatterns = [
    path("brief/", views.explain, name="letter"),
]
