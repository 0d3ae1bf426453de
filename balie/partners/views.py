"""Social map pages: the list (staff), one partner, editing (coordinator), HSDS import and export (coordinator)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from balie.core import audit
from balie.core.access import Cap, get_or_404, requires
from balie.core.audit import Event

from . import hsds, selectors, services
from .forms import PartnerForm, ServiceForm
from .models import Partner, Service

MAX_UPLOAD_MB = 10


@requires(Cap.REGISTER)
def partner_list(request: HttpRequest) -> HttpResponse:
    partners = list(selectors.with_details(selectors.visible_partners(request.user)))
    query = request.GET.get("q", "").strip().lower()
    if query:
        partners = [p for p in partners if query in p.name.lower() or any(query in s.name.lower() for s in p.services.all())]
    return render(request, "partners/list.html", {
        "partners": partners, "query": request.GET.get("q", ""), "may_manage": request.scope.is_coordinator,
        "unverified": sum(1 for p in partners if any(s.needs_verification for s in p.services.all()) or p.needs_verification),
    })


@requires(Cap.REGISTER)
def partner_detail(request: HttpRequest, uuid: str) -> HttpResponse:
    partner = get_or_404(selectors.with_details(selectors.visible_partners(request.user)), uuid=uuid)
    may_manage = request.scope.manages(partner.organisation_id)
    return render(request, "partners/detail.html", {"partner": partner, "may_manage": may_manage})


@requires(Cap.COORDINATE)
def partner_edit(request: HttpRequest, uuid: str | None = None) -> HttpResponse:
    scope = selectors.managed_partners(request.user)
    partner = get_or_404(scope, uuid=uuid) if uuid else Partner(organisation=request.user.organisation, last_verified=timezone.localdate())
    form = PartnerForm(request.POST or None, instance=partner)
    if request.method == "POST" and form.is_valid():
        saved = services.partner_save(user=request.user, form=form)
        messages.success(request, _("%(name)s is opgeslagen.") % {"name": saved.name})
        return redirect("partners:detail", uuid=saved.uuid)
    return render(request, "partners/partner_form.html", {"form": form, "partner": partner}, status=422 if form.errors else 200)


@requires(Cap.COORDINATE)
def service_edit(request: HttpRequest, uuid: str, service_uuid: str | None = None) -> HttpResponse:
    partner = get_or_404(selectors.managed_partners(request.user), uuid=uuid)
    service = get_or_404(partner.services.all(), uuid=service_uuid) if service_uuid else Service(partner=partner, last_verified=timezone.localdate())
    form = ServiceForm(request.POST or None, instance=service)
    if request.method == "POST" and form.is_valid():
        saved = services.service_save(user=request.user, form=form)
        messages.success(request, _("De dienst %(name)s is opgeslagen.") % {"name": saved.name})
        return redirect("partners:detail", uuid=partner.uuid)
    return render(request, "partners/service_form.html", {"form": form, "partner": partner, "service": service},
                  status=422 if form.errors else 200)


@requires(Cap.COORDINATE)
@require_POST
def mark_verified(request: HttpRequest, uuid: str) -> HttpResponse:
    partner = get_or_404(selectors.managed_partners(request.user), uuid=uuid)
    today = services.partner_mark_verified(user=request.user, partner=partner)
    messages.success(request, _("%(name)s is gecontroleerd op %(date)s.") % {"name": partner.name, "date": f"{today:%d-%m-%Y}"})
    return redirect("partners:detail", uuid=partner.uuid)


@requires(Cap.COORDINATE)
def hsds_import(request: HttpRequest) -> HttpResponse:
    context: dict = {"files": list(hsds.FILES), "max_mb": MAX_UPLOAD_MB}
    if request.method == "POST":
        uploads = request.FILES.getlist("bestanden")
        if not uploads:
            context["form_error"] = _("Kies de CSV- of JSON-bestanden van het HSDS-pakket, of één ZIP-bestand.")
            return render(request, "partners/import.html", context, status=422)
        if sum(u.size for u in uploads) > MAX_UPLOAD_MB * 1024 * 1024:
            context["form_error"] = _("De bestanden zijn samen groter dan %(mb)s MB.") % {"mb": MAX_UPLOAD_MB}
            return render(request, "partners/import.html", context, status=422)
        try:
            files = hsds.read_uploads(uploads)
            result = hsds.import_package(files, organisation=request.user.organisation, user=request.user)
        except hsds.HsdsRejected as exc:
            context["errors"] = [e.as_dict() for e in exc.errors]
            context["error_total"] = exc.total
            return render(request, "partners/import.html", context, status=422)
        summary = _("Geïmporteerd: %(partners)s organisaties, %(services)s diensten en %(locations)s locaties.") % {
            "partners": result.partners, "services": result.services, "locations": result.locations}
        if not result.warnings:
            messages.success(request, summary)
            return redirect("partners:list")
        # Valid HSDS that does not all fit the map: imported, and the coordinator sees what was not used, row by row.
        context.update(summary=summary, warnings=[w.as_dict() for w in result.warnings], warning_total=result.warning_total)
        return render(request, "partners/import.html", context)
    return render(request, "partners/import.html", context)


@requires(Cap.COORDINATE)
def hsds_export(request: HttpRequest) -> HttpResponse:
    organisation = request.user.organisation
    audit.log(Event.SOCIAL_MAP_EXPORTED, user=request.user, obj=organisation)
    response = HttpResponse(hsds.export_zip(organisation), content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="sociale-kaart-{organisation.code.lower()}-{timezone.localdate():%Y-%m-%d}.zip"'
    return response
