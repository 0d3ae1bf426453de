"""Referral pages: refer from a question, the list, one referral with its loop, the partner link, follow-up, figures."""

from __future__ import annotations

import datetime as dt
import uuid as uuidlib
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from balie.core import audit
from balie.core.access import Cap, get_or_404, requires
from balie.core.idempotency import IdempotencyConflict
from balie.courses import selectors as course_selectors
from balie.courses.selectors import course_figures
from balie.desk import selectors as desk_selectors
from balie.partners import selectors as partner_selectors
from balie.partners.models import Service

from . import links, selectors, services, slip
from .models import OPEN_STATUSES, OUTCOMES, WARM_KINDS, Kind, Referral, RejectReason, Status


def _labels(question: Any) -> dict[str, str]:
    instantie, onderwerp = services.question_labels(question)
    return {"instantie": instantie, "onderwerp": onderwerp}


@requires(Cap.REGISTER)
def refer(request: HttpRequest, question_uuid: str) -> HttpResponse:
    """From a question: the best-matching partners (and courses), then the referral form for the chosen service."""
    question = get_or_404(desk_selectors.questions_for_user(request.user).select_related("location", "codelist_version"), uuid=question_uuid)
    service_uuid = request.POST.get("dienst") or request.GET.get("dienst")
    chosen = None
    if service_uuid:
        visible = Service.objects.filter(partner__in=partner_selectors.visible_partners(request.user), active=True).select_related("partner")
        chosen = get_or_404(visible.prefetch_related("hours"), uuid=service_uuid)
    errors: list[services.ReferralError] = []
    fresh_key = False
    if request.method == "POST" and chosen is not None:
        consent = request.POST.get("toestemming") == "ja"
        contact = {k: request.POST.get(k, "") for k in ("naam", "telefoon", "email", "voorkeur")}
        key = request.POST.get("submission_key") or None
        try:
            referral, _created = services.referral_create(
                user=request.user, question=question, partner=chosen.partner, service=chosen, kind=request.POST.get("soort", ""),
                consent=consent, contact=contact if consent else None, submission_key=f"desk:{key}" if key else None,
                base_url=request.build_absolute_uri("/")[:-1],
            )
        except services.ReferralInvalid as exc:
            errors = exc.errors
        except IdempotencyConflict as exc:
            errors, fresh_key = [services.ReferralError("submission_key", exc.message)], True
        else:
            if referral.kind in WARM_KINDS:
                messages.success(request, _("Doorverwezen naar %(partner)s. De partner krijgt een e-mail met een persoonlijke link.")
                                 % {"partner": referral.partner.name})
            else:
                messages.success(request, _("Vastgelegd: informatie gegeven over %(partner)s.") % {"partner": referral.partner.name})
            return redirect("referrals:detail", uuid=referral.uuid)
    matches = [] if chosen else partner_selectors.matching_services(
        request.user, instantie=question.instantie, onderwerp=question.onderwerp, behoefteprofielen=question.behoefteprofiel_list,
        gemeente_id=question.location.gemeente_id,
    )
    courses = [] if chosen else course_selectors.with_counts(course_selectors.courses_for(request.user).filter(
        active=True, end_date__gte=timezone.localdate()))[:8]
    warm_now = chosen is not None and any(h.kind == "phone" and h.contains(timezone.localtime()) for h in chosen.hours.all())
    # "Samen gebeld" only as the default while the partner's warm line is staffed (review 1.7); otherwise introduce
    # the visitor by e-mail when the partner has an address, else just give the information.
    default_kind = Kind.SAMEN_GEBELD if warm_now else (Kind.PER_EMAIL if chosen is not None and chosen.referral_email else Kind.INFORMATIE)
    return render(request, "referrals/refer.html", {
        "question": question, "labels": _labels(question), "matches": matches, "chosen": chosen, "courses": courses,
        "kinds": Kind.choices, "default_kind": default_kind, "warm_now": warm_now, "errors": errors, "error_map": {e.field: e.message for e in errors}, "post": request.POST,
        "consent_text": services.consent_text(chosen.partner.name) if chosen else "",
        "submission_key": (not fresh_key and request.POST.get("submission_key")) or uuidlib.uuid4().hex,
        "already": question.referrals.select_related("partner").all(),
    }, status=422 if errors else 200)


