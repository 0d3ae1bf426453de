"""Writes for signals: storing detection results, confirming, sending, responding, closing."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext, gettext_noop

from balie.core import audit, outbox, pii
from balie.core.access import scope_of
from balie.core.audit import Event
from balie.core.text import strip_invisible
from balie.desk.models import Question
from balie.network.models import Gemeente, Organisation
from balie.partners.models import Partner

from . import collect, report, themes
from .detection import detect
from .models import DismissReason, Kind, ScopeKind, Signal, SignalResponse, Status
from .national import merge_national
from .selectors import managed_recipients
from .workflow import record_creation, transition

REOPEN_WEEKS = 12
# A finding that starts at most this long after a dismissed signal's last week is the same episode (the detection
# window is 1-4 weeks, so a rise that goes on is found again every night with a start inside the last episode).
EPISODE_GAP = dt.timedelta(weeks=2)
DISMISS_NOTE_MAX = 500
EXAMPLES = 3
# Baseline for note themes: two-week windows from 4 to 54 weeks back (a year, skipping the weeks just
# before, where a theme may already be starting), each sampled up to this many notes.
THEME_WINDOWS = range(2, 27)
THEME_WINDOW_NOTES = 200
TOKEN_SALT = "balie.signals.response"
TOKEN_MAX_AGE = dt.timedelta(days=30)


@dataclass
class Finding:
    kind: str
    scope: str
    instantie: str
    onderwerp: str | None
    partner: str | None
    phrase: str
    start_week: dt.date
    end_week: dt.date
    observed: int
    expected: float
    effect: float
    q_value: float
    weekly: list[dict]
    examples: list[str]

    def as_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind, "scope": self.scope, "instantie": self.instantie, "onderwerp": self.onderwerp, "partner": self.partner,
            "phrase": self.phrase or None, "start_week": self.start_week.isoformat(), "end_week": self.end_week.isoformat(),
            "observed": self.observed, "expected": self.expected, "effect": self.effect, "q_value": round(self.q_value, 6),
            "weekly": self.weekly, "examples": self.examples,
        }


def scope_filter(scope: str) -> Q:
    kind, _, key = scope.partition(":")
    if kind == ScopeKind.ORGANISATIE:
        return Q(organisation__code=key)
    if kind == ScopeKind.GEMEENTE:
        return Q(location__gemeente__cbs_code=key)
    return Q()


def _series_filter(scope: str, instantie: str, onderwerp: str | None, partner: str | None) -> Q:
    q = scope_filter(scope) & Q(instantie=instantie)
    if onderwerp:
        q &= Q(onderwerp=onderwerp)
    if partner:
        q &= Q(instantie_local=partner)
    return q


def _examples(scope: str, q: Q, start: dt.date, end: dt.date) -> list[str]:
    # Notes never leave the library organisation, so only organisation-level signals carry them.
    if not scope.startswith("organisatie:"):
        return []
    notes = Question.objects.filter(q, date__gte=start, date__lt=end + dt.timedelta(days=7)).exclude(note="")
    return list(notes.order_by("-date", "-id").values_list("note", flat=True)[:EXAMPLES])


def find(until: dt.date | None = None) -> list[Finding]:
    """Run the detection (counts and note themes) for the week of ``until``; nothing is stored."""
    series = collect.weekly_series(until)
    findings = []
    for c in detect(series):
        key: collect.SeriesKey = c.key
        findings.append(Finding(
            Kind.AANTAL, key.scope, key.instantie, key.onderwerp, key.partner, "", c.start_week, c.end_week, c.observed,
            c.expected, c.effect, c.q_value, c.weekly,
            _examples(key.scope, _series_filter(*key), c.start_week, c.end_week),
        ))
    findings += find_themes(series.weeks[-1])
    return findings


@dataclass
class ThemeInput:
    """The notes one organisation wrote about one instantie: the recent two weeks and the year's windows."""

    organisation: str
    instantie: str
    recent: list[str]
    windows: list[list[str]]
    last_year: list[str]


