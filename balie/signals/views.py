"""Signal pages: the list with the dashboard, one signal with its workflow, the report and the response link."""

from __future__ import annotations

import re
import statistics
from collections import Counter

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from balie.core import pii
from balie.core.access import Cap, get_or_404, requires
from balie.core.security import allow_own_style_blocks
from balie.partners.models import Partner

from . import report, selectors, services
from .forms import CloseForm, ConfirmForm, DismissForm, RecipientForm, RespondForm, SendForm
from .models import OPEN_STATUSES, ScopeKind, Signal, Status
from .workflow import ALLOWED, TransitionNotAllowed

# services.send_report's note ("Gemeld aan SchuldHulpMaatje Rotterdam."), to show it translated.
REPORTED_TO = re.compile(r"Gemeld aan (.+)\.", re.DOTALL)


def _days_to_response(signals: list[Signal]) -> float | None:
    days = []
    for s in signals:
        first = next((h for h in s.history.all() if h.to_status == Status.REACTIE), None)
        if first:
            days.append((first.at - s.created_at).total_seconds() / 86400)
    return round(statistics.median(days), 1) if days else None


@requires(Cap.SEE_SIGNALS)
def signal_list(request: HttpRequest) -> HttpResponse:
    signals = list(selectors.signals_for(request.user).prefetch_related("history"))
    open_by_area = Counter(
        (s.gemeente.naam if s.gemeente else s.organisation.naam if s.organisation else _("Landelijk")) for s in signals if s.is_open
    )
    rows = [{"signal": s, "title": report.title(s), "observed": str(s.observed) if selectors.sees_notes(request.user, s)
             else report.observed(s)} for s in signals]
    return render(request, "signals/list.html", {
        "rows": rows, "open_by_area": sorted(open_by_area.items()), "days_to_response": _days_to_response(signals),
        "open_count": sum(1 for s in signals if s.is_open),
        "manages_recipients": request.scope.can(Cap.MANAGE_RECIPIENTS),
    })


def _detail_context(request: HttpRequest, signal: Signal) -> dict:
    suppressed = not selectors.sees_notes(request.user, signal)
    return {
        "signal": signal, "title": report.title(signal), "suppressed": suppressed,
        "chart": report.chart_svg(signal, suppressed=suppressed), "rows": report.weekly_rows(signal, suppressed=suppressed),
        "observed": report.observed(signal) if suppressed else signal.observed,
        "expected": report.expected(signal.expected) if suppressed else f"{signal.expected:.1f}",
        "examples": [] if suppressed else signal.evidence.get("examples", []),
        "related": next((w.get("related", []) for w in signal.evidence.get("weekly", []) if "related" in w), []),
        "history": _history(signal), "responses": signal.responses.all(),
        "children": signal.children.select_related("organisation", "gemeente") if signal.scope_kind == ScopeKind.LANDELIJK else [],
        "node_reports": signal.node_reports.all() if signal.scope_kind == ScopeKind.LANDELIJK else [],
        "manage": selectors.may_manage(request.user, signal),
        "is_recipient": request.scope.is_partner,
        "before_after": _before_after(signal, suppressed=suppressed),
        "mail_problem": services.report_mail_problem(signal) if selectors.may_manage(request.user, signal) else "",
        "dismissal": services.dismissal(signal),
        "may_dismiss": Status.GEEN_SIGNAAL in ALLOWED.get(signal.status, set()),
    }


def _history(signal: Signal) -> list:
    """The status rows, Balie's own notes in the reader's language (they are stored in Dutch, as gettext_noop marks)."""
    rows = list(signal.history.select_related("by"))
    for row in rows:
        reported = REPORTED_TO.fullmatch(row.note)
        row.note_shown = _("Gemeld aan %(name)s.") % {"name": reported.group(1)} if reported else (_(row.note) if row.note else "")
    return rows


