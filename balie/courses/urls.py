from django.urls import path

from . import views

app_name = "courses"
urlpatterns = [
    path("", views.course_list, name="list"),
    path("nieuw/", views.course_edit, name="new"),
    path("<uuid:uuid>/", views.course_detail, name="detail"),
    path("<uuid:uuid>/bewerken/", views.course_edit, name="edit"),
    path("<uuid:uuid>/vraag/<uuid:question_uuid>/", views.course_refer, name="refer"),
]
