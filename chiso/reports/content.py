"""What the periodic assessment report says, computed from assessments and figures.

:func:`build_content` is pure: it takes the resolution, the catalogue, the observations
and the units, and returns a :class:`ReportContent` — summary counts and sentences, one
row per target, a short narrative per group, charts as PNG, the commune annex, the
list of sources, and the marks for estimates, illustrative figures and conflicts. The
DOCX renderer only lays it out, so the numbers can be checked without Word.

The report is *as of a period* (a year, a half-year, a quarter): figures for later
periods are left out, and targets are assessed with the annual figures up to that
period's year; a half-year or quarter figure already in shows in the remarks.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from chiso.areas import Area
from chiso.assessment import (
    Assessment,
    Reading,
    Status,
    Summary,
    Verdict,
    assess_resolution,
    meets,
    summarise,
)
from chiso.explain import bound_phrase
from chiso.indicators import Catalogue
from chiso.observations import Conflict, DataStatus, Observation, ObservationSet, conflicts, effective
from chiso.periods import Period
from chiso.reports.narrative import attention, narrate, number, target_label, unit_suffix
from chiso.targets import Resolution, TargetKind
from chiso.text import fold

HPI_INDICATOR = "hpi_score"
_ILLUSTRATIVE_WORDS = ("mo phong", "minh hoa", "gia dinh")
CONFLICT_MARK = "(*)"
ILLUSTRATIVE_MARK = "(mh)"


@dataclass(frozen=True)
class Chart:
    """A chart as a PNG image, with the caption printed under it."""

    caption: str
    png: bytes


@dataclass(frozen=True)
class TargetRow:
    """One row of the table of targets (a group heading when ``is_group``)."""

    number: str
    text: str
    base: str = ""
    latest: str = ""
    target: str = ""
    status: str = ""
    remark: str = ""
    status_code: str = ""
    is_group: bool = False


@dataclass(frozen=True)
class GroupSection:
    """The narrative of one group of targets, with its charts."""

    id: str
    heading: str
    paragraphs: tuple[str, ...]
    charts: tuple[Chart, ...] = ()


@dataclass(frozen=True)
class CommuneRow:
    """One commune's figure in the commune annex."""

    index: int
    code: str
    name: str
    value: str
    period: str
    status: str
    verdict: str


@dataclass(frozen=True)
class CommuneTable:
    """The commune figures of one indicator."""

    indicator: str
    heading: str
    summary: str
    rows: tuple[CommuneRow, ...]


@dataclass(frozen=True)
class SourceRow:
    """One source of the figures used, and what was taken from it."""

    index: int
    source: str
    url: str
    used: str


@dataclass(frozen=True)
class ReportContent:
    """Everything the report says; the renderers only lay it out."""

    resolution_id: str
    resolution_title: str
    province: str
    province_name: str
    period: Period
    subject: str
    intro: str
    summary: Summary
    summary_paragraphs: tuple[str, ...]
    groups: tuple[GroupSection, ...]
    attention: tuple[str, ...]
    rows: tuple[TargetRow, ...]
    legend: tuple[str, ...]
    commune_tables: tuple[CommuneTable, ...]
    no_commune_data: str
    sources: tuple[SourceRow, ...]
    conflicts: tuple[str, ...]
    closing: str
    notice: str = ""
    illustrative: bool = False
    summary_chart: Chart | None = None
    assessments: tuple[Assessment, ...] = field(default=(), repr=False)
    task_paragraphs: tuple[str, ...] = ()

    @property
    def as_of(self) -> int:
        """The year the targets are assessed for."""
        return self.period.year

    @property
    def target_numbers(self) -> tuple[str, ...]:
        """The number shown for every target, in order."""
        return tuple(r.number for r in self.rows if not r.is_group)


def _is_illustrative(obs: Observation) -> bool:
    text = fold(f"{obs.source} {obs.note}")
    return any(word in text for word in _ILLUSTRATIVE_WORDS)


