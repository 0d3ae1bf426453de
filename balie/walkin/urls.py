from django.urls import path

from .views import public as public_views
from .views import staff as views

app_name = "walkin"
urlpatterns = [
    # Staff (login, desk staff of the location's organisation).
    path("balie/", views.staff, name="staff"),
    path("balie/oproepen/", views.call, name="call"),
    path("balie/uitgeven/", views.issue, name="issue"),
    path("balie/instellingen/", views.update_settings, name="settings"),
    path("balie/nummer/<uuid:ticket_uuid>/", views.ticket_action, name="ticket_action"),
    path("statistiek/", views.stats, name="stats"),
    # Public. Ticket ids are plain strings here so a mangled link gets our friendly page, not a bare 404.
    path("ticket/<str:ticket_uuid>/", public_views.ticket, name="ticket"),
    path("<str:code>/scherm/", public_views.display, name="display"),
    path("<str:code>/kiosk/<str:token>/", public_views.kiosk, name="kiosk"),
    path("<str:code>/kiosk/<str:token>/nummer/<str:ticket_uuid>/", public_views.kiosk_ticket, name="kiosk_ticket"),
]
