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
from functools import cached_property
from typing import Hashable

import numpy as np

from .counting import benjamini_hochberg, upper_tail
from .reference import Instanties, core_totals, instanties, peer_expected, steady_series
from .season import SEASON_GATE, SEASON_HALF_WINDOW, SEASON_LAG, SEASON_SLACK, cumulative, season_factors, season_known

# Weeks back (counted from the tested week) that form the baseline: roughly the past year,
# leaving out the most recent four so an ongoing problem does not raise its own expectation.
BASELINE_FROM, BASELINE_TO = 56, 4
PEER_MIN = 20  # questions the rest of the network asked in the baseline before it can predict a scope
MAX_WINDOW = 4
FDR = 0.05
MIN_EFFECT = 0.40
MIN_OBSERVED = 10
MAX_ALPHA = 1.0  # weekly noise beyond Poisson of at most 100 %
DRIFT_WEEKS, DRIFT_PRIOR, DRIFT_MAX = 13, 30.0, 1.5
ALPHA_PRIOR = 200.0  # expected questions (summed over the baseline pairs) that weigh as much as the pooled α
DISPERSION_MIN_WEEKS = 16  # calm weeks (or pairs) needed to estimate the dispersion without the season's weeks
EVIDENCE_WEEKS = 12


@dataclass(frozen=True)
class SeriesSet:
    """Weekly counts of many series over the same consecutive weeks (Mondays)."""

    weeks: list[dt.date]
    keys: list[Hashable]
    counts: np.ndarray  # (series, weeks)
    totals: np.ndarray  # (series, weeks): the whole scope's volume, the series included
    # The same question over the whole network (the national row of this instantie × onderwerp; for a national
    # series itself) and the network's whole volume. Optional: without them a series is its own network.
    network: np.ndarray | None = None
    network_totals: np.ndarray | None = None
    # Per series the row of its instantie in the same scope (itself for an instantie's row): an onderwerp of a
    # seasonal instantie shares its season, and the instantie's larger counts show the peak more clearly.
    family: np.ndarray | None = None
    # Per series the index of its scope (organisation, municipality, the nation): with ``family`` this lets a series be
    # measured against its scope's steady instanties only (reference.py).
    scope: np.ndarray | None = None

    def until(self, week: dt.date) -> SeriesSet:
        """The same series cut off after ``week`` (a cheap view, for replaying history)."""
        end = self.weeks.index(week) + 1
        net = None if self.network is None else self.network[:, :end]
        net_t = None if self.network_totals is None else self.network_totals[:, :end]
        return SeriesSet(self.weeks[:end], self.keys, self.counts[:, :end], self.totals[:, :end], net, net_t, self.family,
                         self.scope)

    def network_rows(self) -> tuple[np.ndarray, np.ndarray]:
        if self.network is None or self.network_totals is None:
            return self.counts, self.totals
        return self.network, self.network_totals

    @cached_property
    def core(self) -> Instanties | None:
        """Which instanties follow the network all year, read once (reference.instanties); None without families."""
        if self.family is None or self.counts.shape[0] == 0:
            return None
        network, _ = self.network_rows()
        return instanties(network, self.family, max(0, len(self.weeks) - BASELINE_TO), SEASON_GATE)

    def references(self) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """(counts, totals, network, network totals) with the totals replaced by the steady core (reference.py)."""
        network, network_totals = self.network_rows()
        history_end = max(0, len(self.weeks) - BASELINE_TO)
        totals, network_totals = core_totals(self.counts, self.totals, network, network_totals, self.family, self.scope,
                                             history_end, self.core)
        return self.counts, totals, network, network_totals

    def steady(self) -> np.ndarray | None:
        """Per series: its instantie follows the network all year (reference.steady_series); None without families."""
        if self.family is None:
            return None
        return np.zeros(0, dtype=bool) if self.core is None else steady_series(self.core, self.family)


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