def theme_inputs(last_week: dt.date) -> list[ThemeInput]:
    recent_from = last_week - dt.timedelta(weeks=1)
    recent_to = last_week + dt.timedelta(days=7)
    pairs = (Question.objects.filter(date__gte=recent_from, date__lt=recent_to).exclude(note="")
             .values_list("organisation_id", "instantie").distinct().order_by("organisation_id", "instantie"))
    codes = dict(Organisation.objects.values_list("pk", "code"))
    out = []
    for org_id, instantie in pairs:
        # Every read uses the partial index question_notes (organisation, instantie, date, id WHERE note <> '').
        base = Question.objects.filter(organisation_id=org_id, instantie=instantie).exclude(note="")
        recent = list(base.filter(date__gte=recent_from, date__lt=recent_to).order_by("date", "id").values_list("note", flat=True))
        if len(recent) < themes.MIN_DOCS:
            continue
        windows = [_window_notes(base, recent_from - dt.timedelta(weeks=2 * j)) for j in THEME_WINDOWS]
        out.append(ThemeInput(codes[org_id], instantie, recent, windows, _window_notes(base, recent_from - dt.timedelta(weeks=52))))
    return out


def find_themes(last_week: dt.date, inputs: list[ThemeInput] | None = None) -> list[Finding]:
    """Phrases that suddenly recur in the notes of one instantie, per library organisation (notes stay inside it)."""
    recent_from = last_week - dt.timedelta(weeks=1)
    scored = []
    for item in theme_inputs(last_week) if inputs is None else inputs:
        s = themes.score(item.recent, item.windows, same_weeks_last_year=item.last_year)
        if s is not None:
            scored.append((item, s))
    found = []
    for (item, _), found_themes in zip(scored, themes.select([s for _, s in scored])):
        for t in found_themes:
            found.append(Finding(
                Kind.THEMA, f"organisatie:{item.organisation}", item.instantie, None, None, t.phrase[:120], recent_from, last_week,
                t.recent_docs, t.expected_docs, round(t.recent_docs / t.expected_docs - 1, 3) if t.expected_docs else 0.0, t.q_value,
                [{"related": t.related}], t.examples,
            ))
    return found


def _window_notes(base: Any, start: dt.date) -> list[str]:
    """The latest notes of one two-week window; a sample is enough to know a phrase's usual share."""
    notes = base.filter(date__gte=start, date__lt=start + dt.timedelta(weeks=2)).order_by("-date", "-id")
    return list(notes.values_list("note", flat=True)[:THEME_WINDOW_NOTES])


def _scope_objects(scope: str) -> dict[str, Any]:
    kind, _, key = scope.partition(":")
    out: dict[str, Any] = {"scope_kind": kind or ScopeKind.LANDELIJK, "scope_key": scope}
    if kind == ScopeKind.ORGANISATIE:
        out["organisation"] = Organisation.objects.filter(code=key).first()
    elif kind == ScopeKind.GEMEENTE:
        out["gemeente"] = Gemeente.objects.filter(cbs_code=key).first()
    return out


@transaction.atomic
def store(findings: list[Finding]) -> list[Signal]:
    """Create, extend or reopen signals for the findings, then merge library signals into national ones."""
    touched = []
    for f in findings:
        figures = dict(start_week=f.start_week, end_week=f.end_week, observed=f.observed, expected=f.expected, effect=f.effect,
                       q_value=f.q_value, evidence={"weekly": f.weekly, "examples": f.examples})
        latest = (Signal.objects.filter(kind=f.kind, scope_key=f.scope, instantie=f.instantie, onderwerp=f.onderwerp or "",
                                        partner=f.partner or "", phrase=f.phrase).order_by("-created_at", "-id").first())
        if latest and latest.status == Status.GEEN_SIGNAAL and f.start_week <= latest.end_week + EPISODE_GAP:
            # The coordinator said "geen signaal" about this rise: it does not fire again while it lasts. Only its
            # last week moves along, so a rise that goes on stays one episode; the figures stay as they were judged.
            if f.end_week > latest.end_week:
                Signal.objects.filter(pk=latest.pk).update(end_week=f.end_week)
            continue
        if latest and latest.is_open:
            # The same problem still going on: one signal that grows, not a new one every night.
            figures["start_week"] = min(latest.start_week, f.start_week)
            Signal.objects.filter(pk=latest.pk).update(**figures)
            latest.refresh_from_db()
            touched.append(latest)
            continue
        if latest and latest.status != Status.GEEN_SIGNAAL and latest.end_week >= f.start_week - dt.timedelta(weeks=REOPEN_WEEKS):
            Signal.objects.filter(pk=latest.pk).update(**figures)
            latest.refresh_from_db()
            transition(latest, Status.NIEUW, note=gettext_noop("Het probleem komt terug: automatisch heropend."))
            touched.append(latest)
            continue
        signal = Signal.objects.create(kind=f.kind, instantie=f.instantie, onderwerp=f.onderwerp or "", partner=f.partner or "",
                                       phrase=f.phrase, **_scope_objects(f.scope), **figures)
        record_creation(signal)
        touched.append(signal)
    merge_national()
    return touched


