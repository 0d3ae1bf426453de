"""Reads of the stored forecasts, for the forecast pages and (later) the dashboards and accountability report."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Max

from balie.core.dates import WEEKDAYS, weekday_name
from balie.network.models import Location

from . import staffing
from .models import ForecastRun, ForecastWeek, LocationForecast, WeekKind

NEAR_WEEKS = 4


def latest(location: Location) -> LocationForecast | None:
    return LocationForecast.objects.filter(location=location).select_related("run").order_by("-run__started_at", "-pk").first()


def latest_for(locations: Iterable[Location]) -> dict[int, LocationForecast]:
    """The newest stored forecast per location, in two queries whatever the number of locations."""
    ids = [loc.pk for loc in locations]
    newest = (
        LocationForecast.objects.filter(location_id__in=ids).values("location_id").annotate(last=Max("run__started_at"))
    )
    wanted = {(row["location_id"], row["last"]) for row in newest}
    found = LocationForecast.objects.filter(location_id__in=ids).select_related("run").order_by("pk")
    return {lf.location_id: lf for lf in found if (lf.location_id, lf.run.started_at) in wanted}


def latest_run() -> ForecastRun | None:
    return ForecastRun.objects.filter(finished_at__isnull=False).order_by("-started_at").first()


@dataclass
class LocationSummary:
    location: Location
    forecast: LocationForecast | None
    next_weeks: float | None = None  # expected questions in the next four weeks
    next_year: float | None = None  # expected questions in the next 52 weeks
    last_year: int | None = None  # actual questions in the last 52 weeks, to compare


def summaries(locations: Iterable[Location]) -> list[LocationSummary]:
    """Per location: expected questions next four weeks and next year, next to the last year (for dashboards)."""
    locations = list(locations)
    stored = latest_for(locations)
    weeks_by_lf: dict[int, list[ForecastWeek]] = {}
    for week in ForecastWeek.objects.filter(location_forecast__in=stored.values()).order_by("week_start"):
        weeks_by_lf.setdefault(week.location_forecast_id, []).append(week)
    result = []
    for location in locations:
        lf = stored.get(location.pk)
        summary = LocationSummary(location, lf)
        if lf is not None:
            rows = weeks_by_lf.get(lf.pk, [])
            future = [w.expected or 0 for w in rows if w.kind == WeekKind.FORECAST]
            history = [w.actual or 0 for w in rows if w.kind == WeekKind.HISTORY]
            if future:
                summary.next_weeks = sum(future[:NEAR_WEEKS])
                summary.next_year = sum(future)
            if len(history) >= 52:
                summary.last_year = sum(history[-52:])
        result.append(summary)
    return result


@dataclass
class Detail:
    forecast: LocationForecast
    history: list[ForecastWeek]
    backtest: list[ForecastWeek]
    future: list[ForecastWeek]

    @property
    def backtest_bias(self) -> float | None:
        """Mean of (forecast - actual): positive means last year's forecast was too high."""
        if not self.backtest:
            return None
        return sum((w.expected or 0) - (w.actual or 0) for w in self.backtest) / len(self.backtest)

    @property
    def backtest_bias_size(self) -> float | None:
        return abs(self.backtest_bias) if self.backtest_bias is not None else None

    @property
    def beats_naive(self) -> bool | None:
        lf = self.forecast
        if lf.backtest_mae is None or lf.naive_mae is None:
            return None
        return lf.backtest_mae < lf.naive_mae


def detail(location: Location) -> Detail | None:
    lf = latest(location)
    if lf is None:
        return None
    weeks = list(lf.weeks.order_by("week_start"))
    return Detail(
        lf,
        [w for w in weeks if w.kind == WeekKind.HISTORY],
        [w for w in weeks if w.kind == WeekKind.BACKTEST],
        [w for w in weeks if w.kind == WeekKind.FORECAST],
    )


@dataclass
class StaffingCell:
    weekday: int
    hour: int
    arrivals: float = 0.0
    needed: int = 0
    scheduled: int = 0

    @property
    def advice(self) -> int:
        """Erlang C's number, but a rostered walk-in hour needs someone at the desk even if nobody came lately."""
        return max(self.needed, 1) if self.scheduled else self.needed

    @property
    def status(self) -> str:
        """'te_weinig', 'te_veel' or 'past'."""
        if self.scheduled < self.advice:
            return "te_weinig"
        if self.scheduled > self.advice:
            return "te_veel"
        return "past"


@dataclass
class StaffingTable:
    hours: list[int]
    rows: list[dict[str, Any]] = field(default_factory=list)
    under: int = 0
    over: int = 0


def staffing_table(location: Location, forecast: LocationForecast | None) -> StaffingTable:
    """Suggested staff per weekday × hour beside the current rota (read live: a rota edit shows at once)."""
    scheduled = staffing.scheduled_staff(location)
    cells: dict[tuple[int, int], StaffingCell] = {}
    if forecast is not None:
        for slot in forecast.staffing.all():
            cells[(slot.weekday, slot.hour)] = StaffingCell(slot.weekday, slot.hour, slot.arrivals_per_hour, slot.staff_needed)
    for key, n in scheduled.items():
        cells.setdefault(key, StaffingCell(*key)).scheduled = n
    # Hours with a visitor every few weeks and nobody rostered are noise, not a gap in the rota.
    cells = {k: c for k, c in cells.items() if c.scheduled or c.arrivals >= 0.25}
    hours = sorted({h for _, h in cells})
    table = StaffingTable(hours=list(range(hours[0], hours[-1] + 1)) if hours else [])
    for weekday, name in enumerate(WEEKDAYS):
        if not any(k[0] == weekday for k in cells):
            continue
        row = [cells.get((weekday, h)) for h in table.hours]
        table.rows.append({"weekday": weekday_name(weekday), "cells": row})
        for cell in row:
            if cell is not None and cell.status == "te_weinig":
                table.under += 1
            elif cell is not None and cell.status == "te_veel":
                table.over += 1
    return table
