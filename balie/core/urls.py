from django.urls import path

from . import views

app_name = "core"
urlpatterns = [
    path("", views.codelist_versions, name="codelists"),
    path("<int:number>/", views.codelist_version, name="codelist_version"),
]
