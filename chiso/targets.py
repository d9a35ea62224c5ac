"""The target grammar: a resolution's targets as validated data (DESIGN §2).

A :class:`Target` says which indicator it reads, what *kind* of target it is (the
kind decides what quantity the bound is compared with) and the bound itself. The
comparators come from the Vietnamese phrasing:

=====================================================  ============
"đạt X trở lên", "tối thiểu", "ít nhất", "không thấp hơn"  ``>=``
"trên", "hơn"                                           ``>``
"tối đa", "không quá"                                    ``<=``
"dưới"                                                  ``<``
"từ X – Y", "X đến Y"                                    ``between``
"đạt X" (no qualifier)                                  ``=``: ``>=`` for a good-if-higher
                                                        indicator, ``<=`` otherwise
=====================================================  ============
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from chiso.areas import normalise_type
from chiso.errors import InvalidPeriod
from chiso.indicators import Direction, Indicator
from chiso.periods import parse_period
from chiso.text import nfc

# Validation messages carry both languages, "Vietnamese || English"; the loader splits
# them so a file's author reads the one they know.
_SEP = " || "


def _both(vi: str, en: str) -> str:
    return f"{vi}{_SEP}{en}"


class Comparator(StrEnum):
    """How a value is compared with a target's bound."""

    GE = ">="
    GT = ">"
    LE = "<="
    LT = "<"
    BETWEEN = "between"
    EQ = "="


class TargetKind(StrEnum):
    """The eight kinds of target; each has its own assessment rule (DESIGN §2)."""

    LEVEL = "level"
    AVERAGE_GROWTH = "average_growth"
    AVERAGE_CHANGE = "average_change"
    RELATIVE_CHANGE = "relative_change"
    EVERY_YEAR = "every_year"
    RANK = "rank"
    SHARE_OF_UNITS = "share_of_units"
    MILESTONE = "milestone"


KIND_LABELS: dict[TargetKind, str] = {
    TargetKind.LEVEL: "mức đạt được vào năm mục tiêu",
    TargetKind.AVERAGE_GROWTH: "tăng trưởng bình quân năm",
    TargetKind.AVERAGE_CHANGE: "thay đổi bình quân năm (điểm %)",
    TargetKind.RELATIVE_CHANGE: "thay đổi so với kỳ gốc",
    TargetKind.EVERY_YEAR: "hằng năm",
    TargetKind.RANK: "thứ hạng",
    TargetKind.SHARE_OF_UNITS: "tỷ lệ đơn vị đạt",
    TargetKind.MILESTONE: "mốc công việc",
}


class ResolutionStatus(StrEnum):
    """Where a resolution is in its life: a draft report, adopted, or amended since."""

    DRAFT = "draft"
    ADOPTED = "adopted"
    AMENDED = "amended"

    @property
    def label(self) -> str:
        """The Vietnamese label."""
        return {"draft": "dự thảo", "adopted": "đã thông qua", "amended": "đã sửa đổi, bổ sung"}[self.value]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class BaseValue(_Model):
    """The value an indicator had at the start of the term, as the text gives it.

    ``value`` may be left out when the text names the base period but not the figure
    ("giảm 40% so với năm 2025"): the assessment then takes the figure for that period
    from the data. ``status`` is the data status of a stated figure (a draft written
    mid-year usually states estimates).
    """

    period: str
    value: float | None = None
    status: Literal["estimate", "preliminary", "final"] | None = None
    source: str = ""

    @field_validator("source")
    @classmethod
    def _nfc(cls, value: str) -> str:
        return nfc(value)

    @field_validator("period", mode="before")
    @classmethod
    def _period(cls, value: Any) -> str:
        try:
            return parse_period(value).code
        except InvalidPeriod as exc:
            raise ValueError(_both(exc.message_vi, exc.message_en)) from None

    @property
    def year(self) -> int:
        """The calendar year of the base period."""
        return parse_period(self.period).year


class UnitCondition(_Model):
    """What a single unit (commune) must reach to count, e.g. ``hpi_score >= 90``."""

    comparator: Comparator = Comparator.GE
    value: float = 1.0


