"""Tests of chiso.progress against values published by the original implementation.

Reference values come from ``indicator_calculation_components.yml``, the file in
which sdg-build (``sdg/ProgressMeasure.py``) writes, for every series, its inputs
(base/current value and year, target, target year, direction, limit) and its
outputs (progress value, score, status). Two published copies are used:

* ``SYNTHETIC``: GitHub ``tristanmenard/data``, commit
  22664fb2ab1baa7e2c604df5b8103358b78a9e5c, a data repository of small synthetic
  series exercising the edge cases (negative values, zero base/target/current,
  limits, infinite ratios).
* ``CANADA``: GitHub ``sdg-data-canada-odd-donnees/sdg-data-donnees-odd``, commit
  007ce50b770360d2abbb24e0cadccdb8f6043a83, Statistics Canada's production data for
  the Global Indicator Framework (the series label is given in each row's id).

In both files a zero base value or target is shown after the original replaced it
by 0.001; the rows below give the zero as input (and the 0.001 form is tested too).
"Not available" in the files is ``status`` None here.

The methodology document cited is *Progress Measurement Methodology for the
Sustainable Development Goals* (Statistics Canada, Open SDG docs), "PMM" below.
"""

from __future__ import annotations

import math
from dataclasses import FrozenInstanceError
from typing import Any, Final

import pytest
from hypothesis import assume, example, given, settings
from hypothesis import strategies as st

from chiso.progress import (
    STATUS_ORDER,
    Direction,
    ProgressResult,
    ProgressThresholds,
    limit_coefficient,
    progress_measure,
)

INC: Final[Direction] = "increase"
DEC: Final[Direction] = "decrease"


def _same(actual: float | None, expected: float | None) -> bool:
    """Equal up to last-digit differences between C libraries' ``pow``."""
    if expected is None or actual is None:
        return actual is expected
    if math.isinf(expected):
        return actual == expected
    return actual == pytest.approx(expected, rel=1e-12, abs=1e-15)


# --------------------------------------------------------------------------------
# Published reference values
# Columns: base value, base year, current value, current year, target, target year,
# direction, limit, published progress_value, published score, published status.
# --------------------------------------------------------------------------------

