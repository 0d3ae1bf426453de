"""The season of a question: how far above or below its usual share the network asks it in given weeks (ADR 0007).

Pure functions over the network's weekly counts, used by detection.py: the season factor (last year's same weeks,
tolerant where the network shows a peak or dip of the question's own), the gate that says where such a season is,
and which weeks' season the history can show at all.
"""

from __future__ import annotations

import numpy as np

SEASON_LAG = 52
SEASON_HALF_WINDOW = 3  # same calendar week last year ± 3 weeks: stable, still seasonal
SEASON_PRIOR = 10.0  # pseudo-counts that pull a sparse season factor back to 1
# The height of a peak the gate found is not pulled back as far: 10 pseudo-counts took a small instantie's known peak
# from 2.5x to 1.8x (a national row of ~12 questions per 3 weeks), and this year's peak then fired (ADR 0007).
ENVELOPE_PRIOR = 2.0
SEASON_LAGS = (SEASON_LAG, 2 * SEASON_LAG)  # last year and the year before
SEASON_SHIFT = 6  # a yearly peak starts up to ±3 weeks off each year: up to 6 weeks between two years
SEASON_GATE = 1.3  # a network share this far above its yearly average marks a peak of the question's own
SEASON_SLACK = 0.6  # in a peak without peers: effect >= MIN_EFFECT + SLACK·(1 - 1/factor)
SEASON_WEAK, SEASON_SIG = 1.1, 3.0  # or be >= WEAK against the level around it and beyond SIG sd of all its noise
ENVELOPE_Z = 2.0  # a steady instantie's highest shifted window last year is lowered by this many sd of its window noise


def cumulative(a: np.ndarray) -> np.ndarray:
    return np.concatenate([np.zeros((a.shape[0], 1)), np.cumsum(a, axis=1, dtype=float)], axis=1)