def _reading_text(reading: Reading | None, decimals: int, unit: str = "") -> str:
    if reading is None:
        return "—"
    status = f", {reading.status.label}" if reading.status is not None else ""
    return f"{number(reading.value, decimals)}{unit_suffix(unit)}\n({reading.period.label}{status})"


def _target_text(a: Assessment) -> str:
    t = a.target
    if t.kind is TargetKind.MILESTONE:
        return f"hoàn thành {len(t.stages)} bước (năm {t.target_year})"
    unit = "%" if t.kind is TargetKind.SHARE_OF_UNITS else t.unit
    return f"{bound_phrase(t, unit, a.indicator.decimals)} (năm {t.target_year})"


def _latest_text(a: Assessment, conflict: bool, illustrative: bool) -> str:
    t = a.target
    if a.latest is None or (not a.has_progress and t.kind is not TargetKind.EVERY_YEAR):
        return "—"
    if t.kind is TargetKind.SHARE_OF_UNITS and a.coverage is not None:
        c = a.coverage
        text = f"{number(a.latest.value, 1)}%\n({c.meeting}/{c.eligible} đơn vị, năm {c.year}"
        text += f", {a.latest.status.label})" if a.latest.status is not None else ")"
    else:
        # The reading is a value of the indicator, in its unit (the target's unit may be a rate).
        unit = "%" if a.indicator.measure.value == "growth_rate" else (a.indicator.unit or t.unit)
        text = _reading_text(a.latest, a.indicator.decimals, unit)
    if t.kind is TargetKind.AVERAGE_GROWTH and a.observed_rate is not None:
        text += f"\nbình quân {number(a.observed_rate)}%/năm"
    if conflict:
        text += f" {CONFLICT_MARK}"
    if illustrative:
        text += f" {ILLUSTRATIVE_MARK}"
    return text


def _base_text(a: Assessment) -> str:
    if a.base is None:
        return "—"
    unit = a.indicator.unit or a.target.unit
    status = f", {a.base.status.label}" if a.base.status is DataStatus.ESTIMATE else ""
    return (
        f"{number(a.base.value, a.indicator.decimals)}{unit_suffix(unit)}\n(năm {a.base.period.year}{status})"
    )


def _remark(a: Assessment, conflict: bool, illustrative: bool) -> str:
    parts = []
    for note in a.notes:
        if note.startswith("Các nguồn chênh lệch"):
            continue
        parts.append(note)
    if conflict:
        parts.append(f"{CONFLICT_MARK} Các nguồn chênh lệch (Phụ lục 3).")
    if illustrative:
        parts.append(f"{ILLUSTRATIVE_MARK} Số liệu mô phỏng/minh họa.")
    return "\n".join(parts)


def _status_text(a: Assessment) -> str:
    text = a.status.label
    if a.verdict is not None:
        text += f"\n(cuối kỳ: {a.verdict.label})"
    return text


def _summary_paragraphs(
    content_period: Period, summary: Summary, assessments: Sequence[Assessment], term_end: int
) -> tuple[str, ...]:
    order = [
        Status.ACHIEVED,
        Status.ON_TRACK,
        Status.NEEDS_ACCELERATION,
        Status.OFF_TRACK,
        Status.REGRESSING,
        Status.NO_DATA,
    ]
    counts = [
        f"{summary.by_status[s]}/{summary.total} chỉ tiêu {s.label.lower()}"
        for s in order
        if summary.by_status[s]
    ]
    first = f"Đánh giá đến {content_period.label}, trong {summary.total} chỉ tiêu: " + "; ".join(counts) + "."
    paragraphs = [first]
    if content_period.year >= term_end and any(summary.by_verdict.values()):
        verdicts = "; ".join(
            f"{summary.by_verdict[v]}/{summary.total} chỉ tiêu {v.label.lower()}"
            for v in (Verdict.MET, Verdict.BASICALLY_MET, Verdict.NOT_MET)
        )
        paragraphs.append(f"Kết quả cả nhiệm kỳ: {verdicts}.")
    with_data = [a for a in assessments if a.latest is not None and a.has_progress]
    by_status: dict[DataStatus, int] = defaultdict(int)
    for a in with_data:
        if a.latest is not None and a.latest.status is not None:
            by_status[a.latest.status] += 1
    if with_data:
        parts = [
            f"{by_status[s]} chỉ tiêu dùng số liệu {s.label}"
            for s in (DataStatus.FINAL, DataStatus.PRELIMINARY, DataStatus.ESTIMATE)
            if by_status[s]
        ]
        if parts:
            paragraphs.append(
                f"Trong {len(with_data)} chỉ tiêu đã có số liệu sau năm gốc: " + "; ".join(parts) + "."
            )
    return tuple(paragraphs)


