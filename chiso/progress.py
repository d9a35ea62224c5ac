"""Progress towards a target: the Statistics Canada / Open SDG progress measure.

This module re-implements, from its published description, the progress measure of
Statistics Canada that Open SDG computes in ``sdg/ProgressMeasure.py`` of the
``open-sdg/sdg-build`` package. The method is described in the document
*Progress Measurement Methodology for the Sustainable Development Goals*
(Statistics Canada, published in the Open SDG documentation as
``progress-methodology``); comments below cite it as **PMM** with the name of the
section. Where that document is silent (zero values, degenerate inputs, the exact
score constants) the behaviour of ``sdg/ProgressMeasure.py`` is reproduced, and
the comment says so.

The measure, in short (``d`` is +1 when an increase is desired, -1 otherwise;
``s`` is -1 when the base value is negative, +1 otherwise):

* observed growth, a compound annual growth rate (CAGR) from the base year to the
  current year: ``CAGR_o = (y_i / y_0) ** (1 / (t_i - t_0)) - 1``;
* **with a target** ``y_T`` for year ``t_T``: the growth that would be required,
  ``CAGR_r = (y_T / y_0) ** (1 / (t_T - t_0)) - 1``, and the ratio
  ``R = s * d * CAGR_o / |CAGR_r|``, classified with the thresholds 0.95 / 0.6 / 0;
  a series whose current value already meets the target is "target achieved";
* **without a target**: the value ``s * d * CAGR_o`` itself, classified with the
  thresholds 1.5 % / 0.5 % / 0, which are scaled down by a factor ``C`` in [0, 1]
  when the base value lies near a natural limit of the indicator.

Each result also carries a score in [-5, 5], a piecewise-linear transform of the
value (PMM, "Aggregated progress status"), which lets several series be averaged.

Everything here is pure standard-library Python and never raises on finite
numbers: where the original would produce no progress value (or would crash), the
result has ``value`` None and, unless the target is already met, ``status`` None.
Each such case is listed in :func:`progress_measure`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Final, Literal

__all__ = [
    "STATUS_ORDER",
    "Direction",
    "ProgressResult",
    "ProgressStatus",
    "ProgressThresholds",
    "limit_coefficient",
    "progress_measure",
]

Direction = Literal["increase", "decrease"]
"""The desired direction of change of an indicator."""

ProgressStatus = Literal[
    "target_achieved",
    "substantial_progress",
    "moderate_progress",
    "limited_progress",
    "deterioration",
]
"""The five progress categories, named as Open SDG names them.

