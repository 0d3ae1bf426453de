"""Login steps and the own account (mounted at the root: /inloggen/..., /account/..., /wachtwoord-vergeten/...)."""

from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("inloggen/code/", views.verify, name="verify"),
    path("inloggen/app-instellen/", views.setup, name="setup"),
    path("account/", views.account, name="account"),
    path("account/taal/", views.set_language, name="set_language"),
    path("account/wachtwoord/", views.PasswordChangeView.as_view(), name="password_change"),
    path("account/herstelcodes/", views.renew_codes, name="renew_codes"),
    path("account/tweestapsverificatie-uitzetten/", views.switch_off, name="switch_off"),
    path("account/medewerkers/", views.staff, name="staff"),
    path("account/medewerkers/<int:pk>/tweestapsverificatie-wissen/", views.reset, name="reset"),
    path("wachtwoord-vergeten/", views.PasswordResetView.as_view(), name="password_reset"),
    path("wachtwoord-vergeten/verstuurd/", views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path("wachtwoord-vergeten/nieuw/<uidb64>/<token>/", views.PasswordResetConfirmView.as_view(), name="password_reset_confirm"),
    path("wachtwoord-vergeten/klaar/", views.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
]
