from django.urls import path

from . import views

app_name = "signals"

urlpatterns = [
    path("", views.signal_list, name="list"),
    path("<uuid:uuid>/", views.signal_detail, name="detail"),
    path("<uuid:uuid>/rapport/", views.report_pdf, name="report"),
    path("<uuid:uuid>/geen-signaal/", views.signal_dismiss, name="dismiss"),
    path("reactie/<str:token>/", views.respond_link, name="respond_link"),
    path("ontvangers/", views.recipient_list, name="recipients"),
    path("ontvangers/nieuw/", views.recipient_edit, name="recipient_new"),
    path("ontvangers/<uuid:uuid>/", views.recipient_edit, name="recipient_edit"),
]
