from django.urls import path

from . import offline, views
from .exchange import views as import_views
from .registrations import views as registration_views

app_name = "desk"
urlpatterns = [
    path("", views.register, name="register"),
    path("pii/", views.pii_check, name="pii_check"),
    # Registering without a network (issue 16): balie/desk/offline.py.
    path("offline/", offline.offline_page, name="offline"),
    path("offline/sw.js", offline.offline_worker, name="offline_worker"),
    path("offline/sessie.json", offline.offline_session, name="offline_session"),
    path("turven/", views.tally, name="tally"),
    path("vandaag/", views.today, name="today"),
    path("registraties/", registration_views.overview, name="registrations"),
    path("vraag/<uuid:uuid>/", views.question_detail, name="question"),
    path("vraag/<uuid:uuid>/verwijderen/", views.question_delete, name="question_delete"),
    path("bezoek/<uuid:uuid>/verwijderen/", views.visit_delete, name="delete"),
    path("importeren/", import_views.import_start, name="import"),
    path("importeren/<uuid:uuid>/", import_views.import_status, name="import_status"),
    path("importeren/<uuid:uuid>/keuze/", import_views.import_choice, name="import_choice"),
    path("exporteren/", import_views.export_download, name="export"),
]
