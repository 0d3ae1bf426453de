from django.urls import path

from .views import staff as views

app_name = "survey"
urlpatterns = [
    path("", views.index, name="index"),
    path("<str:code>/poster/", views.poster, name="poster"),
]
