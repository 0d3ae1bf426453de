"""Balie's URLs plus views that fail on purpose, for the error-page tests (tests/test_production.py)."""

from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.http import HttpRequest, HttpResponse
from django.urls import path

from balie.urls import handler400, handler403, handler404, handler500, urlpatterns  # noqa: F401


def crash(request: HttpRequest) -> HttpResponse:
    # What the review saw in DEBUG: the POSTed note and the settings on the 500 page (M9).
    raise RuntimeError(f"kapot bij {request.POST.get('notitie', '')} DATABASES")


def refuse(request: HttpRequest) -> HttpResponse:
    raise PermissionDenied("Alleen een coördinator van Bibliotheek Rotterdam mag deze cursus wijzigen.")


def refuse_silently(request: HttpRequest) -> HttpResponse:
    raise PermissionDenied


def suspicious(request: HttpRequest) -> HttpResponse:
    raise SuspiciousOperation("vreemde aanvraag")


urlpatterns = [
    path("test-fout/kapot/", crash),
    path("api/v1/test-kapot", crash),
    path("test-fout/geweigerd/", refuse),
    path("test-fout/geweigerd-zonder-reden/", refuse_silently),
    path("test-fout/verdacht/", suspicious),
    *urlpatterns,
]
