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


def test_a_seasonal_wording_is_no_theme_when_it_was_as_common_in_the_same_weeks_last_year():
    usual = ["Brief van de Belastingdienst uitgelegd", "Betalingsregeling aangevraagd", "Toeslag gewijzigd"]
    windows = [usual * 10 for _ in range(20)]
    season = usual * 5 + ["Aangifte inkomstenbelasting samen ingevuld"] * 10
    recent = usual * 3 + ["Aangifte inkomstenbelasting samen ingevuld"] * 6
    # Against the year's average alone the tax-season wording looks new...
    assert any("aangifte" in t.phrase for t in themes.emerging(recent, windows))
    # ...but the same weeks last year had it just as often: not a theme.
    assert themes.emerging(recent, windows, same_weeks_last_year=season) == []


def test_overdispersed_wordings_need_more_than_a_binomial_jump():
    rng = np.random.default_rng(3)
    # Two wordings whose share swings a lot from window to window (staff habits, rosters).
    windows = []
    for _ in range(25):
        share = rng.choice([0.0, 0.25])
        windows.append(["Samen gebeld met de klantenservice"] * int(40 * share) + ["Brief uitgelegd"] * int(40 * (1 - share)))
    sizes = np.array([len(w) for w in windows], dtype=float)
    counts = np.array([[sum("gebeld" in n.lower() for n in w) for w in windows], [sum("brief" in n.lower() for n in w) for w in windows]])
    assert themes.intra_class_correlation(sizes, counts) > 0.1
    steady = [["Samen gebeld met de klantenservice"] * 5 + ["Brief uitgelegd"] * 35 for _ in range(25)]
    steady_counts = np.array([[5] * 25, [35] * 25])
    assert themes.intra_class_correlation(np.array([40.0] * 25), steady_counts) == 0.0
    recent = ["Samen gebeld met de klantenservice"] * 12 + ["Brief uitgelegd"] * 18
    # 12 of 30 after a steady 12.5 %: a theme; after shares that swing between 0 % and 25 %: ordinary.
    assert any("gebeld" in t.phrase for t in themes.emerging(recent, steady))
    assert not any("gebeld" in t.phrase for t in themes.emerging(recent, windows))


def test_the_correction_spans_all_instanties_of_the_run():
    usual = ["Brief uitgelegd", "Formulier ingevuld", "Inloggen gelukt"]
    windows = [usual * 10 for _ in range(20)]
    borderline = usual * 4 + ["Wachtwoord vergeten opnieuw ingesteld"] * 5
    alone = themes.select([themes.score(borderline, windows)])[0]
    many_quiet = [themes.score(usual * 6 + [f"Vraag {w} besproken"] * 5, windows) for w in ("over huur", "over zorg", "over werk")]
    together = themes.select([themes.score(borderline, windows), *many_quiet])[0]
    assert alone and together
    # The same finding gets a larger q-value when more phrases are tested in the same run.
    assert together[0].q_value >= alone[0].q_value