PUBLISHED: list[Any] = [
    # ---- SYNTHETIC (tristanmenard/data @ 22664fb2) -----------------------------
    pytest.param(1.0, 2015, 9.0, 2016, 3.0, 2016, INC, None,
                 4.0, 5.0, "target_achieved", id="synthetic-1-1-1"),
    pytest.param(9.0, 2015, 1.0, 2016, 3.0, 2016, INC, None,
                 -1.333333333333333, -5.0, "deterioration", id="synthetic-1-2-1-series2"),
    pytest.param(1.0, 2015, 2.0, 2016, 3.0, 2016, INC, None,
                 0.5, -0.4166500000000002, "limited_progress", id="synthetic-1-2-3-groupB"),
    pytest.param(1.0, 2015, -1.0, 2016, 3.0, 2016, INC, None,
                 None, None, None, id="synthetic-2-1-2-sign-change"),
    pytest.param(1.0, 2015, 9.0, 2016, None, 2030, INC, None,
                 8.0, 5.0, "substantial_progress", id="synthetic-2-2-1"),
    pytest.param(99.0, 2015, 99.1, 2016, None, 2030, INC, 100,
                 0.0010101010101009056, 5.0, "substantial_progress",
                 id="synthetic-3-1-1-max-limit"),
    pytest.param(101.0, 2015, 100.9, 2016, None, 2030, DEC, 100,
                 0.00099009900990088, 5.0, "substantial_progress", id="synthetic-3-1-2-min-limit"),
    pytest.param(99.0, 2015, 99.1, 2016, None, 2030, DEC, 100,
                 -0.0010101010101009056, -2.626262626262613, "deterioration",
                 id="synthetic-3-1-3-limit-wrong-side"),
    pytest.param(100.0, 2015, 100.0, 2016, None, 2030, INC, 100,
                 0.0, 5.0, "substantial_progress", id="synthetic-3-1-4-base-at-limit"),
    pytest.param(99.0, 2015, 99.1, 2016, 100.0, 2016, INC, 100,
                 0.09999999999998901, -2.083330000000046, "limited_progress",
                 id="synthetic-3-2-1-limit-ignored-with-target"),
    pytest.param(1.0, 2015, 3.0, 2016, None, 2030, INC, None,
                 2.0, 5.0, "substantial_progress", id="synthetic-4-1-1"),
    pytest.param(3.0, 2015, 1.0, 2016, None, 2030, DEC, None,
                 0.6666666666666667, 5.0, "substantial_progress", id="synthetic-4-1-2"),
    pytest.param(1.0, 2015, 2.0, 2016, 3.0, 2030, INC, None,
                 13.159691255409735, 5.0, "substantial_progress", id="synthetic-4-2-1"),
    pytest.param(3.0, 2015, 2.0, 2016, 1.0, 2030, DEC, None,
                 4.71989708513657, 5.0, "substantial_progress", id="synthetic-4-2-2"),
    pytest.param(1.0, 2015, 3.0, 2016, 1.0, 2030, INC, None,
                 math.inf, 5.0, "target_achieved", id="synthetic-4-3-1-target-equals-base"),
    pytest.param(3.0, 2015, 1.0, 2016, 3.0, 2030, DEC, None,
                 math.inf, 5.0, "target_achieved", id="synthetic-4-3-2-target-equals-base"),
    pytest.param(-3.0, 2015, -1.0, 2016, None, 2030, INC, None,
                 0.6666666666666667, 5.0, "substantial_progress", id="synthetic-4-4-1-negative"),
    pytest.param(-1.0, 2015, -3.0, 2016, None, 2030, DEC, None,
                 2.0, 5.0, "substantial_progress", id="synthetic-4-4-2-negative"),
    pytest.param(-3.0, 2015, -2.0, 2016, -1.0, 2030, INC, None,
                 4.71989708513657, 5.0, "substantial_progress", id="synthetic-4-5-1-negative"),
    pytest.param(-1.0, 2015, -2.0, 2016, -3.0, 2030, DEC, None,
                 13.159691255409735, 5.0, "substantial_progress", id="synthetic-4-5-2-negative"),
    pytest.param(-3.0, 2015, -1.0, 2016, -3.0, 2030, INC, None,
                 math.inf, 5.0, "target_achieved", id="synthetic-4-6-1-negative"),
    pytest.param(-1.0, 2015, -3.0, 2016, -1.0, 2030, DEC, None,
                 math.inf, 5.0, "target_achieved", id="synthetic-4-6-2-negative"),
    pytest.param(1.0, 2015, -1.0, 2016, None, 2030, DEC, None,
                 None, None, None, id="synthetic-4-7-1-sign-change"),
    pytest.param(2.0, 2015, 1.0, 2016, 0.0, 2016, DEC, None,
                 0.5002501250625312, -0.4156078039019513, "limited_progress",
                 id="synthetic-5-1-1-zero-target"),
    pytest.param(0.0, 2015, 1.0, 2016, None, 2030, INC, None,
                 999.0, 5.0, "substantial_progress", id="synthetic-5-2-1-zero-base"),
    pytest.param(1.0, 2015, 0.0, 2016, None, 2030, DEC, None,
                 1.0, 5.0, "substantial_progress", id="synthetic-5-3-1-zero-current"),
    pytest.param(2.0, 2015, 1.0, 2016, None, 2030, DEC, 0,
                 0.5, 5.0, "substantial_progress", id="synthetic-5-4-1-zero-limit"),
    pytest.param(1.0, 2015, 1.02, 2016, None, 2030, INC, None,
                 0.020000000000000018, 5.0, "substantial_progress", id="synthetic-6-1-1"),
    pytest.param(1.0, 2015, 1.005, 2016, None, 2030, INC, None,
                 0.004999999999999893, -5.3290705182007514e-14, "limited_progress",
                 id="synthetic-6-1-2-just-below-threshold"),
    pytest.param(1.0, 2015, 1.0, 2016, None, 2030, INC, None,
                 0.0, -2.5, "limited_progress", id="synthetic-6-1-4"),
    pytest.param(1.0, 2015, 0.99, 2016, None, 2030, INC, None,
                 -0.010000000000000009, -3.750000000000001, "deterioration", id="synthetic-6-1-5"),
    pytest.param(1.0, 2015, 0.98, 2016, None, 2030, INC, None,
                 -0.020000000000000018, -5.0, "deterioration", id="synthetic-6-1-6"),
    pytest.param(97.0, 2015, 97.246, 2016, None, 2030, INC, 100,
                 0.002536082474226653, 5.0, "substantial_progress", id="synthetic-6-2-1"),
    pytest.param(97.0, 2015, 97.062, 2016, None, 2030, INC, 100,
                 0.0006391752577319387, 0.013264332676945934, "moderate_progress",
                 id="synthetic-6-2-2"),
    pytest.param(97.0, 2015, 97.0, 2016, None, 2030, INC, 100,
                 0.0, -2.5, "limited_progress", id="synthetic-6-2-4"),
    pytest.param(97.0, 2015, 96.03, 2016, None, 2030, INC, 100,
                 -0.010000000000000009, -3.750000000000001, "deterioration", id="synthetic-6-2-5"),
    pytest.param(97.0, 2015, 95.06, 2016, None, 2030, INC, 100,
                 -0.020000000000000018, -5.0, "deterioration", id="synthetic-6-2-6"),
    pytest.param(1.0, 2015, 1.0, 2016, 2.0, 2030, INC, None,
                 0.0, -2.5, "limited_progress", id="synthetic-6-3-1"),
    pytest.param(3.0, 2015, 3.0, 2016, 2.0, 2030, INC, None,
                 0.0, 5.0, "target_achieved", id="synthetic-6-3-2-B-achieved-at-base"),
    pytest.param(1.0, 2015, 1.9, 2016, 2.0, 2030, INC, None,
                 19.029848664567606, 5.0, "substantial_progress", id="synthetic-6-3-4"),
    pytest.param(1.0, 2015, 3.0, 2016, 2.0, 2030, INC, None,
                 42.28855258792802, 5.0, "target_achieved", id="synthetic-6-3-5-B"),
    pytest.param(2.0, 2015, 4.0, 2016, None, 2030, DEC, None,
                 -1.0, -5.0, "deterioration", id="synthetic-7-2-1-B"),
    # ---- CANADA (sdg-data-canada-odd-donnees/sdg-data-donnees-odd @ 007ce50b) ---
    pytest.param(14.5, 2015, 10.2, 2023, 7.25, 2030, DEC, None,
                 0.9525901792032172, 2.5185563910306596, "substantial_progress",
                 id="canada-1-2-1"),
    pytest.param(90.0, 2015, 93.2, 2021, None, 2030, INC, 100,
                 0.005839995229728112, 2.815386645395768, "substantial_progress",
                 id="canada-1-3-1-children"),
    pytest.param(93.4, 2017, 92.7, 2021, None, 2030, INC, 100,
                 -0.0018789507235312808, -2.7348688404414103, "deterioration",
                 id="canada-1-3-1-pension"),
    pytest.param(59.9, 2021, 59.9, 2021, None, 2030, INC, 100,
                 None, None, None, id="canada-1-3-1-disabilities-one-year"),
    pytest.param(98.82, 2015, 99.04, 2022, 100.0, 2030, INC, None,
                 0.4013545340426752, -0.8276760630043856, "limited_progress",
                 id="canada-1-4-1-drinking-water"),
    pytest.param(92.0, 2015, 92.0, 2019, 100.0, 2030, INC, None,
                 0.0, -2.5, "limited_progress", id="canada-1-4-1-grade-4"),
    pytest.param(99.47, 2016, 99.57, 2022, None, 2030, INC, 100,
                 0.00016748456325199612, 0.5456262610658811, "moderate_progress",
                 id="canada-1-4-1-hspa-near-limit"),
    pytest.param(100.0, 2015, 100.0, 2022, 100.0, 2030, INC, None,
                 None, 5.0, "target_achieved", id="canada-1-4-1-clean-fuels"),
    pytest.param(50.6770883601276, 2015, 35.3786007271678, 2020, None, 2030, DEC, None,
                 0.06935124763452605, 5.0, "substantial_progress", id="canada-1-5-1"),
    pytest.param(0.0301738416160583, 2015, 0.0273307155637678, 2023, None, 2030, INC, None,
                 -0.01229432402820596, -4.036790503525745, "deterioration", id="canada-1-a-1"),
    pytest.param(5.31, 2015, 5.27, 2024, None, 2030, DEC, None,
                 0.0008398107947529265, -2.0800946026235367, "limited_progress",
                 id="canada-10-5-1-npl-net"),
    pytest.param(45.36, 2015, 53.22, 2024, None, 2030, INC, None,
                 0.017914530382436622, 3.957265191218312, "substantial_progress",
                 id="canada-10-5-1-liquid-assets"),
    pytest.param(10.0, 2018, 10.4, 2022, 0.1, 2030, DEC, None,
                 -0.030916728428577435, -2.6288207323433537, "deterioration", id="canada-11-1-1"),
    pytest.param(95.5974842767296, 2015, 97.4874371859297, 2023, 100.0, 2030, INC, None,
                 0.8150538567318096, 1.5361481932496428, "moderate_progress", id="canada-14-4-1"),
    pytest.param(0.9, 2015, 14.7, 2023, 10.0, 2030, INC, None,
                 2.3996836108900683, 5.0, "target_achieved", id="canada-14-5-1"),
    pytest.param(48.0, 2014, 46.0, 2019, None, 2030, DEC, None,
                 0.008475799035301268, 0.868949758825317, "moderate_progress",
                 id="canada-16-1-3-physical"),
    pytest.param(100.1, 2015, 109.7, 2023, 100.0, 2030, DEC, None,
                 -172.79058698766454, -5.0, "deterioration", id="canada-16-6-1"),
    pytest.param(74.8, 2016, 78.3, 2024, None, 2030, INC, 100,
                 0.005732583481782072, 0.7281197264821118, "moderate_progress",
                 id="canada-17-18-1-odin"),
    pytest.param(91.3, 2018, 94.5, 2022, 100.0, 2030, INC, None,
                 1.1360249872573844, 3.8288128814807703, "substantial_progress",
                 id="canada-17-8-1"),
    pytest.param(2.5, 2015, 2.5, 2023, 2.5, 2030, DEC, None,
                 None, 5.0, "target_achieved", id="canada-2-1-1"),
    pytest.param(4.0, 2015, 4.17, 2023, None, 2030, INC, 5,
                 0.005216266930448077, 0.8242120951405307, "moderate_progress", id="canada-2-4-1"),
    pytest.param(81124.0, 2015, 0.0, 2023, 0.0, 2030, DEC, None,
                 1.4224293446258616, 5.0, "target_achieved", id="canada-2-b-1-zero-target"),
    pytest.param(7.05, 2015, 12.19, 2023, 70.0, 2030, DEC, None,
                 -0.428428629067103, 5.0, "target_achieved", id="canada-3-1-1"),
    pytest.param(0.73, 2015, 0.32, 2023, 0.073, 2030, DEC, None,
                 0.6883470841079962, 0.6310943870750059, "moderate_progress", id="canada-3-3-4"),
    pytest.param(4.0, 2010, 3.0, 2023, 0.4, 2030, DEC, None,
                 0.20125535865133842, -1.6614292971074682, "limited_progress", id="canada-3-3-5"),
    pytest.param(0.3, 2015, 0.3, 2023, 0.2, 2030, DEC, None,
                 -0.0, -2.5, "limited_progress", id="canada-3-4-1-pneumoconioses"),
    pytest.param(12.3, 2015, 9.5, 2023, 8.2, 2030, DEC, None,
                 1.1913757275999413, 4.22417768467362, "substantial_progress", id="canada-3-4-2"),
    pytest.param(8.1, 2015, 7.3, 2023, None, 2030, DEC, None,
                 0.012914595776744253, 1.9786489441860633, "moderate_progress", id="canada-3-5-2"),
    pytest.param(76.9, 2015, 77.1, 2021, None, 2030, INC, 100,
                 0.00043299439130128903, -2.1855343809280647, "limited_progress",
                 id="canada-3-b-1-diphtheria"),
    pytest.param(80.3, 2015, 85.1, 2021, None, 2030, INC, 100,
                 0.009723201903344858, 2.810019550190604, "substantial_progress",
                 id="canada-3-b-1-pneumococcal"),
    pytest.param(98.0, 2016, 93.0, 2020, 100.0, 2030, INC, None,
                 -9.006813262549052, -5.0, "deterioration", id="canada-4-2-2"),
    pytest.param(13.0, 2015, 12.0, 2024, None, 2030, INC, 100,
                 -0.008854202804111422, -3.606775350513928, "deterioration",
                 id="canada-4-3-1-25-to-29"),
    pytest.param(90.49, 2015, 90.43, 2020, None, 2030, INC, None,
                 -0.00013264652380240438, -2.5165808154753004, "deterioration",
                 id="canada-15-2-1-biomass"),
    pytest.param(5.5, 2017, 5.5, 2017, 3.0, 2030, DEC, None,
                 None, None, None, id="canada-10-c-1-one-year"),
]  # fmt: skip