def _group_sections(
    resolution: Resolution, assessments: Sequence[Assessment], charts: dict[str, tuple[Chart, ...]]
) -> tuple[GroupSection, ...]:
    sections = []
    index = 0
    for group in resolution.groups:
        members = [a for a in assessments if a.target.group == group.id]
        if not members:
            continue
        index += 1
        summary = summarise(members)
        counts = "; ".join(
            f"{count} chỉ tiêu {status.label.lower()}" for status, count in summary.by_status.items() if count
        )
        paragraphs = [f"Nhóm gồm {len(members)} chỉ tiêu: {counts}."]
        missing = []
        for a in members:
            sentence = narrate(a)
            if sentence is None:
                missing.append(f"{target_label(a)} ({a.indicator.name})")
            else:
                paragraphs.append(f"- {sentence}")
        if missing:
            paragraphs.append("- Chưa có số liệu để đánh giá: chỉ tiêu " + "; ".join(missing) + ".")
        sections.append(
            GroupSection(group.id, f"{index}. {group.name}", tuple(paragraphs), charts.get(group.id, ()))
        )
    return tuple(sections)


def _commune_tables(
    resolution: Resolution,
    catalogue: Catalogue,
    data: ObservationSet,
    assessments: Sequence[Assessment],
    areas: Sequence[Area],
    as_of: int,
) -> tuple[tuple[CommuneTable, ...], str]:
    communes = [a for a in areas if a.parent == resolution.province]
    share_targets = {a.target.indicator: a for a in assessments if a.target.kind is TargetKind.SHARE_OF_UNITS}
    codes = list(dict.fromkeys([*share_targets, HPI_INDICATOR]))
    tables: list[CommuneTable] = []
    empty: list[str] = []
    for code in codes:
        if code not in catalogue:
            continue
        indicator = catalogue.get(code)
        years = [y for y in data.years_with_units(code, resolution.province) if y <= as_of]
        if not years or not communes:
            empty.append(indicator.name)
            continue
        year = years[-1]
        reported = data.units(code, Period.annual(year))
        assessment = share_targets.get(code)
        condition = assessment.target.condition if assessment is not None else None
        rows = []
        illustrative = False
        for i, area in enumerate(sorted(communes, key=lambda c: (c.type != "phuong", c.name)), start=1):
            obs = reported.get(area.code)
            if obs is None:
                rows.append(CommuneRow(i, area.code, area.name, "—", "", "", "Chưa có số liệu"))
                continue
            illustrative = illustrative or _is_illustrative(obs)
            verdict = ""
            if condition is not None:
                ok = meets(obs.value, condition.comparator, condition.value, direction=indicator.direction)
                verdict = "Đạt" if ok else "Chưa đạt"
            rows.append(
                CommuneRow(
                    i,
                    area.code,
                    area.name,
                    number(obs.value, indicator.decimals)
                    + (f" {ILLUSTRATIVE_MARK}" if _is_illustrative(obs) else ""),
                    obs.period.code,
                    obs.status.label,
                    verdict,
                )
            )
        have = sum(1 for r in rows if r.period)
        summary = f"Năm {year}: {have}/{len(rows)} đơn vị có số liệu"
        if assessment is not None and assessment.coverage is not None and assessment.coverage.year == year:
            c = assessment.coverage
            summary += (
                f"; {c.meeting}/{c.eligible} đơn vị đạt điều kiện của chỉ tiêu {target_label(assessment)}"
            )
        summary += "."
        if illustrative:
            summary += (
                f" {ILLUSTRATIVE_MARK} Số liệu mô phỏng, chỉ để minh họa, không dùng để đánh giá chính thức."
            )
        unit = f" ({indicator.unit})" if indicator.unit else ""
        tables.append(CommuneTable(code, f"{len(tables) + 1}. {indicator.name}{unit}", summary, tuple(rows)))
    note = ""
    if empty:
        note = "Chưa có số liệu cấp xã của: " + "; ".join(empty) + "."
    return tuple(tables), note


