from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from . import services
from .models import Bestuurslaag, CodeList, CodeListVersion


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Send each role to its main task."""
    user = request.user
    if getattr(user, "is_desk_staff", False):
        return redirect("desk:register")
    if user.role == "landelijk":
        return redirect("core:codelists")
    if user.role == "beheerder" or user.is_superuser:
        return redirect("admin:index")
    return render(request, "core/home.html")


@login_required
def codelist_versions(request: HttpRequest) -> HttpResponse:
    services.require_landelijk(request.user)
    if request.method == "POST":
        try:
            draft = services.draft_create(user=request.user, description=request.POST.get("description", ""))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect("core:codelists")
        messages.success(request, f"Conceptversie {draft.number} is aangemaakt.")
        return redirect("core:codelist_version", number=draft.number)
    return render(request, "core/codelists.html", {"versions": CodeListVersion.objects.all()})


@login_required
def codelist_version(request: HttpRequest, number: int) -> HttpResponse:
    services.require_landelijk(request.user)
    version = CodeListVersion.objects.filter(number=number).first()
    if version is None:
        raise Http404
    errors: list[str] = []
    if request.method == "POST":
        try:
            if "publish" in request.POST:
                services.draft_publish(user=request.user, version=version)
                messages.success(request, f"Versie {version.number} is gepubliceerd. Nieuwe registraties gebruiken deze versie.")
            else:
                services.code_save(
                    user=request.user, version=version, list_name=request.POST.get("list", ""),
                    code=request.POST.get("code", ""), label=request.POST.get("label", ""),
                    active=request.POST.get("active") == "1", bestuurslaag=request.POST.get("bestuurslaag", ""),
                )
                messages.success(request, "De code is opgeslagen.")
            return redirect("core:codelist_version", number=version.number)
        except ValidationError as exc:
            errors = exc.messages
    grouped = [(label, version.codes.filter(list=value)) for value, label in CodeList.choices]
    return render(request, "core/codelist_version.html", {
        "version": version, "grouped": grouped, "lists": CodeList.choices, "lagen": Bestuurslaag.choices, "errors": errors,
    }, status=422 if errors else 200)
