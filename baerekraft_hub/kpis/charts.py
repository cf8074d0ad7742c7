"""Server-rendered SVG charts: horizontal bars, a histogram and lines over years.

The functions compute the geometry; each chart's `svg` method writes it (the pages show the
same data as a table beside each chart). Colour never carries meaning alone: each bar carries
its label and value as text, each line has its own marker shape and dash pattern and is named
at its end. Colours come from CSS classes (the CSP forbids inline styles).

The SVG is written in Python, not Jinja: a chart is dozens of elements of numbers, and in a
template each number was an escape and a lookup (a sixth of a status page's time). Numbers
are ours; every text (labels, names, the summary) goes through `escape`.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from markupsafe import Markup, escape

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

    def svg(self, id: str, summary: str, num: Callable[..., str], suffix: str = "") -> Markup:
        """The chart as an <svg> named by `summary`; `num` formats numbers for the reader."""
        height, left, bar_height = self.height, self.bar_left, self.bar_height
        parts = [_svg_open(id, self.width, height, summary)]
        for x, value in self.ticks:
            parts.append(
                f'<line class="chart-grid" x1="{x}" x2="{x}" y1="0" y2="{height - 20}"></line>'
                f'<text class="chart-tick" x="{x}" y="{height - 4}" text-anchor="middle">'
                f"{escape(num(value))}</text>"
            )
        after = escape(suffix)
        for bar in self.bars:
            marked = " chart-label-marked" if bar.marked else ""
            y = bar.y + bar_height * 0.7
            parts.append(
                f'<text class="chart-label{marked}" x="{left - 8}" y="{y}" text-anchor="end">'
                f"{escape(truncate(bar.label, 32))}</text>"
                f'<rect class="chart-bar{" chart-bar-marked" if bar.marked else ""}" x="{left}"'
                f' y="{bar.y}" width="{bar.width}" height="{bar_height}"></rect>'
                f'<text class="chart-value" x="{left + bar.width + 6}" y="{y}">'
                f"{escape(num(bar.value, 2))}{after}{' ◆' if bar.marked else ''}</text>"
            )
        parts.append("</svg>")
        return Markup("\n".join(parts))  # noqa: S704 - numbers, and texts through escape()


def _svg_open(id: str, width: int, height: int, summary: str) -> str:
    id = escape(id)
    return (
        f'<svg class="chart" id="{id}" viewBox="0 0 {width} {height}" role="img"'
        f' aria-labelledby="{id}-title" focusable="false">'
        f'<title id="{id}-title">{escape(summary)}</title>'
    )


def truncate(text: str, length: int, leeway: int = 5) -> str:
    """Jinja's `truncate(length, True, "…")`: cut words, but not for a few characters over."""
    return text if len(text) <= length + leeway else text[: length - 1] + "…"


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

    def marker(self, p: Point) -> str:
        """The point's marker: the line's shape, so that lines differ without colour."""
        css, shape = self.css, self.shape
        if shape == "circle":
            return f'<circle class="chart-marker {css}" cx="{p.x}" cy="{p.y}" r="5"></circle>'
        if shape == "square":
            return (
                f'<rect class="chart-marker {css}" x="{p.x - 4.5}" y="{p.y - 4.5}"'
                ' width="9" height="9"></rect>'
            )
        if shape == "triangle":
            points = f"{p.x},{p.y - 6} {p.x + 6},{p.y + 5} {p.x - 6},{p.y + 5}"
            return f'<polygon class="chart-marker {css}" points="{points}"></polygon>'
        if shape == "diamond":
            points = f"{p.x},{p.y - 6} {p.x + 6},{p.y} {p.x},{p.y + 6} {p.x - 6},{p.y}"
            return f'<polygon class="chart-marker {css}" points="{points}"></polygon>'
        d = f"M{p.x - 5},{p.y - 5}L{p.x + 5},{p.y + 5}M{p.x - 5},{p.y + 5}L{p.x + 5},{p.y - 5}"
        return f'<path class="chart-marker chart-cross {css}" d="{d}"></path>'


@dataclass(frozen=True)
class LineChart:
    lines: list[Line]
    width: int
    height: int
    years: list[tuple[float, int]]  # (x, year)
    ticks: list[tuple[float, float]]  # (y, value)
    left: int
    bottom: float

    def svg(self, id: str, summary: str, unnamed: str, num: Callable[..., str]) -> Markup:
        """The chart as an <svg> named by `summary`; a line without a name is `unnamed`."""
        parts = [_svg_open(id, self.width, self.height, summary)]
        right = self.width - RIGHT
        for y, value in self.ticks:
            parts.append(
                f'<line class="chart-grid" x1="{self.left}" x2="{right}" y1="{y}" y2="{y}">'
                f'</line><text class="chart-tick" x="{self.left - 6}" y="{y + 4}"'
                f' text-anchor="end">{escape(num(value, 2))}</text>'
            )
        for x, year in self.years:
            parts.append(
                f'<text class="chart-tick" x="{x}" y="{self.bottom + 20}" text-anchor="middle">'
                f"{year}</text>"
            )
        for line in self.lines:
            parts.append(
                f'<polyline class="chart-line {line.css}" points="{line.path}"></polyline>'
            )
            parts.extend(line.marker(point) for point in line.points)
            last = line.points[-1]
            name = escape(truncate(str(line.name or unnamed), 20))
            parts.append(
                f'<text class="chart-label" x="{last.x + 10}" y="{last.y + 4}">{name}</text>'
            )
        parts.append("</svg>")
        return Markup("\n".join(parts))  # noqa: S704 - numbers, and texts through escape()


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
