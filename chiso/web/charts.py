"""Chart data for the pages: one builder per chart, one structure for the chart and its table.

The builders take plain values (an assessment, a series of readings) and import nothing
from the web tier, so they can move into the core when another shell needs them.

:func:`target_chart` turns an assessment into what ``charts.js`` draws — the actual
series with each figure's data status, the base, the target (a band for a range), the
required yearly path and the projection to the target year — and the page renders the
same structure as a table, so the chart's text alternative holds exactly its numbers.
:func:`sparkline` is drawn on the server as SVG and needs no JavaScript.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from chiso.assessment import Assessment, Reading
from chiso.indicators import Direction, Measure
from chiso.observations import DataStatus
from chiso.targets import Comparator, TargetKind
from chiso.text import format_number

LABELS = {
    "actual": "Thực hiện",
    "path": "Lộ trình cần đạt",
    "projection": "Dự báo theo xu hướng",
    "projection_rate": "Bình quân cả giai đoạn (dự báo)",
    "band": "Khoảng chỉ tiêu",
    "target": "Mức chỉ tiêu",
    "target_rate": "Tốc độ cần đạt",
    "target_yearly": "Mức cần đạt hằng năm",
    "final": "Chính thức",
    "preliminary": "Sơ bộ",
    "estimate": "Ước tính",
    "base": "Năm gốc",
    "year": "Năm",
}


@dataclass(frozen=True)
class ChartRow:
    """One year of a target chart, as its table shows it."""

    year: int
    actual: float | None = None
    status: DataStatus | None = None
    source: str = ""
    path: float | None = None
    projection: float | None = None
    is_base: bool = False


@dataclass(frozen=True)
class TargetChart:
    """A target's chart: ``mode`` is ``level``, ``rate`` (yearly growth rates) or ``rank``."""

    mode: str
    title: str
    unit: str
    decimals: int
    rows: tuple[ChartRow, ...]
    target_year: int
    base_year: int | None = None
    band: tuple[float, float] | None = None
    target_line: float | None = None
    target_label: str = LABELS["target"]
    projection_label: str = LABELS["projection"]
    description: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def has_projection(self) -> bool:
        """True when some year carries a projected value."""
        return any(r.projection is not None for r in self.rows)

    @property
    def has_path(self) -> bool:
        """True when some year carries a required-path value."""
        return any(r.path is not None for r in self.rows)

    def data(self) -> dict[str, Any]:
        """The JSON ``charts.js`` reads."""
        return {
            "type": "target",
            "mode": self.mode,
            "title": self.title,
            "unit": self.unit,
            "decimals": self.decimals,
            "years": [str(r.year) for r in self.rows],
            "actual": [r.actual for r in self.rows],
            "status": [r.status.code if r.status is not None else None for r in self.rows],
            "path": [r.path for r in self.rows],
            "projection": [r.projection for r in self.rows],
            "base_year": str(self.base_year) if self.base_year is not None else None,
            "target_year": str(self.target_year),
            "band": list(self.band) if self.band else None,
            "target_line": self.target_line,
            "labels": {**LABELS, "target": self.target_label, "projection": self.projection_label},
            "description": self.description,
        }


def _level_projection(a: Assessment) -> float | None:
    """The projection as a level of the indicator in the target year."""
    t, p = a.target, a.projection
    if p is None:
        return None
    if t.kind is TargetKind.AVERAGE_CHANGE and a.base is not None:
        sign = 1.0 if t.change is Direction.INCREASE else -1.0
        return a.base.value + sign * p * (t.target_year - a.base.period.year)
    if t.kind is TargetKind.AVERAGE_GROWTH and a.base is not None:
        return a.base.value * (1 + p / 100) ** (t.target_year - a.base.period.year)
    return p


def target_chart(a: Assessment, series: Sequence[Reading]) -> TargetChart | None:
    """The chart of one target's assessment and its yearly ``series``; ``None`` for a milestone.

    ``series`` is what the target reads year by year: the indicator's province figures,
    or for a share-of-units target the share of units meeting the condition.
    """
    t = a.target
    if t.kind is TargetKind.MILESTONE:
        return None
    is_rate = t.kind is TargetKind.AVERAGE_GROWTH and a.indicator.measure is Measure.GROWTH_RATE
    mode = "rate" if is_rate else "rank" if t.kind is TargetKind.RANK else "level"
    unit = "%" if t.kind is TargetKind.SHARE_OF_UNITS else a.indicator.unit
    actual = {r.period.year: r for r in series}
    base = a.base
    if base is not None and base.period.year not in actual and not is_rate:
        actual[base.period.year] = base  # the base stated by the resolution
    path = {p.year: p.value for p in a.path}
    T = t.target_year
    projection: dict[int, float] = {}
    if is_rate:
        if a.projection is not None:
            projection = {y: a.projection for y in range(a.first_year, T + 1)}
    elif a.latest is not None and a.latest.period.year < T:
        level = _level_projection(a)
        if level is not None:
            last = max(actual) if actual else a.latest.period.year
            projection = {last: actual[last].value if last in actual else a.latest.value, T: level}
    years = [*actual, *path, *projection, T]
    first = min(years)
    rows = tuple(
        ChartRow(
            year,
            actual[year].value if year in actual else None,
            actual[year].status if year in actual else None,
            actual[year].source if year in actual else "",
            path.get(year),
            projection.get(year),
            is_base=base is not None and base.period.year == year,
        )
        for year in range(first, T + 1)
    )
    band = None
    target_line = None
    target_label = LABELS["target"]
    if t.comparator is Comparator.BETWEEN and t.low is not None and t.high is not None:
        band = (t.low, t.high)
    elif t.kind in {TargetKind.AVERAGE_CHANGE, TargetKind.AVERAGE_GROWTH} and not is_rate:
        target_line = a.path[-1].value if a.path else None
    else:
        target_line = a.bound
    if is_rate:
        target_label = LABELS["target_rate"]
    elif t.kind is TargetKind.EVERY_YEAR:
        target_label = LABELS["target_yearly"]
    chart = TargetChart(
        mode=mode,
        title=a.indicator.name,
        unit=unit,
        decimals=2 if t.kind is TargetKind.SHARE_OF_UNITS else a.indicator.decimals,
        rows=rows,
        target_year=T,
        base_year=base.period.year if base is not None else None,
        band=band,
        target_line=target_line,
        target_label=target_label,
        projection_label=LABELS["projection_rate"] if is_rate else LABELS["projection"],
    )
    return _with_description(chart)


