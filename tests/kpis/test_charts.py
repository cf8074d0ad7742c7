"""Chart geometry: bars scale to the axis, bins count every value, lines are told apart."""

from __future__ import annotations

import math

from hypothesis import given
from hypothesis import strategies as st

from baerekraft_hub.kpis.charts import (
    LABEL_WIDTH,
    VALUE_WIDTH,
    WIDTH,
    bar_chart,
    histogram,
    line_chart,
    nice_ticks,
)


def test_nice_ticks_cover_the_highest_value_in_round_steps():
    assert nice_ticks(87) == [0, 25, 50, 75, 100]
    assert nice_ticks(4) == [0, 1, 2, 3, 4]
    assert nice_ticks(0) == [0.0, 1.0]


def test_bars_are_proportional_and_the_marked_one_is_marked():
    chart = bar_chart([("Molde", 50, True), ("Rana", 100, False), ("Aukra", -5, False)])
    plot = WIDTH - LABEL_WIDTH - VALUE_WIDTH
    molde, rana, aukra = chart.bars
    assert rana.width == plot  # 100 is the top tick
    assert molde.width == plot / 2
    assert aukra.width == 0 and aukra.value == -5
    assert [b.marked for b in chart.bars] == [True, False, False]
    assert chart.ticks[-1] == (LABEL_WIDTH + plot, 100)


def test_no_chart_without_data():
    assert bar_chart([]) is None
    assert line_chart([("Molde", {})]) is None
    assert histogram([]) == []


@given(st.lists(st.floats(min_value=-1e6, max_value=1e6), min_size=1, max_size=60))
def test_histogram_counts_every_value_once(values):
    bins = histogram(values, marked=values[0])
    assert sum(b.count for b in bins) == len(values)
    assert sum(b.marked for b in bins) == 1


def test_lines_have_their_own_shape_and_share_the_year_axis():
    chart = line_chart([("Molde", {2020: 10, 2022: 20}), ("Rana", {2021: 15})])
    molde, rana = chart.lines
    assert molde.shape != rana.shape and molde.css != rana.css
    assert [year for _, year in chart.years] == [2020, 2021, 2022]
    assert molde.points[0].x < rana.points[0].x < molde.points[1].x
    assert molde.points[1].y < molde.points[0].y  # higher values are drawn higher


any_value = st.floats(allow_nan=False, allow_infinity=False)


@given(st.lists(any_value, min_size=1, max_size=8), st.lists(any_value, min_size=1, max_size=8))
def test_charts_draw_any_finite_values_at_finite_places(bars, line):
    chart = bar_chart([(str(i), v, False) for i, v in enumerate(bars)])
    assert all(math.isfinite(b.width) and b.width >= 0 for b in chart.bars)
    lines = line_chart([("a", {2000 + i: v for i, v in enumerate(line)})])
    assert all(math.isfinite(p.x) and math.isfinite(p.y) for p in lines.lines[0].points)
