"""Geometry for server-rendered SVG charts: horizontal bars, a histogram and lines over years.

The templates (templates/kpis/_*_chart.html) draw what these functions compute, and show the
same data as a table beside each chart. Colour never carries meaning alone: each bar carries its
label and value as text, each line has its own marker shape and dash pattern and is named at its
end. Colours come from CSS classes (the CSP forbids inline styles).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

WIDTH = 640
LABEL_WIDTH = 220
VALUE_WIDTH = 90
BAR_HEIGHT = 22
BAR_GAP = 8
# Line chart: margins for the axis labels and the series names at the line ends.
LINE_HEIGHT = 260
LEFT, RIGHT, TOP, BOTTOM = 64, 150, 16, 36
SHAPES = ("circle", "square", "triangle", "diamond", "cross")
SERIES_COUNT = 5  # series classes and dash patterns in CSS: .chart-series-0 … -4


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    y: float
    width: float
    marked: bool  # the organisation the page is about; also marked in the label text


@dataclass(frozen=True)
class BarChart:
    bars: list[Bar]
    width: int
    height: int
    bar_left: int
    bar_height: int
    ticks: list[tuple[float, float]]  # (x, value)


def nice_ticks(high: float, count: int = 4) -> list[float]:
    """Round axis values from 0 to at least `high` (1, 2, 2.5 or 5 times a power of ten)."""
    if high <= 0 or not math.isfinite(high):
        return [0.0, 1.0]
    raw = high / count
    if raw < 1e-300:  # subnormal: no power of ten to step by
        return [0.0, high]
    power = 10.0 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw)
    steps = math.ceil(high / step - 1e-9)
    ticks = [float(f"{i * step:.12g}") for i in range(steps + 1)]  # no 0.30000000000000004
    return ticks if math.isfinite(ticks[-1]) else [0.0, high]  # near the largest float


def share(part: float, whole: float) -> float:
    """part / whole kept within 0..1, and 0 where the division means nothing."""
    if whole <= 0:
        return 0.0
    ratio = part / whole
    return min(max(ratio, 0.0), 1.0) if math.isfinite(ratio) else 0.0


def bar_chart(rows: Sequence[tuple[str, float, bool]]) -> BarChart | None:
    """Horizontal bars for (label, value, marked) rows; None when there is nothing to draw.

    Negative values are drawn as zero-length bars (their value is still written beside them).
    """
    if not rows:
        return None
    ticks = nice_ticks(max(max(value for _, value, _ in rows), 0))
    top = ticks[-1]
    plot = WIDTH - LABEL_WIDTH - VALUE_WIDTH
    bars = [
        Bar(
            label=label,
            value=value,
            y=i * (BAR_HEIGHT + BAR_GAP),
            width=round(plot * share(value, top), 2),
            marked=marked,
        )
        for i, (label, value, marked) in enumerate(rows)
    ]
    height = len(rows) * (BAR_HEIGHT + BAR_GAP) + 24
    return BarChart(
        bars=bars,
        width=WIDTH,
        height=height,
        bar_left=LABEL_WIDTH,
        bar_height=BAR_HEIGHT,
        ticks=[(round(LABEL_WIDTH + plot * share(t, top), 2), t) for t in ticks],
    )


@dataclass(frozen=True)
class Bin:
    low: float
    high: float
    count: int
    marked: bool


def histogram(values: Sequence[float], marked: float | None = None, bins: int = 8) -> list[Bin]:
    """Equal-width bins over the values; `marked` flags the bin that holds one value."""
    if not values:
        return []
    low, high = min(values), max(values)
    if low == high:
        return [Bin(low, high, len(values), marked is not None)]
    width = (high - low) / bins
    counts = [0] * bins

    def index(value: float) -> int:
        return min(int((value - low) / width), bins - 1)

    for value in values:
        counts[index(value)] += 1
    marked_index = index(marked) if marked is not None and low <= marked <= high else None
    return [
        Bin(low + i * width, low + (i + 1) * width, count, i == marked_index)
        for i, count in enumerate(counts)
    ]


@dataclass(frozen=True)
class Point:
    x: float
    y: float
    year: int
    value: float


@dataclass
class Line:
    name: str
    index: int  # picks colour class, dash pattern and marker shape
    points: list[Point] = field(default_factory=list)

    @property
    def shape(self) -> str:
        return SHAPES[self.index % len(SHAPES)]

    @property
    def css(self) -> str:
        return f"chart-series-{self.index % SERIES_COUNT}"

    @property
    def path(self) -> str:
        return " ".join(f"{p.x},{p.y}" for p in self.points)


@dataclass(frozen=True)
class LineChart:
    lines: list[Line]
    width: int
    height: int
    years: list[tuple[float, int]]  # (x, year)
    ticks: list[tuple[float, float]]  # (y, value)
    left: int
    bottom: float


def line_chart(series: Sequence[tuple[str, dict[int, float]]]) -> LineChart | None:
    """Lines over years, one per (name, {year: value}); None when no series has a value."""
    years = sorted({year for _, values in series for year in values})
    if not years:
        return None
    values = [v for _, points in series for v in points.values()]
    low = min(0.0, min(values))
    ticks = nice_ticks(max(values) - low)
    top = low + ticks[-1]
    plot_w = WIDTH - LEFT - RIGHT
    plot_h = LINE_HEIGHT - TOP - BOTTOM
    span = max(years[-1] - years[0], 1)

    def x(year: int) -> float:
        if len(years) == 1:
            return LEFT + plot_w / 2
        return round(LEFT + plot_w * (year - years[0]) / span, 2)

    def y(value: float) -> float:
        return round(TOP + plot_h * (1 - share(value - low, top - low)), 2)

    lines = [
        Line(name, i, [Point(x(yr), y(v), yr, v) for yr, v in sorted(points.items())])
        for i, (name, points) in enumerate(series)
        if points
    ]
    return LineChart(
        lines=lines,
        width=WIDTH,
        height=LINE_HEIGHT,
        years=[(x(year), year) for year in years],
        ticks=[(y(low + t), low + t) for t in ticks],
        left=LEFT,
        bottom=TOP + plot_h,
    )