def season_factors(network: np.ndarray, network_totals: np.ndarray, weeks: list[int], *, tolerant: bool = True,
                   family: np.ndarray | None = None, steady: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """How far above its yearly average share each series' question is in the season of ``weeks``.

    Read from the *network's* history of the same question (many more counts than one library's, so the
    shape is not noise) relative to the network's other volume, in the same weeks last year (±3) over that
    year's average. Where the network shows a peak of its own (a factor of at least SEASON_GATE within
    SEASON_SHIFT weeks, last year or the year before), the factor is the highest over those shifted
    3-week windows: a peak that starts a few weeks earlier or later, or lasts longer, stays expected.
    With ``family`` (row index of each series' instantie) an onderwerp also takes its instantie's peak.
    ``steady`` marks series whose instantie follows the network all year (reference.steady_series): for them a high
    window is more likely chance than season, and the tolerant factor is lowered by ENVELOPE_Z sd of window noise.
    Returns (factor, seasonal) of shape (series, len(weeks)); seasonal marks the tolerant weeks.
    """
    n, width = network.shape
    cs = cumulative(network)
    cr = cumulative(np.maximum(network_totals - network, 0))
    factor = np.ones((n, len(weeks)))
    seasonal = np.zeros((n, len(weeks)), dtype=bool)

    def ratio(lo: int, hi: int, year: np.ndarray, priors: tuple[float, ...] = (SEASON_PRIOR,)) -> list[np.ndarray]:
        """The window's share over the year's, pulled towards 1 by each prior (one window, read once)."""
        win_s, win_r = cs[:, hi] - cs[:, lo], cr[:, hi] - cr[:, lo]
        return [(win_s + prior) / (year * win_r + prior) for prior in priors]

    typical_cache: dict[int, np.ndarray] = {}
    spread = window_spread(network, network_totals)

    def typical(y0: int, y1: int, year: np.ndarray) -> np.ndarray:
        """The year's usual 3-week level (median) over its average: below 1 for a series with a peak of its own."""
        if y0 not in typical_cache:
            starts = range(y0, y1 - 2, 3)
            typical_cache[y0] = np.median(np.column_stack([ratio(lo, lo + 3, year)[0] for lo in starts]), axis=1)
        return typical_cache[y0]

    def local_level(lw: int, year: np.ndarray) -> np.ndarray | None:
        """The level at ``lw`` from the 3-week windows 8-26 weeks before and after it (geometric mean of the two
        medians): growth through the year cancels, which the year's median does not (a question growing 40 % a year is
        20 % above its median at the year's end); None without three windows on each side."""
        before = [lo for lo in range(lw - 26, lw - SEASON_SHIFT - 4, 3) if lo >= 0]
        after = [lo for lo in range(lw + SEASON_SHIFT + 2, lw + 24, 3) if lo + 3 <= width]
        if len(before) < 3 or len(after) < 3:
            return None
        sides = [np.median(np.column_stack([ratio(lo, lo + 3, year)[0] for lo in part]), axis=1) for part in (before, after)]
        return np.maximum(np.sqrt(sides[0] * sides[1]), 1e-9)

    # The highest of 13 shifted windows is also the highest of their noise. For an instantie whose level followed the
    # network all year (no season in its history) a gate is mostly such a chance high, and expecting that high raised
    # the bar for a real rise by 20-40 % (ADR 0007, "The ceiling"): its envelope is lowered by its window noise.
    noise = np.where(np.isfinite(spread), spread, 0.0)
    discount = np.ones(n) if steady is None else np.where(steady, np.exp(-ENVELOPE_Z * noise), 1.0)
    for j, w in enumerate(weeks):
        envelope: np.ndarray | None = None
        high = np.zeros(n)  # the highest shifted window over the year's usual level
        low = np.full(n, np.inf)  # the lowest
        weak_high, weak_low = np.ones(n), np.ones(n)  # the same against the level just before and after
        lag_highs: list[np.ndarray] = []  # per year read, its highest shifted window over its usual level
        for lag in SEASON_LAGS:
            lw = w - lag
            y0, y1 = max(0, lw - 26), lw + 26
            # Only with at least half a year around it in that year.
            if lw < 0 or y1 > width or y1 - y0 < 26:
                continue
            year_s, year_r = cs[:, y1] - cs[:, y0], cr[:, y1] - cr[:, y0]
            year = np.where(year_r > 0, year_s / np.maximum(year_r, 1e-9), 0.0)
            if lag == SEASON_LAG and lw - SEASON_HALF_WINDOW >= 0:
                factor[:, j] = ratio(lw - SEASON_HALF_WINDOW, lw + SEASON_HALF_WINDOW + 1, year)[0]
            usual = np.maximum(typical(y0, y1, year), 1e-9)
            near = local_level(lw, year)
            lag_high = np.zeros(n)
            for shift in range(-SEASON_SHIFT, SEASON_SHIFT + 1):
                lo, hi = lw + shift - 1, lw + shift + 2
                if lo < 0 or hi > width:
                    continue
                f, height = ratio(lo, hi, year, (SEASON_PRIOR, ENVELOPE_PRIOR))
                envelope = height if envelope is None else np.maximum(envelope, height)
                lag_high = np.maximum(lag_high, f / usual)
                low = np.minimum(low, f / usual)
                if near is not None:
                    weak_high = np.maximum(weak_high, f / near)
                    weak_low = np.minimum(weak_low, f / near)
            lag_highs.append(lag_high)
            high = np.maximum(high, lag_high)
        if envelope is not None:
            # Against the usual level, not the average: outside its own peak a seasonal series sits below its average
            # every week, which is no dip. A dip that moves is the peak's problem the other way round: where last
            # year dipped, this year may not. A peak also counts when it is smaller than SEASON_GATE (from SEASON_WEAK)
            # against the level just around it, beyond SEASON_SIG sd of the row's noise: a season that was 1.2x last
            # year in a large row is a season, and may be 1.6x this year with growth.
            score = np.maximum(np.maximum(high, 1 / np.maximum(low, 1e-9)) / SEASON_GATE,
                               np.maximum(np.where(weak_high >= SEASON_WEAK, np.log(weak_high), 0.0),
                                          np.where(weak_low <= 1 / SEASON_WEAK, -np.log(np.maximum(weak_low, 1e-9)), 0.0))
                               / (SEASON_SIG * spread))
            # A chance high does not come back in the same weeks a year later; a season does. Where both years read
            # show a high at the gate, a "steady" instantie has a season its step test was too coarse to see (a
            # national double hump of 1.8x, 20 questions a week): its envelope keeps its height (ADR 0007).
            recurs = len(lag_highs) == len(SEASON_LAGS) and np.all([h >= SEASON_GATE for h in lag_highs], axis=0)
            envelope = envelope * np.where(recurs, 1.0, discount)
            if family is not None:
                envelope = np.maximum(envelope, envelope[family])
                score = np.maximum(score, score[family])
            gate = score >= 1
            seasonal[:, j] = gate
            # Outside a season last year's same weeks are noise around 1 (a 7-week count of the network), not a season.
            factor[:, j] = np.where(gate, np.maximum(envelope, factor[:, j]) if tolerant else factor[:, j], 1.0)
    return factor, seasonal


def window_spread(network: np.ndarray, network_totals: np.ndarray) -> np.ndarray:
    """Per row, the log-sd of a 3-week window of its share from noise alone (Poisson and beyond).

    Read from week-to-week changes of the log share: a season moves slowly, so it hardly enters them, and the median
    of the squared changes ignores the few jumps at a plateau's edges. So the estimate is not inflated by the row's own
    season (a spread over all weeks would call every strong season noise).
    """
    if network.shape[1] < 8:
        return np.full(network.shape[0], np.inf)
    n = network.astype(float) + 0.5
    r = np.maximum(network_totals - network, 0).astype(float) + 0.5
    d = np.diff(np.log(n / r), axis=1)
    per_week = np.median(d ** 2, axis=1) / 0.455 / 2  # the median of a chi-square(1) is 0.455; a change spans two weeks
    return np.sqrt(np.maximum(per_week, 1e-9) / 3)


def season_known(network_totals: np.ndarray, weeks: list[int]) -> np.ndarray:
    """(series, len(weeks)): True where the network's history covers last year's same week ± SEASON_SHIFT (+1)."""
    start = np.argmax(network_totals > 0, axis=1)
    return (np.asarray(weeks)[None, :] - SEASON_LAG - SEASON_SHIFT - 1) >= start[:, None]