@pytest.mark.parametrize(
    (
        "base", "base_year", "current", "current_year", "target", "target_year",
        "direction", "limit", "value", "score", "status",
    ),
    PUBLISHED,
)  # fmt: skip
def test_published_values(
    base: float,
    base_year: int,
    current: float,
    current_year: int,
    target: float | None,
    target_year: int,
    direction: Any,
    limit: float | None,
    value: float | None,
    score: float | None,
    status: str | None,
) -> None:
    """Value, score and status equal those published by sdg-build."""
    result = progress_measure(
        base,
        base_year,
        current,
        current_year,
        target=target,
        target_year=target_year,
        direction=direction,
        limit=limit,
    )
    assert result.status == status
    assert _same(result.value, value), (result.value, value)
    assert _same(result.score, score), (result.score, score)
    assert result.target_achieved is (status == "target_achieved")


# --------------------------------------------------------------------------------
# Formulas and special cases
# --------------------------------------------------------------------------------


def test_cagr_and_ratio_formulas() -> None:
    """PMM, "Methodology": CAGR_i, CAGR_T and R = d * CAGR_i / |CAGR_T|."""
    result = progress_measure(100.0, 2015, 110.0, 2020, target=150.0, target_year=2030)
    observed = (110.0 / 100.0) ** (1 / 5) - 1
    required = (150.0 / 100.0) ** (1 / 15) - 1
    assert result.observed_cagr == pytest.approx(observed, rel=1e-15)
    assert result.required_cagr == pytest.approx(required, rel=1e-15)
    assert result.value == pytest.approx(observed / required, rel=1e-15)
    assert result.coefficient is None