def _before_after(signal: Signal, *, suppressed: bool) -> dict | None:
    figures = services.before_after(signal) if signal.status in (Status.OPGELOST, Status.REACTIE) else None
    if figures and suppressed:
        # Outside the library these are published like every count (the weeks as in the signal's own table).
        weeks = [r["week"] for r in figures["rows"]]
        before = [w for w, r in zip(weeks, figures["rows"]) if not r["after"]]
        after = [w for w, r in zip(weeks, figures["rows"]) if r["after"]]
        figures = {**figures, "before": report.count(signal, figures["before"], "weeks", *before),
                   "after": report.count(signal, figures["after"], "weeks", *after),
                   "rows": [{**r, "count": report.count(signal, r["count"], "week", r["week"].isoformat())} for r in figures["rows"]]}
    return figures


@requires(Cap.SEE_SIGNALS)
def signal_detail(request: HttpRequest, uuid: str) -> HttpResponse:
    signal = get_or_404(selectors.signals_for(request.user), uuid=uuid)
    ctx = _detail_context(request, signal)
    recipients = selectors.recipients_for(request.user, signal)
    library_signal = signal.scope_kind == ScopeKind.ORGANISATIE
    forms = {"confirm": ConfirmForm(library_signal=library_signal), "send": SendForm(recipients=recipients), "respond": RespondForm(), "close": CloseForm(),
             "dismiss": DismissForm(auto_id="id_dismiss_%s")}
    if request.method == "POST":
        action = request.POST.get("action", "")
        if action == "respond":
            if not ctx["is_recipient"]:
                raise PermissionDenied
        elif action in ("confirm", "send", "close"):
            if not ctx["manage"]:
                raise PermissionDenied
        else:
            raise Http404
        form = {"confirm": ConfirmForm, "respond": RespondForm, "close": CloseForm}.get(action)
        if action == "send":
            bound = SendForm(request.POST, recipients=recipients)
        elif action == "confirm":
            bound = ConfirmForm(request.POST, library_signal=library_signal)
        else:
            bound = form(request.POST)
        forms[action] = bound
        if bound.is_valid():
            data = bound.cleaned_data
            try:
                if action == "confirm":
                    services.confirm(signal, by=request.user, description=data["description"], impact=data["impact"],
                                     national=bool(data.get("national")))
                    messages.success(request, _("Het signaal is bevestigd."))
                elif action == "send":
                    services.send_report(signal, by=request.user, recipient=data["recipient"], include_examples=data["include_examples"],
                                         base_url=request.build_absolute_uri("/")[:-1])
                    messages.success(request, _("Het signaalrapport is verstuurd aan %(name)s.") % {"name": data["recipient"].name})
                elif action == "respond":
                    services.respond(signal, by=request.user, text=data["text"], change=data["change"], change_date=data["change_date"])
                    messages.success(request, _("Dank u wel. Uw reactie is opgeslagen."))
                else:
                    services.close(signal, by=request.user, solved=data["solved"], note=data["note"])
                    messages.success(request, _("De status is bijgewerkt."))
            except TransitionNotAllowed:
                messages.error(request, _("Dat kan niet in de huidige status van het signaal."))
            return redirect("signals:detail", uuid=signal.uuid)
    return render(request, "signals/detail.html", {**ctx, "forms": forms, "Status": Status, "open_statuses": OPEN_STATUSES},
                  status=422 if request.method == "POST" else 200)


@requires(Cap.SEE_SIGNALS)
def signal_dismiss(request: HttpRequest, uuid: str) -> HttpResponse:
    """ "Geen signaal": the coordinator (or the national role for a national signal) judges a rise harmless, with a reason.

    GET shows the form on a page of its own; the detail page posts here too. Outside the signal's scope: 404; a
    partner or gemeente that sees the signal but may not manage it: 403.
    """
    signal = get_or_404(selectors.signals_for(request.user), uuid=uuid)
    if not selectors.may_manage(request.user, signal):
        raise PermissionDenied
    form = DismissForm(request.POST if request.method == "POST" else None, auto_id="id_dismiss_%s")
    allowed = Status.GEEN_SIGNAAL in ALLOWED.get(signal.status, set())
    if request.method == "POST":
        if not allowed:
            messages.error(request, _("Dat kan niet in de huidige status van het signaal."))
            return redirect("signals:detail", uuid=signal.uuid)
        if form.is_valid():
            try:
                cleaned = services.dismiss(signal, by=request.user, reason=form.cleaned_data["reason"], note=form.cleaned_data["note"])
            except TransitionNotAllowed:
                messages.error(request, _("Dat kan niet in de huidige status van het signaal."))
                return redirect("signals:detail", uuid=signal.uuid)
            messages.success(request, _("Vastgelegd: geen signaal. Deze stijging meldt Balie niet opnieuw."))
            if cleaned.findings:
                kinds = sorted({pii.PLACEHOLDERS[f.kind] for f in cleaned.findings})
                messages.warning(request, _("In de toelichting stonden persoonsgegevens; die zijn weggelakt (%(kinds)s).") % {"kinds": ", ".join(kinds)})
            return redirect("signals:detail", uuid=signal.uuid)
    return render(request, "signals/dismiss.html", {"signal": signal, "title": report.title(signal), "form": form, "allowed": allowed},
                  status=422 if form.errors else 200)


