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

from .counting import benjamini_hochberg, upper_tail
from .reference import core_totals, peer_expected

# Weeks back (counted from the tested week) that form the baseline: roughly the past year,
# leaving out the most recent four so an ongoing problem does not raise its own expectation.
BASELINE_FROM, BASELINE_TO = 56, 4
SEASON_LAG = 52
SEASON_HALF_WINDOW = 3  # same calendar week last year ± 3 weeks: stable, still seasonal
SEASON_PRIOR = 10.0  # pseudo-counts that pull a sparse season factor back to 1
SEASON_LAGS = (SEASON_LAG, 2 * SEASON_LAG)  # last year and the year before
SEASON_SHIFT = 6  # a yearly peak starts up to ±3 weeks off each year: up to 6 weeks between two years
SEASON_GATE = 1.3  # a network share this far above its yearly average marks a peak of the question's own
SEASON_SLACK = 0.6  # in a peak without peers: effect >= MIN_EFFECT + SLACK·(1 - 1/factor)
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
FACTOR_OUTSIDE_GATE = False
GATE_Z = 2.0
SEASON_WEAK, SEASON_SIG = 1.1, 3.0


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

    def references(self) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """(counts, totals, network, network totals) with the totals replaced by the steady core (reference.py)."""
        network, network_totals = self.network_rows()
        history_end = max(0, len(self.weeks) - BASELINE_TO)
        totals, network_totals = core_totals(self.counts, self.totals, network, network_totals, self.family, self.scope,
                                             history_end, SEASON_GATE)
        return self.counts, totals, network, network_totals


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


def _cumulative(a: np.ndarray) -> np.ndarray:
    return np.concatenate([np.zeros((a.shape[0], 1)), np.cumsum(a, axis=1, dtype=float)], axis=1)


