"""What the pages show, prepared from assessments and figures so templates only lay it out.

Each function takes a :class:`~chiso.web.snapshot.Snapshot` (and an assessment) and
returns small frozen records with the Vietnamese text already formatted.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from chiso.areas import AREA_TYPE_LABELS, Area, eligible_units
from chiso.assessment import Assessment, Status, meets, summarise
from chiso.explain import bound_phrase
from chiso.indicators import Direction, Indicator, Measure
from chiso.observations import Observation
from chiso.periods import Period
from chiso.targets import KIND_LABELS, Group, Target, TargetKind
from chiso.text import format_number
from chiso.web.charts import Sparkline, target_sparkline
from chiso.web.errors import InvalidParameter
from chiso.web.snapshot import Snapshot

POPULATION_LAYER = "dan-so"  # the unit list's population, not an indicator (codes have no "-")


def with_unit(value: float | None, unit: str, decimals: int = 2) -> str:
    """A value with its unit: "6,74%", "50,73 triệu đồng/người/năm", "—" for no value."""
    text = format_number(value, decimals)
    if value is None or not unit:
        return text
    return f"{text}{unit}" if unit.startswith("%") else f"{text} {unit}"


def goal_text(t: Target, indicator: Indicator) -> str:
    """The target in words, as the overview lists it: "từ 75 – 80 triệu đồng/người/năm (2030)"."""
    if t.kind is TargetKind.MILESTONE:
        return f"Hoàn thành {len(t.stages)} bước (đến {max(s.due for s in t.stages)})"
    phrase = bound_phrase(t, t.unit, indicator.decimals)  # includes "giảm"/"tăng" for change targets
    if t.kind is TargetKind.AVERAGE_CHANGE:
        phrase = phrase.replace(" ", " bình quân ", 1)
    if t.kind is TargetKind.EVERY_YEAR:
        return f"{phrase}, hằng năm"
    return f"{phrase} ({t.target_year})"


def _unit(a: Assessment) -> str:
    return "%" if a.target.kind is TargetKind.SHARE_OF_UNITS else a.indicator.unit


@dataclass(frozen=True)
class TargetRow:
    """One target on the overview."""

    assessment: Assessment
    goal: str
    latest: str
    latest_period: str
    latest_status: str
    latest_is_base: bool
    spark: Sparkline | None

    @property
    def target(self) -> Target:
        """The target."""
        return self.assessment.target


def target_row(a: Assessment, snapshot: Snapshot) -> TargetRow:
    """The overview line of one target: latest figure (or the base, said so), goal, sparkline."""
    reading = a.latest if a.has_progress or a.base is None else a.base
    is_base = reading is not None and reading is a.base and not a.has_progress
    decimals = a.indicator.decimals
    if a.target.kind is TargetKind.MILESTONE and a.latest is not None:
        done = sum(1 for s in a.stages if s.done)
        latest = f"{done}/{len(a.stages)} bước"
    else:
        latest = with_unit(reading.value, _unit(a), decimals) if reading else "—"
    return TargetRow(
        a,
        goal_text(a.target, a.indicator),
        latest,
        reading.period.label if reading else "",
        reading.status.label if reading and reading.status is not None else "",
        is_base,
        target_sparkline(a, snapshot.target_series(a)),
    )


@dataclass(frozen=True)
class GroupRows:
    """A group of targets as the resolution arranges them."""

    group: Group
    rows: tuple[TargetRow, ...]


def overview(
    snapshot: Snapshot, assessments: Sequence[Assessment], *, status: Status | None, group: str | None
) -> tuple[list[GroupRows], int]:
    """The targets by group, filtered by status and group; and how many targets are shown."""
    shown = [
        a
        for a in assessments
        if (status is None or a.status is status) and (group is None or a.target.group == group)
    ]
    groups = []
    for g in snapshot.resolution.groups:
        rows = tuple(target_row(a, snapshot) for a in shown if a.target.group == g.id)
        if rows:
            groups.append(GroupRows(g, rows))
    return groups, len(shown)


def status_counts(assessments: Sequence[Assessment]) -> list[tuple[Status, int]]:
    """Every status with how many targets have it, in the order of the status list."""
    return list(summarise(assessments).by_status.items())


# --- the target page -------------------------------------------------------------------------


@dataclass(frozen=True)
class Fact:
    """One number behind a status, labelled."""

    label: str
    value: str
    note: str = ""


def _rate(value: float | None, unit: str) -> str:
    return "—" if value is None else f"{format_number(value)} {unit}".replace(" %", "%")


def facts(a: Assessment) -> list[Fact]:
    """The numbers behind a status, in the order a reader redoes the calculation."""
    t, d = a.target, a.indicator.decimals
    unit = _unit(a)
    out: list[Fact] = [Fact("Mục tiêu", goal_text(t, a.indicator))]
    if a.base is not None:
        source = f", {a.base.source}" if a.base.source else ""
        out.append(Fact("Năm gốc", with_unit(a.base.value, unit, d), f"{a.base.period.label}{source}"))
    if a.latest is not None:
        status = f" ({a.latest.status.label})" if a.latest.status is not None else ""
        out.append(
            Fact("Số liệu mới nhất", with_unit(a.latest.value, unit, d), f"{a.latest.period.label}{status}")
        )
    if a.measured is not None and t.kind not in {TargetKind.LEVEL, TargetKind.RANK, TargetKind.EVERY_YEAR}:
        measured_unit = {
            TargetKind.AVERAGE_GROWTH: "%/năm",
            TargetKind.AVERAGE_CHANGE: "điểm %/năm",
            TargetKind.RELATIVE_CHANGE: "% so với năm gốc",
            TargetKind.SHARE_OF_UNITS: "%",
            TargetKind.MILESTONE: "bước",
        }.get(t.kind, unit)
        out.append(Fact("Kết quả so với chỉ tiêu", with_unit(a.measured, measured_unit, 2)))
    if a.required_rate is not None:
        out.append(Fact("Tốc độ cần thiết cả giai đoạn", _rate(a.required_rate, a.rate_unit)))
    if a.observed_rate is not None:
        out.append(Fact("Tốc độ thực tế", _rate(a.observed_rate, a.rate_unit)))
    if a.required_rate_remaining is not None:
        out.append(Fact("Tốc độ cần thiết các năm còn lại", _rate(a.required_rate_remaining, a.rate_unit)))
    if a.progress_ratio is not None:
        note = (
            "số năm đạt ÷ số năm có số liệu"
            if t.kind is TargetKind.EVERY_YEAR
            else "số bước đã xong ÷ số bước đến hạn"
            if t.kind is TargetKind.MILESTONE
            else "tốc độ thực tế ÷ tốc độ cần thiết; từ 0,95: đúng tiến độ; 0,6–0,95: cần tăng tốc; "
            "0–0,6: chậm; dưới 0: thụt lùi"
        )
        out.append(Fact("Tỷ số tiến độ R", format_number(a.progress_ratio, 2), note))
    if a.projection is not None:
        projected_unit = {
            TargetKind.AVERAGE_GROWTH: "%/năm",
            TargetKind.AVERAGE_CHANGE: "điểm %/năm",
        }.get(t.kind, unit)
        verdict = "" if a.projection_meets is None else ("đạt" if a.projection_meets else "chưa đạt")
        out.append(Fact(f"Dự báo năm {t.target_year}", with_unit(a.projection, projected_unit, d), verdict))
    if a.verdict is not None:
        out.append(Fact("Đánh giá cuối nhiệm kỳ", a.verdict.label))
    return out


@dataclass(frozen=True)
class SourceRow:
    """One figure given for the target's indicator, with where it came from."""

    observation: Observation
    indicator_name: str
    used: bool