PMM calls them "Target achieved", "On track", "Progress made but acceleration
needed", "Limited progress" and "Deterioration"; Open SDG's status values are the
names used here.
"""

STATUS_ORDER: Final[tuple[ProgressStatus, ...]] = (
    "deterioration",
    "limited_progress",
    "moderate_progress",
    "substantial_progress",
    "target_achieved",
)
"""The statuses from worst to best; ``STATUS_ORDER.index(s)`` ranks a status."""

# PMM, "Special considerations for the base value and the target value": an
# exponential model cannot start from or aim at zero, so a zero base value or
# target is replaced by 0.001 (sdg-build does the same, and reports 0.001).
_ZERO_REPLACEMENT: Final = 0.001

# PMM, "Indicators without quantitative targets": the scaling factor C is
# 1 - (y0/ylim)**a near a limit; sdg-build uses the exponent a = 4.44.
_LIMIT_EXPONENT: Final = 4.44

# PMM, "Aggregated progress status": the score of a series that met its target.
_TARGET_ACHIEVED_SCORE: Final = 5.0

# PMM, Figure 2: with a target the score rises linearly from -5 at R = -60 % to 0
# at R = 60 % and to +5 at R = 130 %. sdg-build writes these slopes and
# intercepts rounded to four decimals; the rounded constants are kept so that
# scores match the original's published scores to the last digit.
_RATIO_SLOPE_LOW: Final = 4.1667  # 5 / 1.2
_RATIO_INTERCEPT_LOW: Final = 2.5
_RATIO_SLOPE_HIGH: Final = 7.1429  # 5 / 0.7
_RATIO_INTERCEPT_HIGH: Final = 4.2857  # 0.6 * 5 / 0.7

# PMM, Figure 1: without a target the score is -5 at CAGR = -2 %, -2.5 at 0,
# 0 at 0.5 % C, 2.5 at 1.5 % C and +5 at 2 % C (C = 1 when there is no limit).
_GROWTH_SLOPE_NEGATIVE: Final = 125.0  # 2.5 / 0.02
_GROWTH_SLOPE_LIMITED: Final = 500.0  # 2.5 / 0.005
_GROWTH_SLOPE_MODERATE: Final = 250.0  # 2.5 / 0.01
_GROWTH_SLOPE_SUBSTANTIAL: Final = 500.0  # 2.5 / 0.005

_SCORE_MIN: Final = -5.0
_SCORE_MAX: Final = 5.0


@dataclass(frozen=True)
class ProgressThresholds:
    """Lower bounds of the progress categories, for both variants of the measure.

    ``ratio_*`` classify the ratio R of observed to required growth (series with a
    target); ``growth_*`` classify the observed growth rate (series without a
    target) before any scaling for a natural limit. A value at or above ``*_high``
    is substantial progress, at or above ``*_med`` moderate progress, at or above
    ``*_low`` limited progress, and below ``*_low`` deterioration.

    The defaults are those of PMM ("Indicators with quantitative targets" and
    "Indicators without quantitative targets") and of sdg-build. As in the
    original ("score functions hardcoded based on default progress thresholds"),
    custom thresholds decide the status and which segment of the score curve
    applies, but the segments keep the slopes and intercepts of the defaults, so
    scores are only meaningful with the default thresholds.
    """

    ratio_high: float = 0.95
    ratio_med: float = 0.6
    ratio_low: float = 0.0
    growth_high: float = 0.015
    growth_med: float = 0.005
    growth_low: float = 0.0


@dataclass(frozen=True)
class ProgressResult:
    """The outcome of :func:`progress_measure`.

    Attributes:
        value: The progress value: the ratio R when a target is given, else the
            direction-adjusted observed growth rate. ``math.inf`` or ``-math.inf``
            when the required growth is zero (target equal to the base value), as
            in the original. None when it cannot be computed (see
            :func:`progress_measure`).
        score: The score in [-5, 5] (exactly 5.0 when the target is achieved), or
            None when ``value`` is None and the target is not achieved.
        status: One of the five statuses, or None when no status can be given
            (Open SDG's ``not_available``).
        observed_cagr: The observed compound annual growth rate from the base year
            to the current year, as is (not adjusted for direction); None when it
            is not computed.
        required_cagr: The compound annual growth rate from the base value to the
            target by the target year; None without a target or when it is not
            computed.
        target_achieved: True when a target is given and the current value meets
            it (at or above it for "increase", at or below it for "decrease").
        coefficient: The scaling factor C applied to the growth thresholds for a
            natural limit; None when no limit is applied (no limit given, or a
            target given).
    """

    value: float | None
    score: float | None
    status: ProgressStatus | None
    observed_cagr: float | None
    required_cagr: float | None
    target_achieved: bool
    coefficient: float | None = None


_NO_RESULT: Final = ProgressResult(
    value=None,
    score=None,
    status=None,
    observed_cagr=None,
    required_cagr=None,
    target_achieved=False,
)


def _power(base: float, exponent: float) -> float:
    """``base ** exponent`` with IEEE results where Python would raise.

    Python raises on overflow and on zero to a negative power; the original
    computes its observed growth with NumPy scalars, which give ``inf`` there, and
    the same is done here so that extreme inputs still yield a result.
    """
    try:
        return float(base**exponent)
    except (OverflowError, ZeroDivisionError):
        return math.inf


def _cagr(later: float, earlier: float, later_year: int, earlier_year: int) -> float | None:
    """Compound annual growth rate from ``earlier`` to ``later``.

    PMM, "Methodology": ``(y_i / y_0) ** (1 / (t_i - t_0)) - 1``. Returns None when
    the rate is undefined: equal years (the original divides by zero), or values of
    opposite signs with a fractional exponent (no real root; the original then gets
    a complex or NaN number depending on incidental types, see
    :func:`progress_measure`). ``earlier`` must not be zero.
    """
    years = later_year - earlier_year
    if years == 0:
        return None
    exponent = 1 / years
    ratio = later / earlier
    if ratio < 0 and not exponent.is_integer():
        return None
    return _power(ratio, exponent) - 1


def _divide(numerator: float, denominator: float) -> float:
    """``numerator / denominator`` for a non-negative denominator, IEEE style.

    The original divides a NumPy scalar by ``|CAGR_r|``, so a zero required growth
    gives ``±inf`` (or NaN for 0/0) instead of raising; that is reproduced.
    """
    if denominator == 0:
        if numerator == 0 or math.isnan(numerator):
            return math.nan
        return math.copysign(math.inf, numerator)
    return numerator / denominator


def limit_coefficient(base_value: float, limit: float) -> float:
    """The scaling factor C for a series without a target near a natural limit.

    PMM, "Indicators without quantitative targets": thresholds are scaled by C,
    which is 0 when the base value sits on the limit, tends to 1 far from it, and
    is the same at equal relative distances below a maximum or above a minimum
    limit. As in sdg-build, absolute values of the base value and the limit are
    used and the base value is the one before any zero replacement:

    * ``|y0| >= 2 |ylim|``: C = 1 (checked first, so that C = 1 when both are 0);
    * ``|y0| <= |ylim|``: C = 1 - (|y0| / |ylim|) ** 4.44;
    * otherwise: C = 1 - ((2 |ylim| - |y0|) / |ylim|) ** 4.44.

    Args:
        base_value: The indicator's value in the base year.
        limit: The indicator's natural maximum or minimum.

    Returns:
        C, between 0 and 1 for finite inputs.
    """
    base = abs(base_value)
    lim = abs(limit)
    twice = 2.0 * lim
    if base >= twice:
        return 1.0
    if base <= lim:
        return 1.0 - _power(base / lim, _LIMIT_EXPONENT)
    # lim < base < 2 lim. When 2 lim overflows, 2 - base/lim is the same quantity.
    distance = 2.0 - base / lim if math.isinf(twice) else (twice - base) / lim
    return 1.0 - _power(distance, _LIMIT_EXPONENT)


def _classify(value: float, high: float, med: float, low: float) -> ProgressStatus | None:
    """Status of a progress value, with the original's comparisons.

    PMM tables: ``>= high`` substantial, ``[med, high)`` moderate, ``[low, med)``
    limited, ``< low`` deterioration.
    """
    if value >= high:
        return "substantial_progress"
    if med <= value < high:
        return "moderate_progress"
    if low <= value < med:
        return "limited_progress"
    if value < low:
        return "deterioration"
    return None


def _ratio_score(value: float, high: float, med: float) -> float:
    """Score of a ratio R (series with a target); PMM, Figure 2."""
    # The original branches on the (possibly custom) thresholds but always uses
    # the default-threshold line segments: the upper one from 0.6 up, the lower
    # one below.
    if value >= high or value >= med:
        return min(_RATIO_SLOPE_HIGH * value - _RATIO_INTERCEPT_HIGH, _SCORE_MAX)
    return max(_RATIO_SLOPE_LOW * value - _RATIO_INTERCEPT_LOW, _SCORE_MIN)


def _growth_score(value: float, high: float, med: float, low: float, coefficient: float) -> float:
    """Score of a growth rate (series without a target); PMM, Figure 1."""
    if value < low:
        # Movement away from the desired direction is never rescaled by C (PMM:
        # "the scaling factor is not applied to thresholds less than or equal to
        # zero").
        return max(_GROWTH_SLOPE_NEGATIVE * value - 2.5, _SCORE_MIN)
    if coefficient == 0:
        # PMM, "Special considerations...": a base value exactly at the limit
        # (C = 0) that is maintained or exceeded scores +5.
        return _SCORE_MAX
    # Progress is divided by C to bring it back to the unscaled thresholds. The
    # operation order (500 * v) / C follows the original so scores match exactly.
    if value >= high:
        return min(_GROWTH_SLOPE_SUBSTANTIAL * value / coefficient - 5.0, _SCORE_MAX)
    if value >= med:
        return _GROWTH_SLOPE_MODERATE * value / coefficient - 1.25
    return _GROWTH_SLOPE_LIMITED * value / coefficient - 2.5


def progress_measure(
    base_value: float,
    base_year: int,
    current_value: float,
    current_year: int,
    *,
    target: float | None = None,
    target_year: int = 2030,
    direction: Direction = "increase",
    limit: float | None = None,
    thresholds: ProgressThresholds | None = None,
) -> ProgressResult:
    """Measure the progress of one series from its base year to its current year.

    Implements PMM ("Methodology") as computed by sdg-build's
    ``SeriesProgress``; see the module docstring for the formulas.

    Zero values, as in PMM ("Special considerations for the base value and the
    target value") and sdg-build:

    * a target of 0 is replaced by 0.001, also when checking whether the target is
      achieved (so with "decrease" any current value up to 0.001 achieves it);
    * a base value of 0 is replaced by 0.001 for the growth rates; the sign ``s``
      and the limit coefficient use the value before replacement (the original
      computes them first);
    * a current value of 0 is valid (its growth rate is -100 %).

    These replacements are not invariant to a change of units; every other part of
    the measure is.

    Cases with no progress value (``value`` is None; ``status`` and ``score`` are
    None unless the target is achieved, in which case they are
    ``"target_achieved"`` and 5.0, since the original checks the target on the
    current value alone, before any growth rate):

    * base and current values of opposite signs (PMM, "Minimum data
      requirements": the exponential model needs all values of one sign);
    * ``current_year <= base_year``: fewer than two years of data (PMM, "Minimum
      data requirements"); for ``current_year < base_year`` the original cannot
      even be configured, and it is treated the same way;
    * with a target, ``target_year == base_year``: the required growth is undefined
      (the original divides by zero and crashes);
    * with a target, a target of the opposite sign to the base value (after the
      zero replacement) and ``target_year - base_year`` other than 1 or -1: no real
      root exists. The original then returns a number from complex arithmetic, or
      NaN if it had moved the base year; neither is meaningful, so None is given;
    * observed and required growth both zero or both infinite (0/0 or inf/inf, the
      original's NaN; e.g. base, current value and target all equal, which is
      "target achieved").

    A target equal to the base value makes the required growth zero: the value is
    then ``±inf`` as in the original, so the status is "deterioration" (score -5)
    unless the target is achieved.

    Any NaN or infinite argument gives a result with every field None and
    ``target_achieved`` False: the original reads such values as missing data.

    Args:
        base_value: Value of the indicator in the base year (PMM: ``y_0``).
        base_year: The base year (PMM: ``t_0``, 2015 unless otherwise specified).
        current_value: Most recent value of the indicator (PMM: ``y_i``).
        current_year: Year of the most recent value (PMM: ``t_i``).
        target: Target value (PMM: ``y_T``); None for the variant without a
            quantitative target.
        target_year: Year by which the target is to be met (PMM: ``t_T``).
        direction: Desired direction of progress (PMM: ``d``).
        limit: Natural limit of the indicator, used only without a target (with a
            target it is ignored, as the original ignores it).
        thresholds: Category thresholds; the defaults of PMM when None.

    Returns:
        The progress value, score, status and the growth rates behind them.

    Raises:
        ValueError: If ``direction`` is neither "increase" nor "decrease".
    """
    if direction not in ("increase", "decrease"):
        raise ValueError(f"direction must be 'increase' or 'decrease', not {direction!r}")
    numbers = [base_value, current_value]
    if target is not None:
        numbers.append(target)
    if limit is not None:
        numbers.append(limit)
    if not all(math.isfinite(number) for number in numbers):
        return _NO_RESULT

    limits = thresholds if thresholds is not None else ProgressThresholds()
    desired = 1 if direction == "increase" else -1
    base = float(base_value)
    current = float(current_value)
    goal = None if target is None else (_ZERO_REPLACEMENT if target == 0 else float(target))

    # PMM, "Minimum data requirements": for an all-negative series the desired
    # direction is flipped. sdg-build takes the sign from the base value before
    # replacing a zero, so a zero base counts as positive.
    sign = -1 if base < 0 else 1

    achieved = goal is not None and (
        (desired == 1 and current >= goal) or (desired == -1 and current <= goal)
    )

    coefficient: float | None = None
    if goal is None:
        high, med, low = limits.growth_high, limits.growth_med, limits.growth_low
        if limit is not None:
            # PMM: only the variant without a target is scaled near a limit. Like
            # sdg-build (which only warns), the limit is used whichever side of the
            # base value it lies on; the base value before zero replacement is used.
            coefficient = limit_coefficient(base, float(limit))
            high, med, low = high * coefficient, med * coefficient, low * coefficient
    else:
        high, med, low = limits.ratio_high, limits.ratio_med, limits.ratio_low

    if base == 0:
        base = _ZERO_REPLACEMENT

    value: float | None = None
    observed: float | None = None
    required: float | None = None
    opposite_signs = (base > 0 and current < 0) or (base < 0 and current > 0)
    if not opposite_signs and current_year - base_year >= 1:
        observed = _cagr(current, base, current_year, base_year)
        if observed is not None:
            if goal is None:
                # PMM, "Indicators without quantitative targets": d * CAGR_i.
                value = sign * desired * observed
            else:
                # PMM, "Indicators with quantitative targets": the ratio R compares
                # with |CAGR_T|, so that a target lying against the desired
                # direction still yields a sensible sign.
                required = _cagr(goal, base, target_year, base_year)
                if required is not None:
                    value = _divide(sign * desired * observed, abs(required))
    if value is not None and math.isnan(value):
        value = None

    status: ProgressStatus | None
    score: float | None
    if achieved:
        # PMM, "Aggregated progress status": a series that achieves its target is
        # assigned +5 regardless of the underlying trend.
        status = "target_achieved"
        score = _TARGET_ACHIEVED_SCORE
    elif value is None:
        status = None
        score = None
    elif goal is None:
        status = _classify(value, high, med, low)
        score = _growth_score(value, high, med, low, coefficient if coefficient is not None else 1.0)
    else:
        status = _classify(value, high, med, low)
        score = _ratio_score(value, high, med)

    return ProgressResult(
        value=value,
        score=score,
        status=status,
        observed_cagr=observed,
        required_cagr=required,
        target_achieved=achieved,
        coefficient=coefficient,
    )
