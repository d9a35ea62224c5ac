"""Rates, paths and projections: the arithmetic shared by every target kind.

The progress ratio follows the Open SDG / Statistics Canada measure (compound annual
growth rates). Projections with three or more points use a time-weighted least-squares
line, giving recent years more weight, as ESCAP's Anticipated Progress Index does
(ESCAP Statistics Division, Working Paper SD/WP/04, 2017, "weighted extrapolation").
Positive series are fitted on the log scale (constant growth), others linearly.
"""

from __future__ import annotations

import math
from collections.abc import Sequence


def cagr(start: float, end: float, years: float) -> float | None:
    """Compound annual growth rate as a fraction; ``None`` unless both values are positive."""
    if years <= 0 or start <= 0 or end <= 0:
        return None
    return float((end / start) ** (1.0 / years) - 1.0)


def linear_rate(start: float, end: float, years: float) -> float | None:
    """Mean change per year; ``None`` for a zero-length span."""
    if years <= 0:
        return None
    return (end - start) / years


def geometric_path(start: float, rate: float, first_year: int, years: Sequence[int]) -> list[float]:
    """Values growing by ``rate`` (a fraction) every year from ``start`` in ``first_year``."""
    values = []
    for y in years:
        try:
            values.append(start * (1.0 + rate) ** (y - first_year))
        except OverflowError:
            values.append(math.inf)
    return values


def linear_path(start: float, step: float, first_year: int, years: Sequence[int]) -> list[float]:
    """Values changing by ``step`` every year from ``start`` in ``first_year``."""
    return [start + step * (y - first_year) for y in years]


def time_weights(years: Sequence[int]) -> list[float]:
    """Weights growing linearly with recency: the oldest year 1, each later year +1."""
    first = min(years)
    return [float(y - first + 1) for y in years]


def weighted_fit(years: Sequence[int], values: Sequence[float]) -> tuple[float, float] | None:
    """Time-weighted least squares line ``value = a + b·year``; ``None`` if degenerate."""
    if len(years) < 2 or len(set(years)) < 2:
        return None
    w = time_weights(years)
    sw = sum(w)
    mx = sum(wi * x for wi, x in zip(w, years, strict=True)) / sw
    my = sum(wi * y for wi, y in zip(w, values, strict=True)) / sw
    sxx = sum(wi * (x - mx) ** 2 for wi, x in zip(w, years, strict=True))
    if sxx == 0:
        return None
    sxy = sum(wi * (x - mx) * (y - my) for wi, x, y in zip(w, years, values, strict=True))
    slope = sxy / sxx
    return my - slope * mx, slope


def project(
    years: Sequence[int], values: Sequence[float], to_year: int, *, log_scale: bool | None = None
) -> float | None:
    """Project a series to ``to_year``.

    Two points: continue their compound rate (or their linear change when a value is not
    positive). Three or more: the time-weighted regression. ``None`` with fewer points.
    """
    if len(years) < 2:
        return None
    pos = all(v > 0 for v in values)
    use_log = pos if log_scale is None else (log_scale and pos)
    if len(years) == 2:
        (y0, y1), (v0, v1) = years, values
        if use_log:
            rate = cagr(v0, v1, y1 - y0)
            if rate is None:
                return None
            try:
                return v1 * (1 + rate) ** (to_year - y1)
            except OverflowError:  # an explosive two-point trend: beyond any bound
                return math.inf
        step = linear_rate(v0, v1, y1 - y0)
        return v1 + step * (to_year - y1) if step is not None else None
    fitted = weighted_fit(years, [math.log(v) for v in values] if use_log else list(values))
    if fitted is None:
        return None
    a, b = fitted
    result = a + b * to_year
    if use_log:
        return math.exp(result) if result < 700 else math.inf
    return result
