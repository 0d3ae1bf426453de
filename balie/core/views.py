from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from . import codelists, services
from .access import Cap, request_scope, requires, signed_in
from .models import Bestuurslaag, CodeList, CodeListVersion


@signed_in
def home(request: HttpRequest) -> HttpResponse:
    """Send each user to their main task."""
    scope = request_scope(request)
    # A coordinator's, gemeente's and landelijk's first page is their overview (review 2026-12), staff register.
    if scope.can(Cap.COORDINATE):
        return redirect("overview")
    if scope.can(Cap.REGISTER):
        return redirect("desk:register")
    if scope.can(Cap.NATIONAL):
        return redirect("insight:dashboard")
    if scope.can(Cap.SEE_INSIGHT):
        return redirect("insight:dashboard")
    if scope.can(Cap.ANSWER_REFERRALS):
        return redirect("referrals:list")
    if scope.can(Cap.ADMINISTER):
        return redirect("admin:index")
    # Signed in, but the account is not linked to a library, municipality or partner organisation yet.
    return render(request, "core/home.html")


@requires(Cap.NATIONAL)
def codelist_versions(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        try:
            draft = services.draft_create(user=request.user, description=request.POST.get("description", ""))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect("core:codelists")
        messages.success(request, _("Conceptversie %(number)s is aangemaakt.") % {"number": draft.number})
        return redirect("core:codelist_version", number=draft.number)
    return render(request, "core/codelists.html", {"versions": CodeListVersion.objects.all()})


@requires(Cap.NATIONAL)
def codelist_version(request: HttpRequest, number: int) -> HttpResponse:
    version = CodeListVersion.objects.filter(number=number).first()
    if version is None:
        raise Http404
    errors: list[str] = []
    if request.method == "POST":
        try:
            if "publish" in request.POST and request.POST.get("confirm") != "1":
                # Publishing is irreversible and reaches every library: first show what changes (review 2026-12).
                if not version.is_draft:
                    raise ValidationError(_("Een gepubliceerde versie verandert nooit; maak een nieuwe conceptversie."))
                base = codelists.current_version()
                return render(request, "core/codelist_publish.html", {
                    "version": version, "base": base, "changes": codelists.version_changes(base, version),
                })
            if "publish" in request.POST:
                services.draft_publish(user=request.user, version=version)
                messages.success(request, _("Versie %(number)s is gepubliceerd. Nieuwe registraties gebruiken deze versie.") % {"number": version.number})
            else:
                services.code_save(
                    user=request.user, version=version, list_name=request.POST.get("list", ""),
                    code=request.POST.get("code", ""), label=request.POST.get("label", ""),
                    active=request.POST.get("active") == "1", bestuurslaag=request.POST.get("bestuurslaag", ""),
                )
                messages.success(request, _("De code is opgeslagen."))
            return redirect("core:codelist_version", number=version.number)
        except ValidationError as exc:
            errors = exc.messages
    grouped = [(label, version.codes.filter(list=value)) for value, label in CodeList.choices]
    return render(request, "core/codelist_version.html", {
        "version": version, "grouped": grouped, "lists": CodeList.choices, "lagen": Bestuurslaag.choices, "errors": errors,
    }, status=422 if errors else 200)
