from django.urls import path

from . import views

app_name = "announcements"
urlpatterns = [
    path("", views.announcement_list, name="list"),
    path("nieuw/", views.announcement_new, name="new"),
    path("per-afzender/", views.figures, name="figures"),
    path("<uuid:uuid>/", views.announcement_detail, name="detail"),
    path("<uuid:uuid>/niet-gekomen/", views.announcement_no_show, name="no_show"),
    path("<uuid:uuid>/intrekken/", views.announcement_withdraw, name="withdraw"),
]