def _needed_indicators(resolution: Resolution, catalogue: Catalogue) -> set[str]:
    codes: set[str] = set()
    for t in resolution.targets:
        codes.add(t.indicator)
        if t.indicator in catalogue:
            codes |= set(catalogue.inputs_of(t.indicator))
    return codes


def _sources(
    observations: Sequence[Observation], catalogue: Catalogue, areas: dict[str, Area], province: str
) -> tuple[SourceRow, ...]:
    used: dict[tuple[str, str], dict[str, list[Observation]]] = defaultdict(lambda: defaultdict(list))
    for obs in observations:
        used[(obs.source or "(không ghi nguồn)", obs.source_url)][obs.indicator].append(obs)
    rows = []
    for index, ((source, url), by_indicator) in enumerate(sorted(used.items()), start=1):
        parts = []
        for code, items in sorted(by_indicator.items()):
            name = catalogue.get(code).name if code in catalogue else code
            periods = sorted({o.period for o in items})
            units = {o.area for o in items if o.area != province}
            where = f"{len(units)} đơn vị cấp xã, " if units else ""
            parts.append(f"{name}: {where}{', '.join(p.label.removeprefix('năm ') for p in periods)}")
        if any(_is_illustrative(o) for items in by_indicator.values() for o in items):
            source = f"{source} {ILLUSTRATIVE_MARK}"
        rows.append(SourceRow(index, source, url, "\n".join(parts)))
    return tuple(rows)


def _conflict_text(
    conflict: Conflict, data: ObservationSet, catalogue: Catalogue, areas: dict[str, Area]
) -> str:
    name = catalogue.get(conflict.indicator).name if conflict.indicator in catalogue else conflict.indicator
    decimals = catalogue.get(conflict.indicator).decimals if conflict.indicator in catalogue else 2
    area = areas[conflict.area].name if conflict.area in areas else conflict.area
    values = "; ".join(
        f"{o.source or '(không ghi nguồn)'}: {number(o.value, decimals)}" for o in conflict.observations
    )
    chosen = next(
        (
            o
            for o in data.series(conflict.indicator, conflict.area, annual=False)
            if o.period == conflict.period
        ),
        None,
    )
    text = f"{name}, {area}, {conflict.period.label} — {values}."
    if chosen is not None:
        text += f" Giá trị dùng để đánh giá: {number(chosen.value, decimals)} (nguồn: {chosen.source})."
    return text