@requires(Cap.SEE_SIGNALS)
@allow_own_style_blocks
def report_pdf(request: HttpRequest, uuid: str) -> HttpResponse:
    signal = get_or_404(selectors.signals_for(request.user), uuid=uuid)
    if not selectors.may_manage(request.user, signal):
        raise PermissionDenied
    include = request.GET.get("voorbeelden") == "1"
    if request.GET.get("formaat") == "html":
        return HttpResponse(report.render_html(signal, include_examples=include))
    response = HttpResponse(report.render_pdf(signal, include_examples=include), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="signaal-{signal.uuid}.pdf"'
    return response


def respond_link(request: HttpRequest, token: str) -> HttpResponse:
    """The organisation answers without an account: the signed link is valid for this one signal for 30 days."""
    signal = services.signal_for_token(token)
    if signal is None or signal.status not in (Status.GEMELD, Status.REACTIE):
        raise Http404(_("Deze link is verlopen of ongeldig."))
    form = RespondForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.respond(signal, by=None, text=form.cleaned_data["text"], change=form.cleaned_data["change"],
                         change_date=form.cleaned_data["change_date"])
        messages.success(request, _("Dank u wel. Uw reactie is opgeslagen."))
        return redirect("signals:respond_link", token=token)
    return render(request, "signals/respond.html", {
        "signal": signal, "title": report.title(signal), "form": form, "chart": report.chart_svg(signal, suppressed=True),
        "rows": report.weekly_rows(signal, suppressed=True), "observed": report.observed(signal),
        "expected": report.expected(signal.expected), "responses": signal.responses.all(),
    }, status=422 if form.errors else 200)


# --- recipients: who receives the reports -------------------------------------------------------
@requires(Cap.MANAGE_RECIPIENTS)
def recipient_list(request: HttpRequest) -> HttpResponse:
    recipients = list(selectors.managed_recipients(request.user))
    national = request.scope.is_national
    # Instanties by name, never by code (issue 14 item 1); a code no list knows any more is shown as it is.
    names = selectors.recipient_codes(request.user)
    for recipient in recipients:
        recipient.instantie_labels = [names.get(code) or report.label("instantie", code) for code in recipient.codes]
    return render(request, "signals/recipients.html", {"recipients": recipients, "national": national})


@requires(Cap.MANAGE_RECIPIENTS)
def recipient_edit(request: HttpRequest, uuid: str | None = None) -> HttpResponse:
    scope = selectors.managed_recipients(request.user)
    recipient = get_or_404(scope, uuid=uuid) if uuid else None
    # Only for the page's wording; signal_recipient_save decides the owner.
    shown = recipient or Partner(organisation_id=request.scope.organisation_id if request.scope.is_coordinator else None)
    form = RecipientForm(request.POST or None, recipient=recipient, allowed_codes=selectors.recipient_codes(request.user))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        saved = services.signal_recipient_save(user=request.user, recipient=recipient, name=data["name"], email=data["email"], codes=data["codes"])
        messages.success(request, _("%(name)s is opgeslagen.") % {"name": saved.name})
        return redirect("signals:recipients")
    return render(request, "signals/recipient_form.html", {"form": form, "recipient": shown},
                  status=422 if form.errors else 200)
