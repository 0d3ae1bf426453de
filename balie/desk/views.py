"""Desk pages: register, tally, today's list, corrections. Rules live in services.py."""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from balie.core import pii
from balie.core.access import Cap, get_or_404, requires
from balie.core.idempotency import IdempotencyConflict
from balie.core.models import CodeList
from balie.network.models import Location
from balie.network.selectors import own_locations

from . import selectors, services
from .forms import DURATION_PICKS, MAX_QUESTIONS_PER_VISIT, parse_moment, parse_questions, question_to_data
from .models import Visit
from .signals import visit_registered
from .validation import MAX_NOTE_LENGTH, CodeContext, FieldError, RegistrationInvalid

SESSION_LOCATION = "desk_location"



def current_location(request: HttpRequest) -> Location:
    """The location the staff member works at now: chosen in this session, their default, or the first one."""
    locations = getattr(request, "_desk_locations", None) or own_locations(request.scope)
    request._desk_locations = locations  # type: ignore[attr-defined]  # reused by the page that renders the switcher
    if not locations:
        raise PermissionDenied(_("Uw organisatie heeft nog geen actieve locatie. Vraag uw coördinator er een aan te maken."))
    wanted = request.GET.get("locatie") or request.session.get(SESSION_LOCATION)
    by_code = {loc.code: loc for loc in locations}
    if wanted in by_code:
        request.session[SESSION_LOCATION] = wanted
        return by_code[wanted]
    default = next((loc for loc in locations if loc.pk == request.user.default_location_id), locations[0])
    return default


def current_locations(request: HttpRequest) -> list[Location]:
    return getattr(request, "_desk_locations", None) or own_locations(request.scope)


def short_label(label: str) -> str:
    for sep in (" (", ",", " /"):
        label = label.split(sep)[0]
    return label


def _code_context(request: HttpRequest, location: Location) -> dict[str, Any]:
    ctx = CodeContext.build(location.organisation)
    local = {name: {code: entry.label for code, entry in entries.items()} for name, entries in ctx.local.items()}
    return {
        "codes": ctx.lists,
        "local_codes": local,
        "duration_picks": DURATION_PICKS,
        "duration_choices": {str(m): ("60+ min" if m == 60 else f"{m} min") for m in DURATION_PICKS},
        "code_ctx": ctx,
    }


VISIT_FIELDS = frozenset({"datum", "tijd", "kanaal", "locatie", "vragen", "submission_key"})


def _label(ctx: CodeContext, list_name: str, raw: Any) -> str:
    """What a code field shows: the label of a national or local code (issue 14), or what staff typed if unknown."""
    resolved = ctx.resolve(list_name, str(raw or ""))
    if resolved is None:
        return str(raw or "")
    national, local = resolved
    if local:
        return ctx.local[list_name][local].label
    return ctx.lists[list_name].get(national, national)


def display_data(ctx: CodeContext, data: dict[str, Any]) -> dict[str, Any]:
    """Form values as people read them: instantie and onderwerp as labels (the server reads labels back, validation.resolve)."""
    shown = dict(data)
    inst = ctx.resolve(CodeList.INSTANTIE, str(data.get("instantie") or ""))
    ond = ctx.resolve(CodeList.ONDERWERP, str(data.get("onderwerp") or ""))
    shown["instantie"] = _label(ctx, CodeList.INSTANTIE, data.get("instantie"))
    shown["onderwerp"] = _label(ctx, CodeList.ONDERWERP, data.get("onderwerp"))
    shown["digid"] = (inst is not None and inst[0] == "DIGID") or (ond is not None and ond[0] == "INLOGGEN")
    return shown


def _favourites(ctx: CodeContext, location: Location) -> list[dict[str, str]]:
    result = []
    for number, (inst, onderwerp) in enumerate(selectors.favourites(location), start=1):
        inst_label = ctx.lists[CodeList.INSTANTIE].get(inst, inst)
        ond_label = ctx.lists[CodeList.ONDERWERP].get(onderwerp, onderwerp)
        result.append({
            "number": number,
            "instantie": inst,
            "onderwerp": onderwerp,
            "label": f"{short_label(inst_label)} · {short_label(ond_label)}",
            "instantie_label": inst_label,
            "onderwerp_label": ond_label,
        })
    return result


