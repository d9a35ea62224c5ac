"""Reporting periods: years, halves, quarters, months and year-to-date totals.

Vietnamese statistics are reported for a year ("năm 2026"), a half ("6 tháng đầu
năm"), a quarter ("quý I/2026"), a month, or cumulatively from January
("9 tháng đầu năm 2026"). A :class:`Period` is the one value type for all of them,
with a compact code (``2026``, ``2026-H1``, ``2026-Q1``, ``2026-M03``, ``2026-9M``)
and a Vietnamese label.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from enum import StrEnum

from chiso.errors import InvalidPeriod
from chiso.text import fold


class PeriodKind(StrEnum):
    """How a period divides the year."""

    YEAR = "year"
    HALF = "half"
    QUARTER = "quarter"
    MONTH = "month"
    YEAR_TO_DATE = "ytd"


_MONTHS_IN = {
    PeriodKind.YEAR: 12,
    PeriodKind.HALF: 6,
    PeriodKind.QUARTER: 3,
    PeriodKind.MONTH: 1,
}
_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}


@functools.total_ordering
@dataclass(frozen=True)
class Period:
    """A reporting period. Ordered by the month it ends in, then by its length (shorter first).

    ``index`` is the half (1–2), quarter (1–4) or month (1–12); for a year-to-date
    period it is the number of months covered (``2026-9M``: January–September).
    """

    year: int
    end_month: int
    kind: PeriodKind
    index: int

    @property
    def months(self) -> int:
        """How many months the period covers."""
        if self.kind is PeriodKind.YEAR_TO_DATE:
            return self.index
        return _MONTHS_IN[self.kind]

    def _key(self) -> tuple[int, int, int]:
        return (self.year, self.end_month, self.months)

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, Period):
            return NotImplemented
        return self._key() < other._key()

    @classmethod
    def annual(cls, year: int) -> Period:
        """The calendar year ``year``."""
        return cls(year, 12, PeriodKind.YEAR, 1)

    @property
    def is_annual(self) -> bool:
        """True for a whole calendar year."""
        return self.kind is PeriodKind.YEAR

    @property
    def code(self) -> str:
        """The compact code used in files and URLs."""
        match self.kind:
            case PeriodKind.YEAR:
                return str(self.year)
            case PeriodKind.HALF:
                return f"{self.year}-H{self.index}"
            case PeriodKind.QUARTER:
                return f"{self.year}-Q{self.index}"
            case PeriodKind.MONTH:
                return f"{self.year}-M{self.index:02d}"
            case PeriodKind.YEAR_TO_DATE:
                return f"{self.year}-{self.index}M"
        raise AssertionError(self.kind)  # pragma: no cover

    @property
    def label(self) -> str:
        """The Vietnamese label, as a report would write it."""
        match self.kind:
            case PeriodKind.YEAR:
                return f"năm {self.year}"
            case PeriodKind.HALF:
                return f"6 tháng {'đầu' if self.index == 1 else 'cuối'} năm {self.year}"
            case PeriodKind.QUARTER:
                return f"quý {['I', 'II', 'III', 'IV'][self.index - 1]}/{self.year}"
            case PeriodKind.MONTH:
                return f"tháng {self.index}/{self.year}"
            case PeriodKind.YEAR_TO_DATE:
                return f"{self.index} tháng đầu năm {self.year}"
        raise AssertionError(self.kind)  # pragma: no cover

    def __str__(self) -> str:
        return self.code


_CODE = re.compile(
    r"^(?P<year>(?:19|20|21)\d{2})(?:-(?:(?P<h>H[12])|(?P<q>Q[1-4])|M(?P<m>0[1-9]|1[0-2])|(?P<ytd>\d{1,2})M))?$"
)
_VI_YTD = re.compile(r"^(?P<n>\d{1,2}) thang (?:dau )?nam (?P<year>(?:19|20|21)\d{2})$")
_VI_HALF2 = re.compile(r"^6 thang cuoi nam (?P<year>(?:19|20|21)\d{2})$")
_VI_QUARTER = re.compile(r"^quy (?P<q>iv|iii|ii|i|[1-4])(?:\s*[/-]\s*|\s+nam\s+)(?P<year>\d{4})$")
_VI_MONTH = re.compile(r"^thang (?P<m>\d{1,2})(?:\s*[/-]\s*|\s+nam\s+)(?P<year>\d{4})$")
_VI_YEAR = re.compile(r"^nam (?P<year>(?:19|20|21)\d{2})$")


def _make(year: int, kind: PeriodKind, index: int) -> Period:
    if kind is PeriodKind.YEAR_TO_DATE:
        if index == 12:
            return Period.annual(year)
        if index == 6:
            # "6 tháng đầu năm" is the first half; one period, two names.
            return Period(year, 6, PeriodKind.HALF, 1)
        if index == 3:
            return Period(year, 3, PeriodKind.QUARTER, 1)
        if index == 1:
            return Period(year, 1, PeriodKind.MONTH, 1)
        return Period(year, index, kind, index)
    return Period(year, index * _MONTHS_IN[kind], kind, index)


def parse_period(text: str | int) -> Period:
    """Read a period from its code or its Vietnamese wording.

    Example::

        >>> parse_period("2026-Q1").label
        'quý I/2026'
        >>> parse_period("9 tháng đầu năm 2026").code
        '2026-9M'
    """
    raw = str(text).strip()
    m = _CODE.match(raw.upper())
    if m:
        year = int(m["year"])
        if m["h"]:
            return _make(year, PeriodKind.HALF, int(m["h"][1]))
        if m["q"]:
            return _make(year, PeriodKind.QUARTER, int(m["q"][1]))
        if m["m"]:
            return _make(year, PeriodKind.MONTH, int(m["m"]))
        if m["ytd"]:
            n = int(m["ytd"])
            if 1 <= n <= 12:
                return _make(year, PeriodKind.YEAR_TO_DATE, n)
            raise InvalidPeriod(raw)
        return Period.annual(year)
    folded = " ".join(fold(raw).split())
    for pattern in (_VI_YEAR, _VI_YTD, _VI_HALF2, _VI_QUARTER, _VI_MONTH):
        m = pattern.match(folded)
        if not m:
            continue
        year = int(m["year"])
        if pattern is _VI_YEAR:
            return Period.annual(year)
        if pattern is _VI_HALF2:
            return _make(year, PeriodKind.HALF, 2)
        if pattern is _VI_YTD:
            n = int(m["n"])
            if 1 <= n <= 12:
                return _make(year, PeriodKind.YEAR_TO_DATE, n)
        if pattern is _VI_QUARTER:
            q = m["q"]
            return _make(year, PeriodKind.QUARTER, _ROMAN.get(q) or int(q))
        if pattern is _VI_MONTH and 1 <= int(m["m"]) <= 12:
            return _make(year, PeriodKind.MONTH, int(m["m"]))
    raise InvalidPeriod(raw)
