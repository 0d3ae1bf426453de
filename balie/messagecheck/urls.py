"""Included by balie.toolkit.urls under /hulpmiddelen/, so the names stay in the "toolkit" namespace."""

from django.urls import path

from . import views

urlpatterns = [
    path("bericht/", views.check, name="message"),
    path("is-dit-echt/", views.public_check, name="message_public"),
]
