from django.contrib import admin
from django.urls import include, path

from balie.accounts import views as account_views
from balie.core import views as core_views
from balie.start import views as start_views
from balie.survey import urls as survey_urls

urlpatterns = [
    path("", include("balie.public.urls")),
    path("start/", core_views.home, name="home"),
    path("overzicht/", start_views.overview, name="overview"),
    path("inloggen/", account_views.LoginView.as_view(), name="login"),
    path("uitloggen/", account_views.LogoutView.as_view(), name="logout"),  # with Clear-Site-Data (issue 16)
    # The second login step, the own account, "Wachtwoord vergeten?" (balie/accounts/urls.py).
    path("", include("balie.accounts.urls")),
    path("balie/", include("balie.desk.urls")),
    path("organisatie/", include("balie.network.urls")),
    path("codelijsten/", include("balie.core.urls")),
    path("api/v1/", include("balie.api.urls")),
    path("wachtrij/", include("balie.walkin.urls")),
    path("hulpmiddelen/", include("balie.toolkit.urls")),
    path("signalen/", include("balie.signals.urls")),
    path("sociale-kaart/", include("balie.partners.urls")),
    path("verwijzingen/", include("balie.referrals.urls")),
    path("cursussen/", include("balie.courses.urls")),
    path("aanmeldingen/", include("balie.announcements.urls")),
    path("prognose/", include("balie.forecast.urls")),
    path("enquete/", include("balie.survey.urls")),
    path("v/", include((survey_urls.visitor_patterns, "survey_public"))),
    path("inzicht/", include("balie.insight.urls")),
    # Federation: the hub's API for nodes and the landelijk page of nodes (docs/federatie.md).
    path("", include("balie.federation.urls")),
    path("beheer/", admin.site.urls),
]

# Error pages in Dutch and English without a stack trace (review L6); the CSRF page is settings.CSRF_FAILURE_VIEW.
handler400 = "balie.core.errors.bad_request"
handler403 = "balie.core.errors.permission_denied"
handler404 = "balie.core.errors.page_not_found"
handler500 = "balie.core.errors.server_error"