def run(until: dt.date | None = None, *, save: bool = True) -> list[Finding]:
    findings = find(until)
    if save:
        store(findings)
    return findings


# --- the workflow -------------------------------------------------------------------------------
def _clean(text: str) -> str:
    """Signal texts go to other organisations: the desk note's rule (redact; drop the text if a BSN/IBAN survives)."""
    return pii.scrub_for_storage(text).redacted


def confirm(signal: Signal, *, by: Any, description: str, impact: str, national: bool = False) -> None:
    """``national``: "ook landelijk melden"; a node sends the summary to the hub at its next sync (signals/national.py)."""
    description, impact = _clean(description), _clean(impact)
    Signal.objects.filter(pk=signal.pk).update(description=description, impact=impact, report_national=national)
    signal.description, signal.impact, signal.report_national = description, impact, national
    transition(signal, Status.BEVESTIGD, by=by, note=gettext_noop("Bevestigd door de coördinator."))


def response_token(signal: Signal) -> str:
    """A link for one signal and one purpose; TimestampSigner makes it expire after 30 days."""
    return signing.TimestampSigner(salt=TOKEN_SALT).sign_object({"signal": str(signal.uuid), "purpose": "reactie"})


def signal_for_token(token: str) -> Signal | None:
    try:
        data = signing.TimestampSigner(salt=TOKEN_SALT).unsign_object(token, max_age=TOKEN_MAX_AGE)
    except signing.BadSignature:
        return None
    if data.get("purpose") != "reactie":
        return None
    return Signal.objects.filter(uuid=data.get("signal")).first()


@transaction.atomic
def send_report(signal: Signal, *, by: Any, recipient: Partner, include_examples: bool, base_url: str = "") -> EmailMessage:
    """Send the signal report (PDF attached) to the organisation and mark the signal as reported.

    The status changes first (a signal that may not be reported raises before anything is queued); the e-mail is queued
    in the same transaction and sent by a task after the commit, with retries (core/outbox.py). The audit event
    SIGNAL_REPORT_SENT is written when the mail server has accepted it.
    """
    change = transition(signal, Status.GEMELD, by=by, note=f"Gemeld aan {recipient.name}.")
    Signal.objects.filter(pk=signal.pk).update(recipient=recipient)
    signal.recipient = recipient
    link = base_url + reverse("signals:respond_link", args=[response_token(signal)])
    # The organisation reads the mail and the report in its own account's language, not the coordinator's.
    with translation.override(recipient_language(recipient)):
        pdf = report.render_pdf(signal, include_examples=include_examples)
        message = EmailMessage(
            subject=gettext("Signaal van het Informatiepunt Digitale Overheid: %(title)s") % {"title": report.title(signal)},
            body=report.email_text(signal, link=link),
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[recipient.signal_report_email],
        )
    message.attach(f"signaal-{signal.uuid}.pdf", pdf, "application/pdf")
    outbox.queue(message, key=f"signaal:{signal.pk}:rapport:{change.pk}", audit_event=Event.SIGNAL_REPORT_SENT, audit_obj=signal,
                 audit_user=by, recipient=recipient.name, examples=include_examples)
    return message


def recipient_language(recipient: Partner) -> str:
    """The language of the organisation's own account (the first one linked to it that chose one), else Dutch."""
    chosen = recipient.users.order_by("pk").values_list("user__language", flat=True)
    return next((language for language in chosen if language in ("nl", "en")), "nl")


def report_mail_problem(signal: Signal) -> str:
    """A sentence for the coordinator when the newest report has not reached the organisation by e-mail, else ""."""
    trouble = outbox.trouble(f"signaal:{signal.pk}:")
    if trouble == outbox.GAVE_UP:
        return gettext("Organisatie nog niet bereikt per e-mail: het versturen van het signaalrapport is steeds mislukt.")
    if trouble == outbox.RETRYING:
        return gettext("Organisatie nog niet bereikt per e-mail: de mailserver gaf een fout. Balie probeert het automatisch opnieuw.")
    return ""