def _lower_first(text: str) -> str:
    """Lower-case the first letter, "Tốc độ" → "tốc độ", but leave acronyms ("GRDP …") alone."""
    if len(text) > 1 and text[1].isupper():
        return text
    return text[:1].lower() + text[1:]


def _with_description(chart: TargetChart) -> TargetChart:
    """Add the sentence screen readers hear for the chart."""
    d = chart.decimals
    unit = f" {chart.unit}" if chart.unit and not chart.unit.startswith("%") else chart.unit
    known = [r for r in chart.rows if r.actual is not None]
    parts = [f"Biểu đồ {_lower_first(chart.title)}"]
    if known:
        last = known[-1]
        status = f", {last.status.label}" if last.status is not None else ""
        parts.append(
            f"số liệu từ {known[0].year} đến {last.year}; mới nhất {format_number(last.actual, d)}{unit} "
            f"(năm {last.year}{status})"
        )
    else:
        parts.append("chưa có số liệu")
    if chart.band is not None:
        parts.append(
            f"chỉ tiêu từ {format_number(chart.band[0], d)} đến {format_number(chart.band[1], d)}{unit}"
        )
    elif chart.target_line is not None:
        parts.append(f"{chart.target_label.lower()} {format_number(chart.target_line, d)}{unit}")
    if chart.has_projection:
        end = chart.rows[-1]
        if end.projection is not None:
            parts.append(f"dự báo năm {end.year}: {format_number(end.projection, d)}{unit}")
    text = "; ".join(parts) + ". Số liệu chi tiết ở bảng bên dưới."
    return replace(chart, description=text)


# --- sparklines ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Sparkline:
    """A small SVG line: its points in a 100 × 28 box, the last point, and words for screen readers."""

    points: str
    last_x: float
    last_y: float
    label: str


def sparkline(
    readings: Sequence[Reading],
    *,
    decimals: int = 2,
    invert: bool = False,
    width: int = 100,
    height: int = 28,
) -> Sparkline | None:
    """The sparkline of a yearly series; ``None`` below two figures."""
    if len(readings) < 2:
        return None
    values = [r.value for r in readings]
    low, high = min(values), max(values)
    span = (high - low) or 1.0
    pad = 3.0
    step = (width - 2 * pad) / (len(values) - 1)
    coords = []
    for index, value in enumerate(values):
        share = (value - low) / span
        if invert:
            share = 1 - share
        x = pad + index * step
        y = height - pad - share * (height - 2 * pad)
        coords.append((round(x, 1), round(y, 1)))
    first, last = readings[0], readings[-1]
    label = (
        f"Xu hướng {first.period.year}–{last.period.year}: từ {format_number(first.value, decimals)} "
        f"đến {format_number(last.value, decimals)}"
    )
    return Sparkline(" ".join(f"{x},{y}" for x, y in coords), coords[-1][0], coords[-1][1], label)


def target_sparkline(a: Assessment, series: Sequence[Reading]) -> Sparkline | None:
    """The sparkline of a target's series, the same series its chart draws."""
    if a.target.kind is TargetKind.MILESTONE:
        return None
    return sparkline(
        series,
        decimals=a.indicator.decimals,
        invert=a.target.kind is TargetKind.RANK,
    )


# --- the choropleth ----------------------------------------------------------------------


def choropleth(
    *,
    title: str,
    unit: str,
    decimals: int,
    values: Sequence[tuple[str, str, float | None]],
    geojson_url: str,
    map_name: str,
) -> dict[str, Any]:
    """The JSON of a commune map: ``values`` are (code, name, value) with ``None`` for no data."""
    known = [v for _, _, v in values if v is not None]
    return {
        "type": "map",
        "map": map_name,
        "geojson_url": geojson_url,
        "name_property": "code",
        "title": title,
        "unit": unit,
        "decimals": decimals,
        "min": min(known) if known else 0,
        "max": max(known) if known else 1,
        "values": [{"name": code, "label": name, "value": value} for code, name, value in values],
        "labels": {"no_data": "Chưa có số liệu", "value": "Giá trị"},
    }