def test_direction_flips_the_ratio() -> None:
    """The same data are progress for one direction and deterioration for the other."""
    up = progress_measure(100.0, 2015, 110.0, 2020, target=50.0)
    down = progress_measure(100.0, 2015, 110.0, 2020, target=50.0, direction=DEC)
    assert up.target_achieved and up.status == "target_achieved"
    assert down.value == pytest.approx(
        -((110 / 100) ** (1 / 5) - 1) / abs((50 / 100) ** (1 / 15) - 1), rel=1e-15
    )
    assert down.status == "deterioration"


SQRT2_MINUS_1 = 2**0.5 - 1


def _ratio_case(ratio: float) -> ProgressResult:
    """A series whose ratio R is ``ratio``: one observed year, target 2 two years out.

    From base 1 the required growth is sqrt(2) - 1 a year, so a current value of
    1 + ratio * (sqrt(2) - 1) one year later gives R = ratio (up to rounding) while
    staying below the target.
    """
    return progress_measure(1.0, 2015, 1.0 + ratio * SQRT2_MINUS_1, 2016, target=2.0, target_year=2017)


@pytest.mark.parametrize(
    ("ratio", "status"),
    [
        (0.9501, "substantial_progress"),
        (0.9499, "moderate_progress"),
        (0.6001, "moderate_progress"),
        (0.5999, "limited_progress"),
        (0.0, "limited_progress"),
        (-0.0001, "deterioration"),
    ],
)
def test_ratio_thresholds(ratio: float, status: str) -> None:
    """PMM table: R >= 95 % on track, 60 % <= R < 95 %, 0 % <= R < 60 %, R < 0 %."""
    result = _ratio_case(ratio)
    assert result.value == pytest.approx(ratio, abs=1e-12)
    assert not result.target_achieved
    assert result.status == status


