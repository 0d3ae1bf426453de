"""update_forecasts: weekly counts per location → forecast, backtest and staffing, stored for the pages."""

from __future__ import annotations

import datetime as dt
import time
from collections import defaultdict

import numpy as np
from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from balie.core import audit
from balie.core.audit import Event
from balie.desk.models import Question
from balie.network.models import Location, Organisation

from . import model, staffing
from .models import ForecastRun, ForecastWeek, LocationForecast, StaffingSlot, WeekKind

HORIZON_WEEKS = 52
HISTORY_YEARS = 5  # older weeks say little about next year and cost scan time at national scale
SHOWN_HISTORY_WEEKS = 104
KEEP_RUNS_PER_LOCATION = 2
SEASON_FACTOR_BOUNDS = (0.5, 2.0)


def week_start(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def weekly_counts(locations: list[Location], since: dt.date, until: dt.date) -> dict[int, dict[dt.date, int]]:
    """Questions per location per week (Monday), from one aggregate per location on the (location, date) index."""
    counts: dict[int, dict[dt.date, int]] = defaultdict(lambda: defaultdict(int))
    for location in locations:
        rows = (
            Question.objects.filter(location=location, date__gte=since, date__lt=until)
            .values("date").annotate(n=Count("id")).values_list("date", "n")
        )
        for day, n in rows:
            counts[location.pk][week_start(day)] += n
    return counts


def series(per_week: dict[dt.date, int], until: dt.date) -> tuple[list[dt.date], list[int]]:
    """Consecutive weeks from the first week with questions to the last complete week, zero-filled."""
    if not per_week:
        return [], []
    first = min(per_week)
    weeks = []
    week = first
    while week < until:
        weeks.append(week)
        week += dt.timedelta(weeks=1)
    return weeks, [per_week.get(w, 0) for w in weeks]


def update_forecasts(*, today: dt.date | None = None, organisation: Organisation | None = None) -> ForecastRun:
    """Compute and store forecasts for every active location (or one organisation's). Safe to rerun any time."""
    started = time.monotonic()
    started_at = timezone.now()
    today = today or timezone.localdate()
    until = week_start(today)
    since = until - dt.timedelta(weeks=52 * HISTORY_YEARS)
    locations = list(Location.objects.filter(active=True).select_related("organisation").order_by("pk"))
    if organisation is not None:
        locations = [loc for loc in locations if loc.organisation_id == organisation.pk]
    counts = weekly_counts(locations, since, until)
    future = [until + dt.timedelta(weeks=i) for i in range(HORIZON_WEEKS)]

    computed = []
    for location in locations:
        weeks, values = series(counts.get(location.pk, {}), until)
        prediction = model.predict(weeks, values, future)
        test = model.backtest(weeks, values, HORIZON_WEEKS)
        measurement = staffing.measure(location, until)
        computed.append((location, weeks, values, prediction, test, measurement))

    with transaction.atomic():
        run = ForecastRun.objects.create(started_at=started_at, history_until=until, organisation=organisation, locations=len(locations))
        week_rows: list[ForecastWeek] = []
        slot_rows: list[StaffingSlot] = []
        backtests = []
        for location, weeks, values, prediction, test, measurement in computed:
            factor = _season_factor(values, prediction, measurement.window_weeks)
            lf = LocationForecast.objects.create(
                run=run, location=location, method=prediction.method, note=prediction.note[:300], history_weeks=len(weeks),
                backtest_method=test.method if test else "",
                backtest_mae=test.mae if test else None, backtest_mape=test.mape if test else None,
                backtest_coverage=test.coverage if test else None, naive_mae=test.naive_mae if test else None,
                service_minutes=measurement.service_minutes, service_source=measurement.service_source,
                service_samples=measurement.service_samples, season_factor=factor, window_weeks=measurement.window_weeks,
            )
            for week, value in list(zip(weeks, values, strict=True))[-SHOWN_HISTORY_WEEKS:]:
                week_rows.append(ForecastWeek(location_forecast=lf, kind=WeekKind.HISTORY, week_start=week, actual=value))
            if test is not None and test.expected:
                backtests.append(test)
                for i, week in enumerate(test.weeks):
                    week_rows.append(ForecastWeek(
                        location_forecast=lf, kind=WeekKind.BACKTEST, week_start=week, actual=int(test.actual[i]),
                        expected=test.expected[i], low=test.low[i], high=test.high[i],
                    ))
            for i, week in enumerate(future[: len(prediction.expected)]):
                week_rows.append(ForecastWeek(
                    location_forecast=lf, kind=WeekKind.FORECAST, week_start=week,
                    expected=prediction.expected[i], low=prediction.low[i], high=prediction.high[i],
                ))
            for (weekday, hour), rate in sorted(measurement.arrivals.items()):
                expected_rate = rate * factor
                slot_rows.append(StaffingSlot(
                    location_forecast=lf, weekday=weekday, hour=hour, arrivals_per_hour=expected_rate,
                    staff_needed=staffing.staff_needed(expected_rate, measurement.service_minutes),
                ))
        ForecastWeek.objects.bulk_create(week_rows, batch_size=5000)
        StaffingSlot.objects.bulk_create(slot_rows, batch_size=5000)
        _overall_backtest(run, backtests)
        run.finished_at = timezone.now()
        run.duration_seconds = time.monotonic() - started
        run.save()
        _prune([loc for loc, *_ in computed])
    audit.log(Event.FORECASTS_UPDATED, obj=run, locations=len(locations), seconds=round(run.duration_seconds, 2))
    return run


def _season_factor(values: list[int], prediction: model.Prediction, window_weeks: int) -> float:
    """How much busier the next four weeks are expected to be than the weeks the arrivals were measured in."""
    measured = values[-window_weeks:] if window_weeks else []
    if not measured or not prediction.expected or sum(measured) == 0:
        return 1.0
    ratio = float(np.mean(prediction.expected[:4])) / float(np.mean(measured))
    return min(max(ratio, SEASON_FACTOR_BOUNDS[0]), SEASON_FACTOR_BOUNDS[1])


def _overall_backtest(run: ForecastRun, backtests: list[model.Backtest]) -> None:
    """Over all locations: mean weekly error, percentage error of the weekly total, and interval coverage."""
    if not backtests:
        return
    run.backtest_mae = float(np.mean([abs(a - e) for t in backtests for a, e in zip(t.actual, t.expected, strict=True)]))
    actual: dict[dt.date, float] = defaultdict(float)
    expected: dict[dt.date, float] = defaultdict(float)
    for test in backtests:
        for week, a, e in zip(test.weeks, test.actual, test.expected, strict=True):
            actual[week] += a
            expected[week] += e
    weeks = sorted(actual)
    run.backtest_mape = model.mean_absolute_percentage_error([actual[w] for w in weeks], [expected[w] for w in weeks])
    inside = [lo <= a <= hi for t in backtests for a, lo, hi in zip(t.actual, t.low, t.high, strict=True)]
    run.backtest_coverage = sum(inside) / len(inside)


def _prune(locations: list[Location]) -> None:
    """Keep the newest runs per location: pages read the newest, the one before is kept to compare."""
    for location in locations:
        old = LocationForecast.objects.filter(location=location).order_by("-run__started_at", "-pk").values_list("pk", flat=True)[
            KEEP_RUNS_PER_LOCATION:
        ]
        LocationForecast.objects.filter(pk__in=list(old)).delete()
    ForecastRun.objects.filter(location_forecasts__isnull=True, finished_at__isnull=False).delete()
