"""Charts of the report as PNG images (matplotlib, Agg backend, no display needed).

Text is set in Liberation Serif (the metric twin of Times New Roman, Debian package
``fonts-liberation2``) with DejaVu Serif as the fallback; both carry every Vietnamese
glyph. Charts are black, grey and one accent colour per status, so they still read
when the report is printed in black and white.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter

from chiso.assessment import Assessment, Status, Summary
from chiso.indicators import Measure
from chiso.observations import ObservationSet
from chiso.periods import Period
from chiso.reports.content import Chart
from chiso.reports.narrative import target_label
from chiso.targets import TargetKind
from chiso.text import format_number

FONTS = ["Liberation Serif", "Times New Roman", "DejaVu Serif"]
STATUS_COLOURS = {
    Status.ACHIEVED: "#1a7f37",
    Status.ON_TRACK: "#4caf50",
    Status.NEEDS_ACCELERATION: "#e3a008",
    Status.OFF_TRACK: "#d1242f",
    Status.REGRESSING: "#7d1a1a",
    Status.NO_DATA: "#9e9e9e",
}
MAX_CHARTS_PER_GROUP = 4
_STYLE: Any = {
    "font.family": "serif",
    "font.serif": FONTS,
    "font.size": 11,
    "axes.titlesize": 12,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.formatter.use_locale": False,
}


def _png(figure: Figure) -> bytes:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=200, bbox_inches="tight")
    plt.close(figure)
    return buffer.getvalue()


def _decimal_comma(value: float, _position: float | None = None) -> str:
    return format_number(value, 2)


def summary_chart(summary: Summary, period: Period) -> Chart | None:
    """A horizontal bar per status: how many targets stand where."""
    statuses = [s for s in Status if summary.by_status[s] or s is not Status.REGRESSING]
    if not summary.total:
        return None
    with plt.rc_context(_STYLE):
        figure, axes = plt.subplots(figsize=(6.3, 0.42 * len(statuses) + 0.6))
        labels = [s.label for s in statuses][::-1]
        counts = [summary.by_status[s] for s in statuses][::-1]
        colours = [STATUS_COLOURS[s] for s in statuses][::-1]
        bars = axes.barh(labels, counts, color=colours, height=0.6)
        for bar, count in zip(bars, counts, strict=True):
            axes.text(
                bar.get_width() + max(counts) * 0.01 + 0.05,
                bar.get_y() + bar.get_height() / 2,
                f"{count}/{summary.total}",
                va="center",
            )
        axes.set_xlim(0, max(counts) * 1.15 + 1)
        axes.xaxis.set_visible(False)
        axes.spines["bottom"].set_visible(False)
        figure.tight_layout()
        png = _png(figure)
    return Chart(f"Hình 1. Số chỉ tiêu theo mức độ thực hiện, {period.label}", png)


def _growth_chart(a: Assessment, data: ObservationSet, province: str) -> bytes | None:
    x = a.target.requirement(a.indicator.direction)
    rates = [
        o
        for o in data.series(a.indicator.code, province, until=Period.annual(a.as_of))
        if o.period.year >= a.first_year - 2
    ]
    if not rates or x is None:
        return None
    with plt.rc_context(_STYLE):
        figure, axes = plt.subplots(figsize=(6.3, 2.6))
        years = [o.period.year for o in rates]
        values = [o.value for o in rates]
        colours = ["#bdbdbd" if y < a.first_year else "#1f4e79" for y in years]
        bars = axes.bar([str(y) for y in years], values, color=colours, width=0.6)
        for bar, obs in zip(bars, rates, strict=True):
            label = format_number(obs.value, 2) + ("*" if obs.status.value == 1 else "")
            axes.text(bar.get_x() + bar.get_width() / 2, bar.get_height(), label, ha="center", va="bottom")
        axes.axhline(x, color="#d1242f", linestyle="--", linewidth=1.2)
        axes.text(
            len(years) - 0.5,
            x,
            f"mức cần thiết {format_number(x)}%/năm",
            color="#d1242f",
            ha="right",
            va="bottom",
        )
        axes.set_ylabel("%")
        axes.yaxis.set_major_formatter(FuncFormatter(_decimal_comma))
        figure.tight_layout()
        return _png(figure)


def _level_chart(a: Assessment, data: ObservationSet, province: str) -> bytes | None:
    if a.base is None or not a.path:
        return None
    series = [
        o
        for o in data.series(a.indicator.code, province, until=Period.annual(a.as_of))
        if o.period.year >= a.base.period.year
    ]
    if len(series) < 2 and not (series and series[-1].period.year > a.base.period.year):
        return None
    with plt.rc_context(_STYLE):
        figure, axes = plt.subplots(figsize=(6.3, 2.6))
        path_years = [p.year for p in a.path]
        axes.plot(path_years, [p.value for p in a.path], "--", color="#9e9e9e", label="lộ trình cần đạt")
        axes.plot(
            [o.period.year for o in series],
            [o.value for o in series],
            "o-",
            color="#1f4e79",
            label="thực hiện",
        )
        if a.bound is not None:
            axes.plot([a.target.target_year], [a.bound], "s", color="#d1242f", label="mục tiêu")
        axes.set_xticks(path_years)
        axes.yaxis.set_major_formatter(FuncFormatter(_decimal_comma))
        unit = a.target.unit or a.indicator.unit
        if unit:
            axes.set_ylabel(unit)
        axes.legend(frameon=False, fontsize=9)
        figure.tight_layout()
        return _png(figure)


def group_charts(
    assessments: Sequence[Assessment], data: ObservationSet, province: str
) -> dict[str, tuple[Chart, ...]]:
    """Charts per group: growth bars against the required rate, levels against their path."""
    charts: dict[str, list[Chart]] = {}
    number = 1
    for a in assessments:
        group = charts.setdefault(a.target.group, [])
        if len(group) >= MAX_CHARTS_PER_GROUP or not a.has_progress:
            continue
        png = None
        if a.target.kind is TargetKind.AVERAGE_GROWTH and a.indicator.measure is Measure.GROWTH_RATE:
            png = _growth_chart(a, data, province)
        elif a.target.kind in {TargetKind.LEVEL, TargetKind.RELATIVE_CHANGE}:
            png = _level_chart(a, data, province)
        if png is None:
            continue
        number += 1
        caption = f"Hình {number}. {a.indicator.name} (chỉ tiêu {target_label(a)})"
        if a.target.kind is TargetKind.AVERAGE_GROWTH:
            caption += "; dấu * là số ước tính"
        group.append(Chart(caption, png))
    return {k: tuple(v) for k, v in charts.items() if v}
