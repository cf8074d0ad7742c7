"""U4SSC points, scores and the Open SDG trend, against figures computed by hand."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from baerekraft_hub.kpis.scoring import (
    HIGHER,
    LOWER,
    Trend,
    cagr,
    median_or_none,
    points,
    population_band,
    score,
    trend,
)


@pytest.mark.parametrize(
    ("value", "target", "direction", "expected"),
    [
        # higher is better: share = value / target
        (0, 100, HIGHER, 1),
        (32.9, 100, HIGHER, 1),
        (33, 100, HIGHER, 2),  # 33 % starts the second band
        (65.9, 100, HIGHER, 2),
        (66, 100, HIGHER, 3),
        (94.9, 100, HIGHER, 3),
        (95, 100, HIGHER, 4),
        (250, 100, HIGHER, 4),
        # lower is better: share = target / value
        (10, 5, LOWER, 2),  # 5/10 = 50 %
        (5.2, 5, LOWER, 4),  # 5/5.2 = 96 %
        (7, 5, LOWER, 3),  # 71 %
        (20, 5, LOWER, 1),  # 25 %
        (0, 5, LOWER, 4),  # nothing of something bad: best
        # a target of zero
        (3, 0, HIGHER, 4),  # any non-negative value reaches a zero target
        (3, 0, LOWER, 1),  # 0 / 3 = 0 %
        (0, 0, LOWER, 4),
    ],
)
def test_points_by_hand(value, target, direction, expected):
    assert points(value, target, direction) == expected


@pytest.mark.parametrize(
    ("value", "target"), [(None, 10), (10, None), (-1, 10), (10, -5), (math.nan, 10)]
)
def test_no_points_without_value_or_target_or_for_negatives(value, target):
    assert points(value, target, HIGHER) is None
    assert points(value, target, LOWER) is None


finite = st.floats(min_value=0, max_value=1e9, allow_nan=False)
positive = st.floats(min_value=1e-6, max_value=1e9, allow_nan=False)


@given(a=finite, b=finite, target=positive)
def test_points_are_monotone_in_the_kpis_direction(a, b, target):
    low, high = sorted((a, b))
    assert points(low, target, HIGHER) <= points(high, target, HIGHER)
    assert points(low, target, LOWER) >= points(high, target, LOWER)


@given(value=finite, target=finite)
def test_points_are_always_one_to_four(value, target):
    for direction in (HIGHER, LOWER):
        assert points(value, target, direction) in {1, 2, 3, 4}


def test_score_counts_not_reported_and_leaves_them_out():
    # 4 + 2 + 1 earned of 3 × 4 possible; one reported without target; two not reported
    result = score([4, 2, 1, None, None, None], [True, True, True, True, False, False])
    assert (result.earned, result.possible) == (7, 12)
    assert (result.reported, result.not_reported) == (4, 2)
    assert result.percent == 58  # 7/12 = 58.3 %


def test_score_with_nothing_reported_has_no_ratio():
    result = score([None, None], [False, False])
    assert result.ratio is None and result.percent is None and result.not_reported == 2


def test_cagr_by_hand():
    assert cagr(100, 121, 2) == pytest.approx(0.10)
    assert cagr(100, 81, 2) == pytest.approx(-0.10)
    assert cagr(0, 5, 2) is None
    assert cagr(5, 5, 0) is None


def test_trend_with_target_by_hand():
    # From 40 (2020) to 44 (2022): CAGR = 1.1^(1/2) - 1 = 4.88 %.
    # Needed from 40 in 2020 to 80 in 2030: 2^(1/10) - 1 = 7.18 %. Ratio 0.68 -> acceleration.
    assert trend({2020: 40, 2022: 44}, 80) == Trend.NEEDS_ACCELERATION
    # 40 -> 48.4 in two years: 10 %/year, ratio 1.39 -> on track
    assert trend({2020: 40, 2021: 44, 2022: 48.4}, 80) == Trend.ON_TRACK
    # 40 -> 41: 1.24 %/year, ratio 0.17 -> limited progress
    assert trend({2020: 40, 2022: 41}, 80) == Trend.LIMITED_PROGRESS
    # falling away from a higher target -> deterioration
    assert trend({2020: 40, 2022: 38}, 80) == Trend.DETERIORATION
    # target reached -> on track
    assert trend({2020: 40, 2022: 85}, 80) == Trend.ON_TRACK


def test_trend_lower_is_better_by_hand():
    # 100 -> 81 in two years: -10 %/year. Needed 100 -> 50 by 2030: 0.5^(1/10) - 1 = -6.70 %.
    # Ratio = 10 / 6.70 = 1.49 -> on track.
    assert trend({2020: 100, 2022: 81}, 50, LOWER) == Trend.ON_TRACK
    # 100 -> 110: growing while lower is better -> deterioration
    assert trend({2020: 100, 2022: 110}, 50, LOWER) == Trend.DETERIORATION


def test_trend_without_target_uses_fixed_thresholds():
    assert trend({2020: 100, 2022: 104}, None) == Trend.ON_TRACK  # 1.98 %/year
    assert trend({2020: 100, 2022: 102}, None) == Trend.NEEDS_ACCELERATION  # 0.995 %/year
    assert trend({2020: 100, 2022: 100.5}, None) == Trend.LIMITED_PROGRESS  # 0.25 %/year
    assert trend({2020: 100, 2022: 99}, None) == Trend.DETERIORATION
    assert trend({2020: 100, 2022: 96}, None, LOWER) == Trend.ON_TRACK  # falling 2 %/year


def test_trend_needs_two_years_and_a_positive_start():
    assert trend({}, 10) == Trend.NOT_ENOUGH_DATA
    assert trend({2022: 5}, 10) == Trend.NOT_ENOUGH_DATA
    assert trend({2020: 0, 2022: 5}, 10) == Trend.NOT_ENOUGH_DATA


def test_trend_when_the_first_year_already_met_the_target():
    # Met in 2020 (60 ≥ 50), no longer in 2022 (45): deterioration.
    assert trend({2020: 60, 2022: 45}, 50) == Trend.DETERIORATION


@given(
    first=st.floats(min_value=0.1, max_value=1e6),
    a=st.floats(min_value=0.1, max_value=1e6),
    b=st.floats(min_value=0.1, max_value=1e6),
    target=st.one_of(st.none(), st.floats(min_value=0.1, max_value=1e6)),
)
def test_trend_never_gets_worse_when_the_latest_value_improves(first, a, b, target):
    order = list(Trend)[:4]  # best first
    low, high = sorted((a, b))
    better_high = trend({2018: first, 2022: high}, target, HIGHER)
    worse_high = trend({2018: first, 2022: low}, target, HIGHER)
    assert order.index(better_high) <= order.index(worse_high)


def test_median_and_population_band():
    assert median_or_none([3, 1, 2, 10]) == 2.5
    assert median_or_none([]) is None
    assert population_band(None) is None
    assert population_band(1999) == (0, 2000)
    assert population_band(2000) == (2000, 5000)
    assert population_band(145_000) == (50000, None)
