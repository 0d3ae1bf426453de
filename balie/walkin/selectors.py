"""Reads for the walk-in queue: today's queue, the expected wait and the queue statistics."""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from balie.core.access import scope_of
from balie.core.dates import WEEKDAYS
from balie.desk.models import Question
from balie.network.models import Location

from .models import QueueSettings, Status, Ticket
from .topics import TOPICS, topic_info

SERVICE_WINDOW_DAYS = 60
# Fewer measurements than this say more about chance than about the location.
MIN_SAMPLES = 5
# A registration made hours after the call (end-of-day catch-up) is not a service time.
MAX_SERVICE_MINUTES = 240
# No history at all: assume 10 minutes, with a margin wide enough to admit we do not know.
DEFAULT_SERVICE = (5.0, 15.0)
ROUND_TO = 5
HEATMAP_HOURS = (9, 17)


# The staff statistics speak the user's language; core.dates.WEEKDAYS stays Dutch for exports and the open data.
WEEKDAY_NAMES = (pgettext_lazy("weekday", "maandag"), pgettext_lazy("weekday", "dinsdag"), pgettext_lazy("weekday", "woensdag"),
                 pgettext_lazy("weekday", "donderdag"), pgettext_lazy("weekday", "vrijdag"), pgettext_lazy("weekday", "zaterdag"),
                 pgettext_lazy("weekday", "zondag"))


def _weekday(number: int) -> str:
    return str(WEEKDAY_NAMES[number])


def percentile(values: Sequence[float], q: float) -> float | None:
    """Linear interpolation between closest ranks (numpy's default), so tests can check it by hand."""
    if not values:
        return None
    data = sorted(values)
    pos = (len(data) - 1) * q
    low, high = math.floor(pos), math.ceil(pos)
    return data[low] + (data[high] - data[low]) * (pos - low)


def minutes_between(start: dt.datetime, end: dt.datetime) -> float:
    return (end - start).total_seconds() / 60


# ---------------------------------------------------------------- today's queue


def tickets_for_user(user: Any) -> QuerySet[Ticket]:
    return Ticket.objects.for_scope(scope_of(user)).select_related("location")


def queue_settings(location: Location) -> QueueSettings:
    """The stored settings, or unsaved defaults (queue off) for a location that never used the queue."""
    return QueueSettings.objects.filter(location=location).first() or QueueSettings(location=location)


def day_tickets(location: Location, day: dt.date | None = None) -> QuerySet[Ticket]:
    return Ticket.objects.filter(location=location, service_date=day or timezone.localdate())


def waiting(location: Location, day: dt.date | None = None) -> QuerySet[Ticket]:
    return day_tickets(location, day).filter(status=Status.WACHTEND).order_by("number")


def called(location: Location, day: dt.date | None = None) -> QuerySet[Ticket]:
    return day_tickets(location, day).filter(status=Status.OPGEROEPEN).order_by("-announced_at", "-number")


def recent_calls(location: Location, day: dt.date | None = None, limit: int = 5) -> list[Ticket]:
    """The display's list: the newest call first, including recalls."""
    return list(day_tickets(location, day).filter(announced_at__isnull=False).order_by("-announced_at", "-number")[:limit])


def announcement_key(ticket: Ticket | None) -> str:
    """Changes with every (re)call, so the display announces each one once."""
    if ticket is None or ticket.announced_at is None:
        return ""
    return f"{ticket.pk}-{int(ticket.announced_at.timestamp() * 1000)}"


# ---------------------------------------------------------------- expected wait


@dataclass(frozen=True)
class ServiceTime:
    p25: float
    p75: float
    source: str  # "wachtrij", "registraties" or "standaard"
    samples: int = 0


def _from_samples(samples: list[float], source: str) -> ServiceTime | None:
    if len(samples) < MIN_SAMPLES:
        return None
    return ServiceTime(percentile(samples, 0.25) or 0.0, percentile(samples, 0.75) or 0.0, source, len(samples))


