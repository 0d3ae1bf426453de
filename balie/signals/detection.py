"""The detection maths: pure functions over weekly count arrays, no database (ADR 0007).

A series is the weekly number of questions about one instantie (optionally × onderwerp) in one
scope. Its expected level is its ratio to *the rest of the scope's volume* over the past year,
corrected for season by the same calendar weeks last year. Measuring against the rest (not the
total including itself) matters: DigiD is a quarter of all questions, so a doubling would
otherwise hide partly in its own denominator. The tax season cancels out because the Belasting-
dienst share rose last year in the same weeks too.

Observed counts over the last 1-4 weeks are tested against a negative binomial whose
overdispersion comes from the series' own baseline; p-values are corrected with Benjamini-
Hochberg over every series tested in the run.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Hashable

import numpy as np
from scipy import stats

# Weeks back (counted from the tested week) that form the baseline: roughly the past year,
# leaving out the most recent four so an ongoing problem does not raise its own expectation.
BASELINE_FROM, BASELINE_TO = 56, 4
SEASON_LAG = 52
SEASON_HALF_WINDOW = 3  # same calendar week last year ± 3 weeks: stable, still seasonal
SEASON_PRIOR = 10.0  # pseudo-counts that pull a sparse season factor back to 1
MAX_WINDOW = 4
FDR = 0.05
MIN_EFFECT = 0.40
MIN_OBSERVED = 10
MAX_DISPERSION = 8.0
EVIDENCE_WEEKS = 12


@dataclass(frozen=True)
class SeriesSet:
    """Weekly counts of many series over the same consecutive weeks (Mondays)."""

    weeks: list[dt.date]
    keys: list[Hashable]
    counts: np.ndarray  # (series, weeks)
    totals: np.ndarray  # (series, weeks): the whole scope's volume, the series included

    def until(self, week: dt.date) -> SeriesSet:
        """The same series cut off after ``week`` (a cheap view, for replaying history)."""
        end = self.weeks.index(week) + 1
        return SeriesSet(self.weeks[:end], self.keys, self.counts[:, :end], self.totals[:, :end])


@dataclass
class Candidate:
    key: Hashable
    start_week: dt.date
    end_week: dt.date
    observed: int
    expected: float
    effect: float  # observed / expected - 1
    p_value: float
    q_value: float = 1.0
    weekly: list[dict] = field(default_factory=list)  # evidence: week, observed, expected


def expected_levels(counts: np.ndarray, totals: np.ndarray, weeks: list[int]) -> tuple[np.ndarray, np.ndarray]:
    """Expected counts per series for the given week indexes (relative to the last week's baseline).

    Returns (expected, base_ratio): expected has shape (series, len(weeks)).
    """
    n, width = counts.shape
    rest = np.maximum(totals - counts, 0).astype(float)
    cs = np.concatenate([np.zeros((n, 1)), np.cumsum(counts, axis=1, dtype=float)], axis=1)
    cr = np.concatenate([np.zeros((n, 1)), np.cumsum(rest, axis=1)], axis=1)
    last = width - 1
    b0, b1 = max(0, last - BASELINE_FROM + 1), max(0, last - BASELINE_TO + 1)
    base_s = cs[:, b1] - cs[:, b0]
    base_r = cr[:, b1] - cr[:, b0]
    ratio = np.where(base_r > 0, base_s / np.maximum(base_r, 1e-9), 0.0)
    out = np.zeros((n, len(weeks)))
    for j, w in enumerate(weeks):
        factor = np.ones(n)
        lw = w - SEASON_LAG
        lo, hi = lw - SEASON_HALF_WINDOW, lw + SEASON_HALF_WINDOW + 1
        y0, y1 = max(0, lw - 26), lw + 26
        # Only with the whole seasonal window and at least half a year around it last year.
        if lo >= 0 and y1 <= width and y1 - y0 >= 26:
            win_s, win_r = cs[:, hi] - cs[:, lo], cr[:, hi] - cr[:, lo]
            year_s, year_r = cs[:, y1] - cs[:, y0], cr[:, y1] - cr[:, y0]
            year_ratio = np.where(year_r > 0, year_s / np.maximum(year_r, 1e-9), 0.0)
            neutral = year_ratio * win_r
            factor = (win_s + SEASON_PRIOR) / (neutral + SEASON_PRIOR)
        out[:, j] = ratio * factor * rest[:, w]
    return out, ratio


def dispersion(counts: np.ndarray, totals: np.ndarray) -> np.ndarray:
    """Pearson overdispersion per series over its baseline weeks (1 = Poisson)."""
    width = counts.shape[1]
    last = width - 1
    base = list(range(max(0, last - BASELINE_FROM + 1), max(0, last - BASELINE_TO + 1)))
    if len(base) < 4:
        return np.ones(counts.shape[0])
    exp, _ = expected_levels(counts, totals, base)
    obs = counts[:, base].astype(float)
    with np.errstate(divide="ignore", invalid="ignore"):
        chi = np.where(exp > 0, (obs - exp) ** 2 / np.maximum(exp, 1e-9), 0.0)
    phi = chi.sum(axis=1) / max(1, len(base) - 1)
    return np.clip(phi, 1.0, MAX_DISPERSION)


def upper_tail(observed: np.ndarray, mean: np.ndarray, phi: np.ndarray) -> np.ndarray:
    """P(X >= observed) for a count with this mean and variance phi × mean (negative binomial; Poisson at phi 1)."""
    observed = np.asarray(observed, dtype=float)
    mean = np.maximum(np.asarray(mean, dtype=float), 1e-9)
    poisson = stats.poisson.sf(observed - 1, mean)
    over = phi > 1.0001
    if not np.any(over):
        return poisson
    # Variance phi·mu with a fixed phi is a negative binomial with n = mu/(phi-1), p = 1/phi.
    n = mean / np.maximum(phi - 1, 1e-9)
    nb = stats.nbinom.sf(observed - 1, n, 1 / phi)
    return np.where(over, nb, poisson)


def benjamini_hochberg(p: np.ndarray) -> np.ndarray:
    """Adjusted p-values (q-values) that control the false discovery rate over all tests."""
    p = np.asarray(p, dtype=float)
    m = p.size
    if m == 0:
        return p
    order = np.argsort(p)
    ranked = p[order] * m / np.arange(1, m + 1)
    q = np.minimum.accumulate(ranked[::-1])[::-1]
    out = np.empty(m)
    out[order] = np.minimum(q, 1.0)
    return out


def detect(series: SeriesSet, *, fdr: float = FDR, min_effect: float = MIN_EFFECT, min_observed: int = MIN_OBSERVED) -> list[Candidate]:
    """Candidates for the last week of ``series``: a rise over the last 1-4 weeks beyond the expected level."""
    counts, totals = series.counts, series.totals
    n, width = counts.shape
    # Without a baseline of at least ~half a year there is no "normal" to compare with.
    if n == 0 or width < BASELINE_TO + 26:
        return []
    last = width - 1
    recent = list(range(last - MAX_WINDOW + 1, last + 1))
    exp, _ = expected_levels(counts, totals, recent)
    phi = dispersion(counts, totals)
    obs = counts[:, recent].astype(float)
    best_p = np.ones(n)
    best_len = np.ones(n, dtype=int)
    for length in range(1, MAX_WINDOW + 1):
        o = obs[:, -length:].sum(axis=1)
        e = exp[:, -length:].sum(axis=1)
        p = upper_tail(o, e, phi)
        # Only windows that could pass the practical thresholds compete; small cells are noise.
        usable = (o >= min_observed) & (o >= (1 + min_effect) * e)
        p = np.where(usable, p, 1.0)
        better = p < best_p
        best_p = np.where(better, p, best_p)
        best_len = np.where(better, length, best_len)
    # Four overlapping windows per series: Bonferroni within the series, BH across series.
    best_p = np.minimum(best_p * MAX_WINDOW, 1.0)
    q = benjamini_hochberg(best_p)
    found: list[Candidate] = []
    for i in np.nonzero(q < fdr)[0]:
        length = int(best_len[i])
        cols = list(range(MAX_WINDOW - length, MAX_WINDOW))
        # Leading weeks without any rise are not part of the problem.
        while len(cols) > 1 and obs[i, cols[0]] <= exp[i, cols[0]]:
            cols = cols[1:]
        o, e = float(obs[i, cols].sum()), float(exp[i, cols].sum())
        found.append(Candidate(
            key=series.keys[i], start_week=series.weeks[recent[cols[0]]], end_week=series.weeks[last],
            observed=int(o), expected=round(e, 2), effect=round(o / e - 1, 3) if e > 0 else float("inf"),
            p_value=float(best_p[i]), q_value=float(q[i]),
            weekly=_evidence(series, i),
        ))
    return found


def _evidence(series: SeriesSet, i: int) -> list[dict]:
    width = len(series.weeks)
    idx = list(range(max(BASELINE_TO + 1, width - EVIDENCE_WEEKS), width))
    # Expected is computed as seen from the last week, so the chart shows one consistent baseline.
    exp, _ = expected_levels(series.counts[i:i + 1], series.totals[i:i + 1], idx)
    return [
        {"week": series.weeks[w].isoformat(), "observed": int(series.counts[i, w]), "expected": round(float(exp[0, j]), 2)}
        for j, w in enumerate(idx)
    ]