def _render_register(request: HttpRequest, location: Location, questions: list[dict[str, Any]], *, errors: list[FieldError] | None = None,
                     status: int = 200, submission_key: str | None = None) -> HttpResponse:
    codes = _code_context(request, location)
    errors = errors or []
    error_map: dict[str, str] = {e.field: e.message for e in errors}
    blocks = []
    for i, data in enumerate(questions):
        prefix = f"vragen[{i + 1}]." if len(questions) > 1 else ""
        # Visit-level fields (date, time, kanaal) belong to the visit, not to a question (review B9: a future date
        # made "Vraag 1 is nog niet compleet" appear under a complete question).
        block_errors = {
            name[len(prefix):]: msg for name, msg in error_map.items()
            if name.startswith(prefix) and "." not in name[len(prefix):] and name not in VISIT_FIELDS
        }
        blocks.append({"index": i, "data": display_data(codes["code_ctx"], data), "errors": block_errors})
    previous = selectors.previous_question(request.user)
    context = {
        **codes,
        "location": location,
        "locations": current_locations(request),
        "favourites": _favourites(codes["code_ctx"], location),
        "blocks": blocks,
        "errors": errors,
        "general_errors": [e for e in errors if e.field in VISIT_FIELDS],
        "visit_errors": {e.field: e.message for e in errors if e.field in {"datum", "tijd", "kanaal"}},
        "submission_key": submission_key or uuid.uuid4().hex,
        "previous": previous,
        "today": selectors.with_labels(list(selectors.today_for_user(request.user, location=location)[:8])),
        "today_count": selectors.today_for_user(request.user).count(),
        "default_kanaal": services.default_kanaal(location, timezone.now()),
        "post": request.POST if request.method == "POST" else {},
        "max_questions": MAX_QUESTIONS_PER_VISIT,
        "now": timezone.localtime(),
        # The walk-in ticket being served travels along in a hidden field until the visit is saved.
        "walkin_ticket": (request.POST if request.method == "POST" else request.GET).get("ticket", "")[:36],
    }
    return render(request, "desk/register.html", context, status=status)


# The buttons name a question by its position; a value the form never sends is refused, not a server error (review L1).
def _no_such_question() -> FieldError:
    return FieldError("vragen", _("Deze vraag staat niet in het formulier. Kies de knop bij de vraag zelf en probeer het opnieuw."))


def _question_index(raw: str, questions: list[dict[str, Any]]) -> int | None:
    """The position of a question of the form (0 is the first), or None for anything else."""
    raw = raw.strip()
    if not (raw.isascii() and raw.isdigit()) or len(raw) > 3 or int(raw) >= len(questions):
        return None
    return int(raw)


def empty_question() -> dict[str, Any]:
    return {"behoefteprofielen": [], "achterliggend": []}