def _legend(illustrative: bool, has_conflicts: bool) -> tuple[str, ...]:
    lines = [
        "Tình trạng số liệu: ước tính, sơ bộ, chính thức; khi một kỳ có nhiều bản, dùng bản chính thức, "
        "rồi sơ bộ, rồi ước tính, và bản nhập sau cùng.",
        "Đánh giá tiến độ theo tỷ số R = tốc độ thực hiện ÷ tốc độ cần thiết từ năm gốc đến năm mục tiêu "
        "(phương pháp Open SDG/Thống kê Canada): R ≥ 0,95 đúng tiến độ; 0,6 ≤ R < 0,95 cần tăng tốc; "
        "0 ≤ R < 0,6 chậm, nguy cơ không đạt; R < 0 thụt lùi.",
    ]
    if has_conflicts:
        lines.append(f"{CONFLICT_MARK} Các nguồn công bố số liệu chênh lệch nhau; chi tiết tại Phụ lục 3.")
    if illustrative:
        lines.append(
            f"{ILLUSTRATIVE_MARK} Số liệu mô phỏng hoặc giả định để minh họa, không phải số liệu chính thức."
        )
    return tuple(lines)


def build_content(
    resolution: Resolution,
    catalogue: Catalogue,
    observations: Sequence[Observation],
    *,
    period: Period,
    areas: Sequence[Area] = (),
    charts: bool = True,
) -> ReportContent:
    """The report's content for ``resolution`` as of ``period`` from ``observations``."""
    needed = _needed_indicators(resolution, catalogue) | {HPI_INDICATOR}
    known = [o for o in observations if o.period <= period]
    data = ObservationSet(known, catalogue)
    assessments = assess_resolution(resolution, catalogue, data, as_of=period.year, areas=areas)
    summary = summarise(assessments)
    by_code = {a.code: a for a in areas}
    relevant = [o for o in known if o.indicator in needed]
    cells = effective(relevant)
    conflict_list = [c for c in conflicts(relevant)]
    conflict_cells = {(c.indicator, c.area, c.period) for c in conflict_list}
    used = list(cells.values()) + [
        o for c in conflict_list for o in c.observations if o not in cells.values()
    ]

    def illustrative_reading(a: Assessment) -> bool:
        if a.latest is None:
            return False
        obs = cells.get((a.indicator.code, resolution.province, a.latest.period))
        return obs is not None and _is_illustrative(obs)

    rows: list[TargetRow] = []
    for group in resolution.groups:
        members = [a for a in assessments if a.target.group == group.id]
        if not members:
            continue
        rows.append(TargetRow("", group.name, is_group=True))
        for a in members:
            conflict = a.latest is not None and (a.indicator.code, resolution.province, a.latest.period) in (
                conflict_cells
            )
            mock = illustrative_reading(a)
            rows.append(
                TargetRow(
                    target_label(a),
                    a.target.text,
                    _base_text(a),
                    _latest_text(a, conflict, mock),
                    _target_text(a),
                    _status_text(a),
                    _remark(a, conflict, mock),
                    a.status.value,
                )
            )
    group_charts: dict[str, tuple[Chart, ...]] = {}
    summary_chart = None
    if charts:
        from chiso.reports.charts import group_charts as make_group_charts
        from chiso.reports.charts import summary_chart as make_summary_chart

        summary_chart = make_summary_chart(summary, period)
        group_charts = make_group_charts(assessments, data, resolution.province)
    commune_tables, no_commune = _commune_tables(resolution, catalogue, data, assessments, areas, period.year)
    illustrative = any(_is_illustrative(o) for o in used)
    watch = [
        a for a in assessments if a.status in {Status.NEEDS_ACCELERATION, Status.OFF_TRACK, Status.REGRESSING}
    ]
    attention_lines = tuple(f"- {attention(a)}" for a in watch) or (
        "Chưa có chỉ tiêu nào được đánh giá là chậm tiến độ hoặc cần tăng tốc.",
    )
    name = resolution.province_name or resolution.province
    title = resolution.title.split(":")[0].strip()
    subject = f"Đánh giá kết quả thực hiện các chỉ tiêu {title}, {period.label}"
    intro = (
        f"Căn cứ số liệu thống kê và báo cáo của các cơ quan, đơn vị cập nhật trong hệ thống theo dõi "
        f"thực hiện Nghị quyết đến {period.label}, báo cáo đánh giá kết quả thực hiện {summary.total} chỉ "
        f"tiêu của {title} như sau:"
    )
    notice = ""
    if illustrative:
        notice = (
            "Lưu ý: báo cáo có sử dụng số liệu mô phỏng hoặc giả định để minh họa "
            f"(đánh dấu {ILLUSTRATIVE_MARK}); không dùng các số liệu này để đánh giá chính thức."
        )
    closing = (
        f"Trên đây là báo cáo đánh giá kết quả thực hiện các chỉ tiêu Nghị quyết {period.label} "
        f"của tỉnh {name}. Chi tiết từng chỉ tiêu, số liệu cấp xã và nguồn số liệu tại các phụ lục "
        "kèm theo./."
    )
    return ReportContent(
        resolution_id=resolution.id,
        resolution_title=resolution.title,
        province=resolution.province,
        province_name=name,
        period=period,
        subject=subject,
        intro=intro,
        summary=summary,
        summary_paragraphs=_summary_paragraphs(period, summary, assessments, resolution.term[1]),
        groups=_group_sections(resolution, assessments, group_charts),
        attention=attention_lines,
        rows=tuple(rows),
        legend=_legend(illustrative, bool(conflict_cells)),
        commune_tables=commune_tables,
        no_commune_data=no_commune or "Chưa có số liệu cấp xã.",
        sources=_sources(used, catalogue, by_code, resolution.province),
        conflicts=tuple(_conflict_text(c, data, catalogue, by_code) for c in conflict_list),
        closing=closing,
        notice=notice,
        illustrative=illustrative,
        summary_chart=summary_chart,
        assessments=tuple(assessments),
    )


