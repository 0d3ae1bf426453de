"""The short survey links: /v/<code>/ (kept short so it can be typed over from a poster)."""

from django.urls import path

from .views import public as public_views

app_name = "survey_public"
urlpatterns = [
    path("<str:code>/", public_views.survey, name="form"),
    path("<str:code>/bedankt/", public_views.thanks, name="thanks"),
]
