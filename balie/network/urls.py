from django.urls import path

from . import views
from .schedule import views as schedule_views
from .schedule import week as schedule_week

app_name = "network"
urlpatterns = [
    path("", views.manage, name="manage"),
    path("locaties/nieuw/", views.location_edit, name="location_new"),
    path("locaties/<str:code>/", views.location_edit, name="location_edit"),
    path("locaties/<str:code>/rooster/", schedule_views.schedule, name="schedule"),
    path("locaties/<str:code>/rooster/week/", schedule_week.week_edit, name="schedule_week"),
    path("locaties/<str:code>/rooster/bezoekers/", schedule_views.visitor_info_edit, name="schedule_visitor_info"),
    path("locaties/<str:code>/rooster/tijdvakken/nieuw/", schedule_views.weekly_edit, name="schedule_weekly_new"),
    path("locaties/<str:code>/rooster/tijdvakken/<int:pk>/", schedule_views.weekly_edit, name="schedule_weekly_edit"),
    path("locaties/<str:code>/rooster/bijeenkomsten/nieuw/", schedule_views.session_edit, name="schedule_session_new"),
    path("locaties/<str:code>/rooster/bijeenkomsten/<int:pk>/", schedule_views.session_edit, name="schedule_session_edit"),
    path("locaties/<str:code>/rooster/sluitingen/nieuw/", schedule_views.closure_edit, name="schedule_closure_new"),
    path("locaties/<str:code>/rooster/sluitingen/<int:pk>/", schedule_views.closure_edit, name="schedule_closure_edit"),
    path("locaties/<str:code>/rooster/<str:kind>/<int:pk>/verwijderen/", schedule_views.schedule_delete, name="schedule_delete"),
    path("medewerkers/nieuw/", views.staff_edit, name="staff_new"),
    path("medewerkers/<int:pk>/", views.staff_edit, name="staff_edit"),
    path("lokale-codes/nieuw/", views.local_code_edit, name="local_code_new"),
    path("lokale-codes/<int:pk>/", views.local_code_edit, name="local_code_edit"),
]
