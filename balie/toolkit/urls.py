from django.urls import path

from . import views_index, views_kb, views_letter, views_message, views_suggest

app_name = "toolkit"
urlpatterns = [
    path("", views_index.index, name="index"),
    # Berichtcheck en briefuitleg
    path("bericht/", views_message.check, name="message"),
    path("is-dit-echt/", views_message.public_check, name="message_public"),
    path("brief/", views_letter.explain, name="letter"),
    # Suggesties bij registreren en de kennisbank
    path("suggesties/", views_suggest.suggestions, name="suggest"),
    path("kennisbank/", views_kb.kb_list, name="kb"),
    path("kennisbank/nieuw/", views_kb.kb_create, name="kb_new"),
    path("kennisbank/<slug:slug>/", views_kb.kb_guide, name="kb_guide"),
    path("kennisbank/<slug:slug>/bewerken/", views_kb.kb_edit, name="kb_edit"),
    path("kennisbank/<slug:slug>/eigen-versie/", views_kb.kb_make_local, name="kb_local"),
    path("kennisbank/<slug:slug>/verwijderen/", views_kb.kb_delete, name="kb_delete"),
]