@pytest.mark.parametrize(
    ("growth", "status"),
    [
        (0.02, "substantial_progress"),
        (0.01, "moderate_progress"),
        (0.001, "limited_progress"),
        (-0.001, "deterioration"),
    ],
)
def test_growth_thresholds_without_target(growth: float, status: str) -> None:
    """PMM table: CAGR >= 1.5 %, 0.5 % <= CAGR < 1.5 %, 0 <= CAGR < 0.5 %, CAGR < 0."""
    result = progress_measure(100.0, 2015, 100.0 * (1 + growth) ** 4, 2019)
    assert result.value == pytest.approx(growth, rel=1e-9)
    assert result.status == status
    mirrored = progress_measure(100.0, 2015, 100.0 * (1 - growth) ** 4, 2019, direction=DEC)
    assert mirrored.status == status


@pytest.mark.parametrize(
    ("ratio", "score"),
    [(-2.0, -5.0), (-0.6, -5.0), (0.0, -2.5), (0.6, 0.0), (0.95, 2.5), (1.3, 5.0), (2.0, 5.0)],
)
def test_ratio_score_anchor_points(ratio: float, score: float) -> None:
    """PMM, Figure 2: -5 at R <= -60 %, 0 at 60 %, +5 at R >= 130 %, linear between.

    (sdg-build's four-decimal constants put the anchors within 1e-4 of these.)
    """
    result = _ratio_case(ratio)
    assert not result.target_achieved
    assert result.score == pytest.approx(score, abs=1e-3)


@pytest.mark.parametrize(
    ("growth", "score"),
    [(-0.03, -5.0), (-0.02, -5.0), (-0.01, -3.75), (0.0, -2.5), (0.005, 0.0),
     (0.01, 1.25), (0.015, 2.5), (0.02, 5.0), (0.05, 5.0)],
)  # fmt: skip
def test_growth_score_anchor_points(growth: float, score: float) -> None:
    """PMM, Figure 1: -5 at -2 %, -2.5 at 0, 0 at 0.5 %, 2.5 at 1.5 %, +5 at 2 %."""
    result = progress_measure(1.0, 2015, 1.0 + growth, 2016)
    assert result.score == pytest.approx(score, abs=1e-9)


def test_limit_coefficient_shape() -> None:
    """PMM: C is 0 at the limit, near 1 far away, equal at equal relative distances."""
    assert limit_coefficient(100.0, 100.0) == 0.0
    assert limit_coefficient(0.0, 100.0) == 1.0
    assert limit_coefficient(250.0, 100.0) == 1.0
    assert limit_coefficient(0.0, 0.0) == 1.0
    assert limit_coefficient(90.0, 100.0) == pytest.approx(1 - 0.9**4.44, rel=1e-15)
    assert limit_coefficient(90.0, 100.0) == pytest.approx(limit_coefficient(110.0, 100.0))
    assert limit_coefficient(-90.0, -100.0) == limit_coefficient(90.0, 100.0)
    assert 0.0 < limit_coefficient(50.0, 100.0) < 1.0
    assert limit_coefficient(1.7e308, 1.0e308) == pytest.approx(1 - 0.3**4.44)


