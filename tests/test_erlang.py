"""Erlang C against textbook values (worked by hand or from the standard call-centre example)."""

from __future__ import annotations

import pytest

from balie.forecast.erlang import agents_needed, erlang_b, erlang_c, service_level


def test_it_matches_hand_computed_erlang_b_and_c_for_two_erlangs_on_three_agents():
    # B(2, 3) = (2³/3!) / (1 + 2 + 2²/2! + 2³/3!) = (4/3) / (19/3) = 4/19; C = 3B / (3 - 2(1 - B)) = 4/9.
    assert erlang_b(2, 3) == pytest.approx(4 / 19)
    assert erlang_c(2, 3) == pytest.approx(4 / 9)
    # One agent (M/M/1): the chance to wait is the utilisation.
    assert erlang_c(0.6, 1) == pytest.approx(0.6)


@pytest.mark.parametrize(("agents", "waits", "within_20s"), [
    (11, 0.6821, 0.3896), (12, 0.4494, 0.6402), (13, 0.2853, 0.7956), (14, 0.1741, 0.8884),
])
def test_it_matches_the_textbook_call_centre_example(agents, waits, within_20s):
    # The classic example: 100 calls per half hour (200/h), 3 minutes each = 10 erlang, target: answered within 20 s.
    assert erlang_c(10, agents) == pytest.approx(waits, abs=5e-4)
    assert service_level(200, 3, agents, 20 / 60) == pytest.approx(within_20s, abs=5e-4)


def test_it_finds_the_smallest_staff_that_meets_the_target():
    assert agents_needed(200, 3, target_minutes=20 / 60, target_share=0.8) == 14  # 13 gives 79.6 %, just short
    # One visitor an hour at 10 minutes: C = 1/6 and 1 - (1/6)·e^(-5/6) = 92.8% wait under 10 minutes with one staff member.
    assert service_level(1, 10, 1, 10) == pytest.approx(1 - (1 / 6) * 2.718281828 ** (-5 / 6))
    assert agents_needed(1, 10) == 1
    # Two an hour at 15 minutes (0.5 erlang): one copes on average, but only 64% wait under 10 minutes; two are needed.
    assert service_level(2, 15, 1, 10) == pytest.approx(0.6417, abs=5e-4)
    assert agents_needed(2, 15) == 2
    # Six an hour at 15 minutes is 1.5 erlang: one can never keep up, two are not enough for 80% within 10 minutes.
    assert service_level(6, 15, 2, 10) < 0.8 <= service_level(6, 15, 3, 10)
    assert agents_needed(6, 15) == 3


def test_it_needs_nobody_without_visitors_and_never_accepts_an_overloaded_desk():
    assert agents_needed(0, 15) == 0
    assert erlang_c(5, 5) == 1.0 and service_level(20, 15, 5, 10) == 0.0
    assert erlang_c(0, 3) == 0.0
