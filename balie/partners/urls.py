from django.urls import path

from . import views

app_name = "partners"
urlpatterns = [
    path("", views.partner_list, name="list"),
    path("nieuw/", views.partner_edit, name="new"),
    path("importeren/", views.hsds_import, name="import"),
    path("exporteren/", views.hsds_export, name="export"),
    path("<uuid:uuid>/", views.partner_detail, name="detail"),
    path("<uuid:uuid>/bewerken/", views.partner_edit, name="edit"),
    path("<uuid:uuid>/gecontroleerd/", views.mark_verified, name="verified"),
    path("<uuid:uuid>/diensten/nieuw/", views.service_edit, name="service_new"),
    path("<uuid:uuid>/diensten/<uuid:service_uuid>/", views.service_edit, name="service_edit"),
]
