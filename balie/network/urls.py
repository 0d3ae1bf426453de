from django.urls import path

from . import views

app_name = "network"
urlpatterns = [
    path("", views.manage, name="manage"),
    path("locaties/nieuw/", views.location_edit, name="location_new"),
    path("locaties/<str:code>/", views.location_edit, name="location_edit"),
    path("medewerkers/nieuw/", views.staff_edit, name="staff_new"),
    path("medewerkers/<int:pk>/", views.staff_edit, name="staff_edit"),
    path("lokale-codes/nieuw/", views.local_code_edit, name="local_code_new"),
    path("lokale-codes/<int:pk>/", views.local_code_edit, name="local_code_edit"),
]
