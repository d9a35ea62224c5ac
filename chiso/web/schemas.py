"""The shapes of the open API's JSON, so the OpenAPI document describes every field.

Assessments follow :func:`chiso.records.assessment_record` (the shape of
``chiso assess --format json``); observations the columns of :mod:`chiso.io.export`.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from chiso.indicators import Indicator


class ResolutionSummary(BaseModel):
    """A stored resolution."""

    id: str
    title: str
    province: str
    province_name: str
    status: str = Field(description="draft, adopted or amended")
    term: tuple[int, int]
    targets: int = Field(description="How many targets it has")
    default: bool = Field(description="True for the resolution the pages show")


class ResolutionList(BaseModel):
    """Every stored resolution."""

    items: list[ResolutionSummary]


class GroupOut(BaseModel):
    """A group of targets."""

    id: str
    name: str


class ResolutionDetail(BaseModel):
    """A resolution with its groups and the definition of every target."""

    id: str
    title: str
    province: str
    province_name: str
    status: str
    document: str
    source: str
    term: tuple[int, int]
    groups: list[GroupOut]
    targets: list[dict[str, Any]] = Field(description="Targets as in the resolution file")


class ReadingOut(BaseModel):
    """A figure with its period, data status and source."""

    value: float | None
    period: str
    period_label: str
    data_status: str | None = Field(description="estimate, preliminary or final")
    source: str


class BoundOut(BaseModel):
    """A target's bound."""

    comparator: str | None
    value: float | None
    low: float | None
    high: float | None
    unit: str
    year: int
    bound: float | None


class PathPointOut(BaseModel):
    """One year of the required path."""

    year: int
    value: float | None


class YearCheckOut(BaseModel):
    """One year of an every-year target."""

    year: int
    value: float | None
    met: bool


class CoverageOut(BaseModel):
    """Which units a share-of-units target counted."""

    year: int
    eligible: int
    reported: int
    meeting: int
    meeting_units: list[str]
    missing_units: list[str]


class StageOut(BaseModel):
    """One stage of a milestone."""

    name: str
    due: int
    done: bool


class TargetAssessment(BaseModel):
    """A target with its assessment: status, the numbers behind it and the path ahead."""

    id: str
    number: str
    group: str
    group_name: str
    text: str
    indicator: str
    indicator_name: str
    kind: str
    status: str
    status_label: str
    verdict: str | None
    verdict_label: str | None
    as_of: int
    latest: ReadingOut | None
    base: ReadingOut | None
    target: BoundOut
    measured: float | None
    required_rate: float | None
    required_rate_remaining: float | None
    observed_rate: float | None
    rate_unit: str
    progress_ratio: float | None
    path: list[PathPointOut]
    projection: float | None
    projection_meets: bool | None
    exceeded: bool
    years: list[YearCheckOut]
    coverage: CoverageOut | None
    stages: list[StageOut]
    responsible: list[str]
    notes: list[str]
    explanation: str
    page: str = Field(description="The target's public page")


class SummaryOut(BaseModel):
    """Counts of statuses."""

    total: int
    by_status: dict[str, int]
    sentence: str


class TargetList(BaseModel):
    """Every target of a resolution with its assessment as of a year."""

    resolution: str
    as_of: int
    summary: SummaryOut
    items: list[TargetAssessment]


class ChartRowOut(BaseModel):
    """One year of a target's chart."""

    year: int
    actual: float | None
    data_status: str | None
    source: str
    path: float | None
    projection: float | None
    is_base: bool


class ChartOut(BaseModel):
    """A target's chart data."""

    mode: str = Field(description="level, rate (yearly growth rates) or rank")
    unit: str
    band: tuple[float, float] | None
    target_line: float | None
    rows: list[ChartRowOut]


class TargetDetail(TargetAssessment):
    """A target with its assessment and its chart data (series, path, projection)."""

    chart: ChartOut | None


class IndicatorList(BaseModel):
    """The indicator catalogue."""

    items: list[Indicator]


class TargetRef(BaseModel):
    """A target reading an indicator."""

    resolution: str
    id: str
    text: str


class IndicatorDetail(BaseModel):
    """An indicator and the targets reading it."""

    indicator: Indicator
    targets: list[TargetRef]


class ObservationOut(BaseModel):
    """One figure: the long format plus the names a reader needs."""

    indicator: str
    area: str
    period: str
    value: float
    status: str = Field(description="estimate, preliminary or final")
    source: str
    note: str
    url: str
    indicator_name: str
    unit: str
    area_name: str
    entered_by: str
    entered_at: str


class ObservationList(BaseModel):
    """A page of figures."""

    total: int
    limit: int
    offset: int
    items: list[ObservationOut]


class AreaOut(BaseModel):
    """A province or a commune."""

    code: str
    name: str
    type: str
    type_label: str
    parent: str | None
    border: bool
    population: int | None
    page: str | None = Field(description="The commune's public page")


class AreaList(BaseModel):
    """The province and its communes."""

    items: list[AreaOut]


class AreaDetail(BaseModel):
    """An area and its effective figures."""

    area: AreaOut
    figures: list[ObservationOut]


class ObservationIn(BaseModel):
    """One figure to write, as a row of the long CSV format (the same checks as an import)."""

    model_config = ConfigDict(extra="forbid")

    indicator: str = Field(max_length=200, description="Mã chỉ số (hoặc tên trong danh mục)")
    area: str = Field(default="", max_length=200, description="Mã đơn vị hành chính; bỏ trống: toàn tỉnh")
    period: str | int = Field(description="Kỳ: 2026, 2026-Q1, 2026-H1, “Ước 2026”, …")
    value: float | str = Field(description="Số (JSON) hoặc chữ kiểu Việt Nam, “1.462,5”")
    status: str = Field(
        default="final", max_length=40, description="final, preliminary, estimate (hoặc tiếng Việt)"
    )
    source: str = Field(default="", max_length=1000)
    note: str = Field(default="", max_length=2000)
    url: str = Field(default="", max_length=1000, description="Địa chỉ nguồn công bố")


class WriteWarning(BaseModel):
    """A warning about one figure (written anyway): e.g. far from the indicator's past values."""

    location: str
    message: str
    message_en: str


class WriteOut(BaseModel):
    """What a write did."""

    added: int = Field(description="Giá trị mới hoặc sửa đổi")
    unchanged: int = Field(description="Giá trị đã có, giống hệt")
    batch: int | None = Field(description="Lô nhập (để tra cứu, công bố)")
    publication: str = Field(description="published, hoặc pending: chờ Văn phòng cấp tỉnh công bố")
    message: str
    warnings: list[WriteWarning] = []
