"""Included by balie.toolkit.urls under /hulpmiddelen/, so the names stay in the "toolkit" namespace."""

from django.urls import path

from . import views

urlpatterns = [
    path("kennisbank/", views.kb_list, name="kb"),
    path("kennisbank/nieuw/", views.kb_create, name="kb_new"),
    path("kennisbank/<slug:slug>/", views.kb_guide, name="kb_guide"),
    path("kennisbank/<slug:slug>/bewerken/", views.kb_edit, name="kb_edit"),
    path("kennisbank/<slug:slug>/eigen-versie/", views.kb_make_local, name="kb_local"),
    path("kennisbank/<slug:slug>/verwijderen/", views.kb_delete, name="kb_delete"),
]