def season_factors(network: np.ndarray, network_totals: np.ndarray, weeks: list[int], *, tolerant: bool = True,
                   family: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """How far above its yearly average share each series' question is in the season of ``weeks``.

    Read from the *network's* history of the same question (many more counts than one library's, so the
    shape is not noise) relative to the network's other volume, in the same weeks last year (±3) over that
    year's average. Where the network shows a peak of its own (a factor of at least SEASON_GATE within
    SEASON_SHIFT weeks, last year or the year before), the factor is the highest over those shifted
    3-week windows: a peak that starts a few weeks earlier or later, or lasts longer, stays expected.
    With ``family`` (row index of each series' instantie) an onderwerp also takes its instantie's peak.
    Returns (factor, seasonal) of shape (series, len(weeks)); seasonal marks the tolerant weeks.
    """
    n, width = network.shape
    cs = _cumulative(network)
    cr = _cumulative(np.maximum(network_totals - network, 0))
    factor = np.ones((n, len(weeks)))
    seasonal = np.zeros((n, len(weeks)), dtype=bool)

    def ratio(lo: int, hi: int, year: np.ndarray) -> np.ndarray:
        win_s, win_r = cs[:, hi] - cs[:, lo], cr[:, hi] - cr[:, lo]
        return (win_s + SEASON_PRIOR) / (year * win_r + SEASON_PRIOR)

    typical_cache: dict[int, np.ndarray] = {}
    margin, spread = overdispersion_margin(network, network_totals)

    def typical(y0: int, y1: int, year: np.ndarray) -> np.ndarray:
        """The year's usual 3-week level (median) over its average: below 1 for a series with a peak of its own."""
        if y0 not in typical_cache:
            starts = range(y0, y1 - 2, 3)
            typical_cache[y0] = np.median(np.column_stack([ratio(lo, lo + 3, year) for lo in starts]), axis=1)
        return typical_cache[y0]

    def local_level(lw: int, year: np.ndarray) -> np.ndarray | None:
        """The level at ``lw`` from the 3-week windows 8-26 weeks before and after it (geometric mean of the two
        medians): growth through the year cancels, which the year's median does not (a question growing 40 % a year is
        20 % above its median at the year's end); None without three windows on each side."""
        before = [lo for lo in range(lw - 26, lw - SEASON_SHIFT - 4, 3) if lo >= 0]
        after = [lo for lo in range(lw + SEASON_SHIFT + 2, lw + 24, 3) if lo + 3 <= width]
        if len(before) < 3 or len(after) < 3:
            return None
        sides = [np.median(np.column_stack([ratio(lo, lo + 3, year) for lo in part]), axis=1) for part in (before, after)]
        return np.maximum(np.sqrt(sides[0] * sides[1]), 1e-9)

    for j, w in enumerate(weeks):
        envelope: np.ndarray | None = None
        high = np.zeros(n)  # the highest shifted window over the year's usual level
        low = np.full(n, np.inf)  # the lowest
        weak_high, weak_low = np.ones(n), np.ones(n)  # the same against the level just before and after
        for lag in SEASON_LAGS:
            lw = w - lag
            y0, y1 = max(0, lw - 26), lw + 26
            # Only with at least half a year around it in that year.
            if lw < 0 or y1 > width or y1 - y0 < 26:
                continue
            year_s, year_r = cs[:, y1] - cs[:, y0], cr[:, y1] - cr[:, y0]
            year = np.where(year_r > 0, year_s / np.maximum(year_r, 1e-9), 0.0)
            if lag == SEASON_LAG and lw - SEASON_HALF_WINDOW >= 0:
                factor[:, j] = ratio(lw - SEASON_HALF_WINDOW, lw + SEASON_HALF_WINDOW + 1, year)
            usual = np.maximum(typical(y0, y1, year), 1e-9)
            near = local_level(lw, year)
            for shift in range(-SEASON_SHIFT, SEASON_SHIFT + 1):
                lo, hi = lw + shift - 1, lw + shift + 2
                if lo < 0 or hi > width:
                    continue
                f = ratio(lo, hi, year)
                envelope = f if envelope is None else np.maximum(envelope, f)
                high = np.maximum(high, f / usual)
                low = np.minimum(low, f / usual)
                if near is not None:
                    weak_high = np.maximum(weak_high, f / near)
                    weak_low = np.minimum(weak_low, f / near)
        if envelope is not None:
            # Against the usual level, not the average: outside its own peak a seasonal series sits below its average
            # every week, which is no dip. A dip that moves is the peak's problem the other way round: where last
            # year dipped, this year may not. A peak counts when it clears SEASON_GATE beyond the row's extra-Poisson
            # spread, or when it is smaller (from SEASON_WEAK) but beyond SEASON_SIG sd of all its noise: a season
            # that was 1.2x last year in a large row is a season, and may be 1.6x this year.
            score = np.maximum(np.maximum(high / margin, margin / np.maximum(low, 1e-9)) / SEASON_GATE,
                               np.maximum(np.where(weak_high >= SEASON_WEAK, np.log(weak_high), 0.0),
                                          np.where(weak_low <= 1 / SEASON_WEAK, -np.log(np.maximum(weak_low, 1e-9)), 0.0))
                               / (SEASON_SIG * spread))
            if family is not None:
                envelope = np.maximum(envelope, envelope[family])
                score = np.maximum(score, score[family])
            gate = score >= 1
            seasonal[:, j] = gate
            # Outside a season last year's same weeks are noise around 1 (a 7-week count of the network), not a season.
            plain = factor[:, j] if FACTOR_OUTSIDE_GATE else 1.0
            factor[:, j] = np.where(gate, np.maximum(envelope, factor[:, j]) if tolerant else factor[:, j], plain)
    return factor, seasonal


def overdispersion_margin(network: np.ndarray, network_totals: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per row: how far a 3-week window of its share strays by chance *beyond Poisson* (a factor >= 1, GATE_Z sd),
    and the log-sd of such a window with all its noise (Poisson included).

    Read from week-to-week changes of the log share (a season moves slowly, so it hardly enters them; the median of the
    squared changes ignores the few jumps at a plateau's edges), minus the Poisson part. Only the extra spread: a small
    row's Poisson noise is left to the gate as before (a weak season of a small question must still gate), a large row
    with wild weeks (a desk that is busy one week and calm the next) no longer looks seasonal by chance.
    """
    if network.shape[1] < 8:
        return np.ones(network.shape[0]), np.full(network.shape[0], np.inf)
    n = network.astype(float) + 0.5
    r = np.maximum(network_totals - network, 0).astype(float) + 0.5
    d = np.diff(np.log(n / r), axis=1)
    total = np.median(d ** 2, axis=1) / 0.455 / 2  # median of a chi-square(1) is 0.455
    poisson = np.median(1 / n + 1 / r, axis=1)
    return np.exp(GATE_Z * np.sqrt(np.maximum(total - poisson, 0.0) / 3)), np.sqrt(np.maximum(total, 1e-9) / 3)


def season_known(network_totals: np.ndarray, weeks: list[int]) -> np.ndarray:
    """(series, len(weeks)): True where the network's history covers last year's same week ± SEASON_SHIFT (+1)."""
    start = np.argmax(network_totals > 0, axis=1)
    return (np.asarray(weeks)[None, :] - SEASON_LAG - SEASON_SHIFT - 1) >= start[:, None]


def expected_levels(counts: np.ndarray, totals: np.ndarray, weeks: list[int], *, network: np.ndarray | None = None,
                    network_totals: np.ndarray | None = None, tolerant: bool = True,
                    family: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Expected counts per series for the given week indexes (relative to the last week's baseline).

    Returns (expected, season): both of shape (series, len(weeks)); season is the season factor in weeks inside a
    yearly peak of the network (see season_factors), 0 elsewhere.
    """
    n, width = counts.shape
    rest = np.maximum(totals - counts, 0).astype(float)
    cs, cr = _cumulative(counts), _cumulative(rest)
    last = width - 1
    b0, b1 = max(0, last - BASELINE_FROM + 1), max(0, last - BASELINE_TO + 1)
    base_s = cs[:, b1] - cs[:, b0]
    base_r = cr[:, b1] - cr[:, b0]
    ratio = np.where(base_r > 0, base_s / np.maximum(base_r, 1e-9), 0.0)
    if network is None or network_totals is None:
        network, network_totals = counts, totals
    factor, seasonal = season_factors(network, network_totals, weeks, tolerant=tolerant, family=family)
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
    exp, seasonal = expected_levels(counts, totals, recent, network=network, network_totals=network_totals, family=series.family)
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
            weekly=_evidence(series, i, totals, network_totals),
        ))
    return found


def _evidence(series: SeriesSet, i: int, totals: np.ndarray, network_totals: np.ndarray) -> list[dict]:
    width = len(series.weeks)
    idx = list(range(max(BASELINE_TO + 1, width - EVIDENCE_WEEKS), width))
    # Expected is computed as seen from the last week, so the chart shows one consistent baseline.
    rows = [i] if series.family is None else [i, int(series.family[i])]
    network, _ = series.network_rows()
    family = None if series.family is None else np.array([1, 1])
    exp, _ = expected_levels(series.counts[rows], totals[rows], idx, network=network[rows],
                             network_totals=network_totals[rows], family=family)
    return [
        {"week": series.weeks[w].isoformat(), "observed": int(series.counts[i, w]), "expected": round(float(exp[0, j]), 2)}
        for j, w in enumerate(idx)
    ]
