"""The coordinator's pages: locations, staff, local codes and API tokens of their own organisation."""

from __future__ import annotations

from typing import Any, Callable

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.db import IntegrityError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from balie.core.access import Cap, get_or_404, requires

from . import services
from .forms import LocalCodeForm, LocationForm, StaffForm
from .models import LocalCode, Location


@requires(Cap.COORDINATE)
def manage(request: HttpRequest) -> HttpResponse:
    org = request.user.organisation
    if request.method == "POST" and "token" in request.POST:
        key = services.api_token_create(user=request.user, for_user=request.user)
        messages.success(request, _("Uw nieuwe API-token: %(key)s — bewaar het nu; het wordt niet opnieuw getoond.") % {"key": key})
        return redirect("network:manage")
    return render(request, "network/manage.html", {
        "organisation": org,
        "locations": Location.objects.filter(organisation=org).select_related("gemeente"),
        "staff": get_user_model().objects.filter(organisation=org).order_by("username"),
        "local_codes": LocalCode.objects.filter(organisation=org),
    })


def _edit(request: HttpRequest, *, form_class: type, instance: Any, save: Callable, title: str, form_kwargs: dict | None = None) -> HttpResponse:
    form_kwargs = form_kwargs or {}
    if request.method == "POST":
        form = form_class(request.POST, instance=instance, **form_kwargs)
        if form.is_valid():
            try:
                save(user=request.user, form=form)
            except IntegrityError:
                form.add_error(None, _("Deze code bestaat al. Kies een andere code."))
            else:
                messages.success(request, _("%(what)s is opgeslagen.") % {"what": title})
                return redirect("network:manage")
    else:
        form = form_class(instance=instance, **form_kwargs)
    return render(request, "network/form.html", {"form": form, "title": title}, status=422 if form.errors else 200)


@requires(Cap.COORDINATE)
def location_edit(request: HttpRequest, code: str | None = None) -> HttpResponse:
    instance = get_or_404(Location.objects.for_scope(request.scope), code=code) if code else None
    return _edit(request, form_class=LocationForm, instance=instance, save=services.location_save, title=_("Locatie"))


@requires(Cap.COORDINATE)
def staff_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    users = get_user_model().objects.for_scope(request.scope)
    instance = get_or_404(users, pk=pk) if pk else None
    return _edit(request, form_class=StaffForm, instance=instance, save=services.staff_save, title=_("Medewerker"),
                 form_kwargs={"organisation": request.user.organisation})


@requires(Cap.COORDINATE)
def local_code_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    instance = get_or_404(LocalCode.objects.for_scope(request.scope), pk=pk) if pk else None
    return _edit(request, form_class=LocalCodeForm, instance=instance, save=services.local_code_save, title=_("Lokale code"))