__all__ = [
    "Chart",
    "CommuneRow",
    "CommuneTable",
    "GroupSection",
    "ReportContent",
    "SourceRow",
    "TargetRow",
    "build_content",
]


def task_paragraphs(section: dict[str, Any]) -> tuple[str, ...]:
    """The tasks section in Vietnamese, from :func:`chiso.store.tasks_repo.tasks_report_section`."""
    total = section["total"]
    counts = [f"{c['count']} {c['label'].lower()}" for c in section["counts"] if c["count"]]
    if not section.get("tasks"):
        return ()
    day = dt.date.fromisoformat(section["today"]).strftime("%d/%m/%Y")
    lines = [
        f"Đến ngày {day}, hệ thống theo dõi {section['tasks']} nhiệm vụ thực hiện Nghị quyết"
        + (f" ({'; '.join(counts)})" if counts else "")
        + (f"; {section['without_due']} nhiệm vụ chưa được giao thời hạn." if section["without_due"] else ".")
    ]
    overdue = section["overdue"]
    if overdue:
        items = "; ".join(
            f"{o['number']} {o['title']} ({o['agency']}, hạn {dt.date.fromisoformat(o['due']):%d/%m/%Y}, "
            f"quá {o['days_overdue']} ngày)"
            for o in overdue[:15]
        )
        more = f" và {len(overdue) - 15} nhiệm vụ khác" if len(overdue) > 15 else ""
        lines.append(f"Nhiệm vụ quá hạn: {items}{more}.")
    else:
        lines.append("Không có nhiệm vụ quá hạn.")
    scored = [r for r in section["scorecard"] if r.get("total")]
    if scored:
        parts = [
            f"{r['agency']}: {r.get('completed_on_time', 0)} đúng hạn, "
            f"{r.get('overdue', 0)} quá hạn / {r['total']}"
            for r in scored
        ]
        lines.append("Kết quả theo cơ quan chủ trì: " + "; ".join(parts) + ".")
    if total.get("total"):
        done = total.get("completed_on_time", 0)
        lines.append(f"Toàn tỉnh: {done}/{total['total']} nhiệm vụ hoàn thành đúng hạn.")
    lines.append(section["note"])
    return tuple(lines)