def test_limit_scales_positive_thresholds() -> None:
    """Near a limit, a small growth counts as substantial progress."""
    without = progress_measure(99.0, 2015, 99.5, 2020)
    with_limit = progress_measure(99.0, 2015, 99.5, 2020, limit=100.0)
    assert without.status == "limited_progress"
    assert with_limit.status == "substantial_progress"
    assert with_limit.coefficient == pytest.approx(limit_coefficient(99.0, 100.0))
    assert with_limit.value == without.value


def test_base_at_limit_maintained_is_substantial() -> None:
    """PMM, "Special considerations": C = 0 and CAGR >= 0 give On track and +5."""
    result = progress_measure(100.0, 2015, 100.0, 2020, limit=100.0)
    assert result.coefficient == 0.0
    assert (result.status, result.score) == ("substantial_progress", 5.0)
    falling = progress_measure(100.0, 2015, 99.0, 2020, limit=100.0)
    assert falling.status == "deterioration"
    assert falling.score == pytest.approx(125 * falling.value - 2.5)  # type: ignore[operator]


def test_limit_is_ignored_with_a_target() -> None:
    """sdg-build ignores the limit when a target is given."""
    with_limit = progress_measure(99.0, 2015, 99.5, 2020, target=100.0, limit=100.0)
    without = progress_measure(99.0, 2015, 99.5, 2020, target=100.0)
    assert with_limit == without
    assert with_limit.coefficient is None


def test_zero_base_replaced_by_a_thousandth() -> None:
    """PMM: a zero base value is replaced by 0.001 (same result as giving 0.001)."""
    zero = progress_measure(0.0, 2015, 5.0, 2020, target=10.0)
    thousandth = progress_measure(0.001, 2015, 5.0, 2020, target=10.0)
    assert zero == thousandth
    assert zero.observed_cagr == pytest.approx((5.0 / 0.001) ** (1 / 5) - 1)


def test_zero_base_with_negative_current_has_no_value() -> None:
    """After replacement the base is positive, so a negative current value is invalid."""
    result = progress_measure(0.0, 2015, -5.0, 2020)
    assert (result.value, result.status, result.score) == (None, None, None)


def test_zero_target_replaced_by_a_thousandth() -> None:
    """PMM: a zero target is replaced by 0.001, also for "target achieved"."""
    assert progress_measure(2.0, 2015, 1.0, 2016, target=0.0, target_year=2016,
                            direction=DEC) == progress_measure(
        2.0, 2015, 1.0, 2016, target=0.001, target_year=2016, direction=DEC)  # fmt: skip
    almost = progress_measure(5.0, 2015, 0.0005, 2020, target=0.0, direction=DEC)
    assert almost.target_achieved and almost.status == "target_achieved"


def test_target_already_achieved_at_base() -> None:
    """A target met from the start scores 5 whatever the trend (PMM, scores table)."""
    result = progress_measure(10.0, 2015, 9.0, 2020, target=5.0, direction=INC)
    assert result.target_achieved
    assert (result.status, result.score) == ("target_achieved", 5.0)
    assert result.value is not None and result.value < 0  # the trend itself is down


def test_target_equal_to_base_not_achieved_is_deterioration() -> None:
    """Zero required growth makes R infinite, as in the original."""
    result = progress_measure(10.0, 2015, 9.0, 2020, target=10.0)
    assert result.required_cagr == 0.0
    assert result.value == -math.inf
    assert (result.status, result.score) == ("deterioration", -5.0)


@pytest.mark.parametrize("current_year", [2015, 2010])
def test_too_few_years(current_year: int) -> None:
    """PMM: at least two years of data are needed."""
    result = progress_measure(10.0, 2015, 12.0, current_year, target=20.0)
    assert result == ProgressResult(None, None, None, None, None, False, None)
    met = progress_measure(10.0, 2015, 25.0, current_year, target=20.0)
    assert (met.status, met.score, met.value) == ("target_achieved", 5.0, None)


def test_target_year_equal_to_base_year_has_no_value() -> None:
    """The required growth rate is undefined (the original divides by zero)."""
    result = progress_measure(10.0, 2015, 12.0, 2020, target=20.0, target_year=2015)
    assert (result.value, result.status, result.required_cagr) == (None, None, None)
    assert result.observed_cagr is not None


def test_target_of_opposite_sign_has_no_value() -> None:
    """No real root of a negative ratio: no value (the original's is meaningless)."""
    result = progress_measure(10.0, 2015, 5.0, 2020, target=-1.0, direction=DEC)
    assert (result.value, result.status, result.score) == (None, None, None)
    one_year = progress_measure(10.0, 2015, 5.0, 2016, target=-1.0, target_year=2016,
                                direction=DEC)  # fmt: skip
    assert one_year.required_cagr == pytest.approx(-1.1)
    assert one_year.value == pytest.approx(0.5 / 1.1)