class Eligibility(_Model):
    """Which units a share-of-units target counts (e.g. only xã, only border communes).

    ``types`` are area types written in any common way ("xa", "Xã", "phường"); they
    are stored as codes (``xa``, ``phuong``, ``dac_khu``).
    """

    types: tuple[str, ...] = ()
    border: bool | None = None

    @field_validator("types")
    @classmethod
    def _types(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        try:
            return tuple(normalise_type(t) for t in value)
        except ValueError as exc:
            raise ValueError(_both(str(exc), f"unknown area type in {list(value)}")) from None


class Stage(_Model):
    """One stage of a milestone target, due by the end of ``due`` (a year)."""

    name: str
    due: int

    @field_validator("name")
    @classmethod
    def _nfc(cls, value: str) -> str:
        return nfc(value)


class Revision(_Model):
    """A change of a target's fields decided by a later document (e.g. the adopted text)."""

    date: dt.date
    document: str = ""
    changes: dict[str, Any]
    note: str = ""

    @field_validator("document", "note")
    @classmethod
    def _nfc(cls, value: str) -> str:
        return nfc(value)

    @field_validator("changes")
    @classmethod
    def _only_bounds(cls, value: dict[str, Any]) -> dict[str, Any]:
        allowed = {"text", "comparator", "value", "low", "high", "target_year", "base", "unit"}
        extra = sorted(set(value) - allowed)
        if extra:
            raise ValueError(
                _both(
                    "một lần sửa đổi chỉ được đổi: "
                    + ", ".join(sorted(allowed))
                    + "; không đổi được: "
                    + ", ".join(extra),
                    "a revision may change only: "
                    + ", ".join(sorted(allowed))
                    + "; cannot change: "
                    + ", ".join(extra),
                )
            )
        return value


class Target(_Model):
    """One quantified target of a resolution."""

    id: str = Field(pattern=r"^[A-Za-z0-9_.-]+$")
    number: str
    group: str
    text: str = Field(min_length=1)
    indicator: str
    kind: TargetKind
    comparator: Comparator | None = None
    value: float | None = None
    low: float | None = None
    high: float | None = None
    unit: str = ""
    change: Direction | None = None
    base: BaseValue | None = None
    target_year: int = Field(default=2030, ge=2000, le=2100)
    first_year: int | None = None
    out_of: int | None = Field(default=None, ge=1)
    condition: UnitCondition | None = None
    eligible: Eligibility | None = None
    stages: tuple[Stage, ...] = ()
    responsible: tuple[str, ...] = ()
    note: str = ""
    revisions: tuple[Revision, ...] = ()

    @field_validator("text", "unit", "note")
    @classmethod
    def _nfc(cls, value: str) -> str:
        return nfc(value)

    @field_validator("number", "id", mode="before")
    @classmethod
    def _number(cls, value: Any) -> str:
        return str(value) if isinstance(value, int | float) else value

    @field_validator("responsible")
    @classmethod
    def _responsible(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(nfc(v) for v in value)

    @model_validator(mode="after")
    def _kind_rules(self) -> Target:
        problems = list(_kind_problems(self))
        if problems:
            raise ValueError(_both("; ".join(p[0] for p in problems), "; ".join(p[1] for p in problems)))
        if self.revisions:
            # A revision that would make the target invalid is caught when the file loads,
            # not the day someone asks for the revised target.
            try:
                self.revised()
            except ValidationError as exc:
                detail = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
                raise ValueError(
                    _both(
                        f"lần sửa đổi làm chỉ tiêu không hợp lệ ({detail})",
                        f"a revision is invalid ({detail})",
                    )
                ) from None
        return self

    def revised(self, as_of: dt.date | None = None) -> Target:
        """This target with every revision dated on or before ``as_of`` applied."""
        target = self.model_copy(update={"revisions": ()})
        for revision in sorted(self.revisions, key=lambda r: r.date):
            if as_of is not None and revision.date > as_of:
                continue
            data = target.model_dump()
            data.update(revision.changes)
            target = Target.model_validate(data)
        return target.model_copy(update={"revisions": self.revisions})

    @property
    def base_year(self) -> int | None:
        """The year of the base value, if the text gives one."""
        return self.base.year if self.base else None

    def effective_comparator(self, direction: Direction) -> Comparator:
        """The comparator with a bare "đạt X" (``=``) resolved by the indicator's direction."""
        if self.comparator is Comparator.EQ:
            return Comparator.GE if direction is Direction.INCREASE else Comparator.LE
        return self.comparator or Comparator.GE

    def requirement(self, direction: Direction) -> float | None:
        """The bound that must be reached: for a range, the end nearer to 'worse'."""
        if self.comparator is Comparator.BETWEEN:
            return self.low if direction is Direction.INCREASE else self.high
        return self.value


def _kind_problems(t: Target) -> list[tuple[str, str]]:
    problems: list[tuple[str, str]] = []
    if t.kind is TargetKind.MILESTONE:
        if not t.stages:
            problems.append(("mốc công việc cần danh sách stages", "a milestone needs stages"))
        return problems
    if t.comparator is None:
        problems.append(("thiếu comparator (phép so sánh)", "comparator is missing"))
    elif t.comparator is Comparator.BETWEEN:
        if t.low is None or t.high is None:
            problems.append(("khoảng “between” cần cả low và high", "a “between” range needs low and high"))
        elif t.low > t.high:
            problems.append(("low phải nhỏ hơn high", "low must not exceed high"))
    elif t.value is None:
        problems.append(("thiếu value (giá trị chỉ tiêu)", "value is missing"))
    if t.kind in {TargetKind.AVERAGE_CHANGE, TargetKind.RELATIVE_CHANGE} and t.change is None:
        problems.append(("cần change: increase hoặc decrease", "change must be increase or decrease"))
    if t.kind is TargetKind.RELATIVE_CHANGE and t.base is None:
        problems.append(("chỉ tiêu so với kỳ gốc cần base", "a change-relative-to-base target needs a base"))
    if t.kind is TargetKind.SHARE_OF_UNITS and t.condition is None:
        problems.append(("chỉ tiêu tỷ lệ đơn vị cần condition", "a share-of-units target needs a condition"))
    if t.base is not None and t.base.year >= t.target_year:
        problems.append(("năm gốc phải trước năm mục tiêu", "the base year must precede the target year"))
    return problems


class Group(_Model):
    """A group of targets as the text arranges them (e.g. "Về kinh tế")."""

    id: str
    name: str

    @field_validator("name")
    @classmethod
    def _nfc(cls, value: str) -> str:
        return nfc(value)


class StatusChange(_Model):
    """A dated change of a resolution's status."""

    date: dt.date
    status: ResolutionStatus
    document: str = ""


class Resolution(_Model):
    """A resolution: its identity, status, groups, extra indicators and targets."""

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    title: str
    province: str = Field(pattern=r"^\d{2}$")
    province_name: str = ""
    status: ResolutionStatus = ResolutionStatus.DRAFT
    document: str = ""
    source: str = ""
    term: tuple[int, int]
    status_history: tuple[StatusChange, ...] = ()
    groups: tuple[Group, ...]
    indicators: tuple[Indicator, ...] = ()
    targets: tuple[Target, ...]

    @field_validator("title", "province_name", "document", "source")
    @classmethod
    def _nfc(cls, value: str) -> str:
        return nfc(value)

    @model_validator(mode="after")
    def _consistent(self) -> Resolution:
        start, end = self.term
        if start >= end:
            raise ValueError(_both("term phải là [năm đầu, năm cuối]", "term must be [start, end]"))
        return self

    def target(self, target_id: str) -> Target:
        """The target with id ``target_id``."""
        from chiso.errors import TargetNotFound

        for target in self.targets:
            if target.id == target_id:
                return target
        raise TargetNotFound(target_id)

    def group_name(self, group_id: str) -> str:
        """The display name of a group."""
        for group in self.groups:
            if group.id == group_id:
                return group.name
        return group_id
