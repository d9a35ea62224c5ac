"""Shared fixtures: a small catalogue and helpers to build targets and observations."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import pytest

from chiso.areas import Area
from chiso.assessment import Assessment, assess_target
from chiso.indicators import Catalogue, Indicator
from chiso.observations import DataStatus, Observation, ObservationSet
from chiso.periods import parse_period
from chiso.resolutions import default_catalogue
from chiso.targets import Target

PROVINCE = "04"


@pytest.fixture(scope="session")
def catalogue() -> Catalogue:
    """The catalogue shipped with chiso."""
    return default_catalogue()


def make_target(**fields: Any) -> Target:
    """A target with sensible defaults for the fields a test does not care about."""
    data: dict[str, Any] = {"id": "t1", "number": "1", "group": "g", "text": "Chỉ tiêu thử"}
    data.update(fields)
    return Target.model_validate(data)


def obs(
    indicator: str,
    period: str | int,
    value: float,
    *,
    area: str = PROVINCE,
    status: DataStatus = DataStatus.FINAL,
    source: str = "",
) -> Observation:
    """One observation."""
    return Observation(indicator, area, parse_period(period), value, status, source)


def series(indicator: str, values: dict[int, float], **kwargs: Any) -> list[Observation]:
    """Yearly observations from a {year: value} mapping."""
    return [obs(indicator, year, value, **kwargs) for year, value in values.items()]


def run(
    target: Target,
    observations: Iterable[Observation],
    catalogue: Catalogue,
    *,
    as_of: int = 2026,
    areas: Iterable[Area] = (),
    indicator: Indicator | None = None,
) -> Assessment:
    """Assess one target against a list of observations for the test province."""
    cat = catalogue if indicator is None else catalogue.merged([indicator])
    return assess_target(
        target,
        cat.get(target.indicator),
        ObservationSet(observations, cat),
        area=PROVINCE,
        as_of=as_of,
        term_start=2025,
        areas=list(areas),
    )