@requires(Cap.REGISTER)
def referral_slip(request: HttpRequest, uuid: str) -> HttpResponse:
    """The printed slip for the visitor (issue 14 item 3): partner, phone, address, hours, what to bring; Dutch or English."""
    referral = get_or_404(
        selectors.referrals_for(request.user).select_related("partner", "service", "question__location__organisation"), uuid=uuid,
    )
    language = "en" if request.GET.get("taal") == "en" else "nl"
    return render(request, "referrals/slip.html", {"referral": referral, "slip": slip.build(referral, language)})


@requires(Cap.REGISTER, Cap.ANSWER_REFERRALS)
def referral_list(request: HttpRequest) -> HttpResponse:
    qs = selectors.referrals_for(request.user)
    status = request.GET.get("status", "")
    if status == "open":
        qs = qs.filter(status__in=OPEN_STATUSES)
    elif status in Status.values:
        qs = qs.filter(status=status)
    is_partner = request.scope.is_partner
    referrals = list(qs.select_related("question__codelist_version")[:200])
    for r in referrals:
        # Partners do not know Balie's codes: show "Belastingdienst · Betalen", not "BELASTINGDIENST · BETALEN".
        r.instantie_label, r.onderwerp_label = services.code_labels(r)
    return render(request, "referrals/list.html", {
        "referrals": referrals, "status": status, "statuses": Status.choices, "is_partner": is_partner,
        "partner": partner_selectors.partner_of(request.user) if is_partner else None,
        "open_count": selectors.referrals_for(request.user).filter(status__in=OPEN_STATUSES).count(),
    })


def _status_form_context(referral: Referral, actor: str) -> dict[str, Any]:
    return {
        "targets": [(s, Status(s).label) for s in services.allowed_targets(referral, actor)],
        "reasons": RejectReason.choices,
    }


def _handle_transition(request: HttpRequest, referral: Referral, *, actor: str, via: str, by: Any) -> bool:
    note = request.POST.get("toelichting", "")
    try:
        change = services.transition(referral, request.POST.get("status", ""), actor=actor, via=via, by=by,
                                     reason=request.POST.get("reden", ""), note=note)
    except services.TransitionNotAllowed as exc:
        messages.error(request, str(exc))
        return False
    messages.success(request, _("De status is nu: %(status)s. Dank u wel.") % {"status": referral.get_status_display().lower()})
    if note and change.note != note[:services.NOTE_MAX]:
        messages.info(request, _("In de toelichting stonden persoonsgegevens. Die hebben we weggehaald voordat we hem opsloegen."))
    return True


def _handle_link(request: HttpRequest, referral: Referral, *, send_new: bool) -> None:
    services.link_revoke(referral=referral, by=request.user, send_new=send_new, base_url=request.build_absolute_uri("/")[:-1])
    if send_new and referral.is_open:
        messages.success(request, _("De oude link werkt niet meer. De partner krijgt een e-mail met een nieuwe link."))
    else:
        messages.success(request, _("De link is ingetrokken: wie de oude link opent, ziet niets meer van deze verwijzing."))


