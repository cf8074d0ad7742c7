"""U4SSC points, category and dimension scores, and the Open SDG trend: pure functions.

Points follow the U4SSC scoring: the share of the target reached (value/target when higher is
better, target/value when lower is better) gives 1 point below 33 %, 2 below 66 %, 3 below 95 %
and 4 from 95 %. A KPI without a target, or with a negative value or target, gets no points.

The trend follows Open SDG's progress measure (Statistics Canada's method): the compound annual
growth rate (CAGR) between the first and the latest year is compared with the growth needed to
reach the target by 2030; without a target, with fixed growth thresholds (1.5 % and 0.5 % a year).
"""

from __future__ import annotations

import math
from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from statistics import median

HIGHER = "higher"
LOWER = "lower"
TARGET_YEAR = 2030
MAX_POINTS = 4

# Share of the target reached -> points: below 0.33 one point, below 0.66 two, below 0.95 three.
POINT_BANDS = (0.33, 0.66, 0.95)
# Open SDG: ratio of observed to required growth (with a target).
RATIO_ON_TRACK = 0.95
RATIO_ACCELERATION = 0.60
# Open SDG: observed annual growth in the desired direction (without a target).
GROWTH_ON_TRACK = 0.015
GROWTH_ACCELERATION = 0.005


class Trend(StrEnum):
    ON_TRACK = "on_track"
    NEEDS_ACCELERATION = "needs_acceleration"
    LIMITED_PROGRESS = "limited_progress"
    DETERIORATION = "deterioration"
    NOT_ENOUGH_DATA = "not_enough_data"


def target_share(value: float, target: float | None, direction: str = HIGHER) -> float | None:
    """How much of the target a value reaches (1.0 = exactly the target); None if unscorable."""
    if target is None or value < 0 or target < 0 or not math.isfinite(value):
        return None
    if direction == LOWER:
        # Nothing of something bad is the best possible value.
        return math.inf if value == 0 else target / value
    if target == 0:
        return math.inf
    return value / target


def points(value: float | None, target: float | None, direction: str = HIGHER) -> int | None:
    """U4SSC points 1-4 for a value against its target; None without a value or target."""
    if value is None:
        return None
    share = target_share(value, target, direction)
    if share is None:
        return None
    return 1 + bisect_right(POINT_BANDS, share)  # one more for each band reached


@dataclass(frozen=True)
class Score:
    """Points earned over points possible for a group of KPIs."""

    earned: int
    possible: int
    reported: int
    not_reported: int

    @property
    def ratio(self) -> float | None:
        return self.earned / self.possible if self.possible else None

    @property
    def percent(self) -> int | None:
        ratio = self.ratio
        return None if ratio is None else round(ratio * 100)


def score(points_per_kpi: Iterable[int | None], values_present: Iterable[bool]) -> Score:
    """Points earned / possible; KPIs without a value are left out and counted as not reported.

    A KPI with a value but no points (no target) counts as reported but adds nothing possible.
    """
    earned = possible = reported = not_reported = 0
    for kpi_points, present in zip(points_per_kpi, values_present, strict=True):
        if not present:
            not_reported += 1
            continue
        reported += 1
        if kpi_points is not None:
            earned += kpi_points
            possible += MAX_POINTS
    return Score(earned, possible, reported, not_reported)


def cagr(first: float, latest: float, years: int) -> float | None:
    """Compound annual growth rate; None where it is undefined (no years, values ≤ 0 at start)."""
    if years <= 0 or first <= 0 or latest < 0:
        return None
    return (latest / first) ** (1 / years) - 1


def achieved(value: float, target: float, direction: str) -> bool:
    return value <= target if direction == LOWER else value >= target


def trend(
    series: dict[int, float],
    target: float | None,
    direction: str = HIGHER,
    target_year: int = TARGET_YEAR,
) -> Trend:
    """Open SDG progress category for a series {year: value} (at least two years needed)."""
    if len(series) < 2:
        return Trend.NOT_ENOUGH_DATA
    first_year, latest_year = min(series), max(series)
    first, latest = series[first_year], series[latest_year]
    observed = cagr(first, latest, latest_year - first_year)
    if observed is None:
        return Trend.NOT_ENOUGH_DATA
    sign = -1 if direction == LOWER else 1
    if target is None:
        growth = sign * observed
        if growth >= GROWTH_ON_TRACK:
            return Trend.ON_TRACK
        if growth >= GROWTH_ACCELERATION:
            return Trend.NEEDS_ACCELERATION
        return Trend.LIMITED_PROGRESS if growth >= 0 else Trend.DETERIORATION
    if achieved(latest, target, direction):
        return Trend.ON_TRACK
    required = cagr(first, target, max(target_year, latest_year) - first_year)
    if required is None or required == 0:
        # The target is zero, or the first year already met it: only the direction tells.
        return Trend.LIMITED_PROGRESS if sign * observed >= 0 else Trend.DETERIORATION
    ratio = sign * observed / abs(required)
    if ratio >= RATIO_ON_TRACK:
        return Trend.ON_TRACK
    if ratio >= RATIO_ACCELERATION:
        return Trend.NEEDS_ACCELERATION
    return Trend.LIMITED_PROGRESS if ratio >= 0 else Trend.DETERIORATION


def median_or_none(values: Iterable[float]) -> float | None:
    """The median of some values, or None if there are none."""
    values = list(values)
    return median(values) if values else None


def population_band(population: int | None) -> tuple[int, int | None] | None:
    """The population band a municipality belongs to, as (lowest, highest or None)."""
    if population is None:
        return None
    for low, high in POPULATION_BANDS:
        if population >= low and (high is None or population < high):
            return low, high
    return None


# SSB's usual size classes for municipalities.
POPULATION_BANDS: tuple[tuple[int, int | None], ...] = (
    (0, 2000),
    (2000, 5000),
    (5000, 10000),
    (10000, 20000),
    (20000, 50000),
    (50000, None),
)
