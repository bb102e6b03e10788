"""Bar charts drawn on the server as SVG, with their figures for a table beside them.

The chart is geometry only: the template (audit/includes/bar_chart.html) draws it
with a title and description for screen readers and the same figures as a table, so
nothing depends on JavaScript or on seeing colour."""

from dataclasses import dataclass
from decimal import Decimal

WIDTH, HEIGHT = 640, 240
LEFT, RIGHT, TOP, BOTTOM = 48, 8, 12, 36  # room for the axis labels


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    series: int
    label: str  # "Mar 2026, Occupancy: 92.0%"


@dataclass(frozen=True)
class Marker:
    """A short level line across one category's bars: a per-category target."""

    x1: float
    x2: float
    y: float


@dataclass(frozen=True)
class Tick:
    y: float
    label: str


@dataclass(frozen=True)
class Category:
    x: float
    label: str


@dataclass(frozen=True)
class BarChart:
    title: str
    description: str
    unit: str
    series_names: list[str]
    categories: list[Category]
    bars: list[Bar]
    ticks: list[Tick]
    target_y: float | None
    markers: list[Marker]
    marker_name: str
    rows: list[tuple[str, list[str]]]  # the table: category label, one figure per series
    width: int = WIDTH
    height: int = HEIGHT

    @property
    def baseline(self) -> float:
        return self.height - BOTTOM

    @property
    def plot_left(self) -> int:
        return LEFT

    @property
    def columns(self) -> list[str]:
        """The table's figure columns: each series, then the markers."""
        return self.series_names + ([self.marker_name] if self.marker_name else [])


def _nice_ceiling(value: Decimal) -> Decimal:
    """The smallest of 1, 2, 2.5 or 5 × a power of ten that is at least `value`."""
    if value <= 0:
        return Decimal(1)
    power = Decimal(10) ** (len(str(int(value))) - 1)
    for step in (1, 2, Decimal("2.5"), 5, 10):
        if value <= step * power:
            return step * power
    return 10 * power


def _figure(value: Decimal | None, unit: str) -> str:
    if value is None:
        return "no figure"
    return f"{value}%" if unit == "%" else f"{value}{(' ' + unit) if unit else ''}"


def bar_chart(
    *,
    title: str,
    categories: list[str],
    series: list[tuple[str, list[Decimal | None]]],
    unit: str = "",
    target: Decimal | None = None,
    markers: tuple[str, list[Decimal | None]] | None = None,
    maximum: Decimal | None = None,
) -> BarChart:
    """Grouped bars, one group per category, one bar per series; missing figures draw
    no bar and read "no figure" in the table. `target` is one level across the chart;
    `markers` (a name and a figure per category) a level for each category."""
    marker_name, levels = markers or ("", [])
    values = [v for _name, figures in series for v in [*figures, *levels] if v is not None]
    top = _nice_ceiling(max([*values, target or 0, Decimal(0)]) if maximum is None else maximum)
    plot_width = WIDTH - LEFT - RIGHT
    plot_height = HEIGHT - TOP - BOTTOM
    group = plot_width / max(len(categories), 1)
    bar_width = group * 0.8 / max(len(series), 1)

    def y_of(value) -> float:
        return TOP + plot_height * (1 - float(Decimal(value) / top))

    bars = []
    for index, label in enumerate(categories):
        for s, (name, figures) in enumerate(series):
            value = figures[index]
            if value is None:
                continue
            y = y_of(min(value, top))
            bars.append(
                Bar(
                    x=round(LEFT + group * index + group * 0.1 + bar_width * s, 1),
                    y=round(y, 1),
                    width=round(bar_width, 1),
                    height=round(TOP + plot_height - y, 1),
                    series=s,
                    label=f"{label}, {name}: {_figure(value, unit)}",
                )
            )
    ticks = [Tick(round(y_of(top * i / 4), 1), f"{(top * i / 4).normalize():f}") for i in range(5)]
    summary = "; ".join(
        f"{name} from {_figure(figures[0], unit)} in {categories[0]} "
        f"to {_figure(figures[-1], unit)} in {categories[-1]}"
        for name, figures in series
    )
    return BarChart(
        title=title,
        description=f"Bar chart. {summary}."
        + (f" Target {_figure(target, unit)}." if target is not None else ""),
        unit=unit,
        series_names=[name for name, _figures in series],
        categories=[
            Category(round(LEFT + group * (i + 0.5), 1), label)
            for i, label in enumerate(categories)
        ],
        bars=bars,
        ticks=ticks,
        target_y=round(y_of(min(target, top)), 1) if target is not None else None,
        markers=[
            Marker(
                round(LEFT + group * i + group * 0.1, 1),
                round(LEFT + group * (i + 1) - group * 0.1, 1),
                round(y_of(min(level, top)), 1),
            )
            for i, level in enumerate(levels)
            if level is not None
        ],
        marker_name=marker_name,
        rows=[
            (
                label,
                [_figure(figures[i], unit) for _name, figures in series]
                + ([_figure(levels[i], unit)] if markers else []),
            )
            for i, label in enumerate(categories)
        ],
    )
