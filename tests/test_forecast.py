"""Forecast: the model on synthetic series, the backtest metrics, stored results, staffing and the coordinator pages."""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter

import numpy as np
import pytest
from django.db import connection
from forecast_data import START, TODAY, add_questions, seasonal_location, truth, weeks_from  # tests/ is on sys.path

from balie.forecast import model, staffing
from balie.forecast.models import ForecastRun, ForecastWeek, LocationForecast, WeekKind
from balie.forecast.services import update_forecasts, week_start
from balie.network.models import Location, WeeklyHours

# --- the model ----------------------------------------------------------------------------------------------------

def test_it_recovers_a_known_trend_and_season_without_noise():
    weeks = weeks_from(START, 208)
    future = weeks_from(weeks[-1] + dt.timedelta(weeks=1), 52)
    # Exactly log-linear trend plus a yearly sine on the log scale: the model's own family, so it must fit exactly.
    counts = [math.expm1(math.log(50) + 0.15 * (w - START).days / model.YEAR_DAYS + 0.3 * math.sin(2 * math.pi * w.toordinal() / model.YEAR_DAYS))
              for w in weeks]
    prediction = model.predict(weeks, counts, future)
    assert prediction.method == model.Method.TREND_SEASON
    want = [math.expm1(math.log(50) + 0.15 * (w - START).days / model.YEAR_DAYS + 0.3 * math.sin(2 * math.pi * w.toordinal() / model.YEAR_DAYS))
            for w in future]
    assert prediction.expected == pytest.approx(want, rel=1e-6)


def test_it_recovers_trend_and_season_from_noisy_counts_within_tolerance():
    rng = np.random.default_rng(7)
    weeks = weeks_from(START, 208)
    future = weeks_from(weeks[-1] + dt.timedelta(weeks=1), 52)
    counts = [int(rng.poisson(truth(w))) for w in weeks]
    prediction = model.predict(weeks, counts, future)
    errors = [abs(e - truth(w)) / truth(w) for e, w in zip(prediction.expected, future, strict=True)]
    assert np.mean(errors) < 0.04 and max(errors) < 0.10
    # Growth: the same calendar week a year apart differs by the trend (10% a year, so exp(0.1) = 1.105).
    assert prediction.expected[-1] / counts[-52] == pytest.approx(math.exp(0.10), rel=0.12)
    # The season: the fitted peak and trough are where the sine has them (within two weeks).
    peak, trough = future[int(np.argmax(prediction.expected))], future[int(np.argmin(prediction.expected))]
    assert abs((peak - max(future, key=truth)).days) <= 14 and abs((trough - min(future, key=truth)).days) <= 14
    # An 80% interval: most new weeks fall inside it, not all.
    fresh = [int(rng.poisson(truth(w))) for w in future]
    inside = np.mean([lo <= a <= hi for a, lo, hi in zip(fresh, prediction.low, prediction.high, strict=True)])
    assert 0.65 <= inside <= 0.95
    assert all(lo <= e <= hi for e, lo, hi in zip(prediction.expected, prediction.low, prediction.high, strict=True))


def test_it_uses_a_simpler_method_with_little_history_and_says_so():
    future = weeks_from(dt.date(2025, 6, 2), 52)
    one_year = model.predict(weeks_from(dt.date(2024, 3, 4), 65), [20] * 65, future)
    assert one_year.method == model.Method.SEASON and "twee jaar" in one_year.note
    few = model.predict(weeks_from(dt.date(2025, 3, 3), 13), [10, 12, 8, 11, 9, 10, 12, 10, 11, 9, 10, 12, 8], future)
    assert few.method == model.Method.AVERAGE and few.expected[0] == pytest.approx(few.expected[-1])
    assert 8 < few.expected[0] < 12 and few.low[0] < few.expected[0] < few.high[0]
    none = model.predict(weeks_from(dt.date(2025, 5, 5), 4), [3, 4, 5, 6], future)
    assert none.method == model.Method.NONE and none.expected == [] and "acht weken" in none.note


def test_it_computes_the_error_measures_by_hand():
    assert model.mean_absolute_error([10, 20, 0], [12, 15, 3]) == pytest.approx(10 / 3)
    # Percentages over the weeks with questions only: (2/10 + 5/20) / 2.
    assert model.mean_absolute_percentage_error([10, 20, 0], [12, 15, 3]) == pytest.approx(22.5)
    assert model.mean_absolute_percentage_error([0, 0], [1, 2]) is None
    test = model.Backtest("x", weeks_from(START, 3), [10, 20, 0], [12, 15, 3], [9, 21, 1], [14, 25, 2], [10, 10, 10])
    assert test.mae == pytest.approx(10 / 3) and test.mape == pytest.approx(22.5)
    assert test.coverage == pytest.approx(1 / 3)  # only the first week is inside [low, high]
    assert test.naive_mae == pytest.approx((0 + 10 + 10) / 3)


