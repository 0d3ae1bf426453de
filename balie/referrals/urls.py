from django.urls import path

from . import views

app_name = "referrals"
urlpatterns = [
    path("", views.referral_list, name="list"),
    path("nieuw/<uuid:question_uuid>/", views.refer, name="refer"),
    path("opvolgen/", views.followup, name="followup"),
    path("cijfers/", views.figures, name="figures"),
    path("<uuid:uuid>/", views.referral_detail, name="detail"),
    path("<uuid:uuid>/herinneren/", views.remind, name="remind"),
    path("<uuid:uuid>/briefje/", views.referral_slip, name="slip"),
    path("<uuid:uuid>/partner/<str:token>/", views.partner_link, name="partner_link"),
]
