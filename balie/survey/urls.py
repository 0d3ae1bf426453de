from django.urls import path

from .views import public as public_views
from .views import staff as views

app_name = "survey"
urlpatterns = [
    path("", views.index, name="index"),
    path("<str:code>/poster/", views.poster, name="poster"),
]

# The visitor's short links, /v/<code>/ (kept short so they can be typed over from a poster); namespace survey_public.
visitor_patterns = [
    path("<str:code>/", public_views.survey, name="form"),
    path("<str:code>/bedankt/", public_views.thanks, name="thanks"),
]
