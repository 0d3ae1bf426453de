from django.urls import path

from . import views

app_name = "desk"
urlpatterns = [
    path("", views.register, name="register"),
    path("pii/", views.pii_check, name="pii_check"),
    path("turven/", views.tally, name="tally"),
    path("vandaag/", views.today, name="today"),
    path("vraag/<uuid:uuid>/", views.question_detail, name="question"),
    path("vraag/<uuid:uuid>/verwijderen/", views.question_delete, name="question_delete"),
    path("bezoek/<uuid:uuid>/verwijderen/", views.visit_delete, name="delete"),
]