def expected_levels(counts: np.ndarray, totals: np.ndarray, weeks: list[int], *, network: np.ndarray | None = None,
                    network_totals: np.ndarray | None = None, tolerant: bool = True,
                    family: np.ndarray | None = None, steady: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Expected counts per series for the given week indexes (relative to the last week's baseline).

    Returns (expected, season): both of shape (series, len(weeks)); season is the season factor in weeks inside a
    yearly peak of the network (see season_factors), 0 elsewhere.
    """
    n, width = counts.shape
    rest = np.maximum(totals - counts, 0).astype(float)
    cs, cr = cumulative(counts), cumulative(rest)
    last = width - 1
    b0, b1 = max(0, last - BASELINE_FROM + 1), max(0, last - BASELINE_TO + 1)
    base_s = cs[:, b1] - cs[:, b0]
    base_r = cr[:, b1] - cr[:, b0]
    ratio = np.where(base_r > 0, base_s / np.maximum(base_r, 1e-9), 0.0)
    if network is None or network_totals is None:
        network, network_totals = counts, totals
    factor, seasonal = season_factors(network, network_totals, weeks, tolerant=tolerant, family=family, steady=steady)
    # In a yearly peak the factor is returned as well: how much room a peak's own growth needs (detect).
    return ratio[:, None] * factor * rest[:, weeks], np.where(seasonal, factor, 0.0)


def dispersion(counts: np.ndarray, totals: np.ndarray, network: np.ndarray | None = None,
               network_totals: np.ndarray | None = None, family: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(α, α in season, drift, drift weight) per series. Overdispersion α (variance μ + α·μ², a negative binomial; 0 = Poisson) over its baseline weeks.

    Extra variance grows with the square of the level (a desk's busy or calm days scale what it counts): one variance
    ratio read in quiet weeks of a small series was too narrow for the same series in its peak.

    Read from the Pearson residuals against the expected level (they also hold what the model misses, such as growth,
    which is real prediction error), but only in *calm* weeks: outside a yearly peak or dip of the network (there the
    expected level follows last year's peak, which has moved: that misfit is the season's, handled by the gate) and
    with a season factor at all (a library with one year of history has none in its first year, and a seasonal
    series' average share then overshoots every quiet week). Counting those weeks tripled some seasonal series'
    dispersion all year round, so that a real doubling outside the peak looked ordinary. With too few calm weeks the
    week-to-week changes of the residuals are used instead (von Neumann: slow errors cancel, noise does not).
    In a season week the expected level's error *is* the season's variation (a peak that moved, grew, changed shape):
    there α is at least the Pearson estimate over all baseline weeks, how badly last year's season predicted this one.

    Drift: observed over expected in the calm weeks of the last DRIFT_WEEKS of the baseline (shrunk with DRIFT_PRIOR
    expected questions, bounded): a question whose share grows 40 % a year is 20 % above its year's average share by
    the end of it, which the baseline ratio alone does not see.
    """
    width = counts.shape[1]
    last = width - 1
    base = list(range(max(0, last - BASELINE_FROM + 1), max(0, last - BASELINE_TO + 1)))
    if len(base) < 4:
        return np.zeros(counts.shape[0]), np.zeros(counts.shape[0]), np.ones(counts.shape[0]), np.full(counts.shape[0], np.inf)
    exp, seasonal = expected_levels(counts, totals, base, network=network, network_totals=network_totals, tolerant=False,
                                    family=family)
    seasonal = seasonal > 0
    obs = counts[:, base].astype(float)
    # The expectation is a share of the reference volume that week, whose own Poisson count moves it: that part of the
    # residuals' variance (exp²/reference) is added by detect() for the tested weeks, so it is not α's.
    ref = np.maximum(totals - counts, 1)[:, base].astype(float)
    known = np.array([b - SEASON_LAG - SEASON_HALF_WINDOW >= 0 for b in base])
    calm = ~seasonal & known[None, :]
    pearson = calm.sum(axis=1) >= DISPERSION_MIN_WEEKS
    alpha_p = (((obs - exp) ** 2 - exp - exp ** 2 / ref) * calm).sum(axis=1) / np.maximum((exp ** 2 * calm).sum(axis=1), 1e-9)
    with np.errstate(divide="ignore", invalid="ignore"):
        r = np.where(exp > 0, (obs - exp) / np.sqrt(np.maximum(exp, 1e-9)), 0.0)
    step = (r[:, 1:] - r[:, :-1]) ** 2
    pairs = ~(seasonal[:, 1:] | seasonal[:, :-1])
    # Too few calm pairs (a series that is in season most of the year): every pair.
    pairs[pairs.sum(axis=1) < DISPERSION_MIN_WEEKS] = True
    level = (exp[:, 1:] + exp[:, :-1]) / 2
    ref_noise = (exp[:, 1:] / ref[:, 1:] + exp[:, :-1] / ref[:, :-1]) / 2
    alpha_v = ((step / 2 - 1 - ref_noise) * pairs).sum(axis=1) / np.maximum((level * pairs).sum(axis=1), 1e-9)
    alpha = np.clip(np.where(pearson, alpha_p, alpha_v), 0.0, MAX_ALPHA)
    weight = np.where(pearson, (exp * calm).sum(axis=1), (level * pairs).sum(axis=1))
    # A small series tells little about α (a few questions a week): shrink it towards the run's typical α, read from
    # the series that do tell (empirical Bayes with ALPHA_PRIOR expected questions of weight).
    informed = weight >= ALPHA_PRIOR
    pool = float(np.median(alpha[informed])) if informed.any() else 0.0
    alpha = (weight * alpha + ALPHA_PRIOR * pool) / (weight + ALPHA_PRIOR)
    alpha_all = np.clip(((obs - exp) ** 2 - exp - exp ** 2 / ref).sum(axis=1) / np.maximum((exp ** 2).sum(axis=1), 1e-9), 0.0,
                        MAX_ALPHA)
    tail = calm[:, -DRIFT_WEEKS:]
    # Each week counts at most DRIFT_MAX × its expectation: a real episode of a few weeks in the baseline's tail must not
    # raise the expectation of the next one much (a dismissed rise, then a new one weeks later).
    o_w, e_w = obs[:, -DRIFT_WEEKS:], exp[:, -DRIFT_WEEKS:]
    o_t, e_t = (np.minimum(o_w, DRIFT_MAX * e_w) * tail).sum(axis=1), (e_w * tail).sum(axis=1)
    drift = np.clip((o_t + DRIFT_PRIOR) / (e_t + DRIFT_PRIOR), 1 / DRIFT_MAX, DRIFT_MAX)
    enough = tail.sum(axis=1) >= DRIFT_WEEKS // 2
    # The drift is itself read from counts: its weight (expected questions behind it) widens the test like the baseline.
    return alpha, np.maximum(alpha, alpha_all), np.where(enough, drift, 1.0), np.where(enough, e_t + DRIFT_PRIOR, np.inf)


def detect(series: SeriesSet, *, fdr: float = FDR, min_effect: float = MIN_EFFECT, min_observed: int = MIN_OBSERVED) -> list[Candidate]:
    """Candidates for the last week of ``series``: a rise over the last 1-4 weeks beyond the expected level."""
    n, width = series.counts.shape
    # Without a baseline of at least ~half a year there is no "normal" to compare with.
    if n == 0 or width < BASELINE_TO + 26:
        return []
    counts, totals, network, network_totals = series.references()
    last = width - 1
    recent = list(range(last - MAX_WINDOW + 1, last + 1))
    steady = series.steady()
    exp, seasonal = expected_levels(counts, totals, recent, network=network, network_totals=network_totals, family=series.family,
                                    steady=steady)
    alpha_calm, alpha_season, drift, drift_weight = dispersion(counts, totals, network, network_totals, series.family)
    exp = exp * drift[:, None]
    # A week whose season cannot be read: the network's history does not reach last year's same week minus the
    # shift tolerance (one year of history, a peak that came a few weeks later than the year before starts before the
    # data). It is treated as a season week (peers, persistence); a series without peers is not tested there.
    unknown = ~season_known(network_totals, recent)
    seasonal = np.where(unknown, np.maximum(seasonal, 1.0), seasonal)
    obs = counts[:, recent].astype(float)
    best_p = np.ones(n)
    best_len = np.ones(n, dtype=int)
    # The expected level rests on the series' own baseline count: with few questions there, it is uncertain too.
    baseline = slice(max(0, last - BASELINE_FROM + 1), max(0, last - BASELINE_TO + 1))
    base_count = np.maximum(counts[:, baseline].sum(axis=1), 1.0)
    for length in range(1, MAX_WINDOW + 1):
        o = obs[:, -length:].sum(axis=1)
        e = exp[:, -length:].sum(axis=1)
        # A sum of `length` weekly negative binomials: variance e·(1 + α·e/length). The expectation is a share of the
        # reference volume now (rest): its own Poisson noise widens the variance as the baseline count does.
        season = seasonal[:, -length:].max(axis=1)
        in_season = season > 0
        alpha = np.where(in_season, alpha_season, alpha_calm)
        phi = 1 + alpha * e / length
        rest_now = np.maximum((totals - counts)[:, recent[-length:]].sum(axis=1), 1.0)
        p = upper_tail(o, e, phi * (1 + e / base_count + e / rest_now + e / drift_weight))
        # Only windows that could pass the practical thresholds compete; small cells are noise.
        usable = (o >= min_observed) & (o >= (1 + min_effect) * e)
        # In a yearly peak of the network the own history is not enough (the peak moves, grows, lasts longer):
        # the rise must also stand out against the rest of the network asking the same question now.
        if in_season.any():
            has_peers = np.zeros(n, dtype=bool)
            if series.network is not None:
                pe, po, has_peers = peer_expected(counts, totals, network, network_totals, length, baseline, PEER_MIN)
                # The expectation is itself built from counts (po now, the own baseline): their noise widens the variance.
                wide = (1 + alpha * pe / length) * (1 + pe / np.maximum(po, 1.0) + pe / base_count)
                p_peer = upper_tail(o, pe, wide)
                check = in_season & has_peers
                p = np.where(check, np.maximum(p, p_peer), p)
                usable &= ~check | (o >= (1 + min_effect) * pe)
            # Without peers (the national series, a network of one) only the history speaks, and a peak grows and
            # widens from year to year in proportion to its own height: the rise must clear that too.
            # A peak's noise gives single odd weeks: in a peak the excess must last two weeks or more, every week.
            # Small cells in a peak swing widely: twice the usual minimum of questions.
            persists = (obs[:, -length:] > exp[:, -length:]).all(axis=1) & (length > 1) & (o >= 2 * min_observed)
            usable &= ~in_season | persists
            alone = in_season & ~has_peers
            room = min_effect + SEASON_SLACK * (1 - 1 / np.maximum(season, 1.0))
            usable &= ~alone | (o >= (1 + room) * e)
            usable &= ~(alone & unknown[:, -length:].any(axis=1))
        p = np.where(usable, p, 1.0)
        better = p < best_p
        best_p = np.where(better, p, best_p)
        best_len = np.where(better, length, best_len)
    # Four overlapping windows per series: Bonferroni within the series, BH across series.
    best_p = np.minimum(best_p * MAX_WINDOW, 1.0)
    q = np.ones(n)
    # Two families, each at the false discovery rate: the instantie rows (what a signal is about) and their detail
    # rows (onderwerp, local partner), which are five times as many and would otherwise dilute every instantie's test.
    primary = np.ones(n, dtype=bool) if series.family is None else series.family == np.arange(n)
    for group in (primary, ~primary):
        if group.any():
            q[group] = benjamini_hochberg(best_p[group])
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
            weekly=_evidence(series, i, totals, network_totals, steady),
        ))
    return found


def _evidence(series: SeriesSet, i: int, totals: np.ndarray, network_totals: np.ndarray,
              steady: np.ndarray | None) -> list[dict]:
    width = len(series.weeks)
    idx = list(range(max(BASELINE_TO + 1, width - EVIDENCE_WEEKS), width))
    # Expected is computed as seen from the last week, so the chart shows one consistent baseline.
    rows = [i] if series.family is None else [i, int(series.family[i])]
    network, _ = series.network_rows()
    family = None if series.family is None else np.array([1, 1])
    exp, _ = expected_levels(series.counts[rows], totals[rows], idx, network=network[rows],
                             network_totals=network_totals[rows], family=family,
                             steady=None if steady is None else steady[rows])
    return [
        {"week": series.weeks[w].isoformat(), "observed": int(series.counts[i, w]), "expected": round(float(exp[0, j]), 2)}
        for j, w in enumerate(idx)
    ]