@transaction.atomic
def signal_recipient_save(*, user: Any, recipient: Partner | None, name: str, email: str, codes: str) -> Partner:
    """Create or change an organisation that receives signal reports for the instantie `codes` (as |A|B|).

    Who owns it follows from the role: a coordinator's recipients are local to its library, the landelijk
    role's are national. A new recipient with the name of an organisation the same owner already has (for
    example on its social map) becomes that organisation, so one organisation is not entered twice.
    """
    if recipient is not None and recipient.pk:
        recipient = managed_recipients(user).get(pk=recipient.pk)  # raises for a recipient outside the user's scope
        created = False
    else:
        scope = scope_of(user)
        if scope.is_coordinator:
            owner_id = scope.organisation_id
        elif scope.is_national:
            owner_id = None
        else:
            raise PermissionDenied(gettext("Ontvangers van signalen beheren coördinatoren (lokaal) en de landelijke rol (landelijk)."))
        recipient = (Partner.objects.filter(organisation_id=owner_id, name__iexact=name.strip()).order_by("pk").first()
                     or Partner(organisation_id=owner_id, receives_referrals=False))
        created = not recipient.receives_signals
    recipient.name = name.strip()
    recipient.receives_signals = True
    recipient.signal_codes = codes
    # The general address stays the one source when it is the same; a separate one only when it differs.
    recipient.signal_email = "" if email == recipient.email else email
    recipient.save()
    audit.log(Event.SIGNAL_RECIPIENT_CREATED if created else Event.SIGNAL_RECIPIENT_CHANGED, user=user, obj=recipient)
    return recipient


def respond(signal: Signal, *, by: Any, text: str, change: str = "", change_date: dt.date | None = None) -> SignalResponse:
    response = SignalResponse.objects.create(signal=signal, text=_clean(text), change=_clean(change), change_date=change_date,
                                             by=by if getattr(by, "is_authenticated", False) else None)
    transition(signal, Status.REACTIE, by=response.by, note=gettext_noop("Reactie van de organisatie ontvangen."))
    return response


@transaction.atomic
def dismiss(signal: Signal, *, by: Any, reason: str, note: str) -> pii.ScrubResult:
    """Mark a detected rise as "geen signaal" with a reason: a history row, an audit event, and the same episode is
    not detected again (store). The note is redacted like every signal text; the findings are returned to show."""
    if reason not in DismissReason.values:
        raise ValueError(f"unknown reason {reason!r}")
    cleaned = pii.scrub_for_storage(strip_invisible(note).strip(), max_length=DISMISS_NOTE_MAX)
    transition(signal, Status.GEEN_SIGNAAL, by=by, note=cleaned.redacted, reason=reason)
    return cleaned


def dismissal(signal: Signal) -> Any:
    """The history row that marked the signal "geen signaal" (None if it is not)."""
    if signal.status != Status.GEEN_SIGNAAL:
        return None
    return signal.history.filter(to_status=Status.GEEN_SIGNAAL).select_related("by").order_by("-at", "-id").first()


def close(signal: Signal, *, by: Any, solved: bool, note: str = "") -> None:
    transition(signal, Status.OPGELOST if solved else Status.NIET_OPGEPAKT, by=by, note=_clean(note))


def before_after(signal: Signal, weeks: int = 8) -> dict[str, Any] | None:
    """Weekly counts of the signal's series for 8 weeks before and after the organisation's change."""
    response = signal.responses.exclude(change_date=None).order_by("-at").first()
    if response is None or signal.kind != Kind.AANTAL:
        return None
    pivot = collect.monday(response.change_date)
    start, end = pivot - dt.timedelta(weeks=weeks), pivot + dt.timedelta(weeks=weeks)
    q = _series_filter(signal.scope_key, signal.instantie, signal.onderwerp or None, signal.partner or None)
    dates = Question.objects.filter(q, date__gte=start, date__lt=end).values_list("date", flat=True)
    counts = {start + dt.timedelta(weeks=k): 0 for k in range(2 * weeks)}
    for d in dates.iterator():
        counts[collect.monday(d)] += 1
    today_monday = collect.monday(timezone.localdate())
    # Weeks that have not (fully) happened yet would look like a drop: they are left out.
    rows = [{"week": w, "count": n, "after": w >= pivot} for w, n in sorted(counts.items()) if w < today_monday]
    after_rows = [r for r in rows if r["after"]]
    return {
        "change_date": response.change_date, "rows": rows,
        "before": sum(r["count"] for r in rows if not r["after"]), "after": sum(r["count"] for r in after_rows),
        "after_weeks": len(after_rows),
    }
