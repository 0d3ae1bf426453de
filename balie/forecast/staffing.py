"""Staffing suggestion for walk-in hours: measured arrivals per weekday × hour and service times, through Erlang C."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Count, Sum
from django.utils import timezone

from balie.desk.models import Question
from balie.network.models import HoursKind, Location, WeeklyHours
from balie.walkin.models import Status, Ticket
from balie.walkin.selectors import DEFAULT_SERVICE, MAX_SERVICE_MINUTES, minutes_between

from . import erlang

WINDOW_WEEKS = 12
# A mean from fewer visits than this says more about chance than about the desk.
MIN_SERVICE_SAMPLES = 20
DEFAULT_SERVICE_MINUTES = sum(DEFAULT_SERVICE) / 2
TARGET_MINUTES = 10
TARGET_SHARE = 0.8


@dataclass
class Measurement:
    window_weeks: int
    arrivals: dict[tuple[int, int], float] = field(default_factory=dict)  # per hour, averaged over the window
    service_minutes: float = DEFAULT_SERVICE_MINUTES
    service_source: str = "standaard"
    service_samples: int = 0


def measure(location: Location, until: dt.date, weeks: int = WINDOW_WEEKS) -> Measurement:
    """Walk-in arrivals per (weekday, hour) and the mean service time per visitor over ``weeks`` before ``until``.

    Arrivals are walk-in visits (registrations, kanaal INLOOP) and queue tickets. Both count the same visitors, so
    per hour we take the larger of the two rather than the sum: a ticket without a registration (no-show, forgotten)
    or a registration without a ticket (queue off) are both undercounts, never extra visitors.
    """
    since = until - dt.timedelta(weeks=weeks)
    result = Measurement(window_weeks=weeks)
    # Grouped per visit on the (location, date) index: one row per visit, never a scan of notes or all visits.
    visits = (
        Question.objects.filter(location=location, date__gte=since, date__lt=until, kanaal="INLOOP")
        .values("visit_id", "visit__started_at")
        .annotate(minutes=Sum("duration_minutes"), timed=Count("duration_minutes"), n=Count("id"))
    )
    by_visits: Counter[tuple[int, int]] = Counter()
    visit_minutes: list[float] = []
    for row in visits.iterator(chunk_size=5000):
        local = timezone.localtime(row["visit__started_at"])
        by_visits[(local.weekday(), local.hour)] += 1
        # Only visits where every question has a duration: a partly timed visit would look shorter than it was.
        if row["timed"] == row["n"] and row["minutes"] and row["minutes"] <= MAX_SERVICE_MINUTES:
            visit_minutes.append(float(row["minutes"]))

    by_tickets: Counter[tuple[int, int]] = Counter()
    ticket_minutes: list[float] = []
    tickets = Ticket.objects.filter(location=location, service_date__gte=since, service_date__lt=until).values_list(
        "status", "issued_at", "called_at", "served_at"
    )
    for status, issued_at, called_at, served_at in tickets.iterator(chunk_size=5000):
        local = timezone.localtime(issued_at)
        by_tickets[(local.weekday(), local.hour)] += 1
        if status == Status.GEHOLPEN and called_at and served_at:
            minutes = minutes_between(called_at, served_at)
            if 0 < minutes <= MAX_SERVICE_MINUTES:
                ticket_minutes.append(minutes)

    for slot in set(by_visits) | set(by_tickets):
        result.arrivals[slot] = max(by_visits[slot], by_tickets[slot]) / weeks
    # The queue measures call-to-done per visitor directly; registrations are the staff's own estimate.
    for samples, source in ((ticket_minutes, "wachtrij"), (visit_minutes, "registraties")):
        if len(samples) >= MIN_SERVICE_SAMPLES:
            result.service_minutes = sum(samples) / len(samples)
            result.service_source = source
            result.service_samples = len(samples)
            break
    return result


def staff_needed(arrivals_per_hour: float, service_minutes: float) -> int:
    return erlang.agents_needed(arrivals_per_hour, service_minutes, target_minutes=TARGET_MINUTES, target_share=TARGET_SHARE)


def scheduled_staff(location: Location) -> dict[tuple[int, int], int]:
    """Staff on the walk-in rota per (weekday, hour): every INLOOP slot that covers part of the hour counts."""
    scheduled: Counter[tuple[int, int]] = Counter()
    for slot in WeeklyHours.objects.filter(location=location, kind=HoursKind.INLOOP):
        last = slot.end.hour if slot.end.minute else slot.end.hour - 1
        for hour in range(slot.start.hour, last + 1):
            scheduled[(slot.weekday, hour)] += slot.staff
    return dict(scheduled)
