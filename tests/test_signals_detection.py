"""The detection maths on hand-made series: each rule proven without a database."""

from __future__ import annotations

import datetime as dt

import numpy as np

from balie.signals import themes
from balie.signals.detection import SeriesSet, benjamini_hochberg, detect

START = dt.date(2023, 1, 2)


def make(target: list[float] | np.ndarray, rest: list[float] | np.ndarray) -> SeriesSet:
    """One scope with one tested series and the rest of the scope's volume beside it."""
    target, rest = np.asarray(target), np.asarray(rest)
    weeks = [START + dt.timedelta(weeks=k) for k in range(len(target))]
    counts = np.vstack([target, rest]).astype(np.int64)
    totals = np.vstack([target + rest, target + rest]).astype(np.int64)
    return SeriesSet(weeks, ["doel", "rest"], counts, totals)


def test_it_finds_nothing_in_a_flat_series():
    assert detect(make([20] * 150, [200] * 150)) == []


def test_it_finds_nothing_in_many_noisy_flat_series():
    rng = np.random.default_rng(7)
    n, width = 300, 150
    counts = rng.poisson(25, size=(n, width))
    totals = np.broadcast_to(counts.sum(axis=0), (n, width))
    weeks = [START + dt.timedelta(weeks=k) for k in range(width)]
    assert detect(SeriesSet(weeks, list(range(n)), counts, totals)) == []


def test_it_ignores_a_yearly_season_that_returns_every_year():
    # Tax season: from week 9 to 21 of each year the series triples, as every year before.
    week_of_year = np.arange(150) % 52
    target = np.where((week_of_year >= 9) & (week_of_year < 22), 60, 20)
    series = make(target, [300] * 150)
    for last in range(104 + 9, 104 + 22):
        assert detect(series.until(series.weeks[last])) == [], f"week {last} flagged"


def test_it_ignores_a_rise_in_total_volume():
    # Everything doubles (a new location opens): the share stays the same, so nothing to report.
    target = [20] * 140 + [40] * 10
    rest = [200] * 140 + [400] * 10
    assert detect(make(target, rest)) == []


def test_it_flags_a_clear_jump_with_its_evidence():
    target = [20] * 148 + [45, 50]
    found = detect(make(target, [200] * 150))
    assert len(found) == 1
    c = found[0]
    assert c.key == "doel"
    assert (c.start_week, c.end_week) == (START + dt.timedelta(weeks=148), START + dt.timedelta(weeks=149))
    assert c.observed == 95
    assert 39 < c.expected < 41
    assert c.effect > 1.2 and c.q_value < 0.05
    assert c.weekly[-1] == {"week": (START + dt.timedelta(weeks=149)).isoformat(), "observed": 50, "expected": 20.0}


def test_it_does_not_flag_small_cells():
    # From 1 to 6 a week is +500 %, but below the minimum of 10 observed questions it is noise.
    assert detect(make([1] * 149 + [6], [200] * 150)) == []


def test_it_adjusts_p_values_with_benjamini_hochberg():
    # Sorted 0.01, 0.03, 0.04, 0.5 -> p·m/rank 0.04, 0.06, 0.0533, 0.5 -> running minimum from the top.
    q = benjamini_hochberg(np.array([0.01, 0.04, 0.03, 0.5]))
    assert np.allclose(q, [0.04, 0.16 / 3, 0.16 / 3, 0.5])


def test_it_finds_an_emerging_phrase_in_notes_and_groups_similar_ones():
    baseline = ["Brief van UWV uitgelegd", "WW-uitkering aanvragen", "Werkmap bij UWV ingericht"] * 40
    recent = ["Upload lukt niet in de nieuwe app", "Nieuwe app: upload lukt niet", "upload lukt niet, documenten opnieuw"] * 3 + [
        "Brief van UWV uitgelegd"] * 4
    found = themes.emerging(recent, baseline)
    assert len(found) >= 1
    top = found[0]
    assert "upload" in top.phrase or "lukt" in top.phrase
    assert any("upload lukt niet" in p for p in [top.phrase, *top.related])
    assert top.examples and all("upload" in e.lower() for e in top.examples)
    assert not any("brief" in t.phrase for t in found)


def test_it_finds_no_theme_when_notes_stay_the_same():
    notes = ["Brief van UWV uitgelegd", "WW-uitkering aanvragen", "Werkmap bij UWV ingericht"]
    assert themes.emerging(notes * 5, notes * 40) == []