def test_it_backtests_with_only_the_data_before_the_cut():
    rng = np.random.default_rng(3)
    weeks = weeks_from(START, 180)
    counts = [int(rng.poisson(truth(w))) for w in weeks]
    test = model.backtest(weeks, counts, 52)
    assert test.weeks == weeks[-52:] and test.actual == counts[-52:] and test.naive == counts[-104:-52]
    # Changing what happened in the last year changes the actuals, never the forecast made "a year ago".
    changed = counts[:-52] + [c * 3 for c in counts[-52:]]
    assert model.backtest(weeks, changed, 52).expected == test.expected
    assert test.mape < 10 and test.mae < test.naive_mae  # on a clean series the model beats "same week last year"


# --- stored results --------------------------------------------------------------------------------------------------

@pytest.fixture
def forecast_data(network):
    central = Location.objects.get(code="RDAM-CENTRAAL")
    seasonal_location(central, dt.date(2022, 1, 3), dt.date(2025, 6, 2))
    young = Location.objects.get(code="RDAM-ZUIDPLEIN")  # 20 weeks of history: the recent average
    add_questions(young, {(dt.date(2025, 1, 14) + dt.timedelta(weeks=i), 10): 5 for i in range(20)}, minutes=15)
    new = Location.objects.get(code="RDAM-KRALINGEN")  # three weeks: no forecast
    add_questions(new, {(dt.date(2025, 5, 13) + dt.timedelta(weeks=i), 14): 2 for i in range(3)})
    # Staffing: every Tuesday in the 12 measured weeks, 12 walk-in visitors in the 11:00 hour, 30 minutes each.
    add_questions(central, {(dt.date(2025, 3, 11) + dt.timedelta(weeks=i), 11): 12 for i in range(12)}, minutes=30)
    return central


@pytest.mark.django_db
def test_it_stores_weekly_history_equal_to_raw_sql_and_a_year_of_forecast(forecast_data):
    run = update_forecasts(today=TODAY)
    assert run.finished_at and run.duration_seconds > 0 and run.history_until == dt.date(2025, 6, 2)
    lf = LocationForecast.objects.get(run=run, location=forecast_data)
    with connection.cursor() as cursor:
        cursor.execute("SELECT date, COUNT(*) FROM desk_question WHERE location_id = %s AND date < %s GROUP BY date",
                       [forecast_data.pk, "2025-06-02"])
        raw = Counter()
        for day, n in cursor.fetchall():
            raw[week_start(day if isinstance(day, dt.date) else dt.date.fromisoformat(day))] += n
    history = {w.week_start: w.actual for w in lf.weeks.filter(kind=WeekKind.HISTORY)}
    assert len(history) == 104 and all(history[w] == raw.get(w, 0) for w in history)
    future = list(lf.weeks.filter(kind=WeekKind.FORECAST).order_by("week_start"))
    assert len(future) == 52 and future[0].week_start == dt.date(2025, 6, 2)
    assert all(w.low <= w.expected <= w.high for w in future)
    assert lf.method == model.Method.TREND_SEASON and lf.history_weeks == len(raw)


@pytest.mark.django_db
def test_it_stores_backtest_metrics_that_match_its_stored_weeks(forecast_data):
    run = update_forecasts(today=TODAY)
    lf = LocationForecast.objects.get(run=run, location=forecast_data)
    rows = list(lf.weeks.filter(kind=WeekKind.BACKTEST).order_by("week_start"))
    assert len(rows) == 52 and rows[-1].week_start == dt.date(2025, 5, 26)
    assert lf.backtest_mae == pytest.approx(np.mean([abs(r.actual - r.expected) for r in rows]))
    assert lf.backtest_mape == pytest.approx(100 * np.mean([abs(r.actual - r.expected) / r.actual for r in rows if r.actual]))
    assert lf.backtest_coverage == pytest.approx(np.mean([r.low <= r.actual <= r.high for r in rows]))
    assert lf.naive_mae is not None
    # Overall over the run: the mean weekly error over every location-week that has a backtest.
    all_rows = ForecastWeek.objects.filter(location_forecast__run=run, kind=WeekKind.BACKTEST)
    assert run.backtest_mae == pytest.approx(np.mean([abs(r.actual - r.expected) for r in all_rows]))


@pytest.mark.django_db
def test_it_falls_back_for_locations_with_little_history(forecast_data):
    run = update_forecasts(today=TODAY)
    young = LocationForecast.objects.get(run=run, location__code="RDAM-ZUIDPLEIN")
    assert young.method == model.Method.AVERAGE and young.backtest_mae is None and young.note
    assert young.weeks.filter(kind=WeekKind.FORECAST).count() == 52
    new = LocationForecast.objects.get(run=run, location__code="RDAM-KRALINGEN")
    assert new.method == model.Method.NONE and not new.weeks.filter(kind=WeekKind.FORECAST).exists()
    empty = LocationForecast.objects.get(run=run, location__code="OUDEWATER")
    assert empty.method == model.Method.NONE and empty.history_weeks == 0