@requires(Cap.REGISTER)
def register(request: HttpRequest) -> HttpResponse:
    location = current_location(request)
    if request.method != "POST":
        # Pre-fill from the walk-in queue (?instantie=…&onderwerp=…); values are checked on save like typed ones.
        initial = {**empty_question(), **{k: request.GET[k][:40] for k in ("instantie", "onderwerp") if request.GET.get(k)}}
        return _render_register(request, location, [initial])

    questions = parse_questions(request.POST)
    key = request.POST.get("submission_key") or None
    # Buttons that change the form without saving; they also work without JavaScript.
    if "chip" in request.POST:
        inst, _sep, onderwerp = request.POST["chip"].partition(":")
        index = _question_index(request.POST.get("chip_target") or "0", questions) if "chip_target" in request.POST else len(questions) - 1
        if index is None:
            return _render_register(request, location, questions, errors=[_no_such_question()], status=400, submission_key=key)
        questions[index].update({"instantie": inst, "onderwerp": onderwerp})
        return _render_register(request, location, questions, submission_key=key)
    if "same_as_previous" in request.POST:
        previous = selectors.previous_question(request.user)
        if previous is not None:
            data = question_to_data(previous, with_outcome=False)
            data["notitie"] = ""
            questions[-1] = data
        return _render_register(request, location, questions, submission_key=key)
    if "add_question" in request.POST and len(questions) < MAX_QUESTIONS_PER_VISIT:
        questions.append(empty_question())
        return _render_register(request, location, questions, submission_key=key)
    if "remove_question" in request.POST and len(questions) > 1:
        index = _question_index(request.POST["remove_question"], questions)
        if index is None:
            return _render_register(request, location, questions, errors=[_no_such_question()], status=400, submission_key=key)
        questions.pop(index)
        return _render_register(request, location, questions, submission_key=key)

    errors: list[FieldError] = []
    moment = parse_moment(request.POST, errors)
    if errors:
        return _render_register(request, location, questions, errors=errors, status=422, submission_key=key)
    try:
        visit, created = services.visit_register(
            user=request.user,
            location=location,
            questions=questions,
            started_at=moment,
            kanaal=request.POST.get("kanaal", ""),
            submission_key=f"desk:{key}" if key else None,
        )
    except IdempotencyConflict as exc:
        # Nothing was saved; a fresh form key makes saving again a new, deliberate registration.
        return _render_register(request, location, questions, errors=[FieldError("submission_key", exc.message)], status=422)
    except RegistrationInvalid as exc:
        return _render_register(request, location, questions, errors=exc.errors, status=422, submission_key=key)
    # The walk-in queue (or any app listening) hears about the visit; one that handled the ticket says where to go next.
    responses = visit_registered.send(sender=Visit, visit=visit, created=created, ticket=request.POST.get("ticket", ""),
                                      aanmelding=request.POST.get("aanmelding", "")[:36])
    back_to = next((url for _receiver, url in responses if url), None)
    if created and back_to is None:
        # Outcome "Doorverwezen": straight on to the partners for that question (review 1.7: refer in one flow).
        referred = visit.questions.filter(uitkomst="DOORVERWEZEN").order_by("position").first()
        if referred is not None:
            back_to = reverse("referrals:refer", kwargs={"question_uuid": referred.uuid})
    if created:
        ctx = CodeContext.build(location.organisation, visit.codelist_version)
        labels = ", ".join(
            f"{short_label(ctx.lists[CodeList.INSTANTIE].get(q.instantie, q.instantie))} · "
            f"{short_label(ctx.lists[CodeList.ONDERWERP].get(q.onderwerp, q.onderwerp)).lower()} "
            f"({ctx.lists[CodeList.UITKOMST].get(q.uitkomst, q.uitkomst).lower()})"
            for q in visit.questions.order_by("position")
        )
        messages.success(request, _("Opgeslagen: %(labels)s.") % {"labels": labels}, extra_tags=f"undo:{visit.uuid}")
    return redirect(back_to or "desk:register")


@requires(Cap.REGISTER)
@require_POST
def pii_check(request: HttpRequest) -> HttpResponse:
    """Live check while typing (HTMX). Names are only checked once the name model is loaded.

    Only the first MAX_NOTE_LENGTH characters: a note cannot be longer, and the scan costs about 10 ms per KB (review
    L9: 200,000 characters took 2 s per request).
    """
    text = next((value for key, value in request.POST.items() if key.endswith("notitie")), "")[:MAX_NOTE_LENGTH]
    findings = pii.scan(text, names=pii.names_ready()) if text else []
    return render(request, "desk/_pii.html", {"findings": findings, "highlighted": highlight(text, findings)})


def highlight(text: str, findings: list[pii.Finding]) -> str:
    parts, cursor = [], 0
    for f in findings:
        parts.append(escape(text[cursor:f.start]))
        parts.append(f'<mark title="{escape(f.reason)}">{escape(f.text)}</mark>')
        cursor = f.end
    parts.append(escape(text[cursor:]))
    return mark_safe("".join(parts))