def test_non_finite_inputs_give_no_result() -> None:
    """NaN or infinite numbers are treated as missing data."""
    for args in [(math.nan, 2015, 1.0, 2020), (1.0, 2015, math.inf, 2020)]:
        assert progress_measure(*args).status is None
    assert progress_measure(1.0, 2015, 2.0, 2020, target=math.nan).status is None
    assert progress_measure(1.0, 2015, 2.0, 2020, limit=-math.inf).status is None


def test_invalid_direction_raises() -> None:
    """A direction other than increase/decrease is a programming error."""
    with pytest.raises(ValueError, match="direction"):
        progress_measure(1.0, 2015, 2.0, 2020, direction="up")  # type: ignore[arg-type]


def test_custom_thresholds_pick_segment_not_formula() -> None:
    """As in sdg-build, custom thresholds reclassify and choose which score segment
    applies, but the segments keep the default-threshold slopes and intercepts."""
    strict = ProgressThresholds(ratio_high=1.2, ratio_med=1.0)
    default = progress_measure(1.0, 2015, 2.0, 2016, target=2.05, target_year=2016)
    custom = progress_measure(1.0, 2015, 2.0, 2016, target=2.05, target_year=2016,
                              thresholds=strict)  # fmt: skip
    assert default.status == "substantial_progress"
    assert custom.status == "limited_progress"
    assert custom.value == default.value
    assert default.score == pytest.approx(7.1429 * default.value - 4.2857)  # type: ignore[operator]
    assert custom.score == pytest.approx(4.1667 * custom.value - 2.5)  # type: ignore[operator]


def test_defaults_and_immutability() -> None:
    """Original default thresholds; frozen dataclasses."""
    thresholds = ProgressThresholds()
    assert (thresholds.ratio_high, thresholds.ratio_med, thresholds.ratio_low) == (0.95, 0.6, 0)
    assert (thresholds.growth_high, thresholds.growth_med, thresholds.growth_low) == (
        0.015, 0.005, 0)  # fmt: skip
    with pytest.raises(FrozenInstanceError):
        thresholds.ratio_high = 1.0  # type: ignore[misc]
    result = progress_measure(1.0, 2015, 2.0, 2020)
    with pytest.raises(FrozenInstanceError):
        result.status = None  # type: ignore[misc]


# --------------------------------------------------------------------------------
# Properties
# --------------------------------------------------------------------------------

ANY_FLOAT = st.floats(allow_nan=False, allow_infinity=False)
ANY_YEAR = st.integers(min_value=-(10**6), max_value=10**6) | st.integers()
DIRECTIONS = st.sampled_from([INC, DEC])
STATUSES = {*STATUS_ORDER, None}


def _rank(status: str | None) -> int:
    assert status is not None
    return STATUS_ORDER.index(status)


@settings(max_examples=1500)
@given(
    base=ANY_FLOAT,
    base_year=ANY_YEAR,
    current=ANY_FLOAT,
    current_year=ANY_YEAR,
    target=st.none() | ANY_FLOAT,
    target_year=ANY_YEAR,
    direction=DIRECTIONS,
    limit=st.none() | ANY_FLOAT,
    thresholds=st.none() | st.builds(ProgressThresholds, *[ANY_FLOAT] * 6),
)
@example(1e-308, 2015, 1e308, 2016, None, 2030, INC, None, None)
@example(1e308, 2015, 1e-308, 2016, 1e-308, 2014, DEC, None, None)
@example(5e-324, 2015, 1.7e308, 2016, 1.7e308, 2016, INC, 1.7e308, None)
@example(-0.0, 2015, 0.0, 2016, -0.0, 2016, DEC, -0.0, None)
@example(3.0, 2015, 3.0, 2020, 3.0, 2030, INC, None, None)
def test_never_raises_on_finite_input(
    base: float,
    base_year: int,
    current: float,
    current_year: int,
    target: float | None,
    target_year: int,
    direction: Any,
    limit: float | None,
    thresholds: ProgressThresholds | None,
) -> None:
    """(a) Any finite input gives a well-formed result, never an exception."""
    result = progress_measure(
        base,
        base_year,
        current,
        current_year,
        target=target,
        target_year=target_year,
        direction=direction,
        limit=limit,
        thresholds=thresholds,
    )
    assert result.status in STATUSES
    assert result.target_achieved is (result.status == "target_achieved")
    if result.value is None:
        assert result.status in (None, "target_achieved")
    else:
        assert not math.isnan(result.value)
    if result.status is None:
        assert result.score is None
    if result.score is not None:
        assert not math.isnan(result.score)
        if thresholds is None:
            assert -5.0 <= result.score <= 5.0
    if target is None:
        assert result.required_cagr is None