@pytest.mark.django_db
def test_it_suggests_staff_per_hour_by_erlang_c_from_measured_arrivals_and_service_times(forecast_data):
    run = update_forecasts(today=TODAY)
    lf = LocationForecast.objects.get(run=run, location=forecast_data)
    slot = lf.staffing.get(weekday=1, hour=11)
    # 12 visits every Tuesday at 11 in the 12 weeks, plus the seasonal series' Tuesday-11:00 questions in those weeks.
    seasonal = sum(max(0, round(truth(w, level=8))) for w in weeks_from(dt.date(2025, 3, 10), 12))
    assert slot.arrivals_per_hour == pytest.approx((12 * 12 + seasonal) / 12 * lf.season_factor)
    assert lf.service_source == "registraties" and lf.service_samples > 20
    assert slot.staff_needed == staffing.staff_needed(slot.arrivals_per_hour, lf.service_minutes) >= 3


@pytest.mark.django_db
def test_it_keeps_only_the_newest_two_runs_per_location(forecast_data):
    for _ in range(3):
        update_forecasts(today=TODAY)
    assert LocationForecast.objects.filter(location=forecast_data).count() == 2
    assert ForecastRun.objects.count() == 2


def test_it_has_an_update_forecasts_command(forecast_data, capsys):
    from django.core.management import call_command

    call_command("update_forecasts", "--today", TODAY.isoformat(), "--organisation", "BIB-RDAM", "--json")
    out = capsys.readouterr().out.strip().splitlines()[-1]
    assert '"locations": ' in out and ForecastRun.objects.get().organisation.code == "BIB-RDAM"
    assert not LocationForecast.objects.filter(location__organisation__code="BIB-GOUDA").exists()


# --- pages ----------------------------------------------------------------------------------------------------------

@pytest.mark.django_db
def test_it_shows_the_forecast_page_to_the_own_coordinator_only(forecast_data, client_for):
    update_forecasts(today=TODAY)
    url = "/prognose/RDAM-CENTRAAL/"
    page = client_for("coordinator").get(url)
    html = page.content.decode()
    assert page.status_code == 200
    assert "<svg" in html and 'role="img"' in html and "<title id=\"prognose-title\">" in html
    assert "Hoe goed klopte de prognose vorig jaar?" in html and "Weken binnen de bandbreedte" in html
    assert 'id="bezetting"' in html and "te weinig" in html  # 1 staff rostered on Tuesday 11:00, 3 or more needed
    assert client_for("medewerker").get(url).status_code == 403
    assert client_for("coordinator-gouda").get(url).status_code == 404
    assert client_for("coordinator-gouda").get("/prognose/").content.decode().count("Centrale Bibliotheek") == 0


@pytest.mark.django_db
def test_it_lists_own_locations_with_method_and_backtest(forecast_data, client_for):
    update_forecasts(today=TODAY)
    html = client_for("coordinator").get("/prognose/").content.decode()
    assert "trend en seizoen" in html and "gemiddelde van de laatste weken" in html and "geen prognose" in html
    assert client_for("medewerker").get("/prognose/").status_code == 403
    assert client_for("coordinator").get("/prognose/?locatie=RDAM-CENTRAAL").url == "/prognose/RDAM-CENTRAAL/"
    assert client_for("coordinator").get("/prognose/?locatie=GOUDA-CHOCOLADEFABRIEK").status_code == 200  # not a redirect out


@pytest.mark.django_db
def test_it_reads_the_rota_live_and_flags_over_staffing(forecast_data, client_for):
    update_forecasts(today=TODAY)
    WeeklyHours.objects.filter(location=forecast_data, weekday=1, kind="INLOOP").update(staff=15)
    html = client_for("coordinator").get("/prognose/RDAM-CENTRAAL/").content.decode()
    cell = html[html.index('id="bezetting"'):]
    assert "meer dan nodig" in cell
    from balie.forecast.selectors import staffing_table

    table = staffing_table(forecast_data, LocationForecast.objects.filter(location=forecast_data).first())
    tuesday = next(r for r in table.rows if r["weekday"] == "dinsdag")
    at_11 = tuesday["cells"][table.hours.index(11)]
    assert at_11.scheduled == 15 and at_11.status == "te_veel"


@pytest.mark.django_db
def test_it_says_so_when_nothing_has_been_computed(network, client_for):
    html = client_for("coordinator").get("/prognose/RDAM-CENTRAAL/").content.decode()
    assert "nog geen prognose berekend" in html
