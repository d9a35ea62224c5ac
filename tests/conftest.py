"""Shared fixtures: a small catalogue and helpers to build targets and observations."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import pytest

from chiso.areas import Area
from chiso.assessment import Assessment, assess_target
from chiso.indicators import Catalogue, Indicator
from chiso.observations import DataStatus, Observation, ObservationSet
from chiso.periods import parse_period
from chiso.resolutions import default_catalogue
from chiso.store import Store, open_store
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


# --- the store, on SQLite by default and on PostgreSQL when CHISO_TEST_DATABASE_URL is set ---


@pytest.fixture
def store_url(tmp_path: Path) -> Iterator[str]:
    """A database URL for one test: a fresh SQLite file, or the emptied test PostgreSQL."""
    import os

    url = os.environ.get("CHISO_TEST_DATABASE_URL")
    if not url:
        yield f"sqlite:///{tmp_path / 'chiso.sqlite3'}"
        return
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    engine.dispose()
    yield url


@pytest.fixture
def store(store_url: str) -> Iterator[Store]:
    """A migrated, empty store."""
    s = open_store(store_url)
    yield s
    s.engine.dispose()


def _shared_data() -> Path:
    """``../shared/data`` beside the project (or CHISO_SHARED_DATA): outside data read, not committed."""
    import os

    candidates = [
        os.environ.get("CHISO_SHARED_DATA", ""),
        Path(__file__).resolve().parents[2] / "shared" / "data",
        "/work/shared/data",
    ]
    for candidate in candidates:
        if candidate and Path(candidate).is_dir():
            return Path(candidate)
    return Path(__file__).resolve().parents[2] / "shared" / "data"


SHARED_DATA = _shared_data()