def service_times(location: Location, day: dt.date | None = None) -> dict[str, ServiceTime]:
    """Per topic code ('' = no topic): measured queue service times, else registration durations, else a default."""
    day = day or timezone.localdate()
    since = day - dt.timedelta(days=SERVICE_WINDOW_DAYS)
    by_topic: dict[str, list[float]] = defaultdict(list)
    every: list[float] = []
    rows = Ticket.objects.filter(
        location=location, status=Status.GEHOLPEN, service_date__gt=since, service_date__lte=day,
        called_at__isnull=False, served_at__isnull=False,
    ).values_list("topic", "called_at", "served_at")
    for topic, called_at, served_at in rows:
        minutes = minutes_between(called_at, served_at)
        if 0 < minutes <= MAX_SERVICE_MINUTES:
            by_topic[topic].append(minutes)
            every.append(minutes)

    questions: list[tuple[str, str, int]] | None = None
    result: dict[str, ServiceTime] = {}
    for code in ["", *TOPICS]:
        info = topic_info(code)
        generic = not (info.history_instanties or info.history_onderwerpen)
        measured = _from_samples(every if generic else by_topic[code], "wachtrij")
        if measured is None:
            if questions is None:  # fetched once, and only when a topic needs it
                questions = list(
                    Question.objects.filter(location=location, date__gt=since, date__lte=day, duration_minutes__isnull=False)
                    .values_list("instantie", "onderwerp", "duration_minutes")
                )
            durations = [
                float(minutes) for inst, ond, minutes in questions
                if generic or inst in info.history_instanties or ond in info.history_onderwerpen
            ]
            measured = _from_samples(durations, "registraties")
        result[code] = measured or ServiceTime(*DEFAULT_SERVICE, "standaard")
    return result


@dataclass(frozen=True)
class WaitEstimate:
    ahead: int
    lower: int
    upper: int

    @property
    def position(self) -> int:
        return self.ahead + 1

    @property
    def text(self) -> str:
        """For the visitor, in the page's language."""
        if self.ahead == 0:
            return _("u bent de volgende")
        if self.lower == 0:
            return _("minder dan %(upper)s minuten") % {"upper": self.upper}
        return _("ongeveer %(lower)s tot %(upper)s minuten") % {"lower": self.lower, "upper": self.upper}

    @property
    def staff_text(self) -> str:
        """For the staff table: about the ticket, not addressed to the visitor (review 2026-12, B14)."""
        if self.ahead == 0:
            return _("is de volgende")
        return self.text


def estimate(ahead_topics: Iterable[str], times: dict[str, ServiceTime], staff: int) -> WaitEstimate:
    """Sum of p25 and p75 service times of those ahead, shared by the staff on duty.

    The lower bound rounds down and the upper bound up: a range that is too tight is exactly the
    false precision we do not want to show a visitor.
    """
    topics = list(ahead_topics)
    if not topics:
        return WaitEstimate(0, 0, 0)
    staff = max(1, staff)
    low = sum(times.get(t, times[""]).p25 for t in topics) / staff
    high = sum(times.get(t, times[""]).p75 for t in topics) / staff
    lower = math.floor(low / ROUND_TO) * ROUND_TO
    upper = math.ceil(high / ROUND_TO) * ROUND_TO
    if upper <= lower:
        upper = lower + ROUND_TO
    return WaitEstimate(len(topics), lower, upper)


def expected_wait(ticket: Ticket) -> WaitEstimate:
    """For a waiting ticket: the waiting tickets with a lower number are ahead of it."""
    day = ticket.service_date
    ahead = list(waiting(ticket.location, day).filter(number__lt=ticket.number).values_list("topic", flat=True))
    staff = queue_settings(ticket.location).staff_on(day)
    return estimate(ahead, service_times(ticket.location, day), staff)


def expected_wait_for_newcomer(location: Location) -> WaitEstimate:
    """What a visitor who takes a number now can expect: everyone waiting is ahead."""
    day = timezone.localdate()
    ahead = list(waiting(location, day).values_list("topic", flat=True))
    return estimate(ahead, service_times(location, day), queue_settings(location).staff_on(day))


