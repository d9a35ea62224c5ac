"""Observations (figures) with their data status, and the choice of the value to use.

Vietnamese figures arrive as ước tính (estimate), then sơ bộ (preliminary), then
chính thức (final), and are revised. Every observation keeps its status, source,
author and time; the *effective* value of a cell (indicator × area × period) is the
best vintage: final over preliminary over estimate, then the newest. Two sources that
disagree on a cell at the same status are a *conflict*: both are kept, and flagged.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from enum import IntEnum

from chiso.indicators import Catalogue
from chiso.periods import Period
from chiso.text import fold


class DataStatus(IntEnum):
    """How final a figure is; a higher value wins."""

    ESTIMATE = 1
    PRELIMINARY = 2
    FINAL = 3

    @property
    def label(self) -> str:
        """The Vietnamese label."""
        return {1: "ước tính", 2: "sơ bộ", 3: "chính thức"}[self.value]

    @property
    def code(self) -> str:
        """The English code used in files and the API."""
        return {1: "estimate", 2: "preliminary", 3: "final"}[self.value]


_STATUS_WORDS = {
    "uoc": DataStatus.ESTIMATE,
    "uoc tinh": DataStatus.ESTIMATE,
    "uoc thuc hien": DataStatus.ESTIMATE,
    "estimate": DataStatus.ESTIMATE,
    "so bo": DataStatus.PRELIMINARY,
    "preliminary": DataStatus.PRELIMINARY,
    "chinh thuc": DataStatus.FINAL,
    "final": DataStatus.FINAL,
    "": DataStatus.FINAL,
}


def parse_status(text: str) -> DataStatus:
    """Read a data status written in Vietnamese (with or without diacritics) or English.

    A blank status means a final figure. Raises ``ValueError`` (Vietnamese message).
    """
    key = " ".join(fold(text).split())
    try:
        return _STATUS_WORDS[key]
    except KeyError:
        raise ValueError(
            f"trạng thái số liệu “{text}” không hợp lệ; dùng: ước tính, sơ bộ, chính thức"
        ) from None


@dataclass(frozen=True)
class Observation:
    """One figure for an indicator, an area (official code) and a period."""

    indicator: str
    area: str
    period: Period
    value: float
    status: DataStatus = DataStatus.FINAL
    source: str = ""
    note: str = ""
    entered_by: str = ""
    entered_at: dt.datetime | None = None
    source_url: str = ""

    @property
    def cell(self) -> tuple[str, str, Period]:
        """The (indicator, area, period) this figure is for."""
        return (self.indicator, self.area, self.period)


def _rank(obs: Observation) -> tuple[int, dt.datetime]:
    return (int(obs.status), obs.entered_at or dt.datetime.min)


@dataclass(frozen=True)
class Conflict:
    """Two or more sources giving different values for one cell at the same best status."""

    indicator: str
    area: str
    period: Period
    observations: tuple[Observation, ...]


def effective(observations: Iterable[Observation]) -> dict[tuple[str, str, Period], Observation]:
    """The best vintage of every cell: final > preliminary > estimate, then newest."""
    best: dict[tuple[str, str, Period], Observation] = {}
    for obs in observations:
        current = best.get(obs.cell)
        if current is None or _rank(obs) >= _rank(current):
            best[obs.cell] = obs
    return best


def conflicts(observations: Iterable[Observation]) -> list[Conflict]:
    """Cells where sources disagree at the best status available for that cell."""
    by_cell: dict[tuple[str, str, Period], list[Observation]] = defaultdict(list)
    for obs in observations:
        by_cell[obs.cell].append(obs)
    found = []
    for (indicator, area, period), items in by_cell.items():
        top = max(int(o.status) for o in items)
        candidates = [o for o in items if int(o.status) == top]
        by_source: dict[str, float] = {}
        for obs in candidates:
            by_source[obs.source] = obs.value  # a source's newer figure replaces its older
        if len({round(v, 9) for v in by_source.values()}) > 1:
            found.append(Conflict(indicator, area, period, tuple(candidates)))
    return found


class ObservationSet:
    """The effective figures of a set of observations, indexed for assessment.

    Derived indicators are computed per area and period from the effective inputs,
    so a target on the non-farm share works from the two reported sector shares.
    """

    def __init__(self, observations: Iterable[Observation], catalogue: Catalogue) -> None:
        self._all = list(observations)
        self._catalogue = catalogue
        cells = effective(self._all)
        self._conflicts = {(c.indicator, c.area, c.period): c for c in conflicts(self._all)}
        by_area_period: dict[tuple[str, Period], dict[str, Observation]] = defaultdict(dict)
        for (indicator, area, period), obs in cells.items():
            by_area_period[(area, period)][indicator] = obs
        for (area, period), present in by_area_period.items():
            values = {code: obs.value for code, obs in present.items()}
            for code, value in catalogue.derive(values).items():
                if code in present:
                    continue
                inputs = [present[c] for c in catalogue.inputs_of(code) if c in present]
                cells[(code, area, period)] = Observation(
                    code,
                    area,
                    period,
                    value,
                    status=min((o.status for o in inputs), default=DataStatus.FINAL),
                    source="Tính từ: " + ", ".join(sorted(o.indicator for o in inputs)),
                )
        self._cells = cells
        self._series: dict[tuple[str, str], list[Observation]] = defaultdict(list)
        for (indicator, area, _period), obs in sorted(cells.items(), key=lambda kv: kv[0][2]):
            self._series[(indicator, area)].append(obs)

    def __iter__(self) -> Iterator[Observation]:
        return iter(self._cells.values())

    def __len__(self) -> int:
        return len(self._cells)

    @property
    def all_observations(self) -> list[Observation]:
        """Every observation given, including superseded vintages."""
        return list(self._all)

    def series(
        self, indicator: str, area: str, *, annual: bool = True, until: Period | None = None
    ) -> list[Observation]:
        """The effective figures of one indicator in one area, oldest first."""
        return [
            obs
            for obs in self._series.get((indicator, area), [])
            if (not annual or obs.period.is_annual) and (until is None or obs.period <= until)
        ]

    def units(self, indicator: str, period: Period) -> Mapping[str, Observation]:
        """The effective figure of every area that reported ``indicator`` for ``period``."""
        return {
            area: obs for (code, area, p), obs in self._cells.items() if code == indicator and p == period
        }

    def years_with_units(self, indicator: str, exclude_area: str) -> list[int]:
        """Years for which any area other than ``exclude_area`` reported ``indicator``."""
        return sorted(
            {
                p.year
                for (code, area, p) in self._cells
                if code == indicator and area != exclude_area and p.is_annual
            }
        )

    def conflict(self, indicator: str, area: str, period: Period) -> Conflict | None:
        """The conflict on a cell, if its sources disagree."""
        return self._conflicts.get((indicator, area, period))

    @property
    def conflicts(self) -> list[Conflict]:
        """Every conflicting cell."""
        return list(self._conflicts.values())