def sources(a: Assessment, snapshot: Snapshot) -> list[SourceRow]:
    """Every figure (all vintages) behind a target: its indicator's, or its inputs' if it is derived."""
    code = a.indicator.code
    codes = [code, *sorted(snapshot.catalogue.inputs_of(code))]
    rows = []
    for c in codes:
        name = snapshot.catalogue.get(c).name if c in snapshot.catalogue else c
        used = {
            (o.period, o.source, o.value, o.status)
            for o in snapshot.data.series(c, snapshot.province, annual=False)
        }
        for o in snapshot.sources(c, snapshot.province):
            rows.append(SourceRow(o, name, (o.period, o.source, o.value, o.status) in used))
    return rows


@dataclass(frozen=True)
class UnitRow:
    """A commune counted by a share-of-units target: its value in the year counted, met or not."""

    area: Area
    value: float | None
    met: bool | None
    observation: Observation | None

    @property
    def state(self) -> str:
        """The result in words: "Đạt", "Chưa đạt" or "Chưa có số liệu"."""
        if self.met is None:
            return "Chưa có số liệu"
        return "Đạt" if self.met else "Chưa đạt"


_SIGNS = {">=": "≥", ">": ">", "<=": "≤", "<": "<", "=": "=", "between": "≥"}


def condition_text(a: Assessment) -> str:
    """What one unit must reach: "Chỉ số hạnh phúc người dân ≥ 90 điểm"; a yes/no indicator's name."""
    c = a.target.condition
    if c is None:
        return ""
    if a.indicator.measure is Measure.BINARY:
        return a.indicator.name
    bound = with_unit(c.value, a.indicator.unit, a.indicator.decimals)
    return f"{a.indicator.name} {_SIGNS[c.comparator.value]} {bound}"


def share_units(a: Assessment, snapshot: Snapshot) -> list[UnitRow]:
    """The units a share-of-units target counts, meeting ones first, for the year it counted."""
    t = a.target
    if t.kind is not TargetKind.SHARE_OF_UNITS or t.condition is None:
        return []
    eligibility = t.eligible
    eligible = eligible_units(
        snapshot.areas,
        snapshot.province,
        types=eligibility.types if eligibility else (),
        border=eligibility.border if eligibility else None,
    )
    year = a.coverage.year if a.coverage is not None else None
    reported = snapshot.data.units(a.indicator.code, Period.annual(year)) if year is not None else {}
    rows = []
    for area in eligible:
        o = reported.get(area.code)
        met = (
            None
            if o is None
            else meets(o.value, t.condition.comparator, t.condition.value, direction=a.indicator.direction)
        )
        rows.append(UnitRow(area, o.value if o else None, met, o))
    order = {True: 0, False: 1, None: 2}
    return sorted(rows, key=lambda r: (order[r.met], r.area.name))


