"""API v1 routes. Resource paths have no trailing slash (NL API Design Rules, API-48)."""

from django.urls import path, re_path
from django.views.decorators.csrf import csrf_exempt
from drf_spectacular.views import SpectacularAPIView, SpectacularJSONAPIView, SpectacularSwaggerSplitView

from . import aanmeldingen, codelijsten, doorverwijzen, locaties, problems, registraties
from . import publiek as public_api

app_name = "api"
urlpatterns = [
    path("registraties", registraties.RegistratieLijstView.as_view(), name="registraties"),
    path("registraties/<uuid:uuid>", registraties.RegistratieDetailView.as_view(), name="registratie"),
    path("codelijsten", codelijsten.CodelijstenView.as_view(), name="codelijsten"),
    path("codelijsten/<int:versie>", codelijsten.CodelijstVersieView.as_view(), name="codelijst_versie"),
    path("locaties", locaties.LocatieLijstView.as_view(), name="locaties"),
    path("locaties/<str:code>", locaties.LocatieDetailView.as_view(), name="locatie"),
    path("partners", doorverwijzen.PartnerLijstView.as_view(), name="partners"),
    path("partners/<uuid:uuid>", doorverwijzen.PartnerDetailView.as_view(), name="partner"),
    path("verwijzingen", doorverwijzen.VerwijzingLijstView.as_view(), name="verwijzingen"),
    path("verwijzingen/<uuid:uuid>", doorverwijzen.VerwijzingDetailView.as_view(), name="verwijzing"),
    path("verwijzingen/<uuid:uuid>/status", doorverwijzen.VerwijzingStatusView.as_view(), name="verwijzing_status"),
    path("aanmeldingen", aanmeldingen.AanmeldingLijstView.as_view(), name="aanmeldingen"),
    path("aanmeldingen/<uuid:uuid>", aanmeldingen.AanmeldingDetailView.as_view(), name="aanmelding"),
    path("cursussen", doorverwijzen.CursusLijstView.as_view(), name="cursussen"),
    path("cursussen/<uuid:uuid>", doorverwijzen.CursusDetailView.as_view(), name="cursus"),
    path("public/locaties", public_api.PubliekeLocatiesView.as_view(), name="public_locaties"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    # API-51: the OpenAPI document in JSON at a fixed, predictable location.
    path("openapi.json", SpectacularJSONAPIView.as_view(), name="openapi_json"),
    # Split: the page's script is a file of its own (Content-Security-Policy: no inline script).
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
    # Last: anything else under /api/v1/ is a problem+json 404. CSRF-exempt because token
    # clients send no CSRF token and must still get the 404, not Django's CSRF page.
    re_path(r"^", csrf_exempt(problems.not_found), name="not_found"),
]