@requires(Cap.REGISTER)
def tally(request: HttpRequest) -> HttpResponse:
    location = current_location(request)
    ctx = CodeContext.build(location.organisation)
    if request.method == "POST":
        inst, _sep, onderwerp = request.POST.get("pair", "").partition(":")
        try:
            services.tally_add(user=request.user, location=location, instantie=inst, onderwerp=onderwerp,
                               submission_key=f"tally:{request.POST['click_id']}" if request.POST.get("click_id") else None)
        except RegistrationInvalid as exc:
            messages.error(request, " ".join(e.message for e in exc.errors))
        except IdempotencyConflict as exc:
            messages.error(request, exc.message)
        if not request.htmx:
            return redirect("desk:tally")
    counts = {
        (r["instantie"], r["onderwerp"]): r["n"]
        for r in selectors.today_for_user(request.user, location=location).filter(created_by=request.user)
        .order_by().values("instantie", "onderwerp").annotate(n=Count("id"))
    }
    counters = [{**fav, "count": counts.get((fav["instantie"], fav["onderwerp"]), 0)} for fav in _favourites(ctx, location)]
    context = {
        "location": location,
        "locations": current_locations(request),
        "counters": counters,
        "open_tallies": selectors.with_labels(list(selectors.open_tallies(request.user).filter(location=location)[:50])),
        "click_id": uuid.uuid4().hex,
    }
    template = "desk/_tally_grid.html" if request.htmx else "desk/tally.html"
    return render(request, template, context)


@requires(Cap.REGISTER)
def today(request: HttpRequest) -> HttpResponse:
    questions = selectors.with_labels(list(selectors.today_for_user(request.user)))
    # Registered today for another day (review B10): listed too, so they can be corrected like today's.
    afterwards = selectors.with_labels(list(selectors.registered_today_for_other_days(request.user)[:50]))
    for q in questions + afterwards:
        q.editable = services.can_edit(request.user, q)
    return render(request, "desk/today.html", {
        "questions": questions, "afterwards": afterwards, "edit_window_hours": settings.BALIE_EDIT_WINDOW_HOURS,
        "today_caption": ngettext("%(n)s vraag", "%(n)s vragen", len(questions)) % {"n": len(questions)},
    })


@requires(Cap.REGISTER)
def question_detail(request: HttpRequest, uuid: str) -> HttpResponse:
    question = get_or_404(selectors.questions_for_user(request.user).select_related("visit", "location"), uuid=uuid)
    editable = services.can_edit(request.user, question)
    codes = _code_context(request, question.location)
    errors: list[FieldError] = []
    data = question_to_data(question)
    if request.method == "POST":
        if not editable:
            raise PermissionDenied(_("U mag deze registratie niet meer corrigeren."))
        data = parse_questions(request.POST)[0]
        moment = parse_moment(request.POST, errors)
        if not errors:
            try:
                services.question_update(user=request.user, question=question, data=data, started_at=moment, kanaal=request.POST.get("kanaal") or None)
            except RegistrationInvalid as exc:
                errors = exc.errors
            else:
                messages.success(request, _("De correctie is opgeslagen."))
                return redirect(_safe_next(request, "desk:today"))
    local = timezone.localtime(question.started_at)
    context = {
        **codes,
        "question": question,
        "editable": editable,
        "qb": {"index": 0, "data": display_data(codes["code_ctx"], data), "errors": {e.field: e.message for e in errors if e.field not in VISIT_FIELDS}},
        "visit_errors": {e.field: e.message for e in errors if e.field in {"datum", "tijd", "kanaal"}},
        "labels": selectors.with_labels([question])[0],
        "history": selectors.correction_history(question),
        "errors": errors,
        "datum": local.date().isoformat(),
        "tijd": local.strftime("%H:%M"),
    }
    return render(request, "desk/question.html", context, status=422 if errors else 200)


@requires(Cap.REGISTER)
@require_POST
def question_delete(request: HttpRequest, uuid: str) -> HttpResponse:
    question = get_or_404(selectors.questions_for_user(request.user), uuid=uuid)
    services.question_delete(user=request.user, question=question)
    messages.success(request, _("De registratie is verwijderd."))
    return redirect(_safe_next(request, "desk:today"))


@requires(Cap.REGISTER)
@require_POST
def visit_delete(request: HttpRequest, uuid: str) -> HttpResponse:
    visit = get_or_404(Visit.objects.for_scope(request.scope), uuid=uuid)
    services.visit_delete(user=request.user, visit=visit)
    messages.success(request, _("Ongedaan gemaakt: het bezoek is verwijderd."))
    return redirect(_safe_next(request, "desk:register"))


def _safe_next(request: HttpRequest, default: str) -> str:
    from django.utils.http import url_has_allowed_host_and_scheme

    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return default