@settings(max_examples=1000)
@given(
    base=ANY_FLOAT,
    base_year=st.integers(min_value=1900, max_value=2100),
    currents=st.lists(ANY_FLOAT, min_size=2, max_size=2),
    years=st.integers(min_value=-5, max_value=40),
    target=st.none() | ANY_FLOAT,
    target_year=st.integers(min_value=1900, max_value=2100),
    direction=DIRECTIONS,
    limit=st.none() | ANY_FLOAT,
)
def test_better_current_value_never_worsens_status(
    base: float,
    base_year: int,
    currents: list[float],
    years: int,
    target: float | None,
    target_year: int,
    direction: Any,
    limit: float | None,
) -> None:
    """(b) For "increase" a larger current value never gives a worse status, and for
    "decrease" a smaller one never does (order: target achieved > substantial >
    moderate > limited > deterioration). Cases without a status are not ranked.
    """
    worse, better = sorted(currents) if direction == INC else sorted(currents, reverse=True)

    def status(current: float) -> str | None:
        return progress_measure(
            base,
            base_year,
            current,
            base_year + years,
            target=target,
            target_year=target_year,
            direction=direction,
            limit=limit,
        ).status

    worse_status, better_status = status(worse), status(better)
    if worse_status is not None and better_status is not None:
        assert _rank(better_status) >= _rank(worse_status)


MODERATE_FLOAT = st.floats(min_value=1e-6, max_value=1e6) | st.floats(min_value=-1e6, max_value=-1e-6)


@settings(max_examples=1000)
@given(
    base=MODERATE_FLOAT,
    current=MODERATE_FLOAT | st.just(0.0),
    years=st.integers(min_value=1, max_value=40),
    target=st.none() | MODERATE_FLOAT,
    target_year=st.integers(min_value=2016, max_value=2060),
    direction=DIRECTIONS,
    limit=st.none() | MODERATE_FLOAT | st.just(0.0),
    power=st.integers(min_value=-40, max_value=40),
)
def test_status_invariant_to_units_exact(
    base: float,
    current: float,
    years: int,
    target: float | None,
    target_year: int,
    direction: Any,
    limit: float | None,
    power: int,
) -> None:
    """(c) Scaling base, current, target and limit by a positive constant keeps the
    status. Powers of two scale floats exactly, so here it must hold bit for bit.
    (Zero base values and targets are excluded: their replacement by 0.001 is not
    invariant to units, in the original as here.)
    """
    factor = 2.0**power

    def measure(k: float) -> ProgressResult:
        return progress_measure(
            base * k,
            2015,
            current * k,
            2015 + years,
            target=None if target is None else target * k,
            target_year=target_year,
            direction=direction,
            limit=None if limit is None else limit * k,
        )

    original, scaled = measure(1.0), measure(factor)
    assert scaled.status == original.status
    assert scaled.value == original.value or (scaled.value is None and original.value is None)


@settings(max_examples=1000)
@given(
    base=MODERATE_FLOAT,
    current=MODERATE_FLOAT,
    years=st.integers(min_value=1, max_value=40),
    target=st.none() | MODERATE_FLOAT,
    direction=DIRECTIONS,
    limit=st.none() | MODERATE_FLOAT,
    factor=st.floats(min_value=1e-3, max_value=1e3),
)
def test_status_invariant_to_units_any_factor(
    base: float,
    current: float,
    years: int,
    target: float | None,
    direction: Any,
    limit: float | None,
    factor: float,
) -> None:
    """(c) With any positive factor the status is kept, except within rounding error
    of a category boundary (there a last-digit change may legitimately cross it).
    """

    def measure(k: float) -> ProgressResult:
        return progress_measure(
            base * k,
            2015,
            current * k,
            2015 + years,
            target=None if target is None else target * k,
            direction=direction,
            limit=None if limit is None else limit * k,
        )

    # Rounding of the scaled inputs must not decide the outcome: keep the current
    # value and target clear of each other and of the base value (near-equal values
    # make the growth rates cancel and their rounding error large).
    def apart(a: float, b: float) -> bool:
        return a == b or abs(a - b) > 1e-6 * max(abs(a), abs(b))

    assume(apart(current, base))
    if target is not None:
        assume(apart(current, target) and apart(target, base) and current != target)

    original, scaled = measure(1.0), measure(factor)
    if original.value is not None and math.isfinite(original.value):
        if target is None:
            scale = original.coefficient if original.coefficient is not None else 1.0
            bounds = [0.015 * scale, 0.005 * scale, 0.0]
        else:
            bounds = [0.95, 0.6, 0.0]
        assume(all(abs(original.value - b) > 1e-9 for b in bounds))
        assume(original.coefficient is None or original.coefficient > 1e-6)
    assert scaled.status == original.status