@requires(Cap.REGISTER, Cap.ANSWER_REFERRALS)
def referral_detail(request: HttpRequest, uuid: str) -> HttpResponse:
    referral = get_or_404(selectors.referrals_for(request.user), uuid=uuid)
    is_partner = request.scope.is_partner
    actor = services.PARTNER if is_partner else services.LIBRARY
    if request.method == "POST":
        action = request.POST.get("action", "status")
        if action == "status":
            _handle_transition(request, referral, actor=actor, via="partneraccount" if is_partner else "balie", by=request.user)
        elif action == "withdraw_consent" and not is_partner:
            services.withdraw_consent(referral, by=request.user)
            messages.success(request, _("De contactgegevens zijn gewist."))
        elif action in ("revoke_link", "new_link") and not is_partner:
            _handle_link(request, referral, send_new=action == "new_link")
        else:
            raise PermissionDenied
        return redirect("referrals:detail", uuid=referral.uuid)
    available = services.contact_visible(referral, user=request.user)
    contact = None
    if request.GET.get("contact") == "1" and available:
        contact = services.contact_for(referral, user=request.user, via="partneraccount" if is_partner else "balie",
                                       origin=audit.origin(request))
    return render(request, "referrals/detail.html", {
        "referral": referral, "history": referral.history.select_related("by"), "contact": contact, "is_partner": is_partner,
        "contact_available": available, "labels": _labels(referral.question),
        "due": services.due_date(referral) if referral.is_open else None, "warm": referral.kind in WARM_KINDS,
        "mail_problem": "" if is_partner else services.mail_problem(referral),
        **_status_form_context(referral, actor),
    })


def partner_link(request: HttpRequest, uuid: str, token: str) -> HttpResponse:
    """The partner updates the status without an account: the signed link is valid for this referral only, for 30 days."""
    try:
        link = links.open_link(uuid, token)
    except links.LinkRevoked as exc:
        links.link_refused(exc.referral, origin=audit.origin(request))
        return render(request, "referrals/link_revoked.html", status=410)
    if link is None:
        raise Http404(_("Deze link is verlopen of ongeldig."))
    referral = link.referral
    if request.method == "POST":
        _handle_transition(request, referral, actor=services.PARTNER, via="link", by=None)
        return redirect("referrals:partner_link", uuid=uuid, token=token)
    # Only while the referral is open; a withdrawn or closed referral shows no contact data through the link (M2).
    available = services.contact_visible(referral, user=None)
    contact = None
    if request.GET.get("contact") == "1" and available:
        contact = services.contact_for(referral, user=None, via="link", link=link, origin=audit.origin(request))
    return render(request, "referrals/partner_link.html", {
        "referral": referral, "history": referral.history.all(), "contact": contact, "contact_available": available,
        "labels": _labels(referral.question), "link_days": settings.BALIE_PARTNER_LINK_DAYS,
        **_status_form_context(referral, services.PARTNER),
    })


@requires(Cap.COORDINATE)
def followup(request: HttpRequest) -> HttpResponse:
    rows = [{"referral": r, "due": services.due_date(r)} for r in selectors.followup(request.user)]
    return render(request, "referrals/followup.html", {"rows": rows, "working_days": settings.BALIE_REFERRAL_FOLLOWUP_WORKING_DAYS})


@requires(Cap.COORDINATE)
@require_POST
def remind(request: HttpRequest, uuid: str) -> HttpResponse:
    referral = get_or_404(selectors.referrals_for(request.user), uuid=uuid)
    if services.referral_remind(referral=referral, base_url=request.build_absolute_uri("/")[:-1]):
        messages.success(request, _("Herinnering gestuurd aan %(partner)s.") % {"partner": referral.partner.name})
    else:
        messages.error(request, _("Er kon geen herinnering worden gestuurd (geen e-mailadres of de verwijzing is afgerond)."))
    return redirect("referrals:followup")


def _date(value: str | None, default: dt.date) -> dt.date:
    try:
        return dt.date.fromisoformat(value) if value else default
    except ValueError:
        return default


@requires(Cap.COORDINATE)
def figures(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    date_from = _date(request.GET.get("van"), today - dt.timedelta(days=365))
    date_to = _date(request.GET.get("tot"), today)
    organisation = request.user.organisation
    rows = selectors.referral_figures(organisation, date_from, date_to)
    return render(request, "referrals/figures.html", {
        "rows": rows, "outcomes": [(s, Status(s).label) for s in OUTCOMES], "courses": course_figures(organisation, date_from, date_to),
        "structural": selectors.structural_contact(organisation, date_from, date_to), "van": date_from, "tot": date_to,
    })
