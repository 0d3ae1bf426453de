"""A chance high last year in a steady instantie does not hide a real doubling this year (ADR 0007, "The ceiling").

Last year the instantie "ander" had a one-off three-week crowd of 1.3x somewhere near this week: the season gate reads
it as a peak that may come back (±6 weeks), and the tolerant expectation rose with it. But "ander" followed the
network all year otherwise (a core instantie, reference.steady_series), so a high window there is as likely chance
as season: its expectation is lowered by its own window noise. The national row has no peers to compare with, so
only the expectation decides whether a doubling is found.
"""

from __future__ import annotations

import datetime as dt

import numpy as np

from balie.signals.detection import SeriesSet, detect

START = dt.date(2023, 1, 2)
NAMES = ("piek", "ander", "vast", "overig")


def network(seed: int, rise_week: int, factor: float, libraries: int = 4) -> SeriesSet:
    """Four libraries and the nation, two years (one of history); "piek" has a tax-season-like peak both years; "ander"
    had a crowd of 1.3x for three weeks last year, 0-2 weeks from this year's ``rise_week``, and from ``rise_week`` on
    is multiplied by ``factor`` in every library. Counts are gamma-Poisson (shape 20): a desk's busy and calm days."""
    rng = np.random.default_rng(seed)
    width = 104
    sizes = rng.uniform(150, 300, size=libraries)
    crowd = np.ones(width)
    first = rise_week - 52 + int(rng.integers(-2, 3))
    crowd[first:first + 3] = 1.3
    peak = np.ones(width)
    peak[10:20], peak[62:72] = 2.5, 2.8
    rise = np.where(np.arange(width) >= rise_week, factor, 1.0)
    keys, rows = [], []
    for s in range(libraries):
        rates = {"piek": sizes[s] * 0.15 * peak, "ander": sizes[s] * 0.1 * crowd * rise,
                 "vast": np.full(width, sizes[s] * 0.35), "overig": np.full(width, sizes[s] * 0.4)}
        for name in NAMES:
            keys.append((f"b{s}", name))
            rows.append(rng.poisson(rates[name] * rng.gamma(20, 1 / 20, size=width)))
    libs = np.vstack(rows).astype(np.int64)
    k = len(NAMES)
    nation = libs.reshape(libraries, k, width).sum(axis=0)
    counts = np.vstack([libs, nation])
    keys += [("nl", name) for name in NAMES]
    totals = np.vstack([np.repeat(libs.reshape(libraries, k, width).sum(axis=1), k, axis=0),
                        np.broadcast_to(nation.sum(axis=0), (k, width))])
    weeks = [START + dt.timedelta(weeks=w) for w in range(width)]
    return SeriesSet(weeks, keys, counts, totals, np.tile(nation, (libraries + 1, 1)),
                     np.broadcast_to(nation.sum(axis=0), counts.shape), np.arange(k * (libraries + 1)),
                     np.repeat(np.arange(libraries + 1), k))


def rise_week(seed: int) -> int:
    return int(np.random.default_rng(seed + 100).integers(75, 95))


def found(seed: int, factor: float) -> bool:
    week = rise_week(seed)
    series = network(seed, week, factor)
    return any(any(c.key == ("nl", "ander") for c in detect(series.until(series.weeks[w]))) for w in (week, week + 1))


def test_a_national_doubling_near_last_years_chance_high_is_found_within_two_weeks():
    # Twelve fixed seeds: with last year's high expected in full (before) 4 of 12 were found, now 8 of 12. The rest are
    # the price of the tolerance a real season needs (a peak that moves ±6 weeks): a doubling must clear it.
    hits = [seed for seed in range(12) if found(seed, 2.0)]
    assert len(hits) >= 7, hits


def test_without_a_rise_the_chance_high_does_not_fire():
    assert [seed for seed in range(12) if found(seed, 1.0)] == []
