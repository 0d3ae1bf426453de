"""Weekly question forecast: trend plus yearly season, fitted on the log scale, with a prediction interval.

Pure numpy/scipy, no Django, so it is tested on synthetic series with a known answer. Why this model and not
statsmodels' SARIMA or ETS: a location has one number per week, often only a few years of them, with the
yearly pattern (tax season, summer, December) as the main structure. A linear regression of log(count + 1) on a
linear trend and three yearly Fourier pairs captures exactly that, needs ~10 parameters, is fast for 750
locations and cannot fail to converge. The log scale makes trend and season multiplicative (a busy location
grows by more questions than a quiet one) and keeps the interval above zero.

With little history we say so and use less: two years or more → trend and season; one year → season without a
trend (one year cannot tell a trend from a season); eight weeks → the recent average; less → no forecast.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from django.utils.translation import gettext, gettext_noop
from scipy import stats

YEAR_DAYS = 365.2425
HARMONICS = 3
INTERVAL = 0.80  # an 80% interval: wide enough to be honest, narrow enough to plan with
MIN_WEEKS_TREND = 104
MIN_WEEKS_SEASON = 52
MIN_WEEKS_AVERAGE = 8
RECENT_WEEKS = 13
# A log-linear trend extrapolated a year ahead can run away on a short or broken history. Growth beyond
# this factor a year is treated as a broken series: we fall back to season without trend and say so.
MAX_YEARLY_GROWTH = 1.6


class Method:
    TREND_SEASON = "trend_seizoen"
    SEASON = "seizoen"
    AVERAGE = "gemiddelde"
    NONE = "geen"

    LABELS = {
        "trend_seizoen": gettext_noop("trend en seizoen"),
        "seizoen": gettext_noop("seizoen zonder trend (minder dan twee jaar gegevens)"),
        "gemiddelde": gettext_noop("gemiddelde van de laatste weken (minder dan een jaar gegevens)"),
        "geen": gettext_noop("geen prognose (minder dan acht weken gegevens)"),
    }


# Why a simpler method was used. Stored in Dutch with the forecast (LocationForecast.note, also rows from before this
# list existed) and translated when shown: note_text() recognises each text, the trend note with its growth figure.
NOTE_TOO_SHORT = gettext_noop("Minder dan acht weken gegevens: nog geen prognose.")
NOTE_ONE_YEAR = gettext_noop("Minder dan twee jaar gegevens: de prognose volgt het seizoen, maar kan nog geen groei of krimp zien.")
NOTE_UNDER_A_YEAR = gettext_noop("Minder dan een jaar gegevens: de prognose is het gemiddelde van de laatste weken, zonder seizoen.")
NOTE_ERRATIC_TREND = gettext_noop("De trend (%(groei)s%% per jaar) is te grillig om door te trekken; de prognose gebruikt alleen het seizoen.")
_FIXED_NOTES = (NOTE_TOO_SHORT, NOTE_ONE_YEAR, NOTE_UNDER_A_YEAR)
_ERRATIC_TREND_RE = re.compile(re.escape(NOTE_ERRATIC_TREND).replace(re.escape("%(groei)s%%"), r"([+-]\d+)%"))


def note_text(stored: str) -> str:
    """A stored note in the active language; a text this list does not know (typed, or from an older version) as stored."""
    if stored in _FIXED_NOTES:
        return gettext(stored)
    match = _ERRATIC_TREND_RE.fullmatch(stored)
    if match:
        return gettext(NOTE_ERRATIC_TREND) % {"groei": match.group(1)}
    return stored


@dataclass
class Prediction:
    method: str
    expected: list[float]
    low: list[float]
    high: list[float]
    note: str = ""


@dataclass
class Backtest:
    """A forecast made as if it were a year ago, laid over what really happened."""

    method: str
    weeks: list[dt.date]
    actual: list[float]
    expected: list[float]
    low: list[float]
    high: list[float]
    naive: list[float] | None  # "same week last year": the forecast to beat

    @property
    def mae(self) -> float:
        return mean_absolute_error(self.actual, self.expected)

    @property
    def mape(self) -> float | None:
        return mean_absolute_percentage_error(self.actual, self.expected)

    @property
    def coverage(self) -> float:
        inside = sum(1 for a, lo, hi in zip(self.actual, self.low, self.high, strict=True) if lo <= a <= hi)
        return inside / len(self.actual)

    @property
    def naive_mae(self) -> float | None:
        return mean_absolute_error(self.actual, self.naive) if self.naive is not None else None


def mean_absolute_error(actual: Sequence[float], expected: Sequence[float]) -> float:
    return float(np.mean(np.abs(np.asarray(actual, float) - np.asarray(expected, float))))


def mean_absolute_percentage_error(actual: Sequence[float], expected: Sequence[float]) -> float | None:
    """In percent, over the weeks with questions: a week with 0 questions has no percentage error (division by 0)."""
    pairs = [(a, e) for a, e in zip(actual, expected, strict=True) if a > 0]
    if not pairs:
        return None
    return float(100 * np.mean([abs(a - e) / a for a, e in pairs]))


def design(weeks: Sequence[dt.date], origin: dt.date, *, trend: bool, harmonics: int) -> np.ndarray:
    """Columns: intercept, years since origin (trend), and sin/cos pairs of the calendar year (season)."""
    days = np.array([(w - origin).days for w in weeks], float)
    # The season follows the calendar, not the start of the series, so week 12 of every year lines up.
    phase = 2 * math.pi * np.array([w.toordinal() for w in weeks], float) / YEAR_DAYS
    columns = [np.ones_like(days)]
    if trend:
        columns.append(days / YEAR_DAYS)
    for k in range(1, harmonics + 1):
        columns += [np.sin(k * phase), np.cos(k * phase)]
    return np.column_stack(columns)


def _regression(weeks: Sequence[dt.date], counts: Sequence[float], future: Sequence[dt.date], *, trend: bool, harmonics: int):
    origin = weeks[0]
    x = design(weeks, origin, trend=trend, harmonics=harmonics)
    z = np.log1p(np.asarray(counts, float))
    beta, *_ = np.linalg.lstsq(x, z, rcond=None)
    resid = z - x @ beta
    dof = max(1, len(z) - x.shape[1])
    sigma2 = float(resid @ resid) / dof
    x0 = design(future, origin, trend=trend, harmonics=harmonics)
    xtx_inv = np.linalg.pinv(x.T @ x)
    # Prediction variance: noise plus the uncertainty of the fitted line itself, which grows away from the data.
    var = sigma2 * (1 + np.einsum("ij,jk,ik->i", x0, xtx_inv, x0))
    z0 = x0 @ beta
    return beta, z0, var, sigma2, dof


def _back(z0: np.ndarray, var: np.ndarray, sigma2: float, dof: int) -> tuple[list[float], list[float], list[float]]:
    t = stats.t.ppf(0.5 + INTERVAL / 2, dof)
    sd = np.sqrt(var)
    # The mean of a log-normal is exp(mu + s²/2), not exp(mu): without the correction every forecast is too low.
    expected = np.expm1(z0 + sigma2 / 2)
    low = np.maximum(0, np.expm1(z0 - t * sd))
    high = np.expm1(z0 + t * sd)
    return [float(v) for v in np.maximum(0, expected)], [float(v) for v in low], [float(v) for v in high]


def predict(weeks: Sequence[dt.date], counts: Sequence[float], future: Sequence[dt.date]) -> Prediction:
    """Forecast ``future`` weeks from the weekly ``counts`` (one per consecutive week in ``weeks``)."""
    n = len(counts)
    empty = Prediction(Method.NONE, [], [], [], NOTE_TOO_SHORT)
    if n < MIN_WEEKS_AVERAGE or not future:
        return empty
    if n >= MIN_WEEKS_TREND:
        beta, z0, var, sigma2, dof = _regression(weeks, counts, future, trend=True, harmonics=HARMONICS)
        if math.exp(abs(beta[1])) <= MAX_YEARLY_GROWTH:
            return Prediction(Method.TREND_SEASON, *_back(z0, var, sigma2, dof))
        note = NOTE_ERRATIC_TREND % {"groei": f"{math.exp(beta[1]) * 100 - 100:+.0f}"}
        return Prediction(Method.SEASON, *_back(*_regression(weeks, counts, future, trend=False, harmonics=HARMONICS)[1:]), note)
    if n >= MIN_WEEKS_SEASON:
        # Fewer harmonics: one year gives each seasonal parameter only one observation per week of the year.
        _, z0, var, sigma2, dof = _regression(weeks, counts, future, trend=False, harmonics=2)
        return Prediction(Method.SEASON, *_back(z0, var, sigma2, dof), NOTE_ONE_YEAR)
    recent = np.log1p(np.asarray(counts[-RECENT_WEEKS:], float))
    dof = max(1, len(recent) - 1)
    sigma2 = float(np.var(recent, ddof=1)) if len(recent) > 1 else 0.0
    z0 = np.full(len(future), float(np.mean(recent)))
    var = np.full(len(future), sigma2 * (1 + 1 / len(recent)))
    return Prediction(Method.AVERAGE, *_back(z0, var, sigma2, dof), NOTE_UNDER_A_YEAR)


def backtest(weeks: Sequence[dt.date], counts: Sequence[float], horizon: int = 52) -> Backtest | None:
    """Forecast the last ``horizon`` weeks from the weeks before them only, as if we stood there a year ago."""
    cut = len(counts) - horizon
    if cut < MIN_WEEKS_AVERAGE:
        return None
    prediction = predict(weeks[:cut], counts[:cut], weeks[cut:])
    naive = [float(c) for c in counts[cut - 52:cut]] if cut >= 52 else None
    return Backtest(
        prediction.method, list(weeks[cut:]), [float(c) for c in counts[cut:]],
        prediction.expected, prediction.low, prediction.high, naive[:horizon] if naive else None,
    )
