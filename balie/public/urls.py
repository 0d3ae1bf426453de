from django.urls import path

from . import views

app_name = "public"
urlpatterns = [
    path("", views.index, name="index"),
    path("locaties/<str:code>/", views.location_detail, name="location"),
    path("locaties/<str:code>/agenda.ics", views.location_calendar, name="calendar"),
    path("locaties/<str:code>/poster/", views.location_poster, name="poster"),
]
