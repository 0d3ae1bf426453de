from django.urls import path, re_path

from .views import dashboard as views
from .views import report as report_views

app_name = "insight"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    re_path(r"^export/(?P<table>[a-z]+)\.(?P<fmt>csv|xlsx)$", views.export, name="export"),
    path("open-data/", views.open_data_page, name="open_data"),
    path("open-data.csv", views.open_data_csv, name="open_data_csv"),
    path("verantwoording/", report_views.choose, name="report_choose"),
    re_path(r"^verantwoording/(?P<cbs>GM\d{4})/(?P<period>[0-9A-Za-z-]{1,16})\.(?P<fmt>pdf|xlsx|csv|html)$", report_views.report, name="report"),
]