def waiting_with_estimates(location: Location, day: dt.date | None = None) -> list[tuple[Ticket, WaitEstimate]]:
    """The staff list: every waiting ticket with its estimate, from one service-time computation."""
    day = day or timezone.localdate()
    tickets = list(waiting(location, day))
    times = service_times(location, day)
    staff = queue_settings(location).staff_on(day)
    return [(t, estimate([a.topic for a in tickets[:i]], times, staff)) for i, t in enumerate(tickets)]


# ---------------------------------------------------------------- statistics (item 6; reused by the insight dashboards)


@dataclass
class QueueStats:
    date_from: dt.date
    date_to: dt.date
    tickets: int = 0
    called: int = 0
    served: int = 0
    no_shows: int = 0
    cancelled: int = 0
    never_called: int = 0
    median_wait: float | None = None
    p90_wait: float | None = None
    by_topic: list[dict[str, Any]] = field(default_factory=list)
    by_weekday_hour: dict[tuple[int, int], int] = field(default_factory=dict)

    @property
    def no_show_share(self) -> float | None:
        """No-shows among the numbers that were called: only a called visitor can fail to show up."""
        return self.no_shows / self.called if self.called else None

    @property
    def hours(self) -> list[int]:
        """Usual library hours, widened when tickets fall outside them, so periods compare at a glance."""
        found = [hour for _, hour in self.by_weekday_hour]
        return list(range(min([HEATMAP_HOURS[0], *found]), max([HEATMAP_HOURS[1], *found]) + 1))

    @property
    def peak_slots(self) -> list[tuple[str, int, int]]:
        """The three busiest weekday-hours: (weekday name, hour, tickets)."""
        top = sorted(self.by_weekday_hour.items(), key=lambda item: (-item[1], item[0]))[:3]
        return [(_weekday(wd), hour, n) for (wd, hour), n in top]

    def heatmap_rows(self) -> list[dict[str, Any]]:
        """Rows per weekday with a 0-4 shade per cell; the number is always printed too (never colour alone)."""
        peak = max(self.by_weekday_hour.values(), default=0)
        rows = []
        for wd, name in enumerate(map(_weekday, range(len(WEEKDAYS)))):
            cells = []
            for hour in self.hours:
                n = self.by_weekday_hour.get((wd, hour), 0)
                cells.append({"hour": hour, "count": n, "level": math.ceil(4 * n / peak) if n else 0})
            rows.append({"weekday": name, "cells": cells, "total": sum(c["count"] for c in cells)})
        return rows


def queue_stats(location: Location, date_from: dt.date, date_to: dt.date) -> QueueStats:
    """Tickets, waits (called_at - issued_at, minutes), no-shows and busy hours of one location, dates inclusive."""
    stats = QueueStats(date_from=date_from, date_to=date_to)
    rows = list(
        Ticket.objects.filter(location=location, service_date__gte=date_from, service_date__lte=date_to)
        .values_list("status", "topic", "issued_at", "called_at", "served_at")
    )
    waits: list[float] = []
    topic_counts: Counter[str] = Counter()
    topic_service: dict[str, list[float]] = defaultdict(list)
    grid: Counter[tuple[int, int]] = Counter()
    for status, topic, issued_at, called_at, served_at in rows:
        stats.tickets += 1
        topic_counts[topic] += 1
        local = timezone.localtime(issued_at)
        grid[(local.weekday(), local.hour)] += 1
        if called_at is not None:
            stats.called += 1
            waits.append(minutes_between(issued_at, called_at))
            if served_at is not None:
                topic_service[topic].append(minutes_between(called_at, served_at))
        if status == Status.GEHOLPEN:
            stats.served += 1
        elif status == Status.NIET_VERSCHENEN:
            stats.no_shows += 1
        elif status == Status.GEANNULEERD:
            stats.cancelled += 1
        elif status == Status.WACHTEND:
            stats.never_called += 1
    stats.median_wait = percentile(waits, 0.5)
    stats.p90_wait = percentile(waits, 0.9)
    stats.by_weekday_hour = dict(grid)
    stats.by_topic = [
        {
            "code": code,
            "label": _(str(topic_info(code).label)),  # "Zonder onderwerp" is a plain string
            "tickets": topic_counts[code],
            "median_service": percentile(topic_service[code], 0.5),
        }
        for code in ["", *TOPICS]
        if topic_counts[code]
    ]
    return stats