# --- communes ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Layer:
    """A commune-level quantity the map can show: an indicator, or the unit list's population."""

    key: str
    name: str
    unit: str
    decimals: int
    direction: Direction = Direction.INCREASE
    has_data: bool = False


def commune_layers(snapshot: Snapshot) -> list[Layer]:
    """What the communes map can show: commune-level indicators, then the population of the unit list."""
    with_data = {
        o.indicator
        for o in snapshot.data
        if o.area != snapshot.province and snapshot.area(o.area) is not None
    }
    layers = [
        Layer(i.code, i.name, i.unit, i.decimals, i.direction, i.code in with_data)
        for i in snapshot.catalogue
        if "commune" in i.levels
    ]
    layers.sort(key=lambda layer: (not layer.has_data, layer.name))
    if any(a.population for a in snapshot.communes):
        layers.append(
            Layer(
                POPULATION_LAYER,
                "Dân số theo danh sách đơn vị hành chính (tham khảo, chưa rõ năm)",
                "người",
                0,
                has_data=True,
            )
        )
    return layers


def pick_layer(layers: Sequence[Layer], key: str | None) -> Layer | None:
    """The layer asked for (:class:`InvalidParameter` if there is none such), else the first with data."""
    if key:
        for layer in layers:
            if layer.key == key:
                return layer
        raise InvalidParameter(
            "indicator", f"“{key}” không phải chỉ số cấp xã", f"“{key}” is not a commune-level indicator"
        )
    return next((layer for layer in layers if layer.has_data), layers[0] if layers else None)


@dataclass(frozen=True)
class CommuneValue:
    """One commune's value on a layer."""

    rank: int | None
    area: Area
    value: float | None
    observation: Observation | None


def layer_years(snapshot: Snapshot, layer: Layer) -> list[int]:
    """The years a layer has commune figures for, newest first."""
    if layer.key == POPULATION_LAYER:
        return []
    return sorted(set(snapshot.data.years_with_units(layer.key, snapshot.province)), reverse=True)


def commune_values(snapshot: Snapshot, layer: Layer, year: int | None) -> list[CommuneValue]:
    """Every commune with its value on ``layer`` for ``year``, best first, those without data last."""
    pairs: list[tuple[Area, float | None, Observation | None]]
    if layer.key == POPULATION_LAYER:
        pairs = [(a, float(a.population) if a.population else None, None) for a in snapshot.communes]
    else:
        units = snapshot.data.units(layer.key, Period.annual(year)) if year is not None else {}
        pairs = [
            (a, units[a.code].value if a.code in units else None, units.get(a.code))
            for a in snapshot.communes
        ]
    sign = -1 if layer.direction is Direction.INCREASE else 1
    pairs.sort(key=lambda p: (p[1] is None, sign * (p[1] or 0), p[0].name))
    return [
        CommuneValue(index + 1 if value is not None else None, area, value, obs)
        for index, (area, value, obs) in enumerate(pairs)
    ]


def area_type_label(area: Area) -> str:
    """The unit's type in words: "Xã", "Phường", …"""
    return AREA_TYPE_LABELS.get(area.type, area.type)


@dataclass(frozen=True)
class CommuneFigure:
    """One figure of a commune."""

    indicator: Indicator | None
    code: str
    observation: Observation


def commune_figures(snapshot: Snapshot, code: str) -> list[CommuneFigure]:
    """Every effective figure of one commune, by indicator name then newest period first."""
    found = [o for o in snapshot.data if o.area == code]
    rows = [
        CommuneFigure(
            snapshot.catalogue.get(o.indicator) if o.indicator in snapshot.catalogue else None, o.indicator, o
        )
        for o in found
    ]
    rows.sort(key=lambda r: (r.indicator.name if r.indicator else r.code, _neg_period(r.observation.period)))
    return rows


def _neg_period(p: Period) -> tuple[int, int, int]:
    return (-p.year, -p.end_month, -p.months)


@dataclass(frozen=True)
class Membership:
    """How a commune stands on a share-of-units target."""

    assessment: Assessment
    state: str
    value: float | None
    year: int | None


def commune_targets(snapshot: Snapshot, code: str, as_of: int) -> list[Membership]:
    """The share-of-units targets counting this commune, and whether it meets each."""
    out = []
    for a in snapshot.assessments(as_of):
        if a.target.kind is not TargetKind.SHARE_OF_UNITS:
            continue
        for row in share_units(a, snapshot):
            if row.area.code == code:
                year = a.coverage.year if a.coverage else None
                out.append(Membership(a, row.state, row.value, year))
    return out


def kind_label(t: Target) -> str:
    """The kind of target in Vietnamese."""
    return KIND_LABELS[t.kind]
