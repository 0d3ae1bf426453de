"""/hulpmiddelen/: the landing page plus each tool's pages. The tools are apps of their own; their URL names stay in
the "toolkit" namespace (toolkit:message, toolkit:letter, toolkit:kb_guide, toolkit:suggest, ...)."""

from django.urls import include, path

from . import views

app_name = "toolkit"
urlpatterns = [
    path("", views.index, name="index"),
    # Berichtcheck en briefuitleg
    path("", include("balie.messagecheck.urls")),
    path("", include("balie.letters.urls")),
    # Suggesties bij registreren en de kennisbank
    path("", include("balie.suggestions.urls")),
    path("", include("balie.knowledge.urls")),
]
